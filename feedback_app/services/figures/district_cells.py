"""The cells every district, project and event figure is made of.

A cell is one survey's answers to one indicator in one calendar month under one wording
of the scale (``scale_version``), or one survey's responses in one calendar month (the
response count). A cell with fewer than ``min_group`` answers (or responses) is counted in
no figure at all. Every filter (period, year,
quarter, dates widened to whole months, district, project, tier) selects whole cells, so
the difference between any two figures an account can request is again a sum of cells,
each of at least ``min_group`` answers (risk: differencing two selections, such as a
district and all but one of its projects, or two date windows a day apart, to read a
small group). See docs/privacy-model.md.
"""

from __future__ import annotations

from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased

from feedback_app.extensions import db
from feedback_app.models import District, GrantPeriod, Project, ResponseTally, ScoreTally, Survey
from feedback_app.services.figures.district_filters import Filters


def month_column(tally=ScoreTally):
    """``YYYY-MM`` of a tally's day, in the database's own dialect."""
    if db.session.get_bind().dialect.name == "postgresql":
        return func.to_char(tally.day, "YYYY-MM")
    return func.strftime("%Y-%m", tally.day)


def _large_cells(min_group: int, indicators=None):
    """Survey × indicator × month × wording cells of at least ``min_group`` answers (subquery).

    The wording is part of the cell because figures count one wording only: a cell large
    over both wordings could otherwise show a handful of answers of one of them.
    """
    tally = aliased(ScoreTally)
    month = month_column(tally)
    stmt = (
        select(tally.survey_id, tally.indicator, tally.scale_version, month.label("month"))
        .group_by(tally.survey_id, tally.indicator, tally.scale_version, month)
        .having(func.sum(tally.n) >= min_group)
    )
    if indicators:
        stmt = stmt.where(tally.indicator.in_(indicators))
    return stmt.subquery()


def selected_tallies(filters: Filters, keys: list, min_group: int, indicators=None):
    """Rows ``(*keys, indicator, score, n)`` of the newest wording's large cells selected.

    Answers given under different labels do not measure the same thing, so only the newest
    ``scale_version`` among the selected cells is counted. Returns ``(rows, scale_version,
    earlier_scale)``: the wording counted (None without rows), and whether cells of an
    older wording were selected and left out.
    """
    cells = _large_cells(min_group, indicators)
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
    """Rows ``(*keys, n)``: responses in the survey × month cells of at least ``min_group``.

    Counted from the response tallies, so a response counts whichever questions it skipped.
    """
    tally = aliased(ResponseTally)
    month = month_column(tally)
    cells = (
        select(tally.survey_id, month.label("month"))
        .group_by(tally.survey_id, month)
        .having(func.sum(tally.n) >= min_group)
        .subquery()
    )
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
