"""The studio: artists create, publish, share and follow their event surveys."""

from __future__ import annotations

import hashlib

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_datetime, get_locale
from flask_babel import gettext as _
from flask_login import current_user

from feedback_app.i18n import INTERFACE_LANGUAGES, requested_language
from feedback_app.links import public_url
from feedback_app.models import InvalidTransition, Role, SurveyStatus
from feedback_app.security import role_required
from feedback_app.services.reports.qr import public_link
from feedback_app.services.surveys import survey_editing as editing
from feedback_app.services.surveys.lifecycle import (
    content_language,
    missing_content,
    untitled_languages,
)
from feedback_app.studio import access, event_import
from feedback_app.studio.forms import (
    ActionForm,
    BankForm,
    ClosingForm,
    NewSurveyForm,
    SurveyDetailsForm,
    bank_choices,
    choices,
    fill_titles,
    language_choices,
    typed_titles,
)

bp = Blueprint("studio", __name__, url_prefix="/studio")
staff_only = role_required(*access.STUDIO_ROLES)
TARGETS = {"open": SurveyStatus.OPEN, "closed": SurveyStatus.CLOSED}


def hash_text(text: str) -> str:
    """A short stable fingerprint for an ETag."""
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def keep_lang() -> str | None:
    """The ``?lang=`` of this request, so the interface language survives every click."""
    lang = request.args.get("lang")
    return lang if lang in INTERFACE_LANGUAGES else None


def to(endpoint: str, **values) -> str:
    """``url_for`` that keeps the chosen interface language."""
    return url_for(endpoint, lang=keep_lang(), **values)


@bp.context_processor
def studio_context() -> dict:
    """Helpers every studio template uses."""
    return {"to": to, "action_form": ActionForm(), "list_name": list_name()}


def list_name() -> str:
    """The survey list's name: an artist's own surveys, or every survey for the city's staff."""
    if current_user.is_authenticated and current_user.role == Role.ARTIST:
        return _("My surveys")
    return _("All surveys")


@bp.app_template_filter("studio_local_time")
def studio_local_time(moment) -> str:
    """A stored UTC time in Helsinki time (Flask-Babel converts naive UTC times)."""
    return format_datetime(moment, "short")


@bp.get("/")
@staff_only
def index():
    """My surveys, with status and response counts."""
    surveys = access.visible_surveys(current_user)
    counts = editing.response_counts([s.id for s in surveys])
    can_create = bool(access.creatable_projects(current_user))
    return render_template(
        "studio/index.html", surveys=surveys, counts=counts, can_create=can_create
    )


@bp.get("/counts.json")
@staff_only
def counts():
    """Answer counts of the listed surveys, polled by My surveys; 304 while unchanged."""
    surveys = access.visible_surveys(current_user)
    current = editing.response_counts([s.id for s in surveys])
    etag = hash_text(" ".join(f"{s.id}:{current.get(s.id, 0)}" for s in surveys))
    if request.if_none_match.contains(etag):
        return Response(status=304, headers={"ETag": f'"{etag}"'})
    response = jsonify({"counts": {str(s.id): current.get(s.id, 0) for s in surveys}})
    response.set_etag(etag)
    return response


@bp.route("/surveys/new", methods=["GET", "POST"])
@staff_only
def new_survey():
    """Create a survey: project, title, date and venue are enough.

    ``?le_text=&le_date=`` searches Linked Events; ``?event=<id>`` fills the form from one.
    """
    projects = access.creatable_projects(current_user)
    form = NewSurveyForm()
    form.project.choices = choices(
        (p.id, f"{p.name} – {p.district.name(str(get_locale()))}") for p in projects
    )
    form.languages.choices = language_choices()
    form.bank.choices = bank_choices(str(get_locale()))
    if current_user.role == Role.OFFICIAL:
        abort(403)  # officials read surveys; they do not make them
    if not projects:
        flash(_("You are not a member of any project yet. Ask an admin to add you."), "error")
        return redirect(to("studio.index"))
    found = event_import.EventSearch()
    if not form.is_submitted():
        found = event_import.from_request()
        event_import.fill_form(form, found, projects, str(get_locale()))
    if form.validate_on_submit():
        survey = editing.create_studio_survey(
            project=access.find_creatable_project(current_user, form.project.data),
            title=form.title.data,
            event_date=form.event_date.data,
            venue=form.venue.data or "",
            languages=form.languages.data or [],
            bank_keys=form.bank.data or [],
            closes_at=form.closes_at.data,
            titles=form.imported_titles(),
            linked_event_id=form.linked_event.data or "",
        )
        flash(_("Survey created as a draft. Check it, then publish."), "info")
        return redirect(to("studio.survey", survey_id=survey.id))
    status = 400 if form.is_submitted() else 200
    page = render_template("studio/new.html", form=form, projects=projects, found=found)
    return page, status


