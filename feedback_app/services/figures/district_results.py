"""District, project and event figures for officials, aggregated in SQL from the score tallies.

Every figure is summed from ``score_tallies`` (one row per survey × indicator × day × score),
never from raw answers: the tallies grow with events and days, not with residents, which is
what keeps the district summary fast at a million responses.

Rows come from ``district_cells.selected_tallies``, which counts only survey × month cells
of at least ``min_group`` answers (see that module and docs/privacy-model.md).
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date

from sqlalchemy import and_, case, func, literal, select

from feedback_app.extensions import db
from feedback_app.models import (
    District,
    GrantPeriod,
    Project,
    Response,
    ResponseTally,
    ScoreTally,
    Survey,
)
from feedback_app.question_bank import CORE_KEYS, FACE_INDICATORS
from feedback_app.questions import SCALE, index_0_100, score_figure
from feedback_app.services.figures.district_cells import (
    month_column,
    selected_responses,
    selected_tallies,
)
from feedback_app.services.figures.district_filters import (
    Filters,
    previous_quarter,
    quarter_bounds,
    quarter_of,
)

LEVEL_COLUMNS = {
    "district": Project.district_id,
    "project": Survey.project_id,
    "survey": ScoreTally.survey_id,
}
# The same levels for counting responses (from the response tallies).
RESPONSE_LEVEL_COLUMNS = LEVEL_COLUMNS | {"survey": ResponseTally.survey_id}


def figure(distribution: list[int], min_group: int) -> dict:
    """n, index, 95 % interval and distribution of one cell; withheld below ``min_group``."""
    return score_figure(distribution, min_group)


def distributions(
    filters: Filters, level: str, min_group: int, indicators=None
) -> tuple[dict, bool]:
    """``{(entity_id, indicator): [five counts]}`` at ``level``, and whether older wordings
    were left out (see ``district_cells.selected_tallies``)."""
    cells: dict = defaultdict(lambda: [0] * len(SCALE))
    rows, _version, earlier = selected_tallies(
        filters, [LEVEL_COLUMNS[level]], min_group, indicators
    )
    for entity, indicator, score, n in rows:
        cells[(entity, indicator)][score - 1] += int(n)
    return cells, earlier


def response_counts(filters: Filters, level: str, min_group: int) -> dict:
    """``{entity_id: responses}`` at ``level``, from survey × month cells of ``min_group``."""
    rows = selected_responses(filters, [RESPONSE_LEVEL_COLUMNS[level]], min_group)
    return {entity: int(n) for entity, n in rows}


def response_trend(filters: Filters, min_group: int) -> dict:
    """``{(district_id, bucket): responses}`` per month or quarter, from the response tallies."""
    keys = [Project.district_id, month_column(ResponseTally)]
    counts: dict = defaultdict(int)
    for district, month, n in selected_responses(filters, keys, min_group):
        counts[(district, bucket_label(month, filters.granularity))] += int(n)
    return counts


def monthly_distributions(
    filters: Filters, min_group: int, indicators=None, level: str = "district"
) -> tuple:
    """``{(district_id, "YYYY-MM", indicator): [five counts]}``, the wording counted, and
    whether older wordings were left out; keyed by project or survey id at those levels."""
    cells: dict = defaultdict(lambda: [0] * len(SCALE))
    keys = [LEVEL_COLUMNS[level], month_column()]
    rows, version, earlier = selected_tallies(filters, keys, min_group, indicators)
    for district, month, indicator, score, n in rows:
        cells[(district, month, indicator)][score - 1] += int(n)
    return cells, version, earlier


def bucket_label(month: str, granularity: str) -> str:
    """``2026-11`` stays as is by month; by quarter it becomes ``2026-Q4``."""
    if granularity == "month":
        return month
    year, number = month.split("-")
    return f"{year}-Q{(int(number) - 1) // 3 + 1}"


def trend_cells(filters: Filters, min_group: int, indicators=CORE_KEYS) -> dict:
    """``{(district_id, bucket, indicator): [five counts]}`` per month or quarter."""
    return trend_cells_of_one_scale(filters, min_group, indicators)[0]


def trend_cells_of_one_scale(
    filters: Filters, min_group: int, indicators=CORE_KEYS, level: str = "district"
) -> tuple:
    """``trend_cells`` (at ``level``), the wording counted and whether older wordings were
    left out."""
    cells: dict = defaultdict(lambda: [0] * len(SCALE))
    monthly, version, earlier = monthly_distributions(filters, min_group, indicators, level)
    for (district, month, indicator), counts in monthly.items():
        bucket = bucket_label(month, filters.granularity)
        cells[(district, bucket, indicator)] = [
            a + b for a, b in zip(cells[(district, bucket, indicator)], counts, strict=True)
        ]
    return cells, version, earlier


def reference_quarter(filters: Filters, today: date) -> tuple[int, int]:
    """The quarter whose change is shown: the selection's last quarter, never in the future."""
    _first, last = filters.day_range()
    if filters.period and not last:
        period_end = date(filters.period + 2, 12, 31)
        last = min(period_end, today)
    # Clamped to 1900 so that a far-past date range still has a quarter before it.
    return quarter_of(max(min(last or today, today), date(1900, 4, 1)))


