"""Errors as JSON for the API and as friendly HTML pages for people, never a framework page."""

from __future__ import annotations

import time

from flask import Flask, current_app, jsonify, redirect, render_template, request, url_for
from flask.globals import request_ctx
from flask_babel import lazy_gettext as _l
from markupsafe import escape
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter, PathConverter, UnicodeConverter

TITLES = {
    400: _l("The request could not be understood"),
    403: _l("You do not have access to this page"),
    404: _l("Page not found"),
    405: _l("This action is not allowed here"),
    409: _l("This answer was already sent"),
    410: _l("This is no longer available"),
    413: _l("The request was too large"),
    414: _l("The address is too long"),
    415: _l("Unsupported content type"),
    422: _l("Please check your answers"),
    429: _l("Too many attempts: please wait a moment"),
    500: _l("Something went wrong on our side"),
    503: _l("The service is busy right now: please try again in a moment"),
}
# Seconds a client is asked to wait when the database cannot be reached for the moment.
RETRY_AFTER_UNAVAILABLE = 5
# What a person can do next, for the errors a stray link or a mistyped address produces.
ADVICE = {
    400: _l("Check the address and try again, or start from the front page."),
    404: _l(
        "The address may be mistyped or the page may have been removed. If you came from a "
        "poster, check the survey address printed on it."
    ),
    405: _l("This address cannot be used like that. Open it as an ordinary link instead."),
    414: _l("Check the address and try again, or start from the front page."),
}
# The last resort when even the error template fails: plain, static, no request data in it.
FALLBACK_PAGE = (
    '<!doctype html><html lang="fi"><meta charset="utf-8"><title>Fiilis</title>'
    '<h1>Virhe · Fel · Error {status}</h1><p><a href="/">Fiilis</a></p></html>'
)


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


def error_page(status: int, title=None, advice=None):
    """The HTML error page in the visitor's language; a static page if rendering fails."""
    if request_ctx.url_adapter is None:
        # An untrusted or malformed Host: no URL can be built, so no template can render.
        body = FALLBACK_PAGE.format(status=escape(status))
        return current_app.response_class(body, status=status, mimetype="text/html")
    try:
        body = render_template(
            "errors/error.html",
            status=status,
            title=title or TITLES.get(status, TITLES[500]),
            advice=advice if advice is not None else ADVICE.get(status),
        )
    except Exception:  # noqa: BLE001 (an error page must never become a bare 500 itself)
        current_app.logger.exception("The error page for status %d failed", status)
        body = FALLBACK_PAGE.format(status=escape(status))
    return current_app.response_class(body, status=status, mimetype="text/html")


def typed_survey_redirect():
    """A redirect to the survey a hand-typed address means (``/DEMO``, ``/S/demo``), or None."""
    if request.method not in ("GET", "HEAD"):
        return None
    from feedback_app.services.surveys.survey_codes import public_code_for_path

    code = public_code_for_path(request.path)
    if code is None:
        return None
    from feedback_app.i18n import requested_language

    return redirect(url_for("survey.show", code=code, lang=requested_language()), code=302)


def handle_http_error(exc: HTTPException):
    """Render any HTTP error in the client's preferred format."""
    status = exc.code or 500
    if status == 404 and not request.path.startswith("/api/"):
        try:
            found = typed_survey_redirect()
        except Exception as error:
            # Whether the address means a survey cannot be told without the database.
            if not database_unavailable(error):
                raise
            return handle_unavailable(error)
        if found is not None:
            return found
    if wants_json():
        name = (exc.name or "error").lower().replace(" ", "_")
        response, status = json_error(status, name, exc.description or exc.name)
    else:
        response = error_page(status)
    # RFC 9110: a 405 must say which methods the resource does support.
    if getattr(exc, "valid_methods", None):
        response.headers["Allow"] = ", ".join(exc.valid_methods)
    if status == 429:
        response.headers.update(rate_limit_headers())
    return response, status


