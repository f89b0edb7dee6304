"""Resident pages: answer, thank you, closed. They set no cookies at all."""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l

from feedback_app.errors import error_page
from feedback_app.questions import AnswerError
from feedback_app.ratelimit import read_limit, resident_limit, submission_limit
from feedback_app.security import is_cross_site_form_post
from feedback_app.services.answers import submissions
from feedback_app.services.figures import results
from feedback_app.services.surveys import lifecycle as surveys
from feedback_app.survey import form as survey_form
from feedback_app.survey import receipt

bp = Blueprint("survey", __name__, url_prefix="/s")


@bp.context_processor
def _honeypot_field() -> dict[str, str]:
    """The name of the hidden field a bot fills in (``survey/_macros.html`` ``honeypot``)."""
    return {"honeypot_field": survey_form.HONEYPOT_FIELD}


# How long the kiosk's thank-you stays before the empty form for the next person.
KIOSK_THANKS_SECONDS = 4
CROSS_SITE_TITLE = _l("This answer could not be accepted")
CROSS_SITE_ADVICE = _l(
    "Answers can only be sent from the survey's own page. Open the survey from its poster "
    "or link and answer there."
)


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


def _private(response):
    """Keep a page out of every cache and the back/forward cache.

    A shared tablet at an event: without this, Back after sending brings the previous
    person's page, answers and one-time id with it, ready to be sent again.
    """
    response.headers["Cache-Control"] = "no-store"
    return response


def _form_page(survey, client_id: str, chosen: dict, error=None, status: int = 200):
    """The answer form; the app's own script goes on to ``data-thanks`` once delivered."""
    thanks = url_for(
        "survey.thanks",
        code=survey.code,
        lang=g.page_language,
        sent=receipt.sign(survey.code, receipt.STORED),
    )
    page = render_template(
        "survey/form.html",
        survey=survey,
        client_id=client_id,
        chosen=chosen,
        error=error,
        app_thanks=thanks,
    )
    return _private(current_app.make_response((page, status)))


def _thanks_redirect(survey, outcome: str):
    """303 to the thank-you page with a signed note of what happened to this answer."""
    note = receipt.sign(survey.code, outcome)
    return redirect(
        url_for("survey.thanks", code=survey.code, lang=g.page_language, sent=note), code=303
    )


@bp.get("/<code>")
@resident_limit(read_limit, scope="resident-reads")
def show(code: str):
    """The survey form, or the closed page."""
    survey = _load(code)
    if survey.effective_status() != surveys.SurveyStatus.OPEN:
        return _closed(survey)
    return _form_page(survey, str(uuid.uuid4()), {})


@bp.post("/<code>")
@resident_limit(submission_limit, scope="submissions")
def answer(code: str):
    """Store the plain form's answers through the same service as the API, then thank."""
    return _receive(code, _form_page, lambda survey, outcome: _thanks_redirect(survey, outcome))


def _receive(code: str, form_page, thank):
    """The plain form's answers through the submission service; ``thank`` on success.

    ``form_page(survey, client_id, chosen, error, status)`` shows the form again when an
    answer is refused, with the answers kept.
    """
    survey = _load(code)
    if survey.effective_status() != surveys.SurveyStatus.OPEN:
        return _closed(survey)
    if is_cross_site_form_post(request.headers, current_app.config["PUBLIC_BASE_URL"]):
        return error_page(403, CROSS_SITE_TITLE, CROSS_SITE_ADVICE)
    if survey_form.is_bot(request.form):
        return thank(survey, receipt.STORED)  # look like success: bots learn nothing
    answers = survey_form.answers_from_form(survey, request.form)
    client_id = survey_form.client_id_from_form(request.form)
    try:
        stored = submissions.submit(
            submissions.AnswerSubmission(code, client_id, g.page_language, answers)
        )
    except AnswerError as error:
        return form_page(survey, client_id, answers, error, status=422)
    except (surveys.SurveyClosed, surveys.SurveyNotFound):
        return _closed(survey)
    except surveys.SurveyChanged:
        # Edited while this answer was on its way: show the current form again, answers kept.
        changed = AnswerError("survey", "changed during this request")
        return form_page(_load(code), client_id, answers, changed, status=409)
    # A known one-time id (Back, then Send) is a repeat whatever its content, so the reply
    # tells nothing about what the first sending said.
    return thank(survey, receipt.STORED if stored.created else receipt.REPEAT)


def _kiosk_page(survey, client_id: str, chosen: dict, error=None, status: int = 200, note=None):
    """The kiosk form: one shared tablet, a fresh empty form for every person."""
    page = render_template(
        "survey/kiosk.html",
        survey=survey,
        client_id=client_id,
        chosen=chosen,
        error=error,
        outcome=receipt.read(survey.code, note),
        idle_seconds=current_app.config["KIOSK_IDLE_SECONDS"],
        thanks_seconds=KIOSK_THANKS_SECONDS,
    )
    return _private(current_app.make_response((page, status)))


@bp.get("/<code>/kiosk")
@resident_limit(read_limit, scope="resident-reads")
def kiosk(code: str):
    """The survey for a tablet on a stand; ``?sent=`` thanks the person before."""
    survey = _load(code)
    if survey.effective_status() != surveys.SurveyStatus.OPEN:
        return _closed(survey)
    return _kiosk_page(survey, str(uuid.uuid4()), {}, note=request.args.get("sent"))


@bp.post("/<code>/kiosk")
@resident_limit(submission_limit, scope="submissions")
def kiosk_answer(code: str):
    """The kiosk's plain form (no JavaScript): store, then back to an empty kiosk form."""

    def thank(survey, outcome: str):
        note = receipt.sign(survey.code, outcome)
        target = url_for("survey.kiosk", code=survey.code, lang=g.page_language, sent=note)
        return redirect(target, code=303)

    return _receive(code, _kiosk_page, thank)


@bp.get("/<code>/thanks")
@resident_limit(read_limit, scope="resident-reads")
def thanks(code: str):
    """Thank the resident and show how others at this event felt."""
    survey = _load(code)
    summary = results.survey_summary(survey, current_app.config["MIN_GROUP_SIZE"])
    outcome = receipt.read(survey.code, request.args.get("sent"))
    page = render_template(
        "survey/thanks.html",
        survey=survey,
        summary=summary,
        outcome=outcome,
        mixed_scales=results.has_earlier_scale(survey.id),
    )
    return _private(current_app.make_response(page))
