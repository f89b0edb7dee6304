"""Stray requests: every route × every method, and a list of odd paths, never answer 5xx.

Each answer, error pages included, carries the security headers; people get an HTML page in
their language with a way onward, the API gets JSON, a survey code typed by hand leads to
the survey.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from sqlalchemy import select

from feedback_app import create_app
from feedback_app.extensions import db
from feedback_app.models import (
    Account,
    Answer,
    District,
    Invitation,
    Project,
    Question,
    QuestionKind,
    Survey,
)
from feedback_app.services.demo import seed_demo
from feedback_app.services.notifications.unsubscribe import unsubscribe_token
from feedback_app.services.people.accounts import create_account
from feedback_app.services.people.invitations import create_invitation
from tests.conftest import STAFF_PASSWORD, AuthActions, app_config

METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "BREW")
HUGE_NUMBER = "9" * 30
STRAY_PATHS = (
    "/favicon.ico",
    "/robots.txt",
    "/S/DEMO",
    "/DEMO",
    "/demo",
    "/s/demo/",
    "/s/dmeo",
    "/logout",
    "/%ff",
    "/s/%ff",
    "/s/%00",
    "/s/demo%00/qr.png",
    "/api/v1/surveys/%00/summary",
    "/invite/%00",
    "/static/%00",
    "/dashboard/static/plotly-%00.min.js",
    "/dashboard/data/chart/%00.json",
    "/s/demo?lang=%ff",
    "/?%zz=%ff",
    "/s/demo?code=other",
    "/s/demo?_external=1",
    "/s/demo?_scheme=javascript",
    "/s/demo?_anchor=x&_method=POST",
    "/" + "a" * 5000,
    "/s/demo?" + "a=1&" * 3000,
    "/api/nope",
    "/api/v1/surveys/demo/summary?x=%ff",
    "/static/../../etc/passwd",
    "/static/%2e%2e/%2e%2e/etc/passwd",
    f"/studio/surveys/{HUGE_NUMBER}",
    f"/admin/districts/{HUGE_NUMBER}",
    "/admin/districts/-1",
    "/s/demo/thanks/extra",
    "/.env",
    "/wp-login.php",
    "/s/demo/qr.png?lang=xx",
)
VIEWERS = ("anonymous", "artist", "official", "admin")


@pytest.fixture(scope="module")
def walk_app(make_database):
    """An app with the demo data, one account per role and one of each kind of row."""
    app = create_app(app_config(make_database()))
    with app.app_context():
        db.create_all()
        seed_demo()
        projects = list(db.session.scalars(select(Project).order_by(Project.id)))
        for role in ("artist", "official", "admin"):
            create_account(f"{role}@example.org", role, STAFF_PASSWORD, projects=projects[:1])
        create_account("other@example.org", "artist", STAFF_PASSWORD)
        create_invitation("invited@example.org", "official", [])
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def sample_values(app) -> dict[str, list[str]]:
    """For each path part a route names: a real value, a missing one and an absurd one."""
    with app.app_context():
        survey = db.session.scalar(select(Survey).where(Survey.code == "demo"))
        question = db.session.scalar(select(Question).where(Question.survey_id == survey.id))
        comment = db.session.scalar(
            select(Answer).join(Question).where(Question.kind == QuestionKind.TEXT)
        )
        other = db.session.scalar(select(Account).where(Account.email == "other@example.org"))
        ids = {
            "survey_id": survey.id,
            "question_id": question.id,
            "answer_id": comment.id if comment else 1,
            "district_id": db.session.scalar(select(District.id)),
            "project_id": db.session.scalar(select(Project.id)),
            "account_id": other.id,
            "invitation_id": db.session.scalar(select(Invitation.id)),
            "token_id": 1,
        }
        signed = unsubscribe_token(other.id, "digest")
    values = {name: [str(value), "0", HUGE_NUMBER] for name, value in ids.items()}
    values.update(
        code=["demo", "DEMO", "ei-ole", "ä ö/%", "x" * 300, "nul\x00"],
        target=["open", "closed", "nonsense"],
        action=["hide", "show"],
        name=["indicators", "nope"],
        version=["0", "3.0.0"],
        token=["nope", "x" * 300],
        filename=["css/app.css", "../pyproject.toml", "nope.js"],
        signed=[signed, signed[:-3] + "abc", "nope", "x" * 300],
    )
    return values


def route_paths(app) -> list[tuple[int, str, str]]:
    """``(round, endpoint, path)`` for every rule, filled with each sample value; logout last."""
    values = sample_values(app)
    paths = []
    rules = sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint == "auth.logout")
    for rule in rules:
        names = re.findall(r"<(?:[^:>]+:)?([^>]+)>", rule.rule)
        rounds = max([len(values[name]) for name in names] or [1])
        for i in range(rounds):

            def fill(match, i=i):
                name = match.group(1)
                return quote(values[name][i % len(values[name])], safe="")

            paths.append((i, rule.endpoint, re.sub(r"<(?:[^:>]+:)?([^>]+)>", fill, rule.rule)))
    return paths


def problems_with(response, label: str) -> list[str]:
    """What is wrong with one answer: a 5xx, a missing security header, a traceback."""
    found = []
    if response.status_code >= 500:
        found.append(f"{label}: {response.status_code}")
    policy = response.headers.get("Content-Security-Policy", "")
    if "frame-ancestors 'none'" not in policy:
        found.append(f"{label}: no CSP frame-ancestors")
    if response.headers.get("X-Content-Type-Options") != "nosniff":
        found.append(f"{label}: no nosniff")
    if not response.headers.get("Referrer-Policy"):
        found.append(f"{label}: no Referrer-Policy")
    if b"Traceback" in response.data or b"Werkzeug" in response.data:
        found.append(f"{label}: framework text in the body")
    return found


def signed_in_client(app, viewer: str):
    """A test client, signed in as ``viewer`` unless anonymous, and a CSRF token for posts."""
    client = app.test_client()
    actions = AuthActions(client)
    token = actions.csrf_token()
    if viewer != "anonymous":
        assert actions.login(f"{viewer}@example.org").status_code == 302
        token = actions.csrf_token("/login")
    return client, token


@pytest.mark.parametrize("viewer", VIEWERS)
def test_every_route_and_method_answers_without_server_error(walk_app, viewer):
    """Route × method × sample value, anonymous and signed in: no 5xx, headers on all."""
    client, token = signed_in_client(walk_app, viewer)
    problems: list[str] = []
    for round_, endpoint, path in route_paths(walk_app):
        # Every method on the real values; the missing and absurd ones as GET and POST.
        for method in METHODS if round_ == 0 else ("GET", "POST"):
            response = client.open(path, method=method, data={"csrf_token": token})
            problems += problems_with(response, f"{viewer} {method} {path[:80]} ({endpoint})")
    assert problems == []


@pytest.mark.parametrize("viewer", ("anonymous", "admin"))
@pytest.mark.parametrize("path", STRAY_PATHS)
def test_stray_paths_answer_without_server_error(walk_app, viewer, path):
    """Odd paths, bad encodings and over-long addresses get a 2xx/3xx/4xx with headers."""
    client, _token = signed_in_client(walk_app, viewer)
    for method in ("GET", "POST", "PUT"):
        response = client.open(path, method=method)
        assert problems_with(response, f"{method} {path[:60]}") == []


@pytest.mark.parametrize("path", ["/favicon.ico", "/S/DEMO", "/logout", "/nope/at/all"])
def test_stray_page_has_headers_and_html(walk_app, path):
    """The paths that used to answer a bare 500: a real answer with the security headers."""
    response = walk_app.test_client().get(path, headers={"Accept-Language": "fi"})
    assert response.status_code in (200, 302, 404, 405)
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_put_on_the_survey_is_405_with_allow(walk_app):
    """A wrong method says so in the visitor's language and lists the methods that work."""
    response = walk_app.test_client().put("/s/demo", headers={"Accept-Language": "sv"})
    assert response.status_code == 405
    assert response.mimetype == "text/html"
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "POST"}
    page = response.get_data(as_text=True)
    assert '<html lang="sv"' in page
    assert "Den här åtgärden är inte tillåten här" in page


