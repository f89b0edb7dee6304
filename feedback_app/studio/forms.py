"""The studio's forms; Flask-WTF adds a CSRF token to each."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from feedback_app.i18n import LANGUAGE_NAMES
from feedback_app.question_bank import BANK_KEYS, STANDARD_QUESTIONS
from feedback_app.questions import QUESTION_TYPES
from feedback_app.services.linked_events.client import is_event_id
from feedback_app.services.surveys.lifecycle import CONTENT_LANGUAGES
from feedback_app.staff_fields import ServiceDateField, ServiceDateTimeField, plain_text

DEFAULT_LANGUAGES = ["fi", "sv", "en"]


def choices(pairs) -> list[SelectChoice]:
    """WTForms choices from ``(value, label)`` pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


class CheckboxesField(SelectMultipleField):
    """A list of checkboxes: easier to tap on a phone than a multi-select box."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def language_choices() -> list[SelectChoice]:
    """Content languages named in their own language."""
    return choices((code, LANGUAGE_NAMES[code]) for code in CONTENT_LANGUAGES)


def bank_choices(interface_lang: str) -> list[SelectChoice]:
    """Bank questions labelled with their fixed wording in the interface language."""
    return [
        (
            key,
            STANDARD_QUESTIONS[key].prompts.get(interface_lang)
            or STANDARD_QUESTIONS[key].prompts["fi"],
        )
        for key in BANK_KEYS
    ]


class SurveyDetailsForm(FlaskForm):
    """What, when, where and in which languages."""

    title = StringField(_l("Event title"), validators=[DataRequired(), Length(max=200), plain_text])
    # InputRequired, not DataRequired: the latter would replace the field's own reason.
    event_date = ServiceDateField(_l("Date"), default=date.today, validators=[InputRequired()])
    venue = StringField(_l("Venue"), validators=[Optional(), Length(max=200), plain_text])
    languages = CheckboxesField(_l("Languages offered"), default=DEFAULT_LANGUAGES)

    def validate_languages(self, field):
        """Only known languages; Finnish is added by the service in any case."""
        if any(code not in CONTENT_LANGUAGES for code in field.data or []):
            raise ValidationError(_l("Unknown language."))


# The title in the other languages: one field each, shown for the languages the survey offers.
for _code in CONTENT_LANGUAGES[1:]:
    setattr(
        SurveyDetailsForm,
        f"title_{_code}",
        StringField(LANGUAGE_NAMES[_code], validators=[Optional(), Length(max=200), plain_text]),
    )


def fill_titles(form: SurveyDetailsForm, titles: dict[str, str]) -> None:
    """Put a survey's translated titles into the details form for editing."""
    for code in CONTENT_LANGUAGES[1:]:
        form[f"title_{code}"].data = (titles or {}).get(code, "")


def typed_titles(form: SurveyDetailsForm, shown: list[str]) -> dict[str, str]:
    """The translated titles of the languages whose fields the form showed."""
    return {code: form[f"title_{code}"].data or "" for code in shown if code != "fi"}


class NewSurveyForm(SurveyDetailsForm):
    """Creating a survey: the details plus project, bank questions and closing time."""

    project = SelectField(_l("Project"), coerce=int, validators=[DataRequired()])
    bank = CheckboxesField(_l("Optional standard questions"), default=[])
    closes_at = ServiceDateTimeField(
        _l("Close automatically at (optional)"), format="%Y-%m-%dT%H:%M", validators=[Optional()]
    )
    # The Linked Events id of the event the form was filled from; empty when typed by hand.
    linked_event = HiddenField(validators=[Optional(), Length(max=100)])

    def validate_linked_event(self, field):
        """Only the shape of a Linked Events id."""
        if field.data and not is_event_id(field.data):
            raise ValidationError(_l("Unknown event."))

    def imported_titles(self) -> dict[str, str]:
        """The Swedish and English titles filled in from the event (or typed over them)."""
        return {code: self[f"title_{code}"].data or "" for code in ("sv", "en")}


class BankForm(FlaskForm):
    """Which standard bank questions the survey carries."""

    bank = CheckboxesField(_l("Optional standard questions"), default=[])


class ClosingForm(FlaskForm):
    """The automatic closing time, in Helsinki time; empty clears it."""

    closes_at = ServiceDateTimeField(
        _l("Close automatically at"), format="%Y-%m-%dT%H:%M", validators=[Optional()]
    )


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token."""


class QuestionForm(FlaskForm):
    """An artist's own question with a text per language; Finnish is required."""

    kind = SelectField(
        _l("Kind of question"),
        choices=choices((kind.value, handler.label) for kind, handler in QUESTION_TYPES.items()),
        default="face",
    )
    required = BooleanField(_l("Answer required"))
    prompt_fi = StringField("Suomi", validators=[DataRequired(), Length(max=300), plain_text])
    options_fi = TextAreaField("Suomi", validators=[Optional(), Length(max=2000), plain_text])

    def validate_options_fi(self, field):
        """Choice questions need at least two options."""
        kind = QUESTION_TYPES.get(self.kind.data)
        if kind is not None and kind.has_options and len(option_lines(field.data)) < 2:
            raise ValidationError(_l("Write at least two options, one per line."))


for _code in CONTENT_LANGUAGES[1:]:
    setattr(
        QuestionForm,
        f"prompt_{_code}",
        StringField(LANGUAGE_NAMES[_code], validators=[Optional(), Length(max=300), plain_text]),
    )
    setattr(
        QuestionForm,
        f"options_{_code}",
        TextAreaField(LANGUAGE_NAMES[_code], validators=[Optional(), Length(max=2000), plain_text]),
    )


def option_lines(text: str | None) -> list[str]:
    """One option per non-empty line."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def question_texts(form: QuestionForm) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Prompts and option labels per language, read from the form."""
    prompts = {code: form[f"prompt_{code}"].data or "" for code in CONTENT_LANGUAGES}
    options = {code: _lines_keep_gaps(form[f"options_{code}"].data) for code in CONTENT_LANGUAGES}
    options["fi"] = option_lines(form.options_fi.data)
    return prompts, options


def _lines_keep_gaps(text: str | None) -> list[str]:
    """Lines in order, blanks kept, so a translation stays aligned with the Finnish options."""
    return [line.strip() for line in (text or "").rstrip().splitlines()]


def fill_question_form(form: QuestionForm, question) -> None:
    """Put a stored question's texts into the form for editing."""
    form.kind.data = question.kind.value
    form.required.data = question.required
    for code in CONTENT_LANGUAGES:
        form[f"prompt_{code}"].data = (question.prompts or {}).get(code, "")
        form[f"options_{code}"].data = "\n".join(
            o.get("labels", {}).get(code, "") for o in question.options or []
        ).rstrip()
