"""Geometry of the report's vector charts (SVG drawn by the report template).

Plain numbers in, shapes out: bars with their interval whiskers for the comparison, and
line segments per series for the quarterly trend. A withheld figure draws nothing and is
named in words instead, exactly as the dashboard's charts do.
"""

from __future__ import annotations

from feedback_app.question_bank import CORE_KEYS
from feedback_app.services.charts.dashboard_charts import OKABE_ITO

WIDTH = 640
LABEL_WIDTH = 190
PLOT_WIDTH = WIDTH - LABEL_WIDTH - 60
BAR = 11
BAR_GAP = 3
GROUP_GAP = 14
# Ten groups of three bars fill about half an A4 page.
GROUPS_PER_CHART = 10
TREND_HEIGHT = 120
TREND_TOP = 12
TREND_LEFT = 40
# Dash patterns tell the series apart in black-and-white print, not only their colours.
DASHES = ["", "6 3", "2 3", "8 3 2 3", "12 4", "4 2 1 2", ""]


def _x(value: float) -> float:
    """Horizontal position of an index value (0–100) in the comparison chart."""
    return LABEL_WIDTH + value / 100 * PLOT_WIDTH


def comparison(rows: list[dict], names: list[str]) -> list[dict]:
    """Charts of at most ``GROUPS_PER_CHART`` rows each: an SVG cannot break across pages."""
    return [
        comparison_part(rows[i : i + GROUPS_PER_CHART], names[i : i + GROUPS_PER_CHART])
        for i in range(0, len(rows), GROUPS_PER_CHART)
    ]


def comparison_part(rows: list[dict], names: list[str]) -> dict:
    """Horizontal bars: one group per row (district or event), one bar per core indicator."""
    groups, y = [], 24
    for row, name in zip(rows, names, strict=True):
        bars = []
        for i, key in enumerate(CORE_KEYS):
            cell = row["indicators"][key]
            bar = {"key": key, "y": y, "colour": OKABE_ITO[i], "cell": cell}
            if not cell["suppressed"]:
                bar["width"] = _x(cell["index"]) - LABEL_WIDTH
                low, high = cell["ci95"] or (cell["index"], cell["index"])
                bar["low"], bar["high"] = _x(low), _x(high)
            bars.append(bar)
            y += BAR + BAR_GAP
        groups.append({"name": name, "y": y - len(CORE_KEYS) * (BAR + BAR_GAP), "bars": bars})
        y += GROUP_GAP
    ticks = [{"value": v, "x": _x(v)} for v in range(0, 101, 25)]
    return {"width": WIDTH, "height": y + 20, "groups": groups, "ticks": ticks, "bar": BAR}


def trend(buckets: list[str], series: list[dict], key: str) -> dict:
    """One indicator over the quarters: a line per series, broken where a quarter is withheld."""
    step = (WIDTH - TREND_LEFT - 20) / max(len(buckets), 1)
    xs = [TREND_LEFT + step * (i + 0.5) for i in range(len(buckets))]
    lines = []
    for i, item in enumerate(series):
        segments, points, current = [], [], []
        for x, cell in zip(xs, item["values"][key], strict=True):
            if cell["suppressed"]:
                if current:
                    segments.append(current)
                current = []
                continue
            point = (round(x, 1), round(_trend_y(cell["index"]), 1))
            current.append(point)
            points.append(point)
        if current:
            segments.append(current)
        lines.append(
            {
                "name": item["name"],
                "name_sv": item.get("name_sv"),
                "colour": OKABE_ITO[i % len(OKABE_ITO)],
                "dash": DASHES[i % len(DASHES)],
                "segments": [" ".join(f"{x},{y}" for x, y in s) for s in segments],
                "points": points,
            }
        )
    grid = [{"value": v, "y": _trend_y(v)} for v in range(0, 101, 25)]
    labels = [{"text": b, "x": x} for b, x in zip(buckets, xs, strict=True)]
    return {
        "width": WIDTH,
        "height": TREND_TOP + TREND_HEIGHT + 30,
        "left": TREND_LEFT,
        "right": WIDTH - 20,
        "bottom": TREND_TOP + TREND_HEIGHT,
        "grid": grid,
        "labels": labels,
        "lines": lines,
    }


def _trend_y(value: float) -> float:
    """Vertical position of an index value in a trend chart (100 at the top)."""
    return TREND_TOP + (100 - value) / 100 * TREND_HEIGHT