def rate_limit_headers() -> dict[str, str]:
    """``Retry-After`` and the breached limit's ``X-RateLimit-*`` figures, for a 429 only.

    Accepted requests carry none of them (``RATELIMIT_HEADERS_ENABLED`` is off): that saves
    reading the window figures from the limiter's storage on every answer.
    """
    from feedback_app.ratelimit import limiter

    breached = limiter.current_limit
    if breached is None:
        return {}
    try:
        reset_at = breached.reset_at
    except Exception:  # noqa: BLE001 (storage gone: the 429 stands, without the figures)
        current_app.logger.warning("Rate limit figures unavailable for a 429")
        return {}
    return {
        "Retry-After": str(max(1, int(reset_at - time.time()))),
        "X-RateLimit-Limit": str(breached.limit.amount),
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": str(reset_at),
    }


def database_unavailable(exc: Exception) -> bool:
    """Whether ``exc`` says the database cannot be reached now, not that a statement is wrong.

    A connection that could not be opened (the server down, restarting, or refusing more
    clients) is an ``OperationalError`` raised before any statement; a connection lost in
    use is marked invalidated; a pool with every connection busy past its timeout raises
    its own ``TimeoutError``. A failing statement (a missing table, say) is none of these
    and stays a 500, a bug to fix.
    """
    if isinstance(exc, PoolTimeout):
        return True
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, OperationalError) and exc.statement is None


def handle_unavailable(exc: Exception):
    """503 with ``Retry-After``: the resident's outbox sends the answer again after it."""
    cause = type(getattr(exc, "orig", None) or exc).__name__
    current_app.logger.warning(
        "Database unavailable on %s %s (%s): answered 503", request.method, request.url_rule, cause
    )
    if wants_json():
        response, _status = json_error(
            503, "unavailable", "The service is busy right now; send the request again shortly"
        )
    else:
        response = error_page(503)
    response.headers["Retry-After"] = str(RETRY_AFTER_UNAVAILABLE)
    return response, 503


def handle_unexpected(exc: Exception):
    """Log unexpected failures without request details and answer 500 (503 when the
    database is out of reach for the moment)."""
    if database_unavailable(exc):
        return handle_unavailable(exc)
    current_app.logger.exception("Unhandled error on %s %s", request.method, request.url_rule)
    if wants_json():
        return json_error(500, "internal_error", "Unexpected error")
    return error_page(500)


class DatabaseInteger(IntegerConverter):
    """``<int:…>`` limited to what an id column holds (PostgreSQL ``integer``).

    A 30-digit id in a path otherwise reaches the database driver and fails there (an
    ``OverflowError`` on SQLite, an out-of-range error on PostgreSQL): a 500 for a typo.
    """

    def __init__(self, url_map, fixed_digits: int = 0, min: int | None = None, max=None):
        """Werkzeug's integer converter with an upper bound of 2**31 - 1 by default."""
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max or 2**31 - 1)


# NUL and other control characters never belong in a path part; PostgreSQL refuses a NUL
# in a string outright, so ``/s/%00`` used to be a 500 there (and a plain miss on SQLite).
NO_CONTROL = r"[^/\x00-\x1f\x7f]"


class PrintableText(UnicodeConverter):
    """``<code>``-style path parts without control characters: a 404 on both databases."""

    def __init__(self, url_map, minlength: int = 1, maxlength=None, length=None):
        """Werkzeug's string converter, its character class narrowed."""
        super().__init__(url_map, minlength=minlength, maxlength=maxlength, length=length)
        self.regex = self.regex.replace("[^/]", NO_CONTROL, 1)


class PrintablePath(PathConverter):
    """``<path:…>`` without control characters (static file names)."""

    regex = rf"{NO_CONTROL}(?:{NO_CONTROL}|/)*?"


def install_converters(app: Flask) -> None:
    """Use the converters above; call before any blueprint adds its routes."""
    app.url_map.converters.update(
        int=DatabaseInteger, default=PrintableText, string=PrintableText, path=PrintablePath
    )


def register_error_handlers(app: Flask) -> None:
    """Install the handlers on the app."""
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)
