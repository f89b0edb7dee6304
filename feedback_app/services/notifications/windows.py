"""The figures the e-mails quote: a recent window against the 90 days before it.

Counted with the dashboard's own functions (``district_results.distributions`` over the
tallies' large cells, ``district_results.figure`` for n, index and 95 % interval), so a
message never shows a figure the dashboard would compute differently or would withhold.
The windows are days, not whole months, so they cut survey × month cells: the cell rule
for day windows (``district_cells.cell_rule``, applied by those same functions)
leaves out a cell whose part inside or outside the window would be under k answers, so
no e-mail figure differenced with a dashboard month singles out a small group.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from feedback_app.questions import SCALE
from feedback_app.services.figures.district_filters import Filters
from feedback_app.services.figures.district_results import distributions, figure

HELSINKI = ZoneInfo("Europe/Helsinki")
RECENT_DAYS = 7
BASELINE_DAYS = 90
ALERT_INDICATORS = ("safety", "belonging")
DIGEST_INDICATORS = ("joy", "belonging", "safety")


def helsinki_today() -> date:
    """Today in Helsinki, the calendar the tallies' days are counted in."""
    return datetime.now(HELSINKI).date()


@dataclass(frozen=True)
class Windows:
    """The recent days (ending ``today``) and the baseline days just before them."""

    recent_first: date
    recent_last: date
    baseline_first: date
    baseline_last: date

    @classmethod
    def ending(cls, today: date) -> Windows:
        recent_first = today - timedelta(days=RECENT_DAYS - 1)
        baseline_last = recent_first - timedelta(days=1)
        return cls(
            recent_first, today, baseline_last - timedelta(days=BASELINE_DAYS - 1), baseline_last
        )


def window_figures(
    windows: Windows, level: str, min_group: int, indicators, **narrowing
) -> tuple[dict, dict]:
    """``({(entity, indicator): figure}, …)`` for the recent window and for the baseline."""
    result = []
    for first, last in (
        (windows.recent_first, windows.recent_last),
        (windows.baseline_first, windows.baseline_last),
    ):
        filters = Filters(date_from=first, date_to=last, **narrowing)
        cells, _earlier = distributions(filters, level, min_group, tuple(indicators))
        result.append({key: figure(counts, min_group) for key, counts in cells.items()})
    return result[0], result[1]


def empty_figure(min_group: int) -> dict:
    """The figure of no answers (withheld)."""
    return figure([0] * len(SCALE), min_group)


def compare(recent: dict, baseline: dict) -> str:
    """``lower``/``higher`` when the intervals do not overlap, ``steady`` when they do,
    ``unknown`` when either figure is withheld (fewer than k answers) or has no interval.

    A drop is "clearly lower than the noise allows": the recent interval's upper bound
    below the baseline interval's lower bound.
    """
    if recent["suppressed"] or baseline["suppressed"]:
        return "unknown"
    if not recent["ci95"] or not baseline["ci95"]:
        return "unknown"
    if recent["ci95"][1] < baseline["ci95"][0]:
        return "lower"
    if recent["ci95"][0] > baseline["ci95"][1]:
        return "higher"
    return "steady"


def change(recent: dict, baseline: dict) -> float | None:
    """Recent index minus baseline index, when both are shown."""
    if recent["index"] is None or baseline["index"] is None:
        return None
    return round(recent["index"] - baseline["index"], 1)
