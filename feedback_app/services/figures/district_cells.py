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
exception that cuts cells; ``cells_in_window`` keeps each cut part and its rest at least
``min_group`` answers, or leaves the cell out. See docs/privacy-model.md.
"""

from __future__ import annotations

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import aliased

from feedback_app.extensions import db
from feedback_app.models import District, GrantPeriod, Project, ResponseTally, ScoreTally, Survey
from feedback_app.services.figures.district_filters import Filters


def month_column(tally=ScoreTally):
    """``YYYY-MM`` of a tally's day, in the database's own dialect."""
    if db.session.get_bind().dialect.name == "postgresql":
        return func.to_char(tally.day, "YYYY-MM")
    return func.strftime("%Y-%m", tally.day)


def cells_in_window(tally, cell_keys: list, min_group: int, first=None, last=None, where=()):
    """The cells a figure over the days ``first``–``last`` may count (subquery).

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
    """
    month = month_column(tally)
    total = func.sum(tally.n)
    stmt = select(*cell_keys, month.label("month")).where(*where).group_by(*cell_keys, month)
    bounds = ([tally.day >= first] if first else []) + ([tally.day <= last] if last else [])
    if not bounds:
        return stmt.having(total >= min_group).subquery()
    inside = func.sum(case((and_(*bounds), tally.n), else_=0))
    outside = total - inside
    return stmt.having(
        total >= min_group,
        inside >= min_group,
        or_(outside == 0, outside >= min_group),
    ).subquery()


def _large_cells(min_group: int, indicators=None, first=None, last=None):
    """Survey × indicator × month × wording cells a figure may count (subquery).

    The wording is part of the cell because figures count one wording only: a cell large
    over both wordings could otherwise show a handful of answers of one of them.
    """
    tally = aliased(ScoreTally)
    keys = [tally.survey_id, tally.indicator, tally.scale_version]
    where = [tally.indicator.in_(indicators)] if indicators else []
    return cells_in_window(tally, keys, min_group, first, last, where)


def selected_tallies(filters: Filters, keys: list, min_group: int, indicators=None):
    """Rows ``(*keys, indicator, score, n)`` of the newest wording's large cells selected.

    Answers given under different labels do not measure the same thing, so only the newest
    ``scale_version`` among the selected cells is counted. Returns ``(rows, scale_version,
    earlier_scale)``: the wording counted (None without rows), and whether cells of an
    older wording were selected and left out.
    """
    cells = _large_cells(min_group, indicators, *filters.day_range())
    stmt = (
        select(
            *keys,
            ScoreTally.indicator,
            ScoreTally.score,
            ScoreTally.scale_version,
            func.sum(ScoreTally.n),
        )
        .select_from(ScoreTally)
        .join(
            cells,
            and_(
                cells.c.survey_id == ScoreTally.survey_id,
                cells.c.indicator == ScoreTally.indicator,
                cells.c.scale_version == ScoreTally.scale_version,
                cells.c.month == month_column(),
            ),
        )
        .group_by(*keys, ScoreTally.indicator, ScoreTally.score, ScoreTally.scale_version)
    )
    if indicators:
        stmt = stmt.where(ScoreTally.indicator.in_(indicators))
    rows = db.session.execute(_selected(stmt, ScoreTally, filters)).all()
    newest = max((row[-2] for row in rows), default=None)
    kept = [(*row[:-2], row[-1]) for row in rows if row[-2] == newest]
    return kept, newest, len(kept) < len(rows)


def selected_responses(filters: Filters, keys: list, min_group: int):
    """Rows ``(*keys, n)``: responses in the survey × month cells of at least ``min_group``
    (cut by a day window only as ``cells_in_window`` allows).

    Counted from the response tallies, so a response counts whichever questions it skipped.
    """
    tally = aliased(ResponseTally)
    cells = cells_in_window(tally, [tally.survey_id], min_group, *filters.day_range())
    stmt = (
        select(*keys, func.sum(ResponseTally.n))
        .select_from(ResponseTally)
        .join(
            cells,
            and_(
                cells.c.survey_id == ResponseTally.survey_id,
                cells.c.month == month_column(ResponseTally),
            ),
        )
        .group_by(*keys)
    )
    return db.session.execute(_selected(stmt, ResponseTally, filters)).all()


def _selected(stmt, tally, filters: Filters):
    """``stmt`` over ``tally`` narrowed to the filters' tier, grant period, place and days."""
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
    first, last = filters.day_range()
    if first:
        stmt = stmt.where(tally.day >= first)
    if last:
        stmt = stmt.where(tally.day <= last)
    return stmt
