"""Authorization matrix: every registered route × every kind of visitor.

The routes come from ``app.url_map``, so pages added later are covered automatically; a
route that fits no rule below fails the test, so nothing can slip past the matrix.
Expected outcomes:

* ``allow``: the view ran (2xx/3xx for GET; anything but 401/403/sign-in/5xx for POST),
* ``forbid``: 403,
* ``login``: anonymous is sent to ``/login?next=…`` (HTML) or gets 401 (JSON/API).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from feedback_app import create_app
from feedback_app.extensions import db
from feedback_app.models import Account, Answer, Project, Question, QuestionKind, Role, Survey
from feedback_app.services.answers.responses import submit_response
from feedback_app.services.notifications.unsubscribe import unsubscribe_token
from feedback_app.services.people.api_tokens import issue_token
from feedback_app.services.people.invitations import create_invitation
from feedback_app.services.surveys.lifecycle import create_survey
from tests.conftest import app_config

VISITORS = ("anonymous", "artist_a", "artist_b", "official", "admin")
ALLOW, FORBID, LOGIN, ABSENT = "allow", "forbid", "login", "absent"
# The city sign-in exists only with OIDC_ISSUER set, which the matrix app is not: 404 for all
# (tests/test_auth_oidc.py covers it configured).
CITY_SIGN_IN = {"auth.city_login", "auth.city_callback"}
SIGNED_IN = ("artist_a", "artist_b", "official", "admin")

# Public pages that sit outside the public prefixes. Everything here is reachable signed out.
PUBLIC_RULES = {
    "/",
    "/login",
    "/invite/<token>",
    # The signed token in the link is the authority (one-click unsubscribe, no sign-in).
    "/unsubscribe/<signed>",
    "/privacy",
    "/accessibility",
    "/manifest.webmanifest",
    "/sw.js",
    "/favicon.ico",
    "/robots.txt",
    # The unchanged open-source plotly.js bundle; carries no data.
    "/dashboard/static/plotly-<version>.min.js",
}
PUBLIC_PREFIXES = ("/s/", "/static/", "/healthz")
# Studio pages whose GET is a form for changing a survey: officials (read-only) get 403.
STUDIO_EDIT_FORMS = {
    "studio.new_survey",
    "studio.new_question",
    "studio.edit_question",
    "studio.close_confirm",
}
# API endpoints for officials (session or bearer token) rather than residents.
OFFICIAL_API_ENDPOINTS = {"api.districts_summary"}


def _rules():
    """(rule, method) for every route of a freshly built app (HEAD/OPTIONS are implied)."""
    app = create_app(app_config("sqlite://"))
    pairs = []
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            pairs.append((rule.rule, rule.endpoint, method))
    return sorted(pairs)


ROUTES = _rules()


def expected(rule: str, endpoint: str, method: str, visitor: str) -> str:
    """The outcome the access rules promise for ``visitor`` on this route."""
    if endpoint in CITY_SIGN_IN:
        return ABSENT
    if rule in PUBLIC_RULES or rule.startswith(PUBLIC_PREFIXES):
        return ALLOW
    if rule.startswith("/api/v1/"):
        if endpoint not in OFFICIAL_API_ENDPOINTS:
            return ALLOW
        return _by_role(visitor, readers=("official", "admin"))
    if rule in ("/logout", "/account"):
        return LOGIN if visitor == "anonymous" else ALLOW
    if rule.startswith("/studio"):
        write = method == "POST" or endpoint in STUDIO_EDIT_FORMS
        return _studio(rule, write, visitor)
    if rule.startswith("/dashboard"):
        return _by_role(visitor, readers=("official", "admin"))
    if rule.startswith("/admin"):
        return _by_role(visitor, readers=("admin",))
    pytest.fail(f"{method} {rule} ({endpoint}) is not classified in the access matrix")


def _by_role(visitor: str, readers: tuple[str, ...]) -> str:
    """Anonymous signs in; ``readers`` are allowed; every other role is forbidden."""
    if visitor == "anonymous":
        return LOGIN
    return ALLOW if visitor in readers else FORBID


def _studio(rule: str, write: bool, visitor: str) -> str:
    """Artists reach their own projects' surveys; officials read all and change none."""
    if visitor == "anonymous":
        return LOGIN
    if "<int:survey_id>" not in rule:
        # Lists and the new-survey form offer each account only its own projects; creating
        # in someone else's project is checked in its own test below.
        return FORBID if write and visitor == "official" else ALLOW
    if visitor == "artist_b" or (write and visitor == "official"):
        return FORBID
    return ALLOW