@pytest.mark.parametrize(
    ("language", "title", "onward"),
    [
        ("fi", "Sivua ei löytynyt", "Etusivulle"),
        ("sv", "Sidan hittades inte", "Till startsidan"),
    ],
)
def test_unknown_page_speaks_the_visitors_language(walk_app, language, title, onward):
    """A mistyped link: a 404 page in the browser's language with a way onward."""
    response = walk_app.test_client().get(
        "/tapahtuma/vaarin", headers={"Accept-Language": language}
    )
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert title in page and onward in page
    assert 'href="/?lang=' in page
    assert response.headers["X-Robots-Tag"] == "noindex"


@pytest.mark.parametrize("path", ["/DEMO", "/demo", "/S/DEMO", "/s/DEMO", "/s/demo/", "/Demo/"])
def test_survey_code_typed_by_hand_leads_to_the_survey(walk_app, path):
    """Capitals, a missing ``/s/`` or a trailing slash still reach the published survey."""
    client = walk_app.test_client()
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"] == "/s/demo"
    with_language = client.get(f"{path}?lang=sv")
    assert with_language.headers["Location"] == "/s/demo?lang=sv"


def test_a_code_nobody_uses_is_a_plain_404(walk_app):
    """No survey behind the typed code: the 404 page, not a redirect."""
    assert walk_app.test_client().get("/EIOLE").status_code == 404
    assert walk_app.test_client().post("/DEMO").status_code in (404, 405)


