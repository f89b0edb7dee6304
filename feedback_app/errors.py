"""Errors as JSON for the API and as friendly HTML pages for people."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

TITLES = {
    400: _l("The request could not be understood"),
    403: _l("You do not have access to this page"),
    404: _l("Page not found"),
    405: _l("This action is not allowed here"),
    409: _l("This answer was already sent"),
    410: _l("This is no longer available"),
    413: _l("The request was too large"),
    415: _l("Unsupported content type"),
    422: _l("Please check your answers"),
    429: _l("Too many attempts: please wait a moment"),
    500: _l("Something went wrong on our side"),
}


def wants_json() -> bool:
    """API paths and clients that ask for JSON get JSON."""
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return (
        best == "application/json"
        and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def json_error(status: int, error: str, message: str, field: str | None = None):
    """A JSON error body: ``{"error", "message", "field"}``."""
    return jsonify({"error": error, "message": message, "field": field}), status


def handle_http_error(exc: HTTPException):
    """Render any HTTP error in the client's preferred format."""
    status = exc.code or 500
    if wants_json():
        name = (exc.name or "error").lower().replace(" ", "_")
        response, status = json_error(status, name, exc.description or exc.name)
        # RFC 9110: a 405 must say which methods the resource does support.
        if getattr(exc, "valid_methods", None):
            response.headers["Allow"] = ", ".join(exc.valid_methods)
        return response, status
    title = TITLES.get(status, exc.name)
    return render_template("errors/error.html", status=status, title=title), status


def handle_unexpected(exc: Exception):
    """Log unexpected failures without request details and answer 500."""
    from flask import current_app

    current_app.logger.exception("Unhandled error on %s %s", request.method, request.url_rule)
    if wants_json():
        return json_error(500, "internal_error", "Unexpected error")
    return render_template("errors/error.html", status=500, title=TITLES[500]), 500


def register_error_handlers(app: Flask) -> None:
    """Install the handlers on the app."""
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)
