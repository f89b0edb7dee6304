"""The survey an answer is sent to, as plain values remembered by each worker process.

The submission endpoint is the one path a festival crowd hits thousands of times a minute.
Loading the ``Survey`` and its ``Question`` objects through the ORM takes two queries and
builds a dozen objects per request; this reads the same facts with one joined query
(``hot_sql``) into frozen snapshots, and remembers them per survey code.

Remembered facts are never trusted blindly. Every change to a survey or its questions gives
the survey a new random ``revision`` (``models.survey``), and an answer checked against
remembered facts is stored only by a statement that itself requires the survey to be open
at that revision (``only_if_current``). When the statement refuses (the survey was closed,
edited or removed, by any worker or process) or the answer does not fit the remembered
facts, ``submit`` reads the survey afresh and decides again: a closed survey refuses the
very next answer, and an artist's edit is seen by the very next request.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from feedback_app.clock import utc_now
from feedback_app.extensions import db
from feedback_app.models import QuestionKind, Survey, SurveyStatus
from feedback_app.questions import AnswerError
from feedback_app.services import hot_sql
from feedback_app.services.surveys import SurveyChanged, SurveyClosed, SurveyNotFound

T = TypeVar("T")
REMEMBERED = 256  # surveys per process; a city has far fewer open at once
ATTEMPTS = 3  # fresh reads before giving up on a survey that keeps changing


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
    revision: str
    languages: list[str]
    questions: tuple[QuestionFacts, ...]


# (engine, code) → target; the oldest read first, dropped first.
_remembered: OrderedDict[tuple[object, str], AnswerTarget] = OrderedDict()


def _key(code: str) -> tuple[object, str]:
    return (db.engine, code)


def open_target(code: str, now: datetime | None = None) -> AnswerTarget:
    """The open survey with ``code``, read now; ``SurveyNotFound`` for drafts, ``SurveyClosed``.

    Mirrors ``surveys.open_survey`` (same exceptions, same rule for ``closes_at``). The
    result is remembered for ``submit``.
    """
    rows = hot_sql.survey_rows(code)
    if not rows or rows[0][1] == SurveyStatus.DRAFT:
        raise SurveyNotFound(code)
    survey_id, status, closes_at, languages = rows[0][:4]
    now = now or utc_now()
    if status != SurveyStatus.OPEN or (closes_at is not None and closes_at <= now):
        raise SurveyClosed(db.session.get(Survey, survey_id))
    questions = tuple(
        QuestionFacts(id=r[4], key=r[5], kind=r[6], options=r[7] or [], required=r[8])
        for r in rows
        if r[4] is not None
    )
    target = AnswerTarget(
        id=survey_id,
        code=code,
        revision=rows[0][9],
        languages=list(languages),
        questions=questions,
    )
    key = _key(code)
    _remembered[key] = target
    _remembered.move_to_end(key)
    while len(_remembered) > REMEMBERED:
        _remembered.popitem(last=False)
    return target


def forget(code: str) -> None:
    """Drop what this process remembers about the survey ``code``."""
    _remembered.pop(_key(code), None)


def submit(code: str, store: Callable[[AnswerTarget], T]) -> T:
    """``store(target)`` for the open survey ``code``, remembered facts first.

    ``store`` must validate against the target and write with ``only_if_current``. A
    refusal (``SurveyChanged``) or an invalid answer on remembered facts is decided again
    on facts read now; ``SurveyNotFound`` and ``SurveyClosed`` come from that read.
    """
    remembered = _remembered.get(_key(code))
    if remembered is not None:
        try:
            return store(remembered)
        except (SurveyChanged, AnswerError):
            forget(code)
    for attempt in range(ATTEMPTS):
        try:
            return store(open_target(code))
        except SurveyChanged:
            forget(code)
            if attempt == ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")
