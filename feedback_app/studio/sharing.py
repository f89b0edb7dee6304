"""QR codes and posters at ``/s/<code>/…``: public for published surveys, staff-only for drafts.

These routes sit beside the residents' pages, so for published surveys they never read or
write the session: no cookie is set and nothing ties a download to a person.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, request
from sqlalchemy import select

from feedback_app.extensions import db, limiter
from feedback_app.models import Survey, SurveyStatus
from feedback_app.ratelimit import read_limit
from feedback_app.services.reports import poster, qr

sharing_bp = Blueprint("sharing", __name__, url_prefix="/s")
PUBLIC_CACHE = "public, max-age=3600"


def _shareable(code: str) -> tuple[Survey, bool]:
    """The survey and whether it is public; drafts only for staff allowed on them."""
    survey = db.session.scalar(select(Survey).where(Survey.code == code))
    if survey is None:
        abort(404)
    if survey.status != SurveyStatus.DRAFT:
        return survey, True
    # Only a draft consults the session: the resident path stays cookie-free.
    from flask_login import current_user

    from feedback_app.studio.access import may_read

    if not current_user.is_authenticated or not may_read(current_user, survey):
        abort(404)
    return survey, False


def _send(body: bytes | str, mimetype: str, public: bool, filename: str | None = None):
    """A file response, cached publicly only when the survey is published."""
    response = Response(body, mimetype=mimetype)
    response.headers["Cache-Control"] = PUBLIC_CACHE if public else "private, no-store"
    if filename:
        response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@sharing_bp.get("/<code>/qr.png")
@limiter.shared_limit(read_limit, scope="resident-reads")
def qr_png(code: str):
    """The survey's link as a PNG QR code; ``?dpi=300`` gives a 13 cm code for print."""
    survey, public = _shareable(code)
    link = qr.public_link(survey.code)
    if "dpi" not in request.args:
        return _send(qr.qr_png(link), "image/png", public)
    dpi = request.args.get("dpi", type=int)
    low, high = qr.PRINT_DPI_RANGE
    if dpi is None or not low <= dpi <= high:
        abort(400, description=f"dpi: a whole number from {low} to {high}")
    return _send(qr.qr_print_png(link, dpi), "image/png", public)


@sharing_bp.get("/<code>/qr.svg")
@limiter.shared_limit(read_limit, scope="resident-reads")
def qr_svg(code: str):
    """The survey's link as an SVG QR code, sharp at any print size."""
    survey, public = _shareable(code)
    return _send(qr.qr_svg(qr.public_link(survey.code)), "image/svg+xml", public)


@sharing_bp.get("/<code>/poster.pdf")
@limiter.shared_limit(read_limit, scope="resident-reads")
def poster_pdf(code: str):
    """An A4 (``?size=a3``: A3) poster: title, call to action in each language, large QR."""
    survey, public = _shareable(code)
    size = request.args.get("size", poster.DEFAULT_SIZE)
    if size not in poster.SIZES:
        abort(400, description="size: a4 or a3")
    body = poster.poster_pdf(
        survey.title,
        qr.public_link(survey.code),
        tuple(survey.languages or ()),
        size,
        survey.venue or "",
        survey.event_date,
    )
    return _send(body, "application/pdf", public, f"fiilis-{survey.code}-{size}.pdf")
