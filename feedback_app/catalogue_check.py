"""What the translation catalogues still lack: ``flask --app feedback_app i18n-check``.

Every resident language must cover every string a resident can meet; staff pages need
Finnish, Swedish and English only. Whether a message is resident-facing is read from where it
is used (the ``#:`` source locations ``make translations`` writes into each catalogue), so a
new string is classified by the file it appears in, without a list to keep up to date.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Message
from babel.messages.pofile import read_po

from feedback_app.i18n import RESIDENT_LANGUAGES, STAFF_LANGUAGES

TRANSLATIONS = Path(__file__).parent / "translations"
SOURCE_LANGUAGE = "en"  # msgids are English: an empty English msgstr shows the msgid itself
# Where residents meet a string: the survey and its chrome (each question kind's field is a
# template under templates/survey/fields/), statements, error pages, the service worker and
# script notices (rendered into the survey page), the answer scale, the web app manifest, the
# event screen and the poster's call to action. questions.py is not listed: its strings are
# the kinds' names in the studio, which staff read in Finnish, Swedish and English only.
RESIDENT_SOURCES = (
    "templates/survey/",
    "templates/statements/",
    "templates/errors/",
    "templates/site/",
    "templates/base.html",
    "templates/studio/screen.html",
    "feedback_app/survey/",
    "feedback_app/scale.py",
    "feedback_app/errors.py",
    "feedback_app/pwa.py",
    "feedback_app/statements.py",
    "feedback_app/services/reports/poster.py",
    "static/",
)


@dataclass(frozen=True)
class Gap:
    """One message a catalogue still lacks: untranslated or marked fuzzy."""

    language: str
    msgid: str
    problem: str


def is_resident_facing(message: Message) -> bool:
    """Whether any place the message is used is on a resident page."""
    return any(path.startswith(RESIDENT_SOURCES) for path, _line in message.locations)


def _untranslated(message: Message) -> bool:
    """No msgstr, or an empty plural form."""
    strings = message.string if isinstance(message.string, tuple | list) else [message.string]
    return not all(strings)


def message_gaps(language: str, messages: list[Message]) -> list[Gap]:
    """The messages of one catalogue that the language needs and lacks."""
    gaps = []
    for message in messages:
        if not message.id:
            continue  # the header
        if language not in STAFF_LANGUAGES and not is_resident_facing(message):
            continue
        msgid = message.id[0] if isinstance(message.id, tuple) else message.id
        if message.fuzzy:
            gaps.append(Gap(language, msgid, "fuzzy"))
        elif language != SOURCE_LANGUAGE and _untranslated(message):
            gaps.append(Gap(language, msgid, "untranslated"))
    return gaps


def catalogue_gaps(folder: Path | None = None) -> list[Gap]:
    """Every gap in every resident language's catalogue; a missing catalogue is one gap."""
    folder = folder or TRANSLATIONS
    gaps = []
    for language in RESIDENT_LANGUAGES:
        path = folder / language / "LC_MESSAGES" / "messages.po"
        if not path.exists():
            gaps.append(Gap(language, "", "no catalogue"))
            continue
        with path.open("rb") as handle:
            catalogue = read_po(handle, locale=language)
        gaps.extend(message_gaps(language, list(catalogue)))
    return gaps
