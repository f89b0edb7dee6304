"""Helpers shared by the studio tests: ids, CSRF tokens and stored responses."""

from __future__ import annotations

import re

from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.models import Answer, Response, Survey
from feedback_app.services.answers.responses import submit_response
from tests.conftest import new_client_id

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def survey_id(app, code: str) -> int:
    """The database id of the survey with ``code``."""
    with app.app_context():
        return db.session.scalar(select(Survey.id).where(Survey.code == code))


def project_of(app, code: str) -> int:
    """The project id of the survey with ``code``."""
    with app.app_context():
        return db.session.scalar(select(Survey.project_id).where(Survey.code == code))


def csrf(client, path: str = "/studio/") -> str:
    """A CSRF token for the signed-in session, read from a studio page."""
    html = client.get(path).get_data(as_text=True)
    match = TOKEN.search(html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def post(client, path: str, data: dict | None = None, page: str = "/studio/", **kwargs):
    """POST a studio form with a valid CSRF token."""
    body = {"csrf_token": csrf(client, page), **(data or {})}
    return client.post(path, data=body, **kwargs)


def add_responses(app, code: str, count: int, comment: str | None = None, **answers) -> None:
    """Store ``count`` responses through the real write path."""
    with app.app_context():
        survey = db.session.scalar(select(Survey).where(Survey.code == code))
        for i in range(count):
            values = {"joy": 5, "belonging": 4, "safety": 3 + (i % 3), **answers}
            if comment:
                values["comment"] = f"{comment} {i}"
            submit_response(survey, client_id=new_client_id(), locale="fi", answers=values)


def comment_ids(app, code: str) -> list[int]:
    """Ids of the survey's text answers."""
    with app.app_context():
        return list(
            db.session.scalars(
                select(Answer.id)
                .join(Response)
                .join(Survey)
                .where(Survey.code == code, Answer.text.is_not(None))
                .order_by(Answer.id)
            )
        )