def summary_cells(
    filters: Filters, today: date, min_group: int, indicators=CORE_KEYS
) -> tuple[dict, dict, bool]:
    """Distributions per district for the selection and for the last two quarters, in one scan.

    One pass over the tallies serves both the totals and the change against the previous
    quarter: the window is widened to cover both quarters, and each row is labelled whether
    it lies in the selection and in which of the two quarters. Returns ``(totals, quarters)``
    keyed ``(district_id, indicator)`` and ``(district_id, quarter 1|2, indicator)``, and
    whether answers of an older wording were left out.
    """
    first, last = filters.day_range()
    year, quarter = reference_quarter(filters, today)
    ref_start, ref_end = quarter_bounds(year, quarter)
    prev_start, _prev_end = quarter_bounds(*previous_quarter(year, quarter))
    window = filters.narrowed(
        year=None,
        quarter=None,
        date_from=min(first, prev_start) if first else None,
        date_to=max(last, ref_end) if last else None,
    )
    inside = [ScoreTally.day >= first] if first else []
    inside += [ScoreTally.day <= last] if last else []
    in_selection = case((and_(*inside), 1), else_=0) if inside else literal(1)
    which_quarter = case(
        (and_(ScoreTally.day >= ref_start, ScoreTally.day <= ref_end), 2),
        (and_(ScoreTally.day >= prev_start, ScoreTally.day < ref_start), 1),
        else_=0,
    )
    keys = [Project.district_id, in_selection, which_quarter]
    totals: dict = defaultdict(lambda: [0] * len(SCALE))
    quarters: dict = defaultdict(lambda: [0] * len(SCALE))
    rows, _version, earlier = selected_tallies(window, keys, min_group, indicators)
    for district, selected, bucket, indicator, score, n in rows:
        if selected:
            totals[(district, indicator)][score - 1] += int(n)
        if bucket:
            quarters[(district, bucket, indicator)][score - 1] += int(n)
    return totals, quarters, earlier


def _variance_of_mean(distribution: list[int]) -> float:
    """The squared standard error of the index of one distribution (n ≥ 2)."""
    n = sum(distribution)
    mean = index_0_100(distribution)
    squares = sum(c * ((s - 1) * 25 - mean) ** 2 for s, c in zip(SCALE, distribution, strict=True))
    return squares / (n - 1) / n


