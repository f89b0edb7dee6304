"""What the event screen shows beyond the face figures: choice questions and a comment wall.

A projector is read by everyone in the hall, so it follows the same rules as every public
figure (docs/privacy-model.md): counts and comments come from the *published step* (the
survey's first ``m·k`` responses, ``results.published_size``), so a reading before and after
one person answers differs by nothing that could be theirs; a choice question is withheld
below ``k`` people; comments appear only once the step holds at least ``k`` responses, never
hidden (moderated) ones, sorted by their text and not by arrival.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict

from sqlalchemy import func, select

from feedback_app.extensions import db
from feedback_app.models import Answer, Question, Response, Survey
from feedback_app.questions import option_keys, question_type, summarise_choices
from feedback_app.services.figures.results import published_size, response_count

# A wall, not an archive: the newest step's comments beyond this many are left off.
COMMENT_LIMIT = 24


def _last_published_id(survey_id: int, size: int) -> int | None:
    """The id of the ``size``-th response (the published step's last one)."""
    if size <= 0:
        return None
    return db.session.scalar(
        select(Response.id)
        .where(Response.survey_id == survey_id)
        .order_by(Response.id)
        .offset(size - 1)
        .limit(1)
    )


def _choices(survey: Survey, last_id: int | None, min_group: int) -> dict[str, dict]:
    """Per choice question key: option counts over the published step, or suppressed."""
    questions = [q for q in survey.questions if question_type(q.kind).has_options]
    counts: dict[int, Counter] = defaultdict(Counter)
    people: dict[int, int] = {}
    if last_id is not None and questions:
        ids = [q.id for q in questions]
        scope = (
            Answer.question_id.in_(ids),
            Answer.choice.is_not(None),
            Answer.response_id.in_(
                select(Response.id).where(Response.survey_id == survey.id, Response.id <= last_id)
            ),
        )
        for question_id, choice, n in db.session.execute(
            select(Answer.question_id, Answer.choice, func.count())
            .where(*scope)
            .group_by(Answer.question_id, Answer.choice)
        ):
            counts[question_id][choice] = int(n)
        people = dict(
            db.session.execute(
                select(Answer.question_id, func.count(Answer.response_id.distinct()))
                .where(*scope)
                .group_by(Answer.question_id)
            ).all()
        )
    found = {}
    for question in questions:
        summary = summarise_choices(
            question, counts[question.id], int(people.get(question.id, 0)), min_group
        )
        summary["options"] = option_keys(question)
        found[question.key] = summary
    return found


def _comments(survey: Survey, last_id: int | None, size: int, min_group: int) -> list[str] | None:
    """Shown text answers of the published step, by text; None below ``min_group``."""
    if last_id is None or size < min_group:
        return None
    texts = db.session.scalars(
        select(Answer.text)
        .join(Response, Response.id == Answer.response_id)
        .where(
            Response.survey_id == survey.id,
            Response.id <= last_id,
            Answer.text.is_not(None),
            Answer.hidden.is_(False),
        )
        .order_by(Answer.id.desc())
        .limit(COMMENT_LIMIT)
    )
    return sorted((t for t in texts if t.strip()), key=lambda t: (t.casefold(), t))


def screen_extras(survey: Survey, min_group: int) -> dict:
    """Choice questions and the comment wall for the event screen (see the module doc)."""
    size = published_size(response_count(survey.id), min_group)
    last_id = _last_published_id(survey.id, size)
    return {
        "choices": _choices(survey, last_id, min_group),
        "comments": _comments(survey, last_id, size, min_group),
    }


def moderation_tag(survey_id: int) -> str:
    """Changes whenever a comment of the survey is hidden or shown again (for the ETag)."""
    hidden = db.session.scalars(
        select(Answer.id)
        .join(Question, Question.id == Answer.question_id)
        .where(Question.survey_id == survey_id, Answer.hidden.is_(True))
        .order_by(Answer.id)
    )
    return hashlib.sha256(",".join(map(str, hidden)).encode()).hexdigest()[:12]
