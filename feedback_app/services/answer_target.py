"""The survey an answer is sent to, read in one query as plain values.

The submission endpoint is the one path a festival crowd hits thousands of times a minute.
Loading the ``Survey`` and its ``Question`` objects through the ORM takes two queries and
builds a dozen objects per request; this reads the same facts with one joined query
(``hot_sql``) into frozen snapshots. Nothing is cached between requests: an artist may
still edit questions before the first answer and closing a survey must take effect on the
very next request, so every request reads the current rows (one indexed lookup, cheap on
SQLite and PostgreSQL alike).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from feedback_app.extensions import db
from feedback_app.models import QuestionKind, Survey, SurveyStatus
from feedback_app.services import hot_sql
from feedback_app.services.surveys import SurveyClosed, SurveyNotFound


@dataclass(frozen=True)
class QuestionFacts:
    """What validating and storing an answer needs to know about a question."""

    id: int
    key: str
    kind: QuestionKind
    options: list[dict]
    required: bool


@dataclass(frozen=True)
class AnswerTarget:
    """An open survey as ``submit_response`` sees it (duck-types ``Survey`` there)."""

    id: int
    code: str
    languages: list[str]
    questions: tuple[QuestionFacts, ...]


def open_target(code: str, now: datetime | None = None) -> AnswerTarget:
    """The open survey with ``code``; ``SurveyNotFound`` for drafts, ``SurveyClosed`` after.

    Mirrors ``surveys.open_survey`` (same exceptions, same rule for ``closes_at``).
    """
    rows = hot_sql.survey_rows(code)
    if not rows or rows[0][1] == SurveyStatus.DRAFT:
        raise SurveyNotFound(code)
    survey_id, status, closes_at, languages = rows[0][:4]
    now = now or datetime.utcnow()
    if status != SurveyStatus.OPEN or (closes_at is not None and closes_at <= now):
        raise SurveyClosed(db.session.get(Survey, survey_id))
    questions = tuple(
        QuestionFacts(id=r[4], key=r[5], kind=r[6], options=r[7] or [], required=r[8])
        for r in rows
        if r[4] is not None
    )
    return AnswerTarget(id=survey_id, code=code, languages=list(languages), questions=questions)
