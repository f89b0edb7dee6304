"""Lean dispatch for the route a festival crowd hits: ``POST /api/v1/surveys/<code>/responses``.

Flask's request machinery (request context, session, URL matching, response object,
header bookkeeping) cost more per answer than storing it (see ``make bench``). This WSGI
middleware, installed in ``create_app`` so the test client goes through it too, answers
the *plain success* of that one route itself, calling the very same code as the view:
``answer_target.submit`` and ``api.views.store_body`` (validation, fingerprint,
insert-or-ignore, tallies, commit). The answer carries the same JSON body and the same
headers, taken once from the app's own ``after_request`` hooks (security headers).

Everything else goes to the full Flask app, untouched: other routes and methods, rate
limits switched on, a cookie or anything unusual in the request, and every outcome but
success (unknown or closed survey, bad JSON, invalid answers, conflicting replays, errors).
Nothing has been written by then, or the write was an insert-or-ignore on ``client_id``
that the full app repeats harmlessly (an identical replay answers 200), so the full app's
answer (status, JSON error format, logging) is exactly what it would have been alone.
"""

from __future__ import annotations

import json
import re
from contextlib import nullcontext
from functools import cache, lru_cache
from io import BytesIO

from flask import Flask, current_app, has_app_context
from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.wsgi import host_is_trusted

from feedback_app.extensions import limiter

# Survey codes are ASCII; anything needing URL decoding takes the ordinary route.
ROUTE = re.compile(r"/api/v1/surveys/([A-Za-z0-9_-]{1,64})/responses")
PROBE_PATH = "/api/v1/surveys/probe/responses"
STATUS = {code: f"{code} {HTTP_STATUS_CODES[code].upper()}" for code in (200, 201)}
ANSWER_JSON = json.JSONEncoder(separators=(",", ":"), sort_keys=True)


class SubmissionFastPath:
    """WSGI middleware: the submission route's success without Flask's per-request cost."""

    def __init__(self, app: Flask, wsgi_app) -> None:
        """Wrap ``wsgi_app`` (the Flask app's own) for ``app``."""
        self.app = app
        self.wsgi_app = wsgi_app
        self._headers: list[tuple[str, str]] | None = None

    def __call__(self, environ, start_response):
        """Answer a plain successful submission here; hand everything else to Flask."""
        match = ROUTE.fullmatch(environ.get("PATH_INFO", ""))
        if match is None or not self._eligible(environ):
            return self.wsgi_app(environ, start_response)
        length = int(environ["CONTENT_LENGTH"])
        body = environ["wsgi.input"].read(length)
        # The full app may still need the body: give it a fresh copy to read.
        environ["wsgi.input"] = BytesIO(body)
        answer = self._store(match.group(1), body, environ.get("SCRIPT_NAME", ""))
        if answer is None:
            return self.wsgi_app(environ, start_response)
        status, data = answer
        start_response(
            STATUS[status],
            [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
            + self._headers,
        )
        return [data]

    def _eligible(self, environ) -> bool:
        """A resident's JSON POST of a sane size, with limits off and no cookie."""
        if environ.get("REQUEST_METHOD") != "POST" or limiter.enabled or "HTTP_COOKIE" in environ:
            return False
        # An unknown Host is Flask's to refuse (TRUSTED_HOSTS in production: 400).
        trusted = self.app.config.get("TRUSTED_HOSTS")
        if trusted is not None and not host_is_trusted(environ.get("HTTP_HOST"), trusted):
            return False
        mimetype = environ.get("CONTENT_TYPE", "").split(";", 1)[0].strip().lower()
        length = environ.get("CONTENT_LENGTH", "")
        if mimetype != "application/json" or not length.isdigit():
            return False
        limit = self.app.config.get("MAX_CONTENT_LENGTH")
        if not 0 < int(length) <= (limit or int(length)):
            return False
        if self._headers is None:
            self._headers = self._probe_headers()
        return self._headers is not None

    def _store(self, code: str, body: bytes, script_name: str) -> tuple[int, bytes] | None:
        """Store the answer like the view does; ``(status, JSON)`` on success, else None."""
        store_body, unknown_field, submit = _services()
        reuse = has_app_context() and current_app._get_current_object() is self.app
        with nullcontext() if reuse else self.app.app_context():
            try:
                payload = self.app.json.loads(body)
                if not isinstance(payload, dict) or unknown_field(payload):
                    return None
                client_id, outcome = submit(code, lambda survey: store_body(survey, payload))
            except Exception:  # noqa: BLE001 (the full app answers every failure itself)
                return None
            answer = {
                "client_id": client_id,
                "status": "created" if outcome.created else "duplicate",
                "summary_url": _summary_url(self.app, script_name, code),
            }
        # As Flask's jsonify outside debug mode: compact, sorted keys, newline.
        return (201 if outcome.created else 200), (ANSWER_JSON.encode(answer) + "\n").encode()

    def _probe_headers(self) -> list[tuple[str, str]] | None:
        """The headers the app's ``after_request`` hooks add to an answer on this route.

        Asked once from the hooks themselves, so a header added there later is sent here
        too. None (fast path off) if they would set a cookie: residents get none.
        """
        with self.app.test_request_context(PROBE_PATH, method="POST"):
            response = self.app.response_class(status=201, mimetype="application/json")
            response = self.app.process_response(response)
        headers = [
            (name, value)
            for name, value in response.headers.items()
            if name.lower() not in ("content-type", "content-length")
        ]
        if any(name.lower() == "set-cookie" for name, _ in headers):
            return None
        return headers


@cache
def _services():
    """The view's own helpers, imported on first use (the views import this module's app)."""
    from feedback_app.api.views import store_body, unknown_field
    from feedback_app.services.answer_target import submit

    return store_body, unknown_field, submit


@lru_cache(maxsize=1024)
def _summary_url(app: Flask, script_name: str, code: str) -> str:
    """``url_for("api.summary", code=code)`` as the view builds it, remembered per code."""
    return app.url_map.bind("localhost", script_name=script_name or "/").build(
        "api.summary", {"code": code}
    )
