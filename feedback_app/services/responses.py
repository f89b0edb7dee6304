"""Storing a resident's answers: one function shared by the HTML form and the JSON API."""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache, lru_cache
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from feedback_app import sqlite_writes
from feedback_app.clock import utc_now
from feedback_app.extensions import db
from feedback_app.models import Answer, QuestionKind, Response, ScoreTally, Survey
from feedback_app.questions import AnswerError, StoredValue, is_blank, validate
from feedback_app.services import hot_sql

HELSINKI = ZoneInfo("Europe/Helsinki")


class ConflictingReplay(Exception):
    """The same ``client_id`` was sent before with different answers."""


@dataclass(frozen=True)
class Submission:
    """Outcome of ``submit_response``: ``created`` is False for an identical replay."""

    response_id: int
    created: bool


# A version 4 UUID in its usual 36-character form (any case): the one shape accepted.
CLIENT_ID = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}",
    re.IGNORECASE | re.ASCII,
)


def parse_client_id(value: object) -> str:
    """A canonical lowercase UUID string, or ``AnswerError`` naming ``client_id``."""
    if not isinstance(value, str):
        raise AnswerError("client_id", "must be a UUID string")
    if CLIENT_ID.fullmatch(value):
        return value.lower()
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
    if not rows:
        raise AnswerError("answers", "needs at least one answer")
    return rows


def digest(rows: dict[str, list[StoredValue]]) -> str:
    """Order-independent fingerprint of normalised answers, to compare replays."""
    canonical = {
        key: sorted([v.score, v.choice, v.text] for v in values) for key, values in rows.items()
    }
    return hashlib.sha256(json.dumps(canonical, sort_keys=True, default=str).encode()).hexdigest()


@cache
def _tally_upsert(dialect: str):
    """``INSERT … ON CONFLICT DO UPDATE`` for one tally cell, built once per dialect.

    Building it per call cost more than running it; SQLAlchemy caches the compiled SQL of
    a statement object it has seen before.
    """
    tallies = ScoreTally.__table__
    upsert = (postgresql if dialect == "postgresql" else sqlite).insert(tallies)
    return upsert.on_conflict_do_update(
        index_elements=["survey_id", "indicator", "day", "score", "slot"],
        set_={"n": tallies.c.n + upsert.excluded.n},
    )


def _dialect() -> str:
    """``postgresql`` or ``sqlite``: the database this session talks to."""
    return db.session.get_bind().dialect.name


def submit_response(
    survey: Survey,
    *,
    client_id: str,
    locale: str,
    answers: object,
    now: datetime | None = None,
    is_demo: bool = False,
    only_if_current: bool = False,
) -> Submission:
    """Validate and store one response exactly once, committing before returning.

    Insert-or-ignore on ``client_id`` makes concurrent replays from an offline outbox safe:
    exactly one insert wins, the others find the stored row and compare fingerprints.
    ``survey`` is a ``Survey`` or an ``answer_target.AnswerTarget`` (the lean API path).
    With ``only_if_current`` the answer is stored only while the survey is open and
    unchanged since ``survey`` was read (its ``revision``), else ``SurveyChanged``.

    Everything is computed before the first write: on SQLite the write lock is held from
    the first INSERT to the commit, and every other worker waits for it meanwhile.
    """
    if locale not in survey.languages:
        raise AnswerError("locale", f"must be one of: {', '.join(survey.languages)}")
    rows = validate_answers(survey, answers)
    fingerprint = digest(rows)
    moment = utc_now()
    current = {"revision": survey.revision, "now": moment} if only_if_current else None
    now = now or moment
    answer_rows, tally_rows = _rows_to_store(survey, rows, now)
    response_row = {
        "survey_id": survey.id,
        "client_id": client_id,
        "locale": locale,
        "submitted_hour": coarse_hour(now),
        "answers_digest": fingerprint,
        "is_demo": is_demo,
    }
    # Response tally: +1 in (survey, local day, slot) for every stored response.
    counted = {"survey_id": survey.id, "day": _local_day(coarse_hour(now))}
    write = hot_sql.prepare(response_row, answer_rows, tally_rows, current, counted=counted)
    with sqlite_writes.turn():
        response_id = _write(write)
    if response_id is None:
        return _replay(survey, client_id, fingerprint)
    return Submission(response_id=response_id, created=True)


def _write(write: hot_sql.Write) -> int | None:
    """Insert the response, its answers and tallies, and commit; None if ``client_id`` exists."""
    if hot_sql.uses_own_connection():
        return hot_sql.store_committed(write)
    try:
        response_id = hot_sql.add_response(write)
        if response_id is None:
            db.session.rollback()
            return None
        db.session.commit()
    except BaseException:
        db.session.rollback()  # release SQLite's write lock before the next worker's turn
        raise
    return response_id


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


def _rows_to_store(
    survey: Survey, rows: dict[str, list[StoredValue]], now: datetime
) -> tuple[list[dict], list[dict]]:
    """Answer rows (``response_id`` filled in later) and the day's tally increments."""
    by_key = {q.key: q for q in survey.questions}
    answer_rows = [
        {
            "question_id": by_key[key].id,
            "score": v.score,
            "choice": v.choice,
            "text": v.text,
            "hidden": False,
        }
        for key, values in rows.items()
        for v in values
    ]
    day = _local_day(coarse_hour(now))
    tally_rows = [
        {"survey_id": survey.id, "indicator": key, "day": day, "score": values[0].score, "n": 1}
        for key, values in rows.items()
        if by_key[key].kind == QuestionKind.FACE
    ]
    return answer_rows, tally_rows


@lru_cache(maxsize=64)
def _local_day(hour: datetime):
    """The date in Helsinki at a UTC hour (offsets there are whole hours)."""
    return hour.replace(tzinfo=UTC).astimezone(HELSINKI).date()


def bump_tally(
    survey_id: int, indicator: str, day, score: int, count: int = 1, slot: int = 0
) -> None:
    """Add ``count`` to one tally cell's ``slot``, creating it when needed (an upsert)."""
    db.session.execute(
        _tally_upsert(_dialect()),
        {"survey_id": survey_id, "indicator": indicator, "day": day, "score": score}
        | {"slot": slot, "n": count},
    )


def delete_old_comments(days: int, now: datetime | None = None) -> int:
    """Blank free-text answers older than ``days`` (they may hold personal data)."""
    cutoff = coarse_hour(now or utc_now()) - timedelta(days=days)
    old = select(Response.id).where(Response.submitted_hour < cutoff).scalar_subquery()
    result = db.session.execute(
        Answer.__table__.delete().where(Answer.text.is_not(None), Answer.response_id.in_(old))
    )
    db.session.commit()
    return result.rowcount or 0
