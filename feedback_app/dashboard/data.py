"""Dashboard data: JSON for charts and live updates, the CSV export, and plotly.js itself."""

from __future__ import annotations

from flask import Response, abort, jsonify, render_template, request
from flask_babel import gettext as _

from feedback_app.dashboard.views import (
    STAFF_ROLES,
    bp,
    min_group,
    plotly_dir,
    selection,
    today,
)
from feedback_app.security import role_required
from feedback_app.services.charts import dashboard_charts as charts
from feedback_app.services.figures import district_reports, district_results

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


@bp.get("/export.csv")
@role_required(*STAFF_ROLES)
def export():
    """One row per district × month or quarter × indicator (columns in the README).

    A filter that was not understood refuses the download: a file has no place for the
    page's notice, and figures under a dropped filter would carry a misleading heading.
    """
    filters, problems = selection()
    if problems:
        title = _("Some filters were not understood: %(names)s", names=", ".join(problems))
        return render_template("errors/error.html", status=400, title=title), 400
    rows = district_reports.export_rows(filters, min_group(), _("too few answers"))
    period = filters.period or "all"
    return Response(
        district_reports.export_csv(rows),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="fiilis-districts-{period}.csv"',
        },
    )


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
