"""Language choice: ``?lang=`` first, then ``Accept-Language``, then Finnish. No cookie."""

from __future__ import annotations

from flask import g, request

INTERFACE_LANGUAGES = ("fi", "sv", "en")
LANGUAGE_NAMES = {
    "fi": "Suomi",
    "sv": "Svenska",
    "en": "English",
    "ru": "Русский",
    "et": "Eesti",
    "so": "Soomaali",
    "ar": "العربية",
}
RTL_LANGUAGES = frozenset({"ar"})


def requested_language() -> str | None:
    """The ``?lang=`` value if it names a language we know at all."""
    lang = (request.args.get("lang") or "").strip().lower()
    return lang if lang in LANGUAGE_NAMES else None


def select_locale() -> str:
    """Flask-Babel's locale selector: the interface language for this request.

    Survey content may be offered in languages the interface has no translation for
    (Arabic, Somali, …); the interface then follows the browser, else English.
    """
    lang = requested_language()
    if lang in INTERFACE_LANGUAGES:
        return lang
    best = request.accept_languages.best_match(INTERFACE_LANGUAGES)
    if best:
        return best
    return "en" if lang else "fi"


def text_direction(language: str) -> str:
    """``rtl`` for right-to-left scripts, else ``ltr``."""
    return "rtl" if language in RTL_LANGUAGES else "ltr"


def page_language() -> str:
    """The language of the page's main content, for ``<html lang>``."""
    return g.get("page_language") or select_locale()
