"""Staff sessions never reach residents' pages, and link secrets never reach a log."""

from __future__ import annotations

import logging
import re
import threading

import pytest
from werkzeug.serving import make_server

from feedback_app.services.demo import seed_demo
from feedback_app.services.people.invitations import create_invitation
from tests.conftest import new_client_id
from tests.servers import Server, prepare_database, request, server_env
from tests.test_auth_invitation import NEW_PASSWORD, accept


def _resident_pages(code: str) -> list[str]:
    """A survey, its thank-you page and its public summary."""
    return [f"/s/{code}", f"/s/{code}/thanks", f"/api/v1/surveys/{code}/summary"]


def test_signed_in_staff_get_no_cookie_on_resident_pages(app, make_survey):
    """A new staff member with a welcome message waiting opens a survey: no Set-Cookie.

    Before, the page layout read the waiting message out of the session, and Flask sent
    the changed session back as a cookie on the resident's page.
    """
    code = make_survey()
    with app.app_context():
        _, raw = create_invitation("uusi@example.org", "official", [])
    staff = app.test_client()
    assert accept(staff, f"/invite/{raw}", NEW_PASSWORD).status_code == 302
    for path in _resident_pages(code):
        response = staff.get(path)
        assert response.status_code == 200, path
        assert "Set-Cookie" not in response.headers, path
    # The message was left for the next staff page, which also keeps the session going.
    dashboard = staff.get("/dashboard/?lang=en")
    assert "Welcome! Your account is ready." in dashboard.text


def test_resident_pages_set_no_cookie_for_a_signed_in_admin(app, client, auth, make_account):
    """Signed in, with a CSRF token issued, on every resident page and a plain-form answer."""
    with app.app_context():
        seed_demo()
    auth.login(make_account("admin"))
    auth.csrf_token("/admin/")
    for path in _resident_pages("demo"):
        assert "Set-Cookie" not in client.get(path).headers, path
    form = {"q_joy": "4", "q_belonging": "3", "q_safety": "5", "client_id": new_client_id()}
    answered = client.post("/s/demo", data=form)
    assert answered.status_code == 303 and "Set-Cookie" not in answered.headers
    assert client.get("/admin/").status_code == 200  # still signed in


def _werkzeug_server(app):
    """The development server (``make run``) in a thread; returns (server, base URL)."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def test_link_secrets_never_reach_the_development_server_log(app, caplog):
    """Invitation and password-link tokens are redacted in the werkzeug request log."""
    with app.app_context():
        _, raw = create_invitation("uusi@example.org", "official", [])
    server, base = _werkzeug_server(app)
    try:
        with caplog.at_level(logging.INFO, logger="werkzeug"):
            for path in (f"/invite/{raw}", f"//invite/{raw}", f"/login?next=/invite/{raw}"):
                request("GET", base + path)
    finally:
        server.shutdown()
        server.server_close()
    assert "/invite/[token]" in caplog.text
    assert raw not in caplog.text


@pytest.mark.slow
def test_link_secrets_never_reach_the_gunicorn_access_log(tmp_path):
    """Gunicorn leaves out every request line naming an invitation path, however written."""
    env = server_env(f"sqlite:///{tmp_path / 'logs.sqlite3'}")
    prepare_database(env)
    log = tmp_path / "gunicorn.log"
    server = Server(env, workers=1, log_path=log).start()
    secret = "Zz9-secret-link-token"
    try:
        for path in (f"/invite/{secret}1", f"//invite/{secret}2", f"/login?next=/invite/{secret}3"):
            request("GET", server.base + path)
        assert request("GET", f"{server.base}/login")[0] == 200
    finally:
        server.stop()
    text = log.read_text()
    assert '"GET /login HTTP/1.1" 200' in text
    assert not re.search(secret, text), text
