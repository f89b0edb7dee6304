"""Plotly figure specs (plain JSON) and their data-table twins for the officials' dashboard.

Each chart function returns ``{"figure": {...}, "table": {...}}``: the browser draws the figure
with Plotly.newPlot and the same numbers fill a real <table>, for screen readers and for
anyone who cannot tell the colours apart. Colours are the Okabe–Ito palette, and every
series also differs by marker, dash or text label, so colour is never the only cue.
"""

from __future__ import annotations

import html

from flask_babel import gettext as _

from feedback_app.question_bank import CORE_KEYS
from feedback_app.services.charts.chart_style import (  # noqa: F401  (one import for the dashboard)
    DASHES,
    FACE_COLOURS,
    FACE_NAMES,
    FONT,
    INDICATOR_NAMES,
    MARKERS,
    OKABE_ITO,
    base_layout,
    count,
    district_name,
    hover,
    indicator_name,
    number,
    separators,
    signed,
    suppression_notes,
    value_text,
    wrapped,
)
from feedback_app.services.charts.chart_trends import trend_chart, volume_chart
from feedback_app.services.charts.plotly_assets import (  # noqa: F401  (the dashboard's one import)
    best_encoding,
    plotly_bundle,
    plotly_style_guards,
    plotly_version,
)
from feedback_app.services.figures import district_reports
from feedback_app.services.figures import district_results as results


def _texts(level: str) -> dict:
    """Titles, captions and column names of the charts at district or project level."""
    if level == "project":
        return {
            "comparison_title": _("Index 0–100 by event with confidence intervals (95 %)"),
            "comparison_caption": _("Index 0–100 by event (confidence interval 95 %)"),
            "entity": _("Event"),
        }
    return {
        "comparison_title": _("Index 0–100 by district with confidence intervals (95 %)"),
        "comparison_caption": _("Index 0–100 by district (confidence interval 95 %)"),
        "entity": _("District"),
    }


def _plain(name: str) -> str:
    """A name for Plotly's hover label, which reads a few HTML tags: shown as written."""
    return html.escape(name, quote=False)


def comparison_chart(summary: dict, lang: str, level: str = "district") -> dict:
    """Districts (or a project's events) side by side, one bar group per indicator, with
    95 % intervals."""
    texts = _texts(level)
    districts = [district_name(row, lang) for row in summary["districts"]]
    ticks = [wrapped(name) for name in districts]
    traces, notes = [], []
    for i, key in enumerate(CORE_KEYS):
        cells = [row["indicators"][key] for row in summary["districts"]]
        traces.append(
            {
                "type": "bar",
                "name": indicator_name(key),
                "x": ticks,
                "y": [None if c["suppressed"] else c["index"] for c in cells],
                "text": [
                    _("too few answers") if c["suppressed"] else f"{c['index']:.0f}" for c in cells
                ],
                "textposition": "inside",
                "insidetextanchor": "start",
                # Solid bar: white text; hatched and dotted bars have a light ground.
                "insidetextfont": {"color": "#ffffff" if i == 0 else "#1a1a1a"},
                "marker": {"color": OKABE_ITO[i], "pattern": {"shape": ["", "/", "."][i]}},
                "error_y": {
                    "type": "data",
                    "symmetric": False,
                    "array": [_upper(c) for c in cells],
                    "arrayminus": [_lower(c) for c in cells],
                    "color": "#000000",
                },
                **hover(
                    [
                        f"{_plain(name)}<br>{indicator_name(key)}: {value_text(c)}"
                        for name, c in zip(districts, cells, strict=True)
                    ]
                ),
            }
        )
        notes += [name for name, c in zip(districts, cells, strict=True) if c["suppressed"]]
    layout = base_layout(
        barmode="group",
        yaxis={"range": [0, 100], "title": {"text": _("Index 0–100")}},
        annotations=suppression_notes(sorted(set(notes))),
    )
    table = {
        "caption": texts["comparison_caption"],
        "head": [texts["entity"], _("Responses"), *[indicator_name(k) for k in CORE_KEYS]],
        "rows": [
            [district_name(row, lang), count(row["responses"])]
            + [value_text(row["indicators"][k]) for k in CORE_KEYS]
            for row in summary["districts"]
        ],
    }
    return {
        "title": texts["comparison_title"],
        "figure": {"data": traces, "layout": layout},
        "table": table,
    }


def _upper(cell: dict):
    """Distance from the index up to the interval's top (None when withheld)."""
    return (
        None
        if cell["suppressed"] or not cell["ci95"]
        else round(cell["ci95"][1] - cell["index"], 1)
    )


