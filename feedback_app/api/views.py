"""API views: thin wrappers around the same services the HTML pages use."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request, url_for

from feedback_app.api.openapi import openapi_document
from feedback_app.errors import json_error
from feedback_app.questions import AnswerError
from feedback_app.ratelimit import read_limit, resident_limit, submission_limit
from feedback_app.services.answers import submissions
from feedback_app.services.figures import results
from feedback_app.services.surveys import lifecycle as surveys

bp = Blueprint("api", __name__, url_prefix="/api/v1")

ALLOWED_FIELDS = {"client_id", "locale", "answers"}


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
    unknown = sorted(set(body) - ALLOWED_FIELDS)
    if unknown:
        return None, json_error(422, "invalid", "Unknown field", unknown[0])
    return body, None


def _body_error(code: str, error: tuple):
    """An unknown or closed survey is named before anything wrong in the body."""
    try:
        submissions.survey_facts(code)
    except (surveys.SurveyNotFound, surveys.SurveyClosed) as refusal:
        return _refused(refusal)
    return error


@bp.post("/surveys/<code>/responses")
@resident_limit(submission_limit, scope="submissions")
def create_response(code: str):
    """Store one response; any replay of a known ``client_id`` answers 200 "duplicate"."""
    body, error = _parse_body()
    if error:
        return _body_error(code, error)
    submission = submissions.AnswerSubmission(
        survey_code=code,
        client_id=body.get("client_id"),
        locale=body.get("locale"),
        answers=body.get("answers"),
    )
    try:
        outcome = submissions.submit(submission)
    except (surveys.SurveyNotFound, surveys.SurveyClosed) as refusal:
        return _refused(refusal)
    except surveys.SurveyChanged:
        # A conflict with the survey's state, not a server fault: the client sends it again.
        response, status = json_error(
            409, "survey_changing", "The survey changed during this request; send it again"
        )
        response.headers["Retry-After"] = "1"
        return response, status
    except AnswerError as exc:
        return json_error(422, "invalid", exc.message, exc.field)
    payload = {
        "status": outcome.status,
        "client_id": outcome.client_id,
        "summary_url": url_for("api.summary", code=code),
    }
    return jsonify(payload), 201 if outcome.created else 200


@bp.get("/surveys/<code>/summary")
@resident_limit(read_limit, scope="resident-reads")
def summary(code: str):
    """Counts and index per indicator; figures withheld below the minimum group size."""
    try:
        survey = surveys.find_public_survey(code)
    except surveys.SurveyNotFound as refusal:
        return _refused(refusal)
    data = results.survey_summary(survey, current_app.config["MIN_GROUP_SIZE"])
    return jsonify(data)


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 document describing every endpoint of this API."""
    return jsonify(openapi_document())
