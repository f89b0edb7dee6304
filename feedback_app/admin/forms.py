"""The admin's forms; every one carries a CSRF token (Flask-WTF)."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    SelectField,
    SelectMultipleField,
    StringField,
    widgets,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from feedback_app.models import Role
from feedback_app.services.people.accounts import ROLE_LABELS
from feedback_app.staff_fields import AsciiIntegerField, plain_text


def mail_language_choices() -> list[tuple[str, str]]:
    """The e-mail languages, each named in itself."""
    return [("fi", "suomi"), ("sv", "svenska"), ("en", "English")]


class CheckboxListField(SelectMultipleField):
    """Several choices as a list of checkboxes: easier to tap on a phone than a multi-select."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def role_choices() -> list[tuple[str, str]]:
    """(value, translated label) for every role."""
    return [(role.value, ROLE_LABELS[role]) for role in Role]


class PeriodForm(FlaskForm):
    """A new three-year grant period."""

    start_year = AsciiIntegerField(
        _l("First year"), validators=[InputRequired(), NumberRange(2000, 2100)]
    )
    end_year = AsciiIntegerField(
        _l("Last year"), validators=[InputRequired(), NumberRange(2000, 2100)]
    )

    def suggest(self) -> None:
        """Pre-fill the next period after this year's, as periods are three years long."""
        if self.start_year.data is None:
            self.start_year.data = date.today().year
            self.end_year.data = date.today().year + 2


class DistrictForm(FlaskForm):
    """A target district: both official names and the periods it is a target in."""

    name_fi = StringField(
        _l("Name in Finnish"), validators=[DataRequired(), Length(max=120), plain_text]
    )
    name_sv = StringField(
        _l("Name in Swedish"), validators=[DataRequired(), Length(max=120), plain_text]
    )
    periods = CheckboxListField(_l("Target in grant periods"), coerce=int)


class ProjectForm(FlaskForm):
    """A grant project."""

    name = StringField(_l("Project name"), validators=[DataRequired(), Length(max=200), plain_text])
    institution = StringField(
        _l("Art institution"), validators=[DataRequired(), Length(max=200), plain_text]
    )
    district = SelectField(_l("District"), coerce=int)
    period = SelectField(_l("Grant period"), coerce=int)


class AccountForm(FlaskForm):
    """An account's role and, for artists, its projects."""

    role = SelectField(_l("Role"), choices=role_choices)
    projects = CheckboxListField(_l("Projects (artists only)"), coerce=int)


class InvitationForm(FlaskForm):
    """Who to invite, in which role, to which projects."""

    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254), plain_text])
    role = SelectField(_l("Role"), choices=role_choices, default=Role.ARTIST.value)
    projects = CheckboxListField(_l("Projects (artists only)"), coerce=int)
    language = SelectField(
        _l("Language of the e-mail"), choices=mail_language_choices, default="fi"
    )


class TokenForm(FlaskForm):
    """A bearer token for an official's tool."""

    account = SelectField(_l("Official"), coerce=int)
    label = StringField(
        _l("Name of the token"), validators=[DataRequired(), Length(max=120), plain_text]
    )
