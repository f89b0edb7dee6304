"""The admin's changes to the catalogue: grant periods, target districts and projects."""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from feedback_app.extensions import db
from feedback_app.i18n import _
from feedback_app.models import District, GrantPeriod, Project, Survey


class CatalogError(ValueError):
    """A clear, translated reason why a change was refused."""


def slugify(name: str) -> str:
    """A URL-safe slug from a Finnish district name (``Meri-Rastila`` → ``meri-rastila``)."""
    table = str.maketrans({"ä": "a", "ö": "o", "å": "a"})
    return re.sub(r"[^a-z0-9]+", "-", name.lower().translate(table)).strip("-")


def list_periods() -> list[GrantPeriod]:
    """Grant periods, newest first."""
    return list(db.session.scalars(select(GrantPeriod).order_by(GrantPeriod.start_year.desc())))


def create_period(start_year: int, end_year: int) -> GrantPeriod:
    """Add a grant period; years must be in order and the start year unused."""
    if end_year < start_year:
        raise CatalogError(_("The period cannot end before it starts."))
    if db.session.scalar(select(GrantPeriod).filter_by(start_year=start_year)):
        raise CatalogError(_("A period starting in %(year)d already exists.", year=start_year))
    period = GrantPeriod(start_year=start_year, end_year=end_year)
    db.session.add(period)
    db.session.commit()
    return period


def list_districts() -> list[District]:
    """Districts by Finnish name, with their periods."""
    query = select(District).options(selectinload(District.periods)).order_by(District.name_fi)
    return list(db.session.scalars(query))


def save_district(
    district_id: int | None, name_fi: str, name_sv: str, period_ids: list[int]
) -> District:
    """Create (``district_id`` None) or update a district; both official names are required."""
    name_fi, name_sv = name_fi.strip(), name_sv.strip()
    if not name_fi or not name_sv:
        raise CatalogError(_("Give the district's name in Finnish and in Swedish."))
    district = db.session.get(District, district_id) if district_id else District()
    if district is None:
        raise LookupError(district_id)
    if district_id is None:
        district.slug = _free_slug(slugify(name_fi) or "district")
        db.session.add(district)
    district.name_fi, district.name_sv = name_fi, name_sv
    district.periods = list(
        db.session.scalars(select(GrantPeriod).where(GrantPeriod.id.in_(period_ids)))
    )
    db.session.commit()
    return district


def _free_slug(slug: str) -> str:
    """``slug``, or ``slug-2``, ``slug-3`` … if taken (slugs appear in dashboard URLs)."""
    candidate, n = slug, 1
    while db.session.scalar(select(District.id).filter_by(slug=candidate)) is not None:
        n += 1
        candidate = f"{slug}-{n}"
    return candidate


def list_projects() -> list[Project]:
    """Projects, newest period first, then by name."""
    query = (
        select(Project)
        .join(GrantPeriod, Project.period_id == GrantPeriod.id)
        .options(selectinload(Project.district), selectinload(Project.period))
        .order_by(GrantPeriod.start_year.desc(), Project.name)
    )
    return list(db.session.scalars(query))


def survey_counts() -> dict[int, int]:
    """Number of surveys per project id."""
    rows = db.session.execute(select(Survey.project_id, func.count()).group_by(Survey.project_id))
    return {project_id: count for project_id, count in rows}


def save_project(
    project_id: int | None, name: str, institution: str, district_id: int, period_id: int
) -> Project:
    """Create or update a grant project; a name is unique within its period."""
    name, institution = name.strip(), institution.strip()
    if not name or not institution:
        raise CatalogError(_("Give the project's name and art institution."))
    district = db.session.get(District, district_id)
    period = db.session.get(GrantPeriod, period_id)
    if district is None or period is None:
        raise CatalogError(_("Choose a district and a grant period."))
    clash = select(Project.id).where(Project.name == name, Project.period_id == period.id)
    if project_id:
        clash = clash.where(Project.id != project_id)
    if db.session.scalar(clash) is not None:
        raise CatalogError(_("A project with this name already exists in that period."))
    project = db.session.get(Project, project_id) if project_id else Project()
    if project is None:
        raise LookupError(project_id)
    if project_id is None:
        db.session.add(project)
    project.name, project.institution = name, institution
    project.district, project.period = district, period
    db.session.commit()
    return project


def overview() -> dict[str, int]:
    """How many of each thing the admin manages exist."""
    from feedback_app.models import Account, ApiToken
    from feedback_app.services.people.invitations import pending_invitations

    def count(model, *where) -> int:
        return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0

    return {
        "districts": count(District),
        "periods": count(GrantPeriod),
        "projects": count(Project),
        "accounts": count(Account, Account.active.is_(True)),
        "invitations": len(pending_invitations()),
        "tokens": count(ApiToken, ApiToken.revoked_at.is_(None)),
    }