@dataclass
class World:
    """The rows a route's URL parameters point at: project A's survey and its neighbours."""

    ids: dict
    accounts: dict


@pytest.fixture
def world(app, make_project) -> World:
    """Projects A and B, an open survey of A with a custom question and a comment, one
    account per role, an invitation and an API token."""
    project_a = make_project(name="Project A", district="malmi")
    project_b = make_project(name="Project B", district="kontula")
    with app.app_context():
        survey = create_survey(
            project_id=project_a,
            code="matrixa",
            status="open",
            title="Tarinailta",
            event_date=date(2026, 11, 20),
            venue="Malmitalo",
        )
        question = Question(
            survey=survey,
            key="custom_colour",
            kind=QuestionKind.SINGLE,
            prompts={"fi": "Väri?", "sv": "Färg?", "en": "Colour?"},
            options=[{"key": "blue", "labels": {"fi": "Sininen", "sv": "Blå", "en": "Blue"}}],
            position=90,
        )
        db.session.add(question)
        db.session.commit()
        submit_response(
            survey,
            client_id=str(uuid.uuid4()),
            locale="fi",
            answers={"joy": 4, "belonging": 4, "safety": 5, "comment": "Kiva ilta"},
        )
        comment = db.session.scalar(select(Answer).where(Answer.text.is_not(None)))
        accounts = {}
        for visitor, role, projects in (
            ("artist_a", Role.ARTIST, [project_a]),
            ("artist_b", Role.ARTIST, [project_b]),
            ("official", Role.OFFICIAL, []),
            ("admin", Role.ADMIN, []),
        ):
            # No real password: sessions are set directly, which keeps 300 cases fast.
            account = Account(email=f"{visitor}@example.org", role=role, password_hash="!")
            account.projects = [db.session.get(Project, pid) for pid in projects]
            db.session.add(account)
            db.session.commit()
            accounts[visitor] = account.id
        invitation, token = create_invitation("new@example.org", "official", [])
        api_token, _secret = issue_token(accounts["official"], "Excel")
        from feedback_app.services.charts.dashboard_charts import CHARTS, plotly_bundle

        project = db.session.get(Project, project_a)
        ids = {
            "survey_id": survey.id,
            "code": survey.code,
            "question_id": question.id,
            "answer_id": comment.id,
            "action": "hide",
            "target": "closed",
            "project_id": project_a,
            "district_id": project.district_id,
            "account_id": accounts["artist_b"],
            "invitation_id": invitation.id,
            "token_id": api_token.id,
            "token": token,
            "signed": unsubscribe_token(accounts["official"], "digest"),
            "name": CHARTS[0],
            "version": plotly_bundle(app.config["PLOTLY_BUNDLE_DIR"]).name,
            "filename": "css/app.css",
        }
    return World(ids=ids, accounts=accounts)


def build_url(rule: str, ids: dict) -> str:
    """``rule`` with each ``<converter:name>`` filled from ``ids`` (unknown names fail)."""
    import re

    def fill(match: re.Match) -> str:
        name = match.group(1).split(":")[-1]
        if name not in ids:
            pytest.fail(f"{rule}: no fixture value for URL parameter <{name}>; add one to world")
        return str(ids[name])

    return re.sub(r"<([^>]+)>", fill, rule)


def sign_in(client, account_id: int | None) -> None:
    """Put the account in the session as Flask-Login does after a good password."""
    if account_id is None:
        return
    with client.application.app_context():
        session_id = db.session.get(Account, account_id).get_id()
    # A staff path: the session cookie is written on staff pages only.
    with client.session_transaction("/login") as session:
        session["_user_id"] = session_id
        session["_fresh"] = True


