"""Who may see and change which survey in the studio.

Artists reach only their own projects' surveys; officials read every survey but change
none; admins may do everything. Anyone else is sent to sign in.
"""

from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from feedback_app.extensions import db
from feedback_app.models import Project, Role, Survey

STUDIO_ROLES = ("artist", "official", "admin")
LIST_LIMIT = 200


def _project_ids(account) -> set[int]:
    """The projects an artist belongs to."""
    return {project.id for project in account.projects}


def may_read(account, survey: Survey) -> bool:
    """Officials and admins read all; artists only their projects' surveys."""
    if account.role in (Role.OFFICIAL, Role.ADMIN):
        return True
    return survey.project_id in _project_ids(account)


def may_edit(account, survey: Survey) -> bool:
    """Admins and the project's own artists; officials only read."""
    if account.role == Role.ADMIN:
        return True
    return account.role == Role.ARTIST and survey.project_id in _project_ids(account)


def load_survey(survey_id: int, *, write: bool = False) -> Survey:
    """The survey with its questions, or 404 / 403 for the signed-in account."""
    survey = db.session.scalar(
        select(Survey).options(selectinload(Survey.questions)).where(Survey.id == survey_id)
    )
    if survey is None:
        abort(404)
    allowed = may_edit(current_user, survey) if write else may_read(current_user, survey)
    if not allowed:
        abort(403)
    return survey


def visible_surveys(account) -> list[Survey]:
    """The surveys listed in "My surveys", newest event first."""
    query = select(Survey).order_by(Survey.event_date.desc(), Survey.id.desc()).limit(LIST_LIMIT)
    if account.role == Role.ARTIST:
        query = query.where(Survey.project_id.in_(_project_ids(account) or {-1}))
    return list(db.session.scalars(query))


def creatable_projects(account) -> list[Project]:
    """Projects the account may create surveys in: an artist's own, every one for admins."""
    if account.role == Role.ADMIN:
        return list(db.session.scalars(select(Project).order_by(Project.name)))
    if account.role == Role.ARTIST:
        return sorted(account.projects, key=lambda p: p.name)
    return []


def find_creatable_project(account, project_id: int) -> Project:
    """The chosen project, or 403 if the account may not create surveys in it."""
    for project in creatable_projects(account):
        if project.id == project_id:
            return project
    abort(403)
