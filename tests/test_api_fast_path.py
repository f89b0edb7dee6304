"""The submission route's lean dispatch answers exactly like the full Flask app."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from werkzeug.test import Client

from feedback_app.api.fast_path import SubmissionFastPath
from feedback_app.extensions import db, limiter
from feedback_app.models import Answer, Response, ScoreTally
from tests.conftest import new_client_id

URL = "/api/v1/surveys/test/responses"
CORE = {"joy": 4, "belonging": 5, "safety": 3}


@pytest.fixture
def flask_calls(app, monkeypatch):
    """Count the requests the middleware hands on to the full Flask app."""
    middleware = app.wsgi_app
    assert isinstance(middleware, SubmissionFastPath)
    calls = []
    inner = middleware.wsgi_app

    def counting(environ, start_response):
        calls.append(environ["PATH_INFO"])
        return inner(environ, start_response)

    monkeypatch.setattr(middleware, "wsgi_app", counting)
    return calls


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_success_is_answered_by_the_lean_path_and_stored(app, client, make_survey, flask_calls):
    """201, no Flask dispatch, the response, its answers and tallies stored, no cookie."""
    make_survey()
    client_id = new_client_id()
    answer = client.post(URL, json={"client_id": client_id, "locale": "fi", "answers": CORE})
    assert answer.status_code == 201 and flask_calls == []
    assert answer.json == {
        "status": "created",
        "client_id": client_id,
        "summary_url": "/api/v1/surveys/test/summary",
    }
    assert "Set-Cookie" not in answer.headers
    assert _count(app, Response) == 1 and _count(app, Answer) == 3
    assert _count(app, ScoreTally) == 3
    replay = client.post(URL, json={"client_id": client_id, "locale": "fi", "answers": CORE})
    assert replay.status_code == 200 and replay.json["status"] == "duplicate"
    assert flask_calls == [] and _count(app, Response) == 1


def test_same_body_and_headers_as_the_flask_view(app, client, make_survey, flask_calls):
    """The lean answer matches the full app's (called past the middleware) byte for byte."""
    make_survey()
    lean = client.post(URL, json={"client_id": new_client_id(), "answers": CORE})
    assert flask_calls == []
    full_app = Client(app.wsgi_app.wsgi_app, app.response_class)
    full = full_app.post(URL, json={"client_id": new_client_id(), "answers": CORE})
    assert flask_calls == [URL]
    assert (lean.status, full.status) == ("201 CREATED", "201 CREATED")
    assert lean.headers["Content-Security-Policy"] == full.headers["Content-Security-Policy"]
    assert lean.headers["Cache-Control"] == "no-store"
    assert lean.headers["Referrer-Policy"] == "no-referrer"
    assert sorted(lean.headers.keys()) == sorted(full.headers.keys())
    for name, value in full.headers.items():
        if name != "Content-Length":
            assert lean.headers[name] == value, name
    assert lean.data.replace(lean.json["client_id"].encode(), b"") == full.data.replace(
        full.json["client_id"].encode(), b""
    )


@pytest.mark.parametrize(
    ("path", "body", "kwargs", "status", "error"),
    [
        ("/api/v1/surveys/nope/responses", {"answers": CORE}, {}, 404, "not_found"),
        (URL, {"answers": CORE}, {}, 422, "invalid"),  # no client_id
        (URL, {"client_id": "x", "answers": CORE}, {}, 422, "invalid"),
        (URL, {"client_id": None, "answers": {"joy": 9}}, {}, 422, "invalid"),
        (URL, {"spam": 1}, {}, 422, "invalid"),
        (URL, [1, 2], {}, 400, "malformed_json"),
        (URL, None, {"data": b"{not json", "content_type": "application/json"}, 400, None),
        (URL, None, {"data": b"{}", "content_type": "text/plain"}, 415, None),
    ],
)
def test_everything_but_success_is_answered_by_flask(
    app, client, make_survey, flask_calls, path, body, kwargs, status, error
):
    """Errors keep the full app's status codes and JSON error format; nothing is stored."""
    make_survey()
    if body is not None:
        if isinstance(body, dict) and body.get("client_id", "") is None:
            body["client_id"] = new_client_id()
        kwargs = {"json": body}
    answer = client.post(path, **kwargs)
    assert answer.status_code == status
    assert flask_calls == [path]
    assert set(answer.json) == {"error", "message", "field"}
    if error:
        assert answer.json["error"] == error
    assert _count(app, Response) == 0


def test_conflicting_replay_gets_409_from_flask(app, client, make_survey, flask_calls):
    """Same client_id, other answers: stored once, the full app answers the conflict."""
    make_survey()
    client_id = new_client_id()
    assert client.post(URL, json={"client_id": client_id, "answers": CORE}).status_code == 201
    other = dict(CORE, joy=1)
    answer = client.post(URL, json={"client_id": client_id, "answers": other})
    assert answer.status_code == 409 and answer.json["field"] == "client_id"
    assert flask_calls == [URL] and _count(app, Response) == 1


def test_rate_limits_on_take_the_flask_route(app, client, make_survey, flask_calls, monkeypatch):
    """With limits switched on every submission goes through Flask-Limiter."""
    make_survey()
    monkeypatch.setattr(limiter, "enabled", True)
    answer = client.post(URL, json={"client_id": new_client_id(), "answers": CORE})
    assert answer.status_code == 201 and flask_calls == [URL]


def test_too_large_body_is_refused_by_flask(app, client, make_survey, flask_calls):
    """Bodies over MAX_CONTENT_LENGTH never reach the lean path."""
    make_survey()
    big = {"client_id": new_client_id(), "answers": dict(CORE, comment="x" * 20000)}
    answer = client.post(URL, json=big)
    assert answer.status_code == 413 and flask_calls == [URL]
    assert _count(app, Response) == 0
