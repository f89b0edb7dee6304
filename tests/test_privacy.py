"""Privacy and security on the resident path: no cookies, no identifying data, strict headers."""

import csv
import io
import logging
import re

import pytest
from sqlalchemy import inspect, select

from feedback_app.clock import utc_now
from feedback_app.extensions import db
from feedback_app.models import District, Response, Survey, SurveyStatus
from feedback_app.security import RedactAddresses
from feedback_app.services.answers.responses import submit_response
from feedback_app.services.surveys.lifecycle import create_survey
from tests.conftest import new_client_id
from tests.studio_support import project_of, survey_id

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


# --- Exports that cannot attack the reader, and comments that cannot single anyone out ---

FORMULAS = ["=HYPERLINK(1)", "+1+1", "-1-1", "@SUM(A1)"]
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


def respond(app, joy: int, comment: str | None = None, code: str = "test") -> None:
    """One resident answers, optionally with a comment."""
    with app.app_context():
        survey = db.session.scalar(select(Survey).where(Survey.code == code))
        answers = {"joy": joy, "belonging": 3, "safety": 3}
        if comment is not None:
            answers["comment"] = comment
        submit_response(survey, client_id=new_client_id(), locale="fi", answers=answers)


def studio_csv(client, survey_id: int) -> list[list[str]]:
    """The studio CSV of a survey, parsed."""
    response = client.get(f"/studio/surveys/{survey_id}/results.csv?dialect=standard")
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.data.decode("utf-8"), newline="")))


@pytest.fixture
def artist_survey(app, make_survey, make_account, auth):
    """An open survey and its signed-in artist; returns the survey id."""
    code = make_survey()
    auth.login(make_account("artist", projects=[project_of(app, code)]))
    return survey_id(app, code)


def test_studio_csv_neutralises_formulas(app, client, artist_survey):
    """A comment starting with = + - @, tab or CR cannot run as a spreadsheet formula."""
    for text in FORMULAS:
        respond(app, 4, text)
    respond(app, 4, "tavallinen")
    comments = [row[-1] for row in studio_csv(client, artist_survey)[1:]]
    assert sorted(comments) == sorted(["tavallinen", *("'" + text for text in FORMULAS)])


def test_writer_neutralises_every_formula_start_and_bidi_control():
    """The shared writer itself: = + - @ tab CR get an apostrophe, bidi controls go."""
    from feedback_app.services.reports.exports import DIALECTS, csv_bytes

    cells = [*FORMULAS, "\tcmd", "\rcmd", f"x{BIDI}y", "\u202e=1", 7, "plain"]
    for dialect in DIALECTS.values():
        text = csv_bytes(["c"] * len(cells), [cells], dialect).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=dialect.delimiter))
        expected = [*("'" + c for c in FORMULAS), "'\tcmd", "'\rcmd", "xy", "'=1", "7", "plain"]
        assert rows[1] == expected


def test_studio_csv_removes_bidirectional_controls(app, client, artist_survey):
    """Bidi controls that would disguise a cell's text are removed from the studio CSV."""
    for _ in range(5):
        respond(app, 4, f"a{BIDI}b")
    comments = {row[-1] for row in studio_csv(client, artist_survey)[1:]}
    assert comments == {"ab"}


def test_dashboard_csv_neutralises_and_cleans_names(app, client, make_project, make_account, auth):
    """District names go through the same writer: no formula, no bidi control."""
    project = make_project(district="pahis")
    with app.app_context():
        district = db.session.scalar(select(District).where(District.slug == "pahis"))
        district.name_fi, district.name_sv = "=cmd\u202e|x", "@y\u2066"
        db.session.commit()
    make_survey_for(app, project)
    for _ in range(5):
        respond(app, 4, code="pahis-1")
    auth.login(make_account("official"))
    body = client.get("/dashboard/export.csv?period=all&dialect=standard").data.decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert rows and {(r["district"], r["district_sv"]) for r in rows} == {("'=cmd|x", "'@y")}