def is_login_redirect(response) -> bool:
    """A redirect to the sign-in page that remembers where the visitor wanted to go."""
    if response.status_code not in (301, 302, 303):
        return False
    location = urlsplit(response.headers["Location"])
    return location.path == "/login" and "next=" in location.query


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize(("rule", "endpoint", "method"), ROUTES)
def test_access_matrix(app, client, world, monkeypatch, rule, endpoint, method, visitor):
    """Each visitor gets exactly what the access rules promise on each route."""
    outcome = expected(rule, endpoint, method, visitor)
    url = build_url(rule, world.ids)
    sign_in(client, world.accounts.get(visitor))
    # CSRF is tested separately below; here only the authorization decision is checked.
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    response = client.open(url, method=method, data={} if method == "POST" else None)
    response.close()  # file responses (static, downloads) hold an open file until closed
    status = response.status_code
    where = f"{visitor} {method} {url} -> {status}"
    assert status < 500, where
    if outcome == LOGIN:
        assert is_login_redirect(response) or status == 401, where
    elif outcome == FORBID:
        assert status == 403, where
    elif outcome == ABSENT:
        assert status == 404, where
    else:
        assert status not in (401, 403) and not is_login_redirect(response), where
        if method == "GET":
            assert status in (200, 301, 302, 303, 304), where


STAFF_POSTS = [
    (rule, endpoint)
    for rule, endpoint, method in ROUTES
    # Unsubscribe links are POSTed by mail clients (RFC 8058) with the signed token alone.
    if method == "POST" and not rule.startswith(("/s/", "/api/", "/unsubscribe/"))
]


@pytest.mark.parametrize(("rule", "endpoint"), STAFF_POSTS)
def test_every_staff_form_needs_a_csrf_token(client, world, rule, endpoint):
    """Every staff POST without a CSRF token is refused with 400, even from an admin."""
    sign_in(client, world.accounts["admin"])
    response = client.post(build_url(rule, world.ids), data={})
    assert response.status_code == 400, f"POST {rule} ({endpoint})"


def test_matrix_covers_every_staff_area():
    """Guard against the route list coming up empty or missing an area."""
    rules = {rule for rule, _endpoint, _method in ROUTES}
    for prefix in ("/admin", "/login", "/invite/", "/s/", "/api/v1/"):
        assert any(r.startswith(prefix) for r in rules), prefix


def test_official_reads_district_feed_with_bearer_token(app, client, world):
    """``/api/v1/districts/summary``: a token of an official works; revoked or bad ones 401."""
    from feedback_app.services.people.api_tokens import revoke_token

    assert "api.districts_summary" in app.view_functions, "the district feed is missing"
    with app.app_context():
        row, secret = issue_token(world.accounts["official"], "Raportointi")
        row_id = row.id
    ok = client.get("/api/v1/districts/summary", headers={"Authorization": f"Bearer {secret}"})
    assert ok.status_code == 200
    assert "Set-Cookie" not in ok.headers
    bad = client.get("/api/v1/districts/summary", headers={"Authorization": "Bearer fiilis_x"})
    assert bad.status_code == 401
    with app.app_context():
        revoke_token(row_id)
    gone = client.get("/api/v1/districts/summary", headers={"Authorization": f"Bearer {secret}"})
    assert gone.status_code == 401


@pytest.mark.parametrize(("visitor", "added"), [("artist_a", 1), ("artist_b", 0), ("official", 0)])
def test_only_members_create_surveys_in_a_project(app, client, world, monkeypatch, visitor, added):
    """Artist A may create a survey in project A; artist B and officials may not."""
    assert "studio.new_survey" in app.view_functions, "the studio's new-survey form is missing"
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    with app.app_context():
        project_a = db.session.scalar(select(Project.id).filter_by(name="Project A"))
        before = len(db.session.scalars(select(Survey)).all())
    sign_in(client, world.accounts[visitor])
    data = {
        "project": project_a,
        "title": "Kaapattu",
        "event_date": "2026-12-01",
        "venue": "Jossain",
        "languages": ["fi"],
    }
    response = client.post("/studio/surveys/new", data=data)
    assert response.status_code in (302, 400, 403)
    assert not is_login_redirect(response)
    with app.app_context():
        assert len(db.session.scalars(select(Survey)).all()) == before + added


def test_surveys_of_other_projects_are_not_listed(client, world, app):
    """Artist B's studio list does not mention project A's survey; artist A's does."""
    assert "studio.index" in app.view_functions, "the studio's survey list is missing"
    sign_in(client, world.accounts["artist_b"])
    assert "Tarinailta" not in client.get("/studio/").get_data(as_text=True)
    other = app.test_client()
    sign_in(other, world.accounts["artist_a"])
    assert "Tarinailta" in other.get("/studio/").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Survey.code)) == "matrixa"
