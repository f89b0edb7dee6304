"""An event poster as a print PDF: title, call to action in every offered language, QR, link.

The poster is an HTML page typeset by WeasyPrint (as the report is): the words stay real,
selectable text in DejaVu, and the QR code is inline SVG, so both stay vectors and print sharp
at any size. The wording comes from the catalogues, so translators own it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from weasyprint import HTML

from feedback_app.i18n import menu_languages, text_direction
from feedback_app.services.reports.qr import qr_svg

PDF_VARIANT = "pdf/ua-1"


@dataclass(frozen=True)
class PaperSize:
    """A paper size the poster prints on: the CSS page size and the code's printed width."""

    name: str
    qr_cm: float
    scale: float  # type and spacing relative to A4


# 13 cm of code on A4 scans comfortably from a metre or two, far above the 8 cm minimum; A3 is
# √2 larger in every direction, so the code and the type grow with it.
SIZES = {
    "a4": PaperSize("A4", qr_cm=13, scale=1.0),
    "a3": PaperSize("A3", qr_cm=18, scale=1.41),
}
DEFAULT_SIZE = "a4"


@dataclass(frozen=True)
class PosterLine:
    """The poster's words in one language, with the language's writing direction."""

    lang: str
    dir: str
    call_to_action: str
    scan: str
    no_names: str


def poster_lines(languages: tuple[str, ...]) -> list[PosterLine]:
    """The call to action, scan hint and privacy line in each language, in that order."""
    lines = []
    for lang in languages:
        with force_locale(lang):
            lines.append(
                PosterLine(
                    lang=lang,
                    dir=text_direction(lang),
                    call_to_action=_("How did the event feel? Tell us anonymously."),
                    scan=_("Scan"),
                    no_names=_("No names, no cookies"),
                )
            )
    return lines


def poster_languages(offered: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """The survey's languages in the survey menu's order, Finnish (always offered) first."""
    return tuple(menu_languages({"fi", *offered}))


def title_size(title: str) -> float:
    """The title's type size (rem): a long title is set smaller, never cut, so it stays whole."""
    if len(title) <= 40:
        return 2.6
    if len(title) <= 90:
        return 2.1
    return 1.6


def call_to_action_size(count: int) -> float:
    """The call to action's type size (rem): smaller as languages are added, so all fit."""
    if count <= 3:
        return 2.0
    if count <= 5:
        return 1.6
    return 1.4


def inline_svg(link: str) -> str:
    """The QR code's SVG element without its XML declaration, for embedding in HTML."""
    svg = qr_svg(link)
    return svg[svg.index("<svg") :].strip()


def poster_html(
    title: str,
    link: str,
    languages: tuple[str, ...],
    size: str = DEFAULT_SIZE,
    venue: str = "",
    event_date: date | None = None,
) -> str:
    """The poster as the HTML page WeasyPrint typesets, one line per language."""
    meta = " · ".join(
        part for part in (venue, event_date.strftime("%d.%m.%Y") if event_date else "") if part
    )
    lines = poster_lines(poster_languages(languages))
    return render_template(
        "studio/poster.html",
        title=title,
        meta=meta,
        link=link,
        paper=SIZES[size],
        lines=lines,
        title_rem=title_size(title),
        cta_rem=call_to_action_size(len(lines)),
        qr=inline_svg(link),
    )


# A poster takes about a second to typeset and the route is public: keep recent ones.
@lru_cache(maxsize=32)
def poster_pdf(
    title: str,
    link: str,
    languages: tuple[str, ...],
    size: str = DEFAULT_SIZE,
    venue: str = "",
    event_date: date | None = None,
) -> bytes:
    """The poster as a one-page PDF on ``size`` paper (``a4`` or ``a3``)."""
    html = poster_html(title, link, languages, size, venue, event_date)
    # No base URL: the page loads no file, image or font from anywhere (no network access).
    return HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True)
