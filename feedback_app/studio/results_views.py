"""Results for the artist, CSV and XLSX exports, comment moderation and the live event screen."""

from __future__ import annotations

from datetime import datetime

from flask import (
    Response,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from feedback_app.i18n import STAFF_LANGUAGES, choose_language, requested_language
from feedback_app.question_bank import FACE_INDICATORS
from feedback_app.services.answers.responses import HELSINKI
from feedback_app.services.charts.chart_style import indicator_name
from feedback_app.services.figures import artist_results
from feedback_app.services.figures.district_filters import Filters
from feedback_app.services.figures.results import has_earlier_scale, response_count, survey_summary
from feedback_app.services.figures.screen_content import moderation_tag, screen_extras
from feedback_app.services.reports import exports, report_content, studio_export
from feedback_app.services.reports import report_pdf as report_pdf_service
from feedback_app.services.reports.qr import public_link
from feedback_app.services.surveys.lifecycle import content_language
from feedback_app.studio import access, event_import
from feedback_app.studio.forms import ActionForm
from feedback_app.studio.views import bp, staff_only, to


def _min_group() -> int:
    """The smallest group whose breakdown may be shown."""
    return current_app.config["MIN_GROUP_SIZE"]


@bp.get("/surveys/<int:survey_id>/results")
@staff_only
def results(survey_id: int):
    """Counts, indexes, distributions, choice counts and comments."""
    survey = access.load_survey(survey_id)
    return render_template(
        "studio/results.html",
        survey=survey,
        results=artist_results.survey_results(survey, _min_group()),
        comments=artist_results.comments(survey, _min_group()),
        can_edit=access.may_edit(current_user, survey),
        lang=content_language(survey, requested_language(), str(get_locale())),
        mixed_scales=has_earlier_scale(survey.id),
        linked_event_url=event_import.event_link(survey.linked_event_id),
    )


def _too_few_to_download(survey) -> Response | None:
    """A redirect back to the results while the survey has fewer than k responses."""
    if not studio_export.withheld(survey, _min_group()):
        return None
    flash(
        _(
            "The downloads are available once at least %(min)d people have answered.",
            min=_min_group(),
        ),
        "error",
    )
    return redirect(to("studio.results", survey_id=survey.id), code=303)


def _download(body: bytes, mimetype: str, name: str) -> Response:
    """A file of one survey's answers (the studio's pages are never cached)."""
    return Response(
        body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@bp.get("/surveys/<int:survey_id>/compare")
@staff_only
def compare(survey_id: int):
    """One indicator across the events of this survey's project, with intervals and counts."""
    survey = access.load_survey(survey_id)
    indicator = request.args.get("indicator", "joy")
    if indicator not in FACE_INDICATORS:
        abort(400)
    return render_template(
        "studio/compare.html",
        survey=survey,
        comparison=artist_results.compare_events(survey, indicator, _min_group()),
        indicators={key: indicator_name(key) for key in FACE_INDICATORS},
    )


@bp.get("/surveys/<int:survey_id>/results.csv")
@staff_only
def results_csv(survey_id: int):
    """One row per response, for the artist's own reporting; withheld for tiny groups."""
    survey = access.load_survey(survey_id)
    language = str(get_locale())
    try:
        dialect = exports.choose_dialect(request.args.get("dialect"), language)
    except exports.UnknownDialect as unknown:
        title = _(
            "Unknown CSV dialect %(value)s: use dialect=excel-fi (Finnish Excel) or "
            "dialect=standard.",
            value=repr(str(unknown)),
        )
        return render_template("errors/error.html", status=400, title=title), 400
    refused = _too_few_to_download(survey)
    if refused:
        return refused
    body = studio_export.csv_body(survey, language, dialect)
    return _download(body, "text/csv", f"fiilis-{survey.code}.csv")


@bp.get("/surveys/<int:survey_id>/results.xlsx")
@staff_only
def results_xlsx(survey_id: int):
    """The results as a workbook: summary, every response, method; withheld like the CSV."""
    survey = access.load_survey(survey_id)
    refused = _too_few_to_download(survey)
    if refused:
        return refused
    today = datetime.now(HELSINKI).date()
    body = studio_export.workbook(survey, _min_group(), str(get_locale()), today)
    return _download(body, exports.XLSX_MIMETYPE, f"fiilis-{survey.code}.xlsx")


@bp.post("/surveys/<int:survey_id>/comments/<int:answer_id>/<any(hide, show):action>")
@staff_only
def moderate(survey_id: int, answer_id: int, action: str):
    """Hide a comment that holds personal data (or show it again)."""
    survey = access.load_survey(survey_id, write=True)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        artist_results.set_comment_hidden(survey, answer_id, hidden=action == "hide")
    except artist_results.CommentNotFound:
        abort(404)
    flash(_("Comment hidden.") if action == "hide" else _("Comment shown again."), "info")
    return redirect(to("studio.results", survey_id=survey.id) + "#comments", code=303)


@bp.get("/surveys/<int:survey_id>/screen")
@staff_only
def screen(survey_id: int):
    """The projector view: a big QR code, every question's results and a comment wall.

    Everything refreshes itself through ``live``; all of it honours the k rule.
    """
    survey = access.load_survey(survey_id)
    # Chosen before anything is translated: the whole screen then speaks the survey's language.
    staff_language = choose_language(STAFF_LANGUAGES)
    lang = g.page_language = content_language(survey, requested_language(), staff_language)
    return render_template(
        "studio/screen.html",
        survey=survey,
        link=public_link(survey.code),
        summary=survey_summary(survey, _min_group()),
        extras=screen_extras(survey, _min_group()),
        lang=lang,
    )


@bp.get("/surveys/<int:survey_id>/live.json")
@staff_only
def live(survey_id: int):
    """The screen's numbers; answers 304 while nothing changed, so polling stays cheap."""
    survey = access.load_survey(survey_id)
    lang = content_language(survey, requested_language(), str(get_locale()))
    count = response_count(survey.id)
    # Results change only when a response arrives or a comment is hidden or shown again.
    status = survey.effective_status().value
    etag = f"{survey.id}-{count}-{status}-{lang}-{moderation_tag(survey.id)}"
    if request.if_none_match.contains(etag):
        return Response(status=304, headers={"ETag": f'"{etag}"'})
    summary = survey_summary(survey, _min_group())
    prompts = {q.key: q.prompt(lang) for q in survey.questions}
    summary["indicators"] = [
        {"key": key, "prompt": prompts[key], **item} for key, item in summary["indicators"].items()
    ]
    summary["status"] = status
    summary |= screen_extras(survey, _min_group())
    response = jsonify(summary)
    response.set_etag(etag)
    return response


@bp.get("/surveys/<int:survey_id>/report.pdf", defaults={"whole_project": False})
@bp.get("/surveys/<int:survey_id>/project-report.pdf", defaults={"whole_project": True})
@staff_only
def report_pdf(survey_id: int, whole_project: bool):
    """The printable report of one event, or of the project it belongs to.

    Reached through a survey, so an artist gets exactly the projects whose results they see.
    """
    survey = access.load_survey(survey_id)
    today = datetime.now(HELSINKI).date()
    if whole_project:
        scope = Filters(period=None)
        report = report_content.project_report(survey.project, scope, _min_group(), today)
    else:
        report = report_content.event_report(survey, _min_group(), today)
    body = report_pdf_service.render_pdf(report, str(get_locale()))
    name = report_pdf_service.filename(report)
    return Response(
        body,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "private, no-store",
        },
    )
