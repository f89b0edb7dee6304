"""The cells every district, project and event figure is made of.

A cell is one survey's answers to one indicator in one calendar month under one wording
of the scale (``scale_version``), or one survey's responses in one calendar month (the
response count). A cell with fewer than ``min_group`` answers (or responses) is counted in
no figure at all. Every filter (period, year,
quarter, dates widened to whole months, district, project, tier) selects whole cells, so
the difference between any two figures an account can request is again a sum of cells,
each of at least ``min_group`` answers (risk: differencing two selections, such as a
district and all but one of its projects, or two date windows a day apart, to read a
small group). The e-mails' day windows (the last 7 days, the 90 days before) are the one
exception that cuts cells; ``cell_rule`` keeps each cut part and its rest at least
``min_group`` answers, or leaves the cell out. Every figure and count passes through
``selected_tallies`` or ``selected_responses``, so through that one rule. See
docs/privacy-model.md.
"""

from __future__ import annotations

import calendar

from sqlalchemy import and_, case, func, or_, select

from feedback_app.extensions import db
from feedback_app.models import District, GrantPeriod, Project, ResponseTally, ScoreTally, Survey
from feedback_app.services.figures.district_filters import Filters


def month_column(tally=ScoreTally):
    """``YYYY-MM`` of a tally's day, in the database's own dialect."""
    if db.session.get_bind().dialect.name == "postgresql":
        return func.to_char(tally.day, "YYYY-MM")
    return func.strftime("%Y-%m", tally.day)


def _within(day, first=None, last=None) -> list:
    """Conditions keeping ``day`` between ``first`` and ``last`` (either may be None)."""
    return ([day >= first] if first else []) + ([day <= last] if last else [])


def cell_rule(tally, cell_keys: list, min_group: int, first=None, last=None) -> tuple:
    """The one cell rule: window-sum columns for each tally row, and the conditions on them.

    A cell (``cell_keys`` × calendar month of ``tally``) counts when it has at least
    ``min_group`` answers. A day window that cuts a cell (the e-mails' last 7 days and the
    90 days before them) may use the cell's days inside it only when that part has at least
    ``min_group`` answers and the rest of the cell, outside the window, is empty or itself
    at least ``min_group``: otherwise the window's figure subtracted from the cell's whole
    month on the dashboard (or the reverse) would single out fewer than ``min_group``
    answers. Such a cell is left out of the window's figure rather than widened to its whole
    month, so that a recent window never borrows older answers and never overlaps the
    baseline it is compared with; an alert then waits until the cell's split is large on
    both sides. Windows of whole months cut no cell and count every large cell.
    See docs/privacy-model.md.

    The sums are window functions over each row's cell, computed in the one scan that reads
    the rows: joining the rows back to a grouped subquery on the month expression left
    PostgreSQL without a row estimate (1 row planned, 26,000 found), and its nested loops
    took 185 ms at 10⁵ responses where this takes a tenth (bench/bench_growth.py).

    Returns ``(columns, conditions)``: the columns to select beside each row, and a function
    giving, for the subquery of those rows, the conditions a counted row meets.
    """
    cell = [*cell_keys, month_column(tally)]
    columns = [func.sum(tally.n).over(partition_by=cell).label("cell_total")]
    bounds = _within(tally.day, first, last)
    if bounds:
        inside = func.sum(case((and_(*bounds), tally.n), else_=0)).over(partition_by=cell)
        columns.append(inside.label("cell_inside"))

    def conditions(rows) -> list:
        total = rows.c.cell_total
        if not bounds:
            return [total >= min_group]
        inside, outside = rows.c.cell_inside, rows.c.cell_total - rows.c.cell_inside
        return [
            total >= min_group,
            inside >= min_group,
            or_(outside == 0, outside >= min_group),
            *_within(rows.c.day, first, last),
        ]

    return columns, conditions


def _counted(
    tally, filters: Filters, keys: list, values: list, cell_keys: list, min_group, where=()
):
    """Rows ``(*keys, *values, sum(n))`` of the tally rows whose cells may be counted.

    The inner query reads the selected surveys' rows once, each with its cell's sums; the
    day window is applied outside it, after the sums, because it may cut cells.
    """
    first, last = filters.day_range()
    columns, conditions = cell_rule(tally, cell_keys, min_group, first, last)
    labelled = [key.label(f"key_{i}") for i, key in enumerate(keys)]
    labelled += [value.label(f"value_{i}") for i, value in enumerate(values)]
    # Only the months the window touches are read: whole months, so every cell's sums are
    # complete (a window cut inside a month still sees that month's other days).
    if first:
        where = [*where, tally.day >= first.replace(day=1)]
    if last:
        month_end = last.replace(day=calendar.monthrange(last.year, last.month)[1])
        where = [*where, tally.day <= month_end]
    inner = select(*labelled, tally.n.label("n"), tally.day.label("day"), *columns)
    inner = _selected(inner.select_from(tally).where(*where), tally, filters)
    rows = inner.subquery("cell_rows")
    grouped = [rows.c[f"key_{i}"] for i in range(len(keys))]
    grouped += [rows.c[f"value_{i}"] for i in range(len(values))]
    stmt = select(*grouped, func.sum(rows.c.n)).where(*conditions(rows)).group_by(*grouped)
    return db.session.execute(stmt).all()


def selected_tallies(filters: Filters, keys: list, min_group: int, indicators=None):
    """Rows ``(*keys, indicator, score, n)`` of the newest wording's large cells selected.

    A cell is one survey's answers to one indicator in one month under one wording: the
    wording is part of the cell because figures count one wording only, and a cell large
    over both wordings could otherwise show a handful of answers of one of them.

    Answers given under different labels do not measure the same thing, so only the newest
    ``scale_version`` among the selected cells is counted. Returns ``(rows, scale_version,
    earlier_scale)``: the wording counted (None without rows), and whether cells of an
    older wording were selected and left out.
    """
    cell_keys = [ScoreTally.survey_id, ScoreTally.indicator, ScoreTally.scale_version]
    values = [ScoreTally.indicator, ScoreTally.score, ScoreTally.scale_version]
    where = [ScoreTally.indicator.in_(indicators)] if indicators else []
    rows = _counted(ScoreTally, filters, keys, values, cell_keys, min_group, where)
    newest = max((row[-2] for row in rows), default=None)
    kept = [(*row[:-2], row[-1]) for row in rows if row[-2] == newest]
    return kept, newest, len(kept) < len(rows)


def selected_responses(filters: Filters, keys: list, min_group: int):
    """Rows ``(*keys, n)``: responses in the survey × month cells of at least ``min_group``
    (cut by a day window only as ``cell_rule`` allows).

    Counted from the response tallies, so a response counts whichever questions it skipped.
    """
    return _counted(ResponseTally, filters, keys, [], [ResponseTally.survey_id], min_group)


def _selected(stmt, tally, filters: Filters):
    """``stmt`` over ``tally`` narrowed to the filters' tier, grant period and place: whole
    surveys, so whole cells (the day window is applied by ``_counted``)."""
    stmt = (
        stmt.join(Survey, Survey.id == tally.survey_id)
        .join(Project, Project.id == Survey.project_id)
        .where(Survey.tier == filters.tier)
    )
    if filters.period:
        stmt = stmt.join(GrantPeriod, GrantPeriod.id == Project.period_id).where(
            GrantPeriod.start_year == filters.period
        )
    if filters.district:
        stmt = stmt.join(District, District.id == Project.district_id).where(
            District.slug == filters.district
        )
    if filters.project:
        stmt = stmt.where(Project.id == filters.project)
    return stmt
