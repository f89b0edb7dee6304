"""The cells every district, project and event figure is made of.

A cell is one survey's answers to one indicator in one calendar month. A cell with fewer
than ``min_group`` answers is counted in no figure at all. Every filter (period, year,
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
from feedback_app.models import District, GrantPeriod, Project, ScoreTally, Survey
from feedback_app.services.district_filters import Filters


def month_column(tally=ScoreTally):
    """``YYYY-MM`` of a tally's day, in the database's own dialect."""
    if db.session.get_bind().dialect.name == "postgresql":
        return func.to_char(tally.day, "YYYY-MM")
    return func.strftime("%Y-%m", tally.day)


def _large_cells(min_group: int, indicators=None):
    """Survey × indicator × month cells with at least ``min_group`` answers, as a subquery."""
    tally = aliased(ScoreTally)
    month = month_column(tally)
    stmt = (
        select(tally.survey_id, tally.indicator, month.label("month"))
        .group_by(tally.survey_id, tally.indicator, month)
        .having(func.sum(tally.n) >= min_group)
    )
    if indicators:
        stmt = stmt.where(tally.indicator.in_(indicators))
    return stmt.subquery()


def selected_tallies(filters: Filters, keys: list, min_group: int, indicators=None):
    """Rows ``(*keys, indicator, score, n)`` of the large cells the filters select."""
    cells = _large_cells(min_group, indicators)
    stmt = (
        select(*keys, ScoreTally.indicator, ScoreTally.score, func.sum(ScoreTally.n))
        .select_from(ScoreTally)
        .join(
            cells,
            and_(
                cells.c.survey_id == ScoreTally.survey_id,
                cells.c.indicator == ScoreTally.indicator,
                cells.c.month == month_column(),
            ),
        )
        .join(Survey, Survey.id == ScoreTally.survey_id)
        .join(Project, Project.id == Survey.project_id)
        .where(Survey.tier == filters.tier)
        .group_by(*keys, ScoreTally.indicator, ScoreTally.score)
    )
    if indicators:
        stmt = stmt.where(ScoreTally.indicator.in_(indicators))
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
        stmt = stmt.where(ScoreTally.day >= first)
    if last:
        stmt = stmt.where(ScoreTally.day <= last)
    return db.session.execute(stmt)
