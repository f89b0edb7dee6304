"""Storing a resident's answers: one function shared by the HTML form and the JSON API."""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select
from sqlalchemy.dialects import postgresql, sqlite

from feedback_app.extensions import db
from feedback_app.models import Answer, QuestionKind, Response, ScoreTally, Survey
from feedback_app.questions import AnswerError, StoredValue, is_blank, validate

HELSINKI = ZoneInfo("Europe/Helsinki")


class ConflictingReplay(Exception):
    """The same ``client_id`` was sent before with different answers."""


@dataclass(frozen=True)
class Submission:
    """Outcome of ``submit_response``: ``created`` is False for an identical replay."""

    response_id: int
    created: bool


def parse_client_id(value: object) -> str:
    """A canonical lowercase UUID string, or ``AnswerError`` naming ``client_id``."""
    if not isinstance(value, str):
        raise AnswerError("client_id", "must be a UUID string")
    try:
        parsed = uuid.UUID(value)
    except ValueError:
        raise AnswerError("client_id", "must be a UUID string") from None
    if parsed.version != 4 or str(parsed) != value.lower():
        raise AnswerError("client_id", "must be a version 4 UUID in its usual 36-character form")
    return str(parsed)


def coarse_hour(moment: datetime) -> datetime:
    """UTC time cut to the hour: enough for trends, too coarse to single anyone out."""
    return moment.replace(minute=0, second=0, microsecond=0)


def validate_answers(survey: Survey, answers: object) -> dict[str, list[StoredValue]]:
    """Check every answer; return the rows to store per question key."""
    if not isinstance(answers, dict):
        raise AnswerError("answers", "must be an object keyed by question key")
    by_key = {q.key: q for q in survey.questions}
    unknown = sorted(set(answers) - set(by_key))
    if unknown:
        raise AnswerError(f"answers.{unknown[0]}", "is not a question of this survey")
    rows: dict[str, list[StoredValue]] = {}
    for key, question in by_key.items():
        value = answers.get(key)
        if is_blank(value):
            if question.required:
                raise AnswerError(f"answers.{key}", "is required")
            continue
        stored = validate(question, value)
        if stored:
            rows[key] = stored
    return rows


def digest(rows: dict[str, list[StoredValue]]) -> str:
    """Order-independent fingerprint of normalised answers, to compare replays."""
    canonical = {
        key: sorted([v.score, v.choice, v.text] for v in values) for key, values in rows.items()
    }
    return hashlib.sha256(json.dumps(canonical, sort_keys=True, default=str).encode()).hexdigest()


def _dialect_insert(table):
    """``INSERT`` with the dialect's ON CONFLICT support (SQLite and PostgreSQL alike)."""
    name = db.session.get_bind().dialect.name
    return (postgresql if name == "postgresql" else sqlite).insert(table)


def submit_response(
    survey: Survey,
    *,
    client_id: str,
    locale: str,
    answers: object,
    now: datetime | None = None,
    is_demo: bool = False,
) -> Submission:
    """Validate and store one response exactly once, committing before returning.

    Insert-or-ignore on ``client_id`` makes concurrent replays from an offline outbox safe:
    exactly one insert wins, the others find the stored row and compare fingerprints.
    """
    if locale not in survey.languages:
        raise AnswerError("locale", f"must be one of: {', '.join(survey.languages)}")
    rows = validate_answers(survey, answers)
    fingerprint = digest(rows)
    now = now or datetime.utcnow()
    stmt = (
        _dialect_insert(Response.__table__)
        .values(
            survey_id=survey.id,
            client_id=client_id,
            locale=locale,
            submitted_hour=coarse_hour(now),
            answers_digest=fingerprint,
            is_demo=is_demo,
        )
        .on_conflict_do_nothing(index_elements=["client_id"])
        .returning(Response.__table__.c.id)
    )
    response_id = db.session.execute(stmt).scalar()
    if response_id is None:
        db.session.rollback()
        return _replay(survey, client_id, fingerprint)
    _store_answers(survey, response_id, rows, now)
    db.session.commit()
    return Submission(response_id=response_id, created=True)


def _replay(survey: Survey, client_id: str, fingerprint: str) -> Submission:
    """Answer a repeated ``client_id``: identical → the stored response, else a conflict."""
    stored = db.session.execute(
        select(Response.id, Response.survey_id, Response.answers_digest).where(
            Response.client_id == client_id
        )
    ).one()
    if stored.survey_id != survey.id or stored.answers_digest != fingerprint:
        raise ConflictingReplay(client_id)
    return Submission(response_id=stored.id, created=False)


def _store_answers(
    survey: Survey, response_id: int, rows: dict[str, list[StoredValue]], now: datetime
) -> None:
    """Insert answer rows and bump the day's score tallies in the open transaction."""
    by_key = {q.key: q for q in survey.questions}
    answer_rows = [
        {
            "response_id": response_id,
            "question_id": by_key[key].id,
            "score": v.score,
            "choice": v.choice,
            "text": v.text,
            "hidden": False,
        }
        for key, values in rows.items()
        for v in values
    ]
    if answer_rows:
        db.session.execute(insert(Answer.__table__), answer_rows)
    day = now.replace(tzinfo=ZoneInfo("UTC")).astimezone(HELSINKI).date()
    for key, values in rows.items():
        if by_key[key].kind == QuestionKind.FACE:
            bump_tally(survey.id, key, day, values[0].score)


def bump_tally(survey_id: int, indicator: str, day, score: int, count: int = 1) -> None:
    """Add ``count`` to one tally cell, creating it when needed (an upsert)."""
    stmt = _dialect_insert(ScoreTally.__table__).values(
        survey_id=survey_id, indicator=indicator, day=day, score=score, n=count
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["survey_id", "indicator", "day", "score"],
        set_={"n": ScoreTally.__table__.c.n + stmt.excluded.n},
    )
    db.session.execute(stmt)


def delete_old_comments(days: int, now: datetime | None = None) -> int:
    """Blank free-text answers older than ``days`` (they may hold personal data)."""
    cutoff = coarse_hour(now or datetime.utcnow()) - timedelta(days=days)
    old = select(Response.id).where(Response.submitted_hour < cutoff).scalar_subquery()
    result = db.session.execute(
        Answer.__table__.delete().where(Answer.text.is_not(None), Answer.response_id.in_(old))
    )
    db.session.commit()
    return result.rowcount or 0
