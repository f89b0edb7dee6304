"""Storing a resident's answer: the one service the JSON API and the plain form both call.

``submit(AnswerSubmission)`` validates the answer against the open survey and stores it
exactly once per ``client_id``, committed before it returns a ``SubmissionOutcome``.

Each worker remembers the facts of the surveys it has seen (``survey_facts``), but never
trusts them blindly: every change to a survey or its questions gives it a new random
``revision``, and the response is inserted only by a statement that itself requires the
survey to be open at the revision the facts were read at. When it refuses, the survey is
read afresh and decided again, so a close or an edit by any worker applies to the very next
answer.

A replay of a known ``client_id`` answers "duplicate" whatever it carries, and nothing
derived from the answers is kept to compare it with: a replay that told matching answers
apart from others would let whoever sees a ``client_id`` (the next person at a shared
tablet) recover the answer by trying each one.
"""

from __future__ import annotations

import re
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from feedback_app.clock import utc_now
from feedback_app.extensions import db
from feedback_app.models import QuestionKind, Survey, SurveyStatus
from feedback_app.questions import AnswerError, StoredValue, is_blank, question_type, validate
from feedback_app.services.answers import submission_sql
from feedback_app.services.surveys.lifecycle import SurveyChanged, SurveyClosed, SurveyNotFound

HELSINKI = ZoneInfo("Europe/Helsinki")
REMEMBERED = 256  # surveys per process; a city has far fewer open at once
ATTEMPTS = 3  # fresh reads before giving up on a survey that keeps changing
# A version 4 UUID in its usual 36-character form (any case): the one shape accepted.
CLIENT_ID = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}",
    re.IGNORECASE | re.ASCII,
)


@dataclass(frozen=True)
class AnswerSubmission:
    """One resident's answer as sent: ``locale`` None means the survey's first language."""

    survey_code: str
    client_id: object
    locale: object
    answers: object


@dataclass(frozen=True)
class SubmissionOutcome:
    """``created`` False: the ``client_id`` was known, nothing was stored."""

    response_id: int
    client_id: str  # canonical: lowercase
    created: bool

    @property
    def status(self) -> str:
        """``created`` or ``duplicate``, as the API names it."""
        return "created" if self.created else "duplicate"


@dataclass(frozen=True)
class QuestionFacts:
    """What validating and storing an answer needs to know about a question."""

    id: int
    key: str
    kind: QuestionKind
    options: list[dict]
    required: bool


@dataclass(frozen=True)
class SurveyFacts:
    """A survey as the answer path sees it, read at ``revision``."""

    id: int
    code: str
    revision: str
    languages: list[str]
    questions: tuple[QuestionFacts, ...]


# (engine, code) → facts; the oldest read first, dropped first.
_remembered: OrderedDict[tuple[object, str], SurveyFacts] = OrderedDict()


def submit(submission: AnswerSubmission) -> SubmissionOutcome:
    """Validate and store one answer to the open survey ``submission.survey_code``.

    Raises ``SurveyNotFound`` (unknown or draft), ``SurveyClosed``, ``AnswerError`` (nothing
    stored) or, if the survey changed on every attempt, ``SurveyChanged``.
    """
    code = submission.survey_code
    remembered = _remembered.get((db.engine, code))
    if remembered is not None:
        try:
            return _store(remembered, submission, utc_now(), checked=True)
        except (SurveyChanged, AnswerError):
            forget(code)
    for attempt in range(ATTEMPTS):
        try:
            return _store(survey_facts(code), submission, utc_now(), checked=True)
        except SurveyChanged:
            forget(code)
            if attempt == ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def record(
    survey: Survey, submission: AnswerSubmission, now: datetime, *, is_demo: bool = False
) -> SubmissionOutcome:
    """Store an answer given at ``now`` (demo data, imports): the same rules and writes as
    ``submit``, without requiring the survey to be open now."""
    # The write has a transaction of its own: the caller's work so far is committed first,
    # or on SQLite the two transactions would wait for each other's lock.
    db.session.commit()
    return _store(facts_of(survey), submission, now, checked=False, is_demo=is_demo)