def _lower(cell: dict):
    """Distance from the index down to the interval's bottom."""
    return (
        None
        if cell["suppressed"] or not cell["ci95"]
        else round(cell["index"] - cell["ci95"][0], 1)
    )


def distribution_chart(summary: dict, lang: str, level: str = "district") -> dict:
    """Stacked share of each face per district and core indicator, labelled with text."""
    labels, names, groups, bars, shares, counts, withheld = [], [], [], [], [], [], []
    for row in summary["districts"]:
        for key in CORE_KEYS:
            label = f"{district_name(row, lang)} · {indicator_name(key)}"
            bar = indicator_name(key)
            cell = row["indicators"][key]
            if cell["suppressed"]:
                withheld.append(label)
                label = f"{label} ({_('too few answers')})"
                bar = f"{bar}: {_('too few answers')}"
            labels.append(label)
            names.append(district_name(row, lang))
            groups.append(wrapped(district_name(row, lang)))
            bars.append(bar)
            counts.append(cell["distribution"])
            total = cell["n"] or 1
            shares.append([round(100 * c / total, 1) for c in cell["distribution"] or [0] * 5])
    traces = [
        {
            "type": "bar",
            "orientation": "h",
            "name": f"{score} – {FACE_NAMES[score - 1]}",
            # Two-level axis: the district once per group, then each indicator.
            "y": [groups, bars],
            "x": [share[score - 1] for share in shares],
            "text": [
                f"{share[score - 1]:.0f} %" if share[score - 1] >= 6 else "" for share in shares
            ],
            "textposition": "inside",
            "marker": {"color": FACE_COLOURS[score - 1]},
            **hover(
                [
                    f"{_plain(label)}<br>{score} – {FACE_NAMES[score - 1]}: "
                    f"{number(share[score - 1])} %"
                    for label, share in zip(labels, shares, strict=True)
                ]
            ),
        }
        for score in range(1, 6)
    ]
    layout = base_layout(
        barmode="stack",
        xaxis={"range": [0, 100], "ticksuffix": " %"},
        yaxis={"autorange": "reversed", "automargin": True, "tickfont": {"size": 12}},
        height=max(320, 30 * len(labels) + 160),
        annotations=suppression_notes(withheld),
    )
    table = {
        "caption": _("Number of answers by face"),
        # The name in a cell of its own: a name people wrote stays direction-isolated.
        "head": [_texts(level)["entity"], _("Indicator"), *[str(name) for name in FACE_NAMES]],
        "rows": [
            [name, bar, *(count if count else [_("too few answers")] * 5)]
            for name, bar, count in zip(names, bars, counts, strict=True)
        ],
    }
    return {
        "title": _("Answers by face, share of answers (%)"),
        "figure": {"data": traces, "layout": layout},
        "table": table,
    }


CHARTS = ("comparison", "trend", "distribution", "volume")


def chart(name: str, filters, min_group: int, today, lang: str, summary=None) -> dict:
    """Build one named chart (figure and table) for the selection."""
    return all_charts(filters, min_group, today, lang, summary, names=(name,))[name]


def all_charts(filters, min_group: int, today, lang: str, summary=None, names=CHARTS) -> dict:
    """Several charts at once, sharing one summary scan and one trend scan between them."""

    built = {}
    level = "project" if filters.project else "district"
    if {"comparison", "distribution"} & set(names):
        if level == "project":
            # The project's events side by side: the district's figures are the project's.
            events = district_reports.breakdown(filters, "survey", min_group)
            summary = {"districts": [row | {"name_sv": row["name"]} for row in events["rows"]]}
        else:
            summary = summary or results.district_summary(filters, min_group, today)
        built["comparison"] = comparison_chart(summary, lang, level)
        built["distribution"] = distribution_chart(summary, lang, level)
    if {"trend", "volume"} & set(names):
        cells = results.trend_cells(filters, min_group)
        lines = [
            {"id": d.id, "name": d.name_fi, "name_sv": d.name_sv}
            for d in results.target_districts(filters)
        ]
        project = district_reports.project_named(filters) if level == "project" else None
        if project:
            # Under a project filter each district's cells hold that project's answers only.
            lines = [line | {"name": project, "name_sv": project} for line in lines]
        responses = results.response_trend(filters, min_group)
        built["trend"] = trend_chart(cells, lines, lang, min_group, level)
        built["volume"] = volume_chart(responses, lines, lang, level)
    return built
