"""Turning the plain HTML form into the same answer structure the JSON API receives."""

from __future__ import annotations

import uuid

from werkzeug.datastructures import MultiDict

from feedback_app.models import Survey
from feedback_app.questions import AnswerError, question_type
from feedback_app.services.answers.responses import parse_client_id

HONEYPOT_FIELD = "website"


def is_bot(form: MultiDict) -> bool:
    """A visually hidden field only scripts fill in."""
    return bool(form.get(HONEYPOT_FIELD, "").strip())


def answers_from_form(survey: Survey, form: MultiDict) -> dict[str, object]:
    """Read one value per question: numbers for faces, lists for multiple choice.

    Each kind reads its own field (``questions.QuestionType.from_form``); faces go through
    the same score rule as the API (``questions.score_from_text``).
    """
    return {
        question.key: question_type(question.kind).from_form(form, f"q_{question.key}")
        for question in survey.questions
    }


def client_id_from_form(form: MultiDict) -> str:
    """The form's own id (so a double submit is stored once), or a fresh one."""
    try:
        return parse_client_id(form.get("client_id", ""))
    except AnswerError:
        return str(uuid.uuid4())
