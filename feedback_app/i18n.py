"""Language choice: ``?lang=`` first, then ``Accept-Language``, then Finnish. No cookie.

Resident pages (the survey, its thank-you page, the statements, error pages) speak every
resident language; staff pages (studio, dashboard, admin) speak Finnish, Swedish and English.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from babel import Locale
from flask import g, has_request_context, request
from flask_babel import gettext

RESIDENT_LANGUAGES = ("fi", "sv", "en", "ru", "et", "so", "ar", "uk")
STAFF_LANGUAGES = ("fi", "sv", "en")
INTERFACE_LANGUAGES = STAFF_LANGUAGES
# Each language named in its own script, so a resident finds theirs without reading Finnish.
LANGUAGE_NAMES = {
    "fi": "Suomi",
    "sv": "Svenska",
    "en": "English",
    "ru": "Русский",
    "et": "Eesti",
    "so": "Soomaali",
    "ar": "العربية",
    "uk": "Українська",
}
RTL_LANGUAGES = frozenset({"ar"})
DEFAULT_LANGUAGE = "fi"
# Blueprints whose pages residents read; everything else is a staff page.
RESIDENT_BLUEPRINTS = frozenset({"survey", "statements", "site", "pwa"})
# The event screen is a studio page, but the residents at the event read it off the projector,
# so it speaks the survey's language like the survey page does.
RESIDENT_ENDPOINTS = frozenset({"studio.screen"})
# Plural categories in CLDR's order; a sample is looked for among these integers.
PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")
PLURAL_SAMPLE_RANGE = range(1001)


def requested_language() -> str | None:
    """The ``?lang=`` value if it names a language we know at all."""
    lang = (request.args.get("lang") or "").strip().lower()
    return lang if lang in LANGUAGE_NAMES else None


def browser_choice(offered: Sequence[str]) -> str | None:
    """The first of the browser's ``Accept-Language`` choices that ``offered`` holds.

    Werkzeug orders the choices by q-value, keeping the browser's order among equals; its
    own ``best_match`` would prefer the server's order among equals ("en, ar" → "ar" when
    Arabic is listed first here), so the list is walked in the browser's order instead.
    A regional tag counts for its language ("ar-SA" → "ar").
    """
    for value, quality in request.accept_languages:
        primary = value.split("-")[0].split("_")[0].lower()
        if quality > 0 and primary in offered:
            return primary
    return None


def choose_language(offered: Sequence[str]) -> str:
    """``?lang=`` if offered, else the browser's first offered choice, else Finnish."""
    requested = requested_language()
    if requested in offered:
        return requested
    return browser_choice(offered) or (DEFAULT_LANGUAGE if DEFAULT_LANGUAGE in offered else "")


def is_resident_page() -> bool:
    """Whether this request shows a resident page; error pages outside any blueprint do too."""
    return (
        request.blueprint in RESIDENT_BLUEPRINTS
        or request.blueprint is None
        or request.endpoint in RESIDENT_ENDPOINTS
    )


def interface_languages() -> tuple[str, ...]:
    """The interface languages this request may be shown in."""
    return RESIDENT_LANGUAGES if is_resident_page() else STAFF_LANGUAGES


def select_locale() -> str:
    """Flask-Babel's locale selector: the interface language for this request.

    A survey page has already chosen its language among those the survey offers
    (``g.page_language``); the interface follows it so the page speaks one language.
    """
    allowed = interface_languages()
    page = g.get("page_language")
    if page in allowed:
        return page
    return choose_language(allowed) or DEFAULT_LANGUAGE


def text_direction(language: str) -> str:
    """``rtl`` for right-to-left scripts, else ``ltr``."""
    return "rtl" if language in RTL_LANGUAGES else "ltr"


def page_language() -> str:
    """The language of the page's main content, for ``<html lang>``."""
    return g.get("page_language") or select_locale()


def menu_languages(offered: Iterable[str]) -> list[str]:
    """The languages of a page's menu in the fixed resident order."""
    offered = set(offered)
    return [code for code in RESIDENT_LANGUAGES if code in offered]


def plural_samples(language: str) -> dict[str, int]:
    """For each CLDR plural category of ``language``, the smallest integer 0..1000 in it.

    A page that counts live in the browser renders one word per category from these samples,
    and the browser picks among them with ``Intl.PluralRules``; a category that holds no
    integer (Russian "other" is for fractions) is left out.
    """
    rule = Locale.parse(language).plural_form
    found: dict[str, int] = {}
    for number in PLURAL_SAMPLE_RANGE:
        found.setdefault(rule(number), number)
    return {category: found[category] for category in PLURAL_CATEGORIES if category in found}


def _(message: str, **variables) -> str:
    """``message`` in the reader's language during a request, else English (CLI, jobs).

    Services raise these messages from the command line too, where there is no request
    to choose a language from.
    """
    if has_request_context():
        return gettext(message, **variables)
    return message % variables if variables else message
