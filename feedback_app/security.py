"""Response headers, role checks and log redaction."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from functools import wraps

from flask import Flask, abort, request
from flask_login import current_user

# No inline or eval script anywhere; with 'self' only, injected markup cannot run code or
# send answers elsewhere. Frames are refused so a survey cannot be overlaid (clickjacking).
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; manifest-src 'self'; worker-src 'self'; font-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)

# What every response carries whoever asks; static files (served before Flask) carry it too.
FIXED_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}

STAFF_PREFIXES = (
    "/studio",
    "/dashboard",
    "/admin",
    "/login",
    "/logout",
    "/invite",
    "/account",
)


def set_security_headers(response):
    """Add the headers every response carries."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    path = request.path
    # Residents' pages send no Referer at all. Staff pages send it to this site only: over
    # HTTPS Flask-WTF's CSRF check requires a same-origin Referer on every form POST.
    staff = path.startswith(STAFF_PREFIXES)
    headers["Referrer-Policy"] = "same-origin" if staff else "no-referrer"
    headers.update(FIXED_HEADERS)
    # A survey link is meant for the people at one event, not for a search engine's index.
    if path.startswith("/s/") or response.status_code >= 400:
        headers["X-Robots-Tag"] = "noindex"
    # Answers, summaries and staff pages must never sit in a shared or offline cache.
    if path.startswith("/api/") or staff:
        headers.setdefault("Cache-Control", "no-store")
    return response


def set_static_file_headers(headers) -> None:
    """The headers of a static file: the fixed ones, the CSP (an SVG opened alone), no Referer."""
    headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    headers["Referrer-Policy"] = "no-referrer"
    for name, value in FIXED_HEADERS.items():
        headers[name] = value


def is_cross_site_form_post(headers, public_base_url: str) -> bool:
    """Whether a resident form post came from another site's page.

    The plain form needs no cookie, so CSRF tokens protect nothing there; the risk is another
    site making its visitors' browsers post answers (stuffing a survey from many addresses,
    past the per-address limits). ``Sec-Fetch-Site`` is the browser's own word on that;
    older browsers send only ``Origin``. Our pages send no Referer, so our own posts may carry
    ``Origin: null``; with neither header (no-JavaScript clients, old browsers) the post is
    accepted, so the cookie-free path keeps working everywhere.
    """
    fetch_site = headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        # "none" is a person's own action (a bookmark, the address bar), never another site.
        return fetch_site not in ("same-origin", "none")
    origin = headers.get("Origin")
    return origin not in (None, "null", public_base_url)


def role_required(*roles: str) -> Callable:
    """Allow a view only to signed-in accounts with one of ``roles`` (others get 403)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                from feedback_app.extensions import login_manager

                return login_manager.unauthorized()
            if current_user.role.value not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


class RedactAddresses(logging.Filter):
    """Strip the client address and exact time from the development server's access log.

    Werkzeug writes ``<ip> - - [<time>] "GET /s/demo …"``; for residents that pairs a person's
    address with the moment they answered, which must not be kept anywhere.
    """

    pattern = re.compile(r"^\S+ - - \[[^\]]*\] ")
    # Invitation links carry their secret in the path; keep it out of the log as well.
    secret_path = re.compile(r"/invite/[^\s?\"]+")

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record in place; never drop it."""
        if isinstance(record.msg, str):
            record.msg = self.pattern.sub("", record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(
                self.secret_path.sub("/invite/[token]", a) if isinstance(a, str) else a
                for a in record.args
            )
        return True


def install_log_redaction(app: Flask) -> None:
    """Attach ``RedactAddresses`` to the werkzeug logger once."""
    logger = logging.getLogger("werkzeug")
    if not any(isinstance(f, RedactAddresses) for f in logger.filters):
        logger.addFilter(RedactAddresses())
