"""Dashboard data: JSON for charts and live updates, the CSV and XLSX exports, and plotly.js."""

from __future__ import annotations

from flask import Response, abort, jsonify, render_template, request
from flask_babel import gettext as _

from feedback_app.dashboard.views import (
    STAFF_ROLES,
    bp,
    language,
    min_group,
    plotly_dir,
    selection,
    today,
)
from feedback_app.security import role_required
from feedback_app.services.charts import dashboard_charts as charts
from feedback_app.services.figures import district_results
from feedback_app.services.reports import dashboard_export, exports

# The polling interval is well under the 10 s promise, and each poll costs two index reads.
LIVE_POLL_SECONDS = 3


@bp.get("/data/summary.json")
@role_required(*STAFF_ROLES)
def summary_data():
    """The district summary the cards show, as JSON."""
    filters, _problems = selection()
    return jsonify(district_results.district_summary(filters, min_group(), today()))


@bp.get("/data/stamp.json")
@role_required(*STAFF_ROLES)
def stamp():
    """A fingerprint of the stored answers; 304 while nothing has changed.

    The ETag comes from the database, so it is the same whichever gunicorn worker answers.
    """
    tag = district_results.live_stamp()
    if request.if_none_match.contains(tag):
        response = Response(status=304)
    else:
        response = jsonify({"stamp": tag, "poll_seconds": LIVE_POLL_SECONDS})
    response.set_etag(tag)
    response.headers["Cache-Control"] = "no-cache, private"
    return response


def refusal(title: str) -> tuple[str, int]:
    """A 400 page for a download whose parameters were not understood."""
    return render_template("errors/error.html", status=400, title=title), 400


def download(body: bytes, mimetype: str, name: str) -> Response:
    """A file download that no shared proxy keeps (it holds unpublished figures)."""
    return Response(
        body,
        mimetype=mimetype,
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "private, no-store",
        },
    )


def unknown_dialect(value: str) -> tuple[str, int]:
    """The 400 for a ``dialect=`` that names no CSV dialect."""
    title = _(
        "Unknown CSV dialect %(value)s: use dialect=excel-fi (Finnish Excel) or dialect=standard.",
        value=repr(value),
    )
    return refusal(title)


@bp.get("/export.csv")
@role_required(*STAFF_ROLES)
def export():
    """One row per district, project and event × month or quarter × indicator (README).

    A filter that was not understood refuses the download: a file has no place for the
    page's notice, and figures under a dropped filter would carry a misleading heading.
    """
    filters, problems = selection()
    if problems:
        return refusal(_("Some filters were not understood: %(names)s", names=", ".join(problems)))
    try:
        dialect = exports.choose_dialect(request.args.get("dialect"), language())
    except exports.UnknownDialect as unknown:
        return unknown_dialect(str(unknown))
    contents = dashboard_export.gather(filters, min_group(), today())
    body = dashboard_export.csv_body(contents, dialect)
    return download(body, "text/csv", dashboard_export.filename(filters, "csv"))


@bp.get("/export.xlsx")
@role_required(*STAFF_ROLES)
def export_xlsx():
    """The workbook: districts, projects, events, periods and the method, in the page language."""
    filters, problems = selection()
    if problems:
        return refusal(_("Some filters were not understood: %(names)s", names=", ".join(problems)))
    contents = dashboard_export.gather(filters, min_group(), today())
    body = dashboard_export.workbook(contents, language(), today())
    return download(body, exports.XLSX_MIMETYPE, dashboard_export.filename(filters, "xlsx"))


@bp.get("/static/plotly-<version>.min.js")
def plotly_js(version: str):
    """plotly.js, pre-compressed (brotli or gzip, whichever the browser takes), cached for a
    year: ``version`` names the bundle and its content hash, so a new file has a new URL.

    Public (no sign-in) because it is the unchanged open-source library; no CDN is used.
    """
    bundle = charts.plotly_bundle(plotly_dir())
    if version != bundle.name:
        abort(404)
    encoding = charts.best_encoding(bundle, request.accept_encodings)
    body = bundle.encoded[encoding] if encoding else bundle.raw
    response = Response(body, mimetype="text/javascript")
    if encoding:
        response.headers["Content-Encoding"] = encoding
    response.headers["Vary"] = "Accept-Encoding"
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
