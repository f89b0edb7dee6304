"""Turning the plain HTML form into the same answer structure the JSON API receives."""

from __future__ import annotations

import uuid

from werkzeug.datastructures import MultiDict

from feedback_app.models import QuestionKind, Survey
from feedback_app.questions import AnswerError, score_from_text
from feedback_app.services.answers.responses import parse_client_id

HONEYPOT_FIELD = "website"


def is_bot(form: MultiDict) -> bool:
    """A visually hidden field only scripts fill in."""
    return bool(form.get(HONEYPOT_FIELD, "").strip())


def answers_from_form(survey: Survey, form: MultiDict) -> dict[str, object]:
    """Read one value per question: numbers for faces, lists for multiple choice.

    Faces go through the same score rule as the API (``questions.score_from_text``).
    """
    answers: dict[str, object] = {}
    for question in survey.questions:
        name = f"q_{question.key}"
        if question.kind == QuestionKind.MULTI:
            answers[question.key] = form.getlist(name)
        elif question.kind == QuestionKind.FACE:
            raw = form.get(name, "")
            answers[question.key] = score_from_text(raw) if raw else None
        else:
            answers[question.key] = form.get(name) or None
    return answers


def client_id_from_form(form: MultiDict) -> str:
    """The form's own id (so a double submit is stored once), or a fresh one."""
    try:
        return parse_client_id(form.get("client_id", ""))
    except AnswerError:
        return str(uuid.uuid4())
