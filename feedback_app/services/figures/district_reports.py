"""Drill-down tables and the resident-tier report, built on district_results."""

from __future__ import annotations

from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.models import District, GrantPeriod, Project, Survey, Tier
from feedback_app.question_bank import CORE_KEYS
from feedback_app.questions import SCALE
from feedback_app.services.figures.district_filters import Filters, grant_periods
from feedback_app.services.figures.district_results import (
    distributions,
    figure,
    indicator_keys,
    response_counts,
    target_districts,
)


def _projects(filters: Filters) -> list[Project]:
    """Projects in the selection, by district and name."""
    stmt = select(Project).join(District).order_by(District.name_fi, Project.name)
    if filters.period:
        stmt = stmt.join(GrantPeriod).where(GrantPeriod.start_year == filters.period)
    if filters.district:
        stmt = stmt.where(District.slug == filters.district)
    if filters.project:
        stmt = stmt.where(Project.id == filters.project)
    return list(db.session.scalars(stmt))


def _surveys(filters: Filters) -> list[Survey]:
    """Events (surveys) of the selected tier in the selected projects, newest first."""
    project_ids = [p.id for p in _projects(filters)]
    stmt = (
        select(Survey)
        .where(Survey.project_id.in_(project_ids), Survey.tier == filters.tier)
        .order_by(Survey.event_date.desc(), Survey.id)
    )
    return list(db.session.scalars(stmt))


def _entities(filters: Filters, level: str) -> list[dict]:
    """What a breakdown lists at ``level``, each with an id and its names."""
    if level == "district":
        return [
            {"id": d.id, "slug": d.slug, "name": d.name_fi, "name_sv": d.name_sv}
            for d in target_districts(filters)
        ]
    if level == "project":
        return [
            {
                "id": p.id,
                "name": p.name,
                "institution": p.institution,
                "district": p.district.name_fi,
                "district_sv": p.district.name_sv,
                "district_slug": p.district.slug,
            }
            for p in _projects(filters)
        ]
    return [
        {"id": s.id, "name": s.title, "code": s.code, "event_date": s.event_date, "venue": s.venue}
        for s in _surveys(filters)
    ]


def project_named(filters: Filters) -> str | None:
    """The name of the selected project, ``None`` without one (or an unknown id)."""
    if not filters.project:
        return None
    return db.session.scalar(select(Project.name).where(Project.id == filters.project))


def breakdown(filters: Filters, level: str, min_group: int, indicators=CORE_KEYS) -> dict:
    """Rows of districts, projects or events with responses and per-indicator figures.

    ``indicators=None`` lists the core indicators plus every bank indicator that has answers.
    ``earlier_scale`` says that answers given under older answer labels were left out.
    """
    cells, earlier = distributions(filters, level, min_group)
    responses = response_counts(filters, level, min_group)
    keys = list(indicators) if indicators else indicator_keys(cells)
    rows = []
    for entity in _entities(filters, level):
        entity["responses"] = responses.get(entity["id"], 0)
        entity["indicators"] = {
            key: figure(cells.get((entity["id"], key), [0] * len(SCALE)), min_group) for key in keys
        }
        rows.append(entity)
    return {"indicators": keys, "rows": rows, "min_group": min_group, "earlier_scale": earlier}


def tier_report(filters: Filters, min_group: int) -> dict:
    """The resident tier per district and project, and the other tiers kept apart.

    Each tier is aggregated by its own query with its own tier condition, so an area
    actor's or art institution's answers can never leak into a resident figure.
    """
    residents = filters.narrowed(tier=Tier.RESIDENT.value)
    others = {}
    for tier in (Tier.AREA_ACTOR.value, Tier.ART_INSTITUTION.value):
        others[tier] = breakdown(filters.narrowed(tier=tier), "project", min_group, None)
    tables = {
        "districts": breakdown(residents, "district", min_group, None),
        "projects": breakdown(residents, "project", min_group, None),
    }
    earlier = any(t["earlier_scale"] for t in (*tables.values(), *others.values()))
    return tables | {"other_tiers": others, "earlier_scale": earlier}


def filter_choices(filters: Filters) -> dict:
    """Options for the filter form: periods, years, districts and projects in the selection."""
    periods = grant_periods()
    years = sorted(
        {year for p in periods for year in range(p.start_year, p.end_year + 1)}, reverse=True
    )
    districts = target_districts(filters.narrowed(district=None))
    projects = _projects(filters.narrowed(project=None))
    return {
        "periods": [(p.start_year, p.label) for p in periods],
        "years": years,
        "districts": [(d.slug, d.name_fi, d.name_sv) for d in districts],
        "projects": [(p.id, p.name) for p in projects],
        "tiers": [t.value for t in Tier],
    }
