"""The look shared by every dashboard chart: palette, markers, names, layout and notes.

``charts`` and ``chart_trends`` both draw with these, so they live apart from either: neither
chart module needs the other for them.
"""

from __future__ import annotations

from functools import cache

from babel.numbers import NumberPattern, get_decimal_symbol, get_group_symbol, parse_pattern
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from feedback_app.scale import FACE_LABELS

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#000000"]
# Strongly disagree → strongly agree: vermillion, orange, grey, sky blue, blue (diverging,
# CVD-safe).
FACE_COLOURS = ["#D55E00", "#E69F00", "#999999", "#56B4E9", "#0072B2"]
MARKERS = ["circle", "square", "diamond", "triangle-up", "x", "star", "cross"]
DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot", "solid"]
INDICATOR_NAMES = {
    "joy": _l("Joy"),
    "belonging": _l("Belonging"),
    "safety": _l("Safety"),
    "success": _l("Success"),
    "empowerment": _l("Empowerment"),
    "together": _l("Doing together"),
    "own_voice": _l("Own voice"),
    "creativity": _l("Creativity"),
    "pride": _l("Pride in the area"),
    "comfort": _l("Comfort of the area"),
    "come_again": _l("Would come again"),
}
FACE_NAMES = list(FACE_LABELS)
FONT = {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif", "size": 14}


def indicator_name(key: str) -> str:
    """The indicator's short name in the interface language."""
    return str(INDICATOR_NAMES.get(key, key))


def district_name(row: dict, lang: str) -> str:
    """Swedish district names for Swedish pages, Finnish otherwise."""
    return row["name_sv"] if lang == "sv" else row["name"]


def base_layout(**extra) -> dict:
    """Shared layout: readable font, legend below, labels that shrink or hide on phones.

    The chart's title is an HTML heading on the page (it wraps on a phone; Plotly's does not).
    """
    layout = {
        "font": FONT,
        "margin": {"l": 48, "r": 16, "t": 24, "b": 32},
        # Legend above the plot: below it, it collides with rotated labels on a phone.
        "legend": {
            "orientation": "h",
            "x": 0,
            "y": 1.02,
            "xanchor": "left",
            "yanchor": "bottom",
            "traceorder": "normal",
        },
        "uniformtext": {"minsize": 10, "mode": "hide"},
        "xaxis": {"automargin": True},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "autosize": True,
        "separators": separators(),
    }
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(layout.get(key), dict):
            layout[key] = {**layout[key], **value}
        else:
            layout[key] = value
    return layout


def wrapped(name: str) -> str:
    """A long hyphenated district name on two lines of a chart label."""
    head, dash, tail = name.partition("-")
    return f"{head}-<br>{tail}" if dash and len(name) > 14 else name


@cache
def _pattern(pattern: str) -> NumberPattern:
    """Babel's parsed number pattern, parsed once: a chart has hundreds of numbers, and
    ``format_decimal`` parsed the pattern again for each (a quarter of the charts' time)."""
    return parse_pattern(pattern)


def _formatted(value: float, pattern: str) -> str:
    """``value`` in ``pattern`` with the interface language's symbols."""
    return _pattern(pattern).apply(value, get_locale())


def number(value: float) -> str:
    """A figure with one decimal in the interface language's notation (72,5 in Finnish)."""
    return _formatted(value, "0.0")


def signed(value: float) -> str:
    """A change with its sign and one decimal in the interface language (+3,2 in Finnish)."""
    return _formatted(value, "+0.0;-0.0")


def count(value: int) -> str:
    """A whole number with the interface language's digit grouping (1 234 in Finnish)."""
    return _formatted(value, "#,##0")


def separators() -> str:
    """Plotly's ``layout.separators`` (decimal mark, then digit group) for the interface
    language, so axis ticks read like the rest of the page."""
    locale = get_locale()
    return get_decimal_symbol(locale) + get_group_symbol(locale)


def hover(values: list[str]) -> dict:
    """Hover text preformatted on the server: Plotly never formats a number itself."""
    return {"customdata": values, "hovertemplate": "%{customdata}<extra></extra>"}


def value_text(cell: dict) -> str:
    """How one figure reads in a table cell."""
    if cell["suppressed"]:
        return _("too few answers")
    if cell["ci95"]:
        low, high = cell["ci95"]
        return f"{number(cell['index'])} ({number(low)}–{number(high)})"
    return number(cell["index"])


def suppression_notes(names: list[str]) -> list[dict]:
    """A text note under the chart naming what was withheld."""
    if not names:
        return []
    text = _("Too few answers to show: %(names)s", names=", ".join(names))
    return [
        {
            "text": text,
            "showarrow": False,
            "xref": "paper",
            "yref": "paper",
            # Inside the plot, on a white box, so it never collides with the legend on top.
            "x": 0.01,
            "y": 0.02,
            "xanchor": "left",
            "yanchor": "bottom",
            "align": "left",
            "bgcolor": "#ffffff",
            "bordercolor": "#1a1a1a",
            "borderpad": 4,
        }
    ]