def make_survey_for(app, project_id: int) -> None:
    """An open survey ``pahis-1`` in the project."""
    with app.app_context():
        create_survey(
            project_id=project_id,
            code="pahis-1",
            status=SurveyStatus.OPEN,
            title="Ilta",
            event_date=utc_now().date(),
            venue="Talo",
        )
        db.session.commit()


def test_studio_csv_rows_reveal_no_arrival_order(app, client, artist_survey):
    """Rows are sorted by their values, so a row cannot be matched to who answered when."""
    for joy in (5, 1, 4, 2, 3, 5, 1):
        respond(app, joy)
    rows = studio_csv(client, artist_survey)[1:]
    assert [row[4] for row in rows] == ["1", "1", "2", "3", "4", "5", "5"]
    assert [row[0] for row in rows] == [str(n) for n in range(1, 8)]


@pytest.mark.parametrize("role", ["artist", "official", "admin"])
def test_comment_withheld_below_min_group_for_every_role(
    app, client, make_survey, make_account, auth, role
):
    """One answer with a comment: no role can read it beside the figures."""
    code = make_survey()
    respond(app, 2, "Naapurini Pekka oli paikalla")
    projects = [project_of(app, code)] if role == "artist" else []
    auth.login(make_account(role, projects=projects))
    html = client.get(f"/studio/surveys/{survey_id(app, code)}/results?lang=en")
    assert html.status_code == 200
    assert "Naapurini Pekka" not in html.get_data(as_text=True)
    assert "Comments are shown once at least 5 people have answered" in html.get_data(as_text=True)


def test_comments_shown_from_min_group_in_value_order_and_isolated(app, client, artist_survey):
    """From k answers the comments appear, sorted by text (not arrival), each direction-isolated."""
    for text in ("Mukava", "Aivan ihana", "Kiva", "Hieno", "Bussi myöhässä"):
        respond(app, 4, text)
    html = client.get(f"/studio/surveys/{artist_survey}/results?lang=en").get_data(as_text=True)
    found = re.findall(r'<blockquote dir="auto">([^<]*)</blockquote>', html)
    assert found == sorted(found) == ["Aivan ihana", "Bussi myöhässä", "Hieno", "Kiva", "Mukava"]


def test_moderation_view_shows_no_scores_beside_a_comment(app, client, artist_survey):
    """The comments list carries the text only: no score that would tie it to a face."""
    for joy in (1, 2, 3, 4, 5):
        respond(app, joy, f"kommentti {joy}")
    html = client.get(f"/studio/surveys/{artist_survey}/results?lang=en").get_data(as_text=True)
    section = html[html.index('id="comments"') :]
    section = section[: section.index("</section>")]
    assert section.count("<blockquote") == 5
    assert "face-" not in section and "index-value" not in section
    assert not re.search(r"<li[^>]*>\s*\d", section)


def test_names_written_by_people_are_direction_isolated(
    app, client, make_project, make_survey, make_account, auth
):
    """A project name or event title with a right-to-left override cannot flip the page."""
    evil = "\u202eonnap"
    project = make_project(name=evil, district="malmi")
    make_survey(code="rtl", project_id=project, title=evil, venue=evil)
    auth.login(make_account("official"))
    html = client.get(f"/dashboard/?period=all&project={project}&lang=en").get_data(as_text=True)
    assert f"<bdi>{evil}</bdi></a>" in html  # the project row
    assert html.count(f"<bdi>{evil}</bdi>") >= 3  # breadcrumb, event title and venue
    assert f'dir="auto" selected>{evil}</option>' in html  # the filter menu
    isolated = re.sub(f'(<bdi>{evil}</bdi>|dir="auto" selected>{evil}<)', "", html)
    assert evil not in isolated
    results = client.get(f"/studio/surveys/{survey_id(app, 'rtl')}/results").get_data(as_text=True)
    assert f"<bdi>{evil}</bdi>" in results