def test_api_strays_answer_json(walk_app):
    """Under ``/api/`` the 404 and 405 are JSON, never the HTML page."""
    client = walk_app.test_client()
    missing = client.get("/api/nope")
    assert missing.status_code == 404 and missing.is_json
    assert missing.get_json()["error"] == "not_found"
    wrong = client.delete("/api/v1/surveys/demo/summary")
    assert wrong.status_code == 405 and wrong.is_json
    assert "GET" in wrong.headers["Allow"]


def test_query_arguments_cannot_steer_the_language_links(walk_app):
    """``?_external=1`` used to build the page's links on the request's (forgeable) Host."""
    response = walk_app.test_client().get(
        "/s/demo?_external=1&code=x", headers={"Host": "evil.example"}
    )
    assert response.status_code == 200
    assert "evil.example" not in response.get_data(as_text=True)


def test_favicon_and_robots(walk_app):
    """A real icon file, and robots.txt keeping crawlers out of staff areas and the API."""
    client = walk_app.test_client()
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.mimetype == "image/x-icon"
    assert icon.data[:4] == b"\x00\x00\x01\x00"  # the ICO file signature
    robots = client.get("/robots.txt")
    assert robots.mimetype == "text/plain"
    lines = robots.get_data(as_text=True).splitlines()
    for path in ("/studio", "/dashboard", "/admin", "/api", "/login", "/invite"):
        assert f"Disallow: {path}" in lines


def test_survey_pages_are_not_indexed(walk_app):
    """Survey pages and their QR codes tell search engines not to list them."""
    client = walk_app.test_client()
    for path in ("/s/demo", "/s/demo/qr.svg"):
        assert client.get(path).headers["X-Robots-Tag"] == "noindex"
    assert "X-Robots-Tag" not in client.get("/").headers


def test_a_failing_page_still_gets_an_error_page_with_headers(walk_app, monkeypatch):
    """A bug in a view is a 500 page with the headers, and so is a bug in the error page."""
    import feedback_app.errors
    import feedback_app.site

    def broken(*args, **kwargs):
        raise RuntimeError("template failed")

    monkeypatch.setattr(feedback_app.site, "render_template", broken)
    response = walk_app.test_client().get("/", headers={"Accept-Language": "sv"})
    assert response.status_code == 500
    assert "Något gick fel hos oss" in response.get_data(as_text=True)
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]

    monkeypatch.setattr(feedback_app.errors, "render_template", broken)
    response = walk_app.test_client().get("/")
    assert response.status_code == 500
    assert "Error 500" in response.get_data(as_text=True)
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_language_links_of_a_stray_path_stay_on_this_site(walk_app):
    """``//evil.example/x`` gets a 404 whose language links point here, never off-site."""
    # As a server receives ``GET //evil.example/x`` (the test client would read a host).
    stray = {"PATH_INFO": "//evil.example/x"}
    page = walk_app.test_client().get("/", environ_overrides=stray).get_data(as_text=True)
    assert 'href="//' not in page
    assert 'href="/evil.example/x?lang=sv"' in page
