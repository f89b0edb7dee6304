"""Resident pages: answer, thank you, closed. They set no cookies at all."""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, url_for

from feedback_app.questions import AnswerError
from feedback_app.ratelimit import read_limit, resident_limit, submission_limit
from feedback_app.services import results, submissions, surveys
from feedback_app.survey import form as survey_form

bp = Blueprint("survey", __name__, url_prefix="/s")


def _load(code: str):
    """The survey for ``code`` with its content language set for the page; 404 for drafts."""
    try:
        survey = surveys.find_public_survey(code)
    except surveys.SurveyNotFound:
        abort(404)
    # Chosen before anything is translated: Flask-Babel asks for the locale once per request
    # and the interface then follows the page, so a resident meets one language only.
    g.survey_languages = surveys.resident_languages(survey)
    g.page_language = surveys.resident_language(survey)
    return survey


def _closed(survey):
    """A polite page with status 410."""
    return render_template("survey/closed.html", survey=survey), 410


@bp.get("/<code>")
@resident_limit(read_limit, scope="resident-reads")
def show(code: str):
    """The survey form, or the closed page."""
    survey = _load(code)
    if survey.effective_status() != surveys.SurveyStatus.OPEN:
        return _closed(survey)
    return render_template(
        "survey/form.html", survey=survey, client_id=str(uuid.uuid4()), chosen={}, error=None
    )


@bp.post("/<code>")
@resident_limit(submission_limit, scope="submissions")
def answer(code: str):
    """Store the plain form's answers through the same service as the API, then thank."""
    survey = _load(code)
    if survey.effective_status() != surveys.SurveyStatus.OPEN:
        return _closed(survey)
    thanks = url_for("survey.thanks", code=code, lang=g.page_language)
    if survey_form.is_bot(request.form):
        return redirect(thanks, code=303)  # look like success so bots learn nothing
    answers = survey_form.answers_from_form(survey, request.form)
    client_id = survey_form.client_id_from_form(request.form)
    try:
        submissions.submit(submissions.AnswerSubmission(code, client_id, g.page_language, answers))
    except AnswerError as error:
        return render_template(
            "survey/form.html", survey=survey, client_id=client_id, chosen=answers, error=error
        ), 422
    except (surveys.SurveyClosed, surveys.SurveyNotFound):
        return _closed(survey)
    except surveys.SurveyChanged:
        abort(503)
    return redirect(thanks, code=303)


@bp.get("/<code>/thanks")
@resident_limit(read_limit, scope="resident-reads")
def thanks(code: str):
    """Thank the resident and show how others at this event felt."""
    survey = _load(code)
    summary = results.survey_summary(survey, current_app.config["MIN_GROUP_SIZE"])
    return render_template(
        "survey/thanks.html",
        survey=survey,
        summary=summary,
        mixed_scales=results.has_earlier_scale(survey.id),
    )
