"""Dashboard pages: read the filters, call one service, render."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from feedback_app.extensions import db
from feedback_app.models import Project
from feedback_app.security import role_required
from feedback_app.services.charts import dashboard_charts as charts
from feedback_app.services.figures import district_filters, district_reports, district_results
from feedback_app.services.reports import report_content
from feedback_app.services.reports import report_pdf as report_pdf_service

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")

HELSINKI = ZoneInfo("Europe/Helsinki")
STAFF_ROLES = ("official", "admin")


def today():
    """Today's date in Helsinki, where the quarters are counted."""
    return datetime.now(HELSINKI).date()


FILTER_LABELS = {
    "period": _l("Grant period"),
    "year": _l("Year"),
    "quarter": _l("Quarter"),
    "from": _l("From"),
    "to": _l("To"),
    "district": _l("District"),
    "project": _l("Project"),
    "tier": _l("Survey tier"),
    "granularity": _l("Trend by"),
}


def selection() -> tuple[district_filters.Filters, list[str]]:
    """The filters from the query string, and each argument that was not understood, named
    with its form label and the value given (``District: nowhere``)."""
    filters, problems = district_filters.parse_filters(request.args, today())
    filters = district_filters.known(filters, problems)
    return filters, [
        f"{FILTER_LABELS.get(name, name)}: {(request.args.get(name) or '').strip()[:60]}"
        for name in problems
    ]


def min_group() -> int:
    """The smallest group whose figures are shown (MIN_GROUP_SIZE)."""
    return current_app.config["MIN_GROUP_SIZE"]


def plotly_dir() -> str:
    """Where ``make assets`` put the partial plotly.js bundle (PLOTLY_BUNDLE_DIR)."""
    return current_app.config["PLOTLY_BUNDLE_DIR"]


def language() -> str:
    """The interface language of this request."""
    return str(get_locale())


def page_context(filters: district_filters.Filters, problems: list[str]) -> dict:
    """What every dashboard page's filter form and links need."""
    return {
        "filters": filters,
        "problems": problems,
        "choices": district_reports.filter_choices(filters),
        "lang": language(),
        "min_group": min_group(),
        "plotly_name": charts.plotly_bundle(plotly_dir()).name,
        "plotly_style_guards": charts.plotly_style_guards(plotly_dir()),
    }


@bp.app_template_filter("dashboard_number")
def dashboard_number(value: float) -> str:
    """One decimal in the interface language's notation."""
    return charts.number(value)


@bp.app_template_filter("dashboard_signed")
def dashboard_signed(value: float) -> str:
    """A change with its sign and one decimal in the interface language's notation."""
    return charts.signed(value)


@bp.context_processor
def indicator_names() -> dict:
    """Indicator names in the interface language, for the dashboard's tables."""
    return {"indicator_names": {key: charts.indicator_name(key) for key in charts.INDICATOR_NAMES}}


@bp.get("/")
@role_required(*STAFF_ROLES)
def index():
    """The target districts side by side, charts, and drill-down by district and project."""
    filters, problems = selection()
    # Read before the figures, so an answer arriving meanwhile still triggers a refresh.
    stamp = district_results.live_stamp()
    summary = district_results.district_summary(filters, min_group(), today())
    tables = charts.all_charts(filters, min_group(), today(), language(), summary)
    projects = events = None
    if filters.district or filters.project:
        projects = district_reports.breakdown(filters, "project", min_group())
    if filters.project:
        events = district_reports.breakdown(filters, "survey", min_group())
    return render_template(
        "dashboard/index.html",
        summary=summary,
        stamp=stamp,
        tables=tables,
        projects=projects,
        events=events,
        chart_names=charts.CHARTS,
        **page_context(filters, problems),
    )


@bp.get("/residents")
@role_required(*STAFF_ROLES)
def residents():
    """The resident tier report; area actors and art institutions in their own tables."""
    filters, problems = selection()
    report = district_reports.tier_report(filters, min_group())
    return render_template(
        "dashboard/residents.html", report=report, **page_context(filters, problems)
    )


@bp.get("/data/cards.html")
@role_required(*STAFF_ROLES)
def cards():
    """Only the district cards, for the live refresh of an open dashboard."""
    filters, _problems = selection()
    summary = district_results.district_summary(filters, min_group(), today())
    return render_template(
        "dashboard/_cards.html", summary=summary, **page_context(filters, _problems)
    )


@bp.get("/data/charts.json")
@role_required(*STAFF_ROLES)
def all_chart_data():
    """Every chart of the page in one response: one summary scan and one trend scan."""
    filters, _problems = selection()
    return charts.all_charts(filters, min_group(), today(), language())


@bp.get("/data/chart/<name>.json")
@role_required(*STAFF_ROLES)
def chart_data(name: str):
    """One chart's Plotly figure and its data table, as JSON."""
    if name not in charts.CHARTS:
        abort(404)
    filters, _problems = selection()
    return charts.chart(name, filters, min_group(), today(), language())


@bp.get("/report.pdf")
@role_required(*STAFF_ROLES)
def report_pdf():
    """The printable report for the current filter: a period × districts, or one project.

    ``district`` may be given more than once to put several districts in one report.
    """
    filters, problems = selection()
    slugs = list(dict.fromkeys(request.args.getlist("district")))
    if problems or len(slugs) > report_content.MAX_DISTRICTS:
        abort(400, description=", ".join(problems) or "district")
    try:
        if filters.project:
            project = db.get_or_404(Project, filters.project)
            report = report_content.project_report(project, filters, min_group(), today())
        else:
            report = report_content.period_report(filters, slugs, min_group(), today())
    except report_content.UnknownDistricts as unknown:
        abort(400, description=f"district: {unknown}")
    return pdf_response(report_pdf_service.render_pdf(report, language()), report)


def pdf_response(body: bytes, report: report_content.Report) -> Response:
    """A PDF download that is never cached by a shared proxy (it holds unpublished figures)."""
    response = Response(body, mimetype="application/pdf")
    name = report_pdf_service.filename(report)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