@bp.get("/surveys/<int:survey_id>")
@staff_only
def survey(survey_id: int):
    """One survey: status buttons, sharing, questions with missing translations."""
    survey = access.load_survey(survey_id)
    details = SurveyDetailsForm(obj=survey)
    details.languages.choices = language_choices()
    fill_titles(details, survey.titles)
    bank = BankForm(bank=[q.key for q in survey.questions])
    bank.bank.choices = bank_choices(str(get_locale()))
    closing = ClosingForm(closes_at=editing.utc_to_helsinki(survey.closes_at))
    return render_template(
        "studio/survey.html",
        survey=survey,
        details=details,
        bank=bank,
        closing=closing,
        locked=editing.has_responses(survey),
        missing=editing.missing_translations(survey),
        content_missing=missing_content(survey),
        untitled=untitled_languages(survey),
        can_edit=access.may_edit(current_user, survey),
        link=public_link(survey.code),
        kiosk_link=public_url("survey.kiosk", code=survey.code),
        count=editing.response_counts([survey.id]).get(survey.id, 0),
    )


@bp.post("/surveys/<int:survey_id>/details")
@staff_only
def update_details(survey_id: int):
    """Save title, date, venue and languages (allowed even after answers arrive)."""
    survey = access.load_survey(survey_id, write=True)
    form = SurveyDetailsForm()
    form.languages.choices = language_choices()
    if form.validate_on_submit():
        editing.update_details(
            survey,
            title=form.title.data,
            event_date=form.event_date.data,
            venue=form.venue.data or "",
            languages=form.languages.data or [],
            titles=typed_titles(form, list(survey.languages)),
        )
        flash(_("Saved."), "info")
    else:
        flash(_("Please check the event details: a title and a date are needed."), "error")
    return redirect(to("studio.survey", survey_id=survey.id))


@bp.post("/surveys/<int:survey_id>/status/<target>")
@staff_only
def move(survey_id: int, target: str):
    """Publish, close or reopen."""
    survey = access.load_survey(survey_id, write=True)
    if target not in TARGETS or not ActionForm().validate_on_submit():
        return redirect(to("studio.survey", survey_id=survey.id))
    if target == "closed" and request.form.get("confirm") != "yes":
        # Residents stop being able to answer at once: never on a single tap.
        return redirect(to("studio.close_confirm", survey_id=survey.id))
    try:
        editing.move_survey(survey, TARGETS[target])
    except InvalidTransition:
        flash(
            _("That change is not possible now: a published survey cannot return to draft."),
            "error",
        )
    else:
        messages = {
            "open": _("The survey is open for answers."),
            "closed": _("The survey is closed."),
        }
        flash(messages[target], "info")
    return redirect(to("studio.survey", survey_id=survey.id))


@bp.get("/surveys/<int:survey_id>/close")
@staff_only
def close_confirm(survey_id: int):
    """Ask before closing: what closing means, and how many have answered so far."""
    survey = access.load_survey(survey_id, write=True)
    if survey.effective_status() != SurveyStatus.OPEN:
        return redirect(to("studio.survey", survey_id=survey.id))
    count = editing.response_counts([survey.id]).get(survey.id, 0)
    return render_template("studio/close.html", survey=survey, count=count)


@bp.post("/surveys/<int:survey_id>/closing")
@staff_only
def closing(survey_id: int):
    """Set or clear the automatic closing time."""
    survey = access.load_survey(survey_id, write=True)
    form = ClosingForm()
    if form.validate_on_submit():
        editing.set_closing_time(survey, form.closes_at.data)
        flash(_("Closing time saved."), "info")
    else:
        flash(_("Please give the closing time as a date and time."), "error")
    return redirect(to("studio.survey", survey_id=survey.id))


@bp.post("/surveys/<int:survey_id>/duplicate")
@staff_only
def duplicate(survey_id: int):
    """Copy the survey for the next event: a new draft with a new code."""
    survey = access.load_survey(survey_id, write=True)
    if not ActionForm().validate_on_submit():
        return redirect(to("studio.survey", survey_id=survey.id))
    copy = editing.duplicate_survey(survey)
    flash(_("Copy created as a draft with today's date. Check the title and date."), "info")
    return redirect(to("studio.survey", survey_id=copy.id))


@bp.get("/surveys/<int:survey_id>/preview")
@staff_only
def preview(survey_id: int):
    """The survey exactly as residents see it, with a preview banner and no sending."""
    survey = access.load_survey(survey_id)
    g.page_language = content_language(survey, requested_language(), str(get_locale()))
    return render_template("studio/preview.html", survey=survey, chosen={}, error=None)
