"""Time-series charts for the dashboard: index trend and response volume per district."""

from __future__ import annotations

import html

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from feedback_app.question_bank import CORE_KEYS
from feedback_app.services.charts.chart_style import (
    DASHES,
    MARKERS,
    OKABE_ITO,
    base_layout,
    count,
    district_name,
    hover,
    indicator_name,
    suppression_notes,
    value_text,
)
from feedback_app.services.figures.district_results import figure


def following(bucket: str) -> str:
    """The month or quarter after ``bucket`` (``2026-11`` → ``2026-12``, ``2026-Q4`` →
    ``2027-Q1``)."""
    year, part = bucket.split("-")
    if part.startswith("Q"):
        number, last = int(part[1:]), 4
    else:
        number, last = int(part), 12
    if number == last:
        year, number = str(int(year) + 1), 1
    else:
        number += 1
    return f"{year}-Q{number}" if part.startswith("Q") else f"{year}-{number:02d}"


def every_bucket(present) -> list[str]:
    """Every month or quarter from the first to the last present, the empty ones included,
    so a period without enough answers is a gap in the line, never a line drawn across it."""
    present = sorted(set(present))
    if not present:
        return []
    buckets = [present[0]]
    while buckets[-1] < present[-1]:
        buckets.append(following(buckets[-1]))
    return buckets


TEXTS = {
    "district": {
        "trend_title": _l("Index over time by district"),
        "trend_caption": _l("Index over time by district (confidence interval 95 %)"),
        "volume_title": _l("Responses by district"),
        "volume_caption": _l("Responses by district and period"),
        "entity": _l("District"),
    },
    "project": {
        "trend_title": _l("Index over time in the project"),
        "trend_caption": _l("Index over time in the project (confidence interval 95 %)"),
        "volume_title": _l("Responses in the project over time"),
        "volume_caption": _l("Responses in the project by period"),
        "entity": _l("Project"),
    },
}


def trend_chart(
    cells: dict, districts: list[dict], lang: str, min_group: int, level: str = "district"
) -> dict:
    """Index per month or quarter per district (or the project), one panel per core
    indicator."""
    texts = TEXTS[level]
    buckets = every_bucket(bucket for (_d, bucket, _k) in cells)
    traces, rows, gaps = [], [], []
    for panel, key in enumerate(CORE_KEYS, start=1):
        for i, district in enumerate(districts):
            values = [
                figure(cells.get((district["id"], b, key), [0] * 5), min_group) for b in buckets
            ]
            name = district_name(district, lang)
            traces.append(
                {
                    "type": "scatter",
                    "mode": "lines+markers",
                    "name": name,
                    "legendgroup": name,
                    "showlegend": panel == 1,
                    "x": buckets,
                    "y": [None if v["suppressed"] else v["index"] for v in values],
                    "xaxis": "x",
                    "yaxis": f"y{panel if panel > 1 else ''}",
                    "line": {"color": OKABE_ITO[i % 7], "dash": DASHES[i % 7]},
                    "marker": {"symbol": MARKERS[i % 7], "size": 9},
                    "connectgaps": False,
                    **hover(
                        [
                            f"{html.escape(name, quote=False)} {b}<br>{indicator_name(key)}: "
                            f"{value_text(v) if v['n'] else _('No answers in this selection.')}"
                            for b, v in zip(buckets, values, strict=True)
                        ]
                    ),
                }
            )
            gaps += [
                f"{name} {b}"
                for b, v in zip(buckets, values, strict=True)
                if v["suppressed"] and v["n"]
            ]
            rows += [
                [indicator_name(key), name, b, value_text(v)]
                for b, v in zip(buckets, values, strict=True)
                if v["n"]
            ]
    axes = {}
    for panel, key in enumerate(CORE_KEYS, start=1):
        top = 1 - (panel - 1) / 3
        axes[f"yaxis{panel if panel > 1 else ''}"] = {
            "domain": [top - 0.28, top - 0.04],
            "range": [0, 100],
            "title": {"text": indicator_name(key)},
        }
    layout = base_layout(
        height=620,
        xaxis={"type": "category", "anchor": "y3"},
        # A gap in a line is a period with too few answers, and the chart says so in words.
        annotations=suppression_notes(sorted(set(gaps))),
        **axes,
    )
    table = {
        "caption": str(texts["trend_caption"]),
        "head": [_("Indicator"), str(texts["entity"]), _("Period"), _("Index (95 % CI)")],
        "rows": rows,
    }
    return {
        "title": str(texts["trend_title"]),
        "figure": {"data": traces, "layout": layout},
        "table": table,
    }


def volume_chart(
    responses: dict, districts: list[dict], lang: str, level: str = "district"
) -> dict:
    """Responses per month or quarter per district (``{(district_id, bucket): n}``)."""
    texts = TEXTS[level]
    buckets = every_bucket(bucket for (_d, bucket) in responses)
    traces, rows = [], []
    for i, district in enumerate(districts):
        counts = [responses.get((district["id"], b), 0) for b in buckets]
        name = district_name(district, lang)
        traces.append(
            {
                "type": "bar",
                "name": name,
                "x": buckets,
                "y": counts,
                "text": [count(c) if c else "" for c in counts],
                "textposition": "outside",
                **hover(
                    [
                        f"{html.escape(name, quote=False)} {b}: {count(c)}"
                        for b, c in zip(buckets, counts, strict=True)
                    ]
                ),
                "marker": {
                    "color": OKABE_ITO[i % 7],
                    "pattern": {"shape": ["", "/", ".", "x", "-", "+", "|"][i % 7]},
                },
            }
        )
        rows += [[name, b, count(c)] for b, c in zip(buckets, counts, strict=True) if c]
    layout = base_layout(
        barmode="group",
        xaxis={"type": "category"},
        yaxis={"title": {"text": _("Responses")}, "rangemode": "tozero"},
    )
    table = {
        "caption": str(texts["volume_caption"]),
        "head": [str(texts["entity"]), _("Period"), _("Responses")],
        "rows": rows,
    }
    return {
        "title": str(texts["volume_title"]),
        "figure": {"data": traces, "layout": layout},
        "table": table,
    }
