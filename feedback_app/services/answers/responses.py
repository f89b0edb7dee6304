"""Stored responses: demo and imported answers, tally corrections, comment retention.

A resident's answer is stored by ``submissions.submit``; everything here goes through the
same statements.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from feedback_app.clock import utc_now
from feedback_app.extensions import db
from feedback_app.models import Answer, Response, Survey
from feedback_app.services.answers import submission_sql
from feedback_app.services.answers.submissions import (
    HELSINKI,
    AnswerSubmission,
    SubmissionOutcome,
    coarse_hour,
    parse_client_id,
    record,
)

__all__ = ["HELSINKI", "bump_tally", "delete_old_comments", "parse_client_id", "submit_response"]


def submit_response(
    survey: Survey,
    *,
    client_id: str,
    locale: str,
    answers: object,
    now: datetime | None = None,
    is_demo: bool = False,
) -> SubmissionOutcome:
    """Store one answer to ``survey`` given at ``now`` (demo data and test fixtures)."""
    submission = AnswerSubmission(survey.code, client_id, locale, answers)
    return record(survey, submission, now or utc_now(), is_demo=is_demo)


def bump_tally(
    survey_id: int, indicator: str, day, score: int, count: int = 1, slot: int = 0
) -> None:
    """Add ``count`` to one tally cell's ``slot``, creating it when needed (an upsert)."""
    db.session.execute(
        submission_sql.tally_upsert(),
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
