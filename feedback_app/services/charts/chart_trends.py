"""Time-series charts for the dashboard: index trend and response volume per district."""

from __future__ import annotations

from flask_babel import gettext as _

from feedback_app.question_bank import CORE_KEYS
from feedback_app.services.charts.chart_style import (
    DASHES,
    MARKERS,
    OKABE_ITO,
    base_layout,
    district_name,
    indicator_name,
    suppression_notes,
    value_text,
)
from feedback_app.services.figures.district_results import figure


def trend_chart(cells: dict, districts: list[dict], lang: str, min_group: int) -> dict:
    """Index per month or quarter per district, one panel per core indicator."""
    buckets = sorted({bucket for (_d, bucket, _k) in cells})
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
        "caption": _("Index over time by district (confidence interval 95 %)"),
        "head": [_("Indicator"), _("District"), _("Period"), _("Index (95 % CI)")],
        "rows": rows,
    }
    return {
        "title": _("Index over time by district"),
        "figure": {"data": traces, "layout": layout},
        "table": table,
    }


def volume_chart(responses: dict, districts: list[dict], lang: str) -> dict:
    """Responses per month or quarter per district (``{(district_id, bucket): n}``)."""
    buckets = sorted({bucket for (_d, bucket) in responses})
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
                "text": [str(c) if c else "" for c in counts],
                "textposition": "outside",
                "marker": {
                    "color": OKABE_ITO[i % 7],
                    "pattern": {"shape": ["", "/", ".", "x", "-", "+", "|"][i % 7]},
                },
            }
        )
        rows += [[name, b, c] for b, c in zip(buckets, counts, strict=True) if c]
    layout = base_layout(
        barmode="group",
        xaxis={"type": "category"},
        yaxis={"title": {"text": _("Responses")}, "rangemode": "tozero"},
    )
    table = {
        "caption": _("Responses by district and period"),
        "head": [_("District"), _("Period"), _("Responses")],
        "rows": rows,
    }
    return {
        "title": _("Responses by district"),
        "figure": {"data": traces, "layout": layout},
        "table": table,
    }