def survey_facts(code: str, now: datetime | None = None) -> SurveyFacts:
    """The open survey ``code`` read now, and remembered; ``SurveyNotFound``, ``SurveyClosed``."""
    rows = submission_sql.survey_rows(code)
    if not rows or rows[0].status == SurveyStatus.DRAFT:
        raise SurveyNotFound(code)
    first = rows[0]
    closes_at, now = first.closes_at, now or utc_now()
    if first.status != SurveyStatus.OPEN or (closes_at is not None and closes_at <= now):
        raise SurveyClosed(db.session.get(Survey, first.id))
    questions = tuple(
        QuestionFacts(r.question_id, r.key, r.kind, r.options or [], r.required)
        for r in rows
        if r.question_id is not None
    )
    facts = SurveyFacts(first.id, code, first.revision, list(first.languages), questions)
    key = (db.engine, code)
    _remembered[key] = facts
    _remembered.move_to_end(key)
    while len(_remembered) > REMEMBERED:
        _remembered.popitem(last=False)
    return facts


def facts_of(survey: Survey) -> SurveyFacts:
    """The facts of a ``Survey`` already loaded through the ORM."""
    questions = tuple(
        QuestionFacts(q.id, q.key, q.kind, q.options or [], q.required) for q in survey.questions
    )
    return SurveyFacts(survey.id, survey.code, survey.revision, list(survey.languages), questions)


def forget(code: str) -> None:
    """Drop what this process remembers about the survey ``code``."""
    _remembered.pop((db.engine, code), None)


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


def validate_answers(survey: SurveyFacts, answers: object) -> dict[str, list[StoredValue]]:
    """Check every answer; return the values to store per question key."""
    if answers is None:
        raise AnswerError("answers", "is required")
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
        # Every question may be skipped, but an answer with nothing in it is no answer.
        raise AnswerError("answers", "needs at least one answer")
    return rows


def coarse_hour(moment: datetime) -> datetime:
    """UTC time cut to the hour: enough for trends, too coarse to single anyone out."""
    return moment.replace(minute=0, second=0, microsecond=0)


@lru_cache(maxsize=64)
def local_day(hour: datetime):
    """The date in Helsinki at a UTC hour (offsets there are whole hours)."""
    return hour.replace(tzinfo=UTC).astimezone(HELSINKI).date()


def _locale(survey: SurveyFacts, locale: object) -> str:
    """The answer's language: one of the survey's, its first when none was sent."""
    if locale is None:
        return survey.languages[0]
    if not isinstance(locale, str):
        raise AnswerError("locale", "must be a language code")
    if locale not in survey.languages:
        raise AnswerError("locale", f"must be one of: {', '.join(survey.languages)}")
    return locale


def _store(
    survey: SurveyFacts,
    submission: AnswerSubmission,
    now: datetime,
    *,
    checked: bool,
    is_demo: bool = False,
) -> SubmissionOutcome:
    """Validate, then write; everything is computed before the write (and SQLite's write turn)."""
    locale = _locale(survey, submission.locale)
    client_id = parse_client_id(submission.client_id)
    rows = validate_answers(survey, submission.answers)
    hour = coarse_hour(now)
    response = {"survey_id": survey.id, "client_id": client_id, "locale": locale}
    response |= {"submitted_hour": hour, "is_demo": is_demo}
    answers = [
        {"question_id": q.id, "score": v.score, "choice": v.choice, "text": v.text}
        for q in survey.questions
        for v in rows.get(q.key, ())
    ]
    day = local_day(hour)
    tallies = [
        {"survey_id": survey.id, "indicator": q.key, "day": day, "score": rows[q.key][0].score}
        for q in survey.questions
        if question_type(q.kind).tallied and q.key in rows
    ]
    current = {"revision": survey.revision, "now": now} if checked else None
    response_id = submission_sql.write(response, answers, tallies, current, day)
    if response_id is None:
        return SubmissionOutcome(submission_sql.stored_id(client_id), client_id, created=False)
    return SubmissionOutcome(response_id, client_id, created=True)