def change_between(now: list[int], before: list[int]) -> dict:
    """The change in index from ``before`` to ``now`` with the 95 % interval of the difference.

    The two quarters are independent samples, so the difference's standard error is the root
    of the sum of their squared standard errors (normal approximation, like ``ci95``).
    ``verdict`` is ``higher`` or ``lower`` when the interval leaves out zero, else ``same``:
    a change inside the margin of error is not reported as a trend.
    """
    change = index_0_100(now) - index_0_100(before)
    half = 1.96 * math.sqrt(_variance_of_mean(now) + _variance_of_mean(before))
    low, high = change - half, change + half
    verdict = "higher" if low > 0 else ("lower" if high < 0 else "same")
    return {"change": round(change, 1), "ci95": [round(low, 1), round(high, 1)], "verdict": verdict}


def quarter_change(quarters: dict, min_group: int) -> dict:
    """``{(district_id, indicator): change_between(...)}`` from the previous to the reference
    quarter.

    Missing when either quarter has fewer than ``min_group`` answers (or fewer than two): a
    change computed from a handful of answers would be noise presented as a trend.
    """
    changes = {}
    smallest = max(min_group, 2)
    for district, bucket, indicator in list(quarters):
        if bucket != 2:
            continue
        now, before = quarters[(district, 2, indicator)], quarters.get((district, 1, indicator))
        if before and sum(now) >= smallest and sum(before) >= smallest:
            changes[(district, indicator)] = change_between(now, before)
    return changes


def quarter_label(year: int, quarter: int) -> str:
    """``2026-Q4``."""
    return f"{year}-Q{quarter}"


def target_districts(filters: Filters) -> list[District]:
    """The districts to show: the chosen one, else the grant period's target districts."""
    stmt = select(District).order_by(District.name_fi)
    if filters.district:
        stmt = stmt.where(District.slug == filters.district)
    elif filters.period:
        stmt = stmt.where(District.periods.any(GrantPeriod.start_year == filters.period))
    else:
        stmt = stmt.where(select(Project.id).where(Project.district_id == District.id).exists())
    return list(db.session.scalars(stmt))


def indicator_keys(cells: dict, wanted=None) -> list[str]:
    """Core indicators always, then bank indicators that have answers, in bank order."""
    present = {key[-1] for key in cells}
    keys = [k for k in FACE_INDICATORS if k in CORE_KEYS or k in present]
    return [k for k in keys if wanted is None or k in wanted]


def district_summary(filters: Filters, min_group: int, today: date, indicators=CORE_KEYS) -> dict:
    """The districts side by side: responses, and per indicator n, index, interval, change.

    ``earlier_scale`` says that answers given under older answer labels were left out.
    """
    cells, quarters, earlier = summary_cells(filters, today, min_group, tuple(indicators))
    responses = response_counts(filters, "district", min_group)
    changes = quarter_change(quarters, min_group)
    year, quarter = reference_quarter(filters, today)
    rows = []
    for district in target_districts(filters):
        figures = {}
        for key in indicators:
            figures[key] = figure(cells.get((district.id, key), [0] * len(SCALE)), min_group)
            change = changes.get((district.id, key)) or {}
            figures[key]["change"] = change.get("change")
            figures[key]["change_ci95"] = change.get("ci95")
            figures[key]["change_verdict"] = change.get("verdict")
        rows.append(
            {
                "slug": district.slug,
                "name": district.name_fi,
                "name_sv": district.name_sv,
                "responses": responses.get(district.id, 0),
                "indicators": figures,
            }
        )
    return {
        "min_group": min_group,
        "tier": filters.tier,
        "quarter": quarter_label(year, quarter),
        "previous_quarter": quarter_label(*previous_quarter(year, quarter)),
        "earlier_scale": earlier,
        "districts": rows,
    }


def live_stamp() -> str:
    """A cheap fingerprint of all stored answers, the same in every worker process.

    Both parts come from the database (not from a worker's memory), so every gunicorn
    worker hands out the same ETag; the newest id moves with each response, the tally
    total with each face answer counted in the figures.
    """
    newest = db.session.scalar(select(func.max(Response.id))) or 0
    total = db.session.scalar(select(func.coalesce(func.sum(ScoreTally.n), 0)))
    return f"{newest}-{int(total)}"
