"""Privacy and security on the resident path: no cookies, no identifying data, strict headers."""

import logging

import pytest
from sqlalchemy import inspect

from feedback_app.extensions import db
from feedback_app.models import Response
from feedback_app.security import RedactAddresses
from tests.conftest import new_client_id

CORE = {"joy": 4, "belonging": 5, "safety": 3}


def resident_requests(client):
    """Every kind of request a resident's phone makes, with its response."""
    yield client.get("/s/test")
    yield client.get("/s/test?lang=sv", headers={"Accept-Language": "sv"})
    yield client.post("/s/test", data={"q_joy": "5", "q_belonging": "4", "q_safety": "3"})
    yield client.post("/s/test", data={"q_joy": "9"})
    yield client.get("/s/test/thanks")
    yield client.get("/s/missing")
    yield client.post(
        "/api/v1/surveys/test/responses", json={"client_id": new_client_id(), "answers": CORE}
    )
    yield client.get("/api/v1/surveys/test/summary")
    stylesheet = client.get("/static/css/app.css")
    stylesheet.close()  # static files are streamed; close to release the file handle
    yield stylesheet


def test_resident_path_sets_no_cookies(client, make_survey):
    """Not a single Set-Cookie header anywhere a resident goes."""
    make_survey()
    for response in resident_requests(client):
        assert "Set-Cookie" not in response.headers, response.request.path
    assert client.get_cookie("session") is None


def test_security_headers_on_resident_pages(client, make_survey):
    """Strict CSP without inline or eval script, no framing, no referrer, no sniffing."""
    make_survey()
    for response in resident_requests(client):
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "frame-ancestors 'none'" in csp
        assert "default-src 'none'" in csp
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_resident_html_has_no_inline_script_or_style(client, make_survey):
    """The page itself contains nothing the CSP would have to allow inline."""
    make_survey()
    html = client.get("/s/test").get_data(as_text=True)
    assert "<script>" not in html and "style=" not in html and "onclick" not in html.lower()


def test_response_table_has_no_identifying_columns():
    """Anonymity by schema: nothing that could identify a person or a device."""
    columns = {c.name for c in inspect(Response).columns}
    assert columns == {
        "id",
        "survey_id",
        "client_id",
        "locale",
        "submitted_hour",
        "is_demo",
    }
    assert not {rel.key for rel in inspect(Response).relationships} - {"answers"}


def test_stored_time_is_coarsened_to_the_hour(app, client, make_survey):
    """Minutes and seconds are never stored."""
    make_survey()
    client.post(
        "/api/v1/surveys/test/responses", json={"client_id": new_client_id(), "answers": CORE}
    )
    with app.app_context():
        hour = db.session.query(Response.submitted_hour).scalar()
    assert (hour.minute, hour.second, hour.microsecond) == (0, 0, 0)


def test_address_and_agent_are_not_stored(app, client, make_survey):
    """A distinctive address and user agent appear nowhere in the stored rows."""
    make_survey()
    client.post(
        "/api/v1/surveys/test/responses",
        json={"client_id": new_client_id(), "answers": CORE},
        environ_base={"REMOTE_ADDR": "203.0.113.77"},
        headers={"User-Agent": "DistinctiveAgent/9.9"},
    )
    with app.app_context():
        dump = "\n".join(
            str(tuple(row))
            for table in db.metadata.sorted_tables
            for row in db.session.execute(table.select())
        )
    assert "203.0.113.77" not in dump and "DistinctiveAgent" not in dump


def test_app_logs_carry_no_address(app, client, make_survey, caplog):
    """Nothing the app logs while serving residents mentions their address."""
    make_survey()
    with caplog.at_level(logging.DEBUG):
        client.get("/s/test", environ_base={"REMOTE_ADDR": "203.0.113.78"})
        client.post(
            "/api/v1/surveys/test/responses",
            json={"client_id": new_client_id(), "answers": CORE},
            environ_base={"REMOTE_ADDR": "203.0.113.78"},
        )
    assert "203.0.113.78" not in caplog.text


@pytest.mark.parametrize(
    "line",
    [
        '203.0.113.9 - - [27/Nov/2026 21:14:03] "GET /s/demo HTTP/1.1" 200 -',
        '2001:db8::1 - - [27/Nov/2026 21:14:03] "POST /api/v1/surveys/demo/responses" 201 -',
    ],
)
def test_development_server_log_is_redacted(line):
    """Werkzeug's access line loses the address and the exact time."""
    record = logging.LogRecord("werkzeug", logging.INFO, __file__, 1, line, None, None)
    RedactAddresses().filter(record)
    assert record.getMessage().startswith('"')
    assert "203.0.113.9" not in record.getMessage() and "2001:db8" not in record.getMessage()
    assert "21:14" not in record.getMessage()


def test_request_body_size_is_limited(app, client, make_survey):
    """A huge body is refused with 413 before it is read into memory."""
    make_survey()
    body = '{"client_id": "x", "answers": {"comment": "' + "x" * 40_000 + '"}}'
    response = client.post(
        "/api/v1/surveys/test/responses", data=body, content_type="application/json"
    )
    assert response.status_code == 413
    assert response.is_json


def test_invitation_secret_is_not_logged():
    """The development server's log line hides the secret part of an invitation link."""
    request_line = "GET /invite/s3cr3t-T0ken?lang=fi HTTP/1.1"
    record = logging.LogRecord(
        "werkzeug",
        logging.INFO,
        __file__,
        1,
        '127.0.0.1 - - [27/Nov/2026 21:14:03] "%s" %s %s',
        (request_line, "200", "-"),
        None,
    )
    RedactAddresses().filter(record)
    message = record.getMessage()
    assert "s3cr3t" not in message
    assert message == '"GET /invite/[token]?lang=fi HTTP/1.1" 200 -'
