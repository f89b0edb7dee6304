"""API views: thin wrappers around the same services the HTML pages use."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request, url_for

from feedback_app.api.openapi import openapi_document
from feedback_app.errors import json_error
from feedback_app.questions import AnswerError
from feedback_app.ratelimit import read_limit, resident_limit, submission_limit
from feedback_app.services import answer_target, results, surveys
from feedback_app.services.responses import (
    ConflictingReplay,
    Submission,
    parse_client_id,
    submit_response,
)

bp = Blueprint("api", __name__, url_prefix="/api/v1")

ALLOWED_FIELDS = {"client_id", "locale", "answers"}


def _survey_or_error(code: str, *, must_be_open: bool):
    """The survey, or a ready JSON error response (404 unknown or draft, 410 closed)."""
    try:
        if must_be_open:
            return answer_target.open_target(code), None
        return surveys.find_public_survey(code), None
    except (surveys.SurveyNotFound, surveys.SurveyClosed) as refusal:
        return None, _refused(refusal)


def _refused(refusal: Exception):
    """The JSON error for ``SurveyNotFound`` (404) or ``SurveyClosed`` (410)."""
    if isinstance(refusal, surveys.SurveyClosed):
        return json_error(410, "closed", "This survey has closed")
    return json_error(404, "not_found", "No open survey has this code")


def _parse_body() -> tuple[dict | None, tuple | None]:
    """The JSON object body, or a 415/400/422 error naming what is wrong."""
    if not request.is_json:
        return None, json_error(415, "unsupported_media_type", "Send application/json")
    body = request.get_json(silent=True)
    if body is None:
        return None, json_error(400, "malformed_json", "The body is not valid JSON")
    if not isinstance(body, dict):
        return None, json_error(400, "malformed_json", "The body must be a JSON object")
    unknown = unknown_field(body)
    if unknown:
        return None, json_error(422, "invalid", "Unknown field", unknown)
    return body, None


def unknown_field(body: dict) -> str | None:
    """The first field the API does not know, or None."""
    unknown = sorted(set(body) - ALLOWED_FIELDS)
    return unknown[0] if unknown else None


def store_body(survey, body: dict) -> tuple[str, Submission]:
    """Check the body's fields and store the answer: ``(client_id, outcome)``.

    Raises ``AnswerError`` or ``ConflictingReplay``. Shared by the view below and the lean
    dispatch in ``api/fast_path.py``, so both apply exactly the same rules.
    """
    locale = body.get("locale", survey.languages[0])
    client_id = parse_client_id(body.get("client_id"))
    if not isinstance(locale, str):
        raise AnswerError("locale", "must be a language code")
    if "answers" not in body:
        raise AnswerError("answers", "is required")
    outcome = submit_response(
        survey, client_id=client_id, locale=locale, answers=body["answers"], only_if_current=True
    )
    return client_id, outcome


@bp.post("/surveys/<code>/responses")
@resident_limit(submission_limit, scope="submissions")
def create_response(code: str):
    """Store one response; replays with the same ``client_id`` are recognised."""
    body, error = _parse_body()
    if error:
        # An unknown or closed survey is named before anything wrong in the body.
        return _survey_or_error(code, must_be_open=True)[1] or error
    try:
        # The survey's facts as this worker remembers them, checked by the write itself.
        client_id, outcome = answer_target.submit(code, lambda survey: store_body(survey, body))
    except (surveys.SurveyNotFound, surveys.SurveyClosed) as refusal:
        return _refused(refusal)
    except surveys.SurveyChanged:
        response, status = json_error(
            503, "survey_changing", "The survey changed during this request; send it again"
        )
        response.headers["Retry-After"] = "1"
        return response, status
    except AnswerError as exc:
        return json_error(422, "invalid", exc.message, exc.field)
    except ConflictingReplay:
        return json_error(
            409, "conflict", "This client_id was already used with different answers", "client_id"
        )
    payload = {
        "status": "created" if outcome.created else "duplicate",
        "client_id": client_id,
        "summary_url": url_for("api.summary", code=code),
    }
    return jsonify(payload), 201 if outcome.created else 200


@bp.get("/surveys/<code>/summary")
@resident_limit(read_limit, scope="resident-reads")
def summary(code: str):
    """Counts and index per indicator; figures withheld below the minimum group size."""
    survey, error = _survey_or_error(code, must_be_open=False)
    if error:
        return error
    data = results.survey_summary(survey, current_app.config["MIN_GROUP_SIZE"])
    return jsonify(data)


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 document describing every endpoint of this API."""
    return jsonify(openapi_document())
