"""Form fields for the staff areas that read dates, numbers and text by ``input_rules``.

WTForms' own fields parse with ``strptime`` and ``int()``, which accept any Unicode digit
and any year from 1 to 9999: year 1 or 9999 then overflows when converted between
Helsinki time and UTC (a 500), and "２０２６" is read as 2026. These fields read ASCII
only, within the years the service can mean, and say so on the form.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, DateTimeLocalField, IntegerField
from wtforms.validators import ValidationError

from feedback_app.input_rules import (
    FORBIDDEN_CHARACTERS,
    parse_date,
    parse_local_datetime,
    whole_number,
)


class ServiceDateField(DateField):
    """An ISO date (the browser's date picker sends one) between 2000 and 2099."""

    def process_formdata(self, valuelist):
        """Parse with ``input_rules.parse_date``; empty stays None for Required/Optional."""
        if not valuelist or not valuelist[0]:
            self.data = None
            return
        self.data = parse_date(valuelist[0])
        if self.data is None:
            raise ValueError(_l("Give a date between the years 2000 and 2099."))


class ServiceDateTimeField(DateTimeLocalField):
    """A ``datetime-local`` value between 2000 and 2099, in the form's local time."""

    def process_formdata(self, valuelist):
        """Parse with ``input_rules.parse_local_datetime``; empty stays None."""
        if not valuelist or not valuelist[0]:
            self.data = None
            return
        self.data = parse_local_datetime(valuelist[0])
        if self.data is None:
            raise ValueError(_l("Give a date and time between the years 2000 and 2099."))


class AsciiIntegerField(IntegerField):
    """A whole number in the digits 0–9 only (at most nine of them)."""

    def process_formdata(self, valuelist):
        """Parse with ``input_rules.whole_number``; empty stays None."""
        if not valuelist or not valuelist[0]:
            self.data = None
            return
        self.data = whole_number(valuelist[0], max_digits=9)
        if self.data is None:
            raise ValueError(_l("Write a whole number in the digits 0–9."))


def plain_text(form, field) -> None:
    """Validator: no control characters (NUL is a 500 on PostgreSQL, invisible elsewhere).

    Line breaks and tabs are allowed; they are ordinary in option lists.
    """
    if field.data and FORBIDDEN_CHARACTERS.search(field.data.replace("\r", "")):
        raise ValidationError(_l("Remove control characters from the text."))
