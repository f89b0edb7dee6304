"""Rules for text, numbers and dates that arrive from outside: plain functions, no app.

Every parser of outside input in the app goes through these, so a rule is written once
and means the same on SQLite and PostgreSQL, in the plain form and in the JSON API.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

# Python's int(), str.isdigit() and strptime's \d all accept any Unicode digit ("٣", "３",
# "²" even where int() then fails), "_" and surrounding whitespace: a tampered value could
# be stored as a number nobody typed, or raise. Only ASCII digits are numbers here.
ASCII_DIGITS = re.compile(r"[0-9]+", re.ASCII)

# NUL is stored by SQLite but refused by PostgreSQL (a 500 there); other C0/C1 controls and
# DEL are invisible, can rewrite a terminal or a CSV reader's view of a comment, and no
# keyboard types them. Lone surrogates cannot be encoded as UTF-8 at all. Tab and line
# breaks are ordinary text.
FORBIDDEN_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
LINE_BREAKS = re.compile(r"\r\n?")

ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
LOCAL_DATETIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2})?", re.ASCII)
# Dates the service can mean: the Helsinki model started in 2016; nothing is planned past
# this century. Year 1 or 9999 would overflow when converted between Helsinki time and UTC.
EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2099, 12, 31)


class TextProblem(ValueError):
    """Text that cannot be stored: ``reason`` is ``"characters"`` or ``"length"``."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def whole_number(text: str, max_digits: int) -> int | None:
    """The number written in ASCII digits, at most ``max_digits`` of them; else None.

    The length is checked before converting, so thousands of digits cost nothing.
    """
    if len(text) > max_digits or not ASCII_DIGITS.fullmatch(text):
        return None
    return int(text)


def clean_text(text: str, max_length: int) -> str:
    """Text as stored: line breaks as LF, Unicode NFC, stripped; ``TextProblem`` if refused.

    The length counts characters after normalising, so an "é" typed as e + accent counts
    once; the raw text is bounded first so normalising never works on unbounded input.
    """
    if len(text) > 4 * max_length:
        raise TextProblem("length")
    text = LINE_BREAKS.sub("\n", text)  # browsers send a textarea's line breaks as CRLF
    if FORBIDDEN_CHARACTERS.search(text):
        raise TextProblem("characters")
    cleaned = unicodedata.normalize("NFC", text).strip()
    if len(cleaned) > max_length:
        raise TextProblem("length")
    return cleaned


def in_service_range(day: date) -> bool:
    """Whether a date lies in the years the service can mean (2000–2099)."""
    return EARLIEST_DATE <= day <= LATEST_DATE


def parse_date(text: str) -> date | None:
    """An ISO date ``YYYY-MM-DD`` in ASCII digits within the service range; else None.

    For every date a person types or puts in a query string (survey dates, export and
    dashboard ``from``/``to`` filters): None means "refuse with a clear message".
    """
    if not ISO_DATE.fullmatch(text):
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return day if in_service_range(day) else None


def parse_local_datetime(text: str) -> datetime | None:
    """A ``datetime-local`` value (``YYYY-MM-DDTHH:MM[:SS]``) within the service range."""
    if not LOCAL_DATETIME.fullmatch(text):
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if in_service_range(moment.date()) else None


def date_range(start: date | None, end: date | None) -> tuple[date, date] | None:
    """A ``from``–``to`` window, both ends in the service range and in order; else None."""
    if start is None or end is None or start > end:
        return None
    if not (in_service_range(start) and in_service_range(end)):
        return None
    return start, end
