"""Who reaches which studio page: artists of the project, other artists, officials, admins."""

from __future__ import annotations

import pytest

from feedback_app.models import SurveyStatus
from tests.studio_support import add_responses, comment_ids, csrf, project_of, survey_id

# Every file the share section offers, the print sizes included.
SHARED_FILES = ["qr.png", "qr.png?dpi=300", "qr.svg", "poster.pdf", "poster.pdf?size=a3"]

READ_PAGES = ["", "/preview", "/results", "/results.csv", "/results.xlsx", "/screen", "/live.json"]


@pytest.fixture
def world(app, make_project, make_survey, make_account, auth):
    """Survey in project A; accounts: artist of A, artist of B, official, admin."""
    project_a = make_project(name="Project A")
    project_b = make_project(name="Project B", district="kontula")
    code = make_survey(code="evt", project_id=project_a)
    add_responses(app, code, 5, comment="Kiitos")
    return {
        "id": survey_id(app, code),
        "artist_a": make_account("artist", projects=[project_a]),
        "artist_b": make_account("artist", projects=[project_b]),
        "official": make_account("official"),
        "admin": make_account("admin"),
    }


@pytest.mark.parametrize("page", READ_PAGES)
@pytest.mark.parametrize(
    ("who", "status"), [("artist_a", 200), ("artist_b", 403), ("official", 200), ("admin", 200)]
)
def test_read_pages_by_role(world, client, auth, page, who, status):
    """Artists read only their projects' surveys; officials and admins read every one."""
    auth.login(world[who])
    response = client.get(f"/studio/surveys/{world['id']}{page}")
    assert response.status_code == status
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("page", ["/", "/counts.json", *[f"/surveys/1{p}" for p in READ_PAGES]])
def test_anonymous_is_sent_to_sign_in(client, page):
    """Without an account every studio page redirects to /login."""
    response = client.get(f"/studio{page}")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


WRITES = [
    ("/status/closed", {}),
    ("/duplicate", {}),
    ("/closing", {"closes_at": ""}),
    ("/details", {"title": "Uusi", "event_date": "2026-12-01", "languages": ["fi"]}),
    ("/bank", {"bank": ["pride"]}),
]


@pytest.mark.parametrize(("action", "data"), WRITES)
@pytest.mark.parametrize(
    ("who", "status"), [("artist_a", 302), ("artist_b", 403), ("official", 403), ("admin", 302)]
)
def test_changes_by_role(world, client, auth, action, data, who, status):
    """Only the project's artists and admins change a survey; officials only read."""
    auth.login(world[who])
    token = csrf(client)
    response = client.post(
        f"/studio/surveys/{world['id']}{action}", data={"csrf_token": token, **data}
    )
    assert response.status_code == status


@pytest.mark.parametrize(("who", "status"), [("artist_b", 403), ("official", 403)])
def test_hiding_a_comment_needs_edit_rights(world, app, client, auth, who, status):
    """Moderation is a change: other artists and officials are refused."""
    auth.login(world[who])
    answer = comment_ids(app, "evt")[0]
    response = client.post(
        f"/studio/surveys/{world['id']}/comments/{answer}/hide", data={"csrf_token": csrf(client)}
    )
    assert response.status_code == status


def test_list_shows_only_own_projects(app, client, auth, make_project, make_survey, make_account):
    """My surveys lists the artist's projects' surveys, with their answer counts."""
    mine = make_project(name="Mine")
    make_survey(code="mine1", project_id=mine, title="Oma tapahtuma")
    make_survey(code="other", title="Vieras tapahtuma")
    add_responses(app, "mine1", 2)
    auth.login(make_account("artist", projects=[mine]))
    html = client.get("/studio/?lang=en").get_data(as_text=True)
    assert "Oma tapahtuma" in html
    assert "Vieras tapahtuma" not in html
    assert "2 answers" in html


def test_artist_cannot_create_in_another_project(app, client, auth, make_project, make_account):
    """The project list offers only the artist's projects; a forged id is refused."""
    mine = make_project(name="Mine")
    other = make_project(name="Other")
    auth.login(make_account("artist", projects=[mine]))
    html = client.get("/studio/surveys/new").get_data(as_text=True)
    assert "Mine" in html and "Other" not in html
    response = client.post(
        "/studio/surveys/new",
        data={
            "csrf_token": csrf(client),
            "project": other,
            "title": "X",
            "event_date": "2026-12-01",
        },
    )
    assert response.status_code == 400  # not a valid choice for this artist


def test_missing_csrf_token_is_refused(world, client, auth):
    """Every staff form is CSRF-protected."""
    auth.login(world["artist_a"])
    response = client.post(f"/studio/surveys/{world['id']}/status/closed")
    assert response.status_code == 400


@pytest.mark.parametrize("path", SHARED_FILES)
def test_sharing_public_for_open_without_cookies(client, make_survey, path):
    """Open surveys' QR and poster are public and set no cookie."""
    make_survey(code="pub")
    response = client.get(f"/s/pub/{path}")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert client.get_cookie("session") is None


@pytest.mark.parametrize("path", SHARED_FILES)
def test_sharing_drafts_only_for_allowed_staff(
    app, client, auth, make_survey, make_account, make_project, path
):
    """A draft's QR and poster: 404 for the public and other artists, 200 for its artist."""
    code = make_survey(code="drf", status=SurveyStatus.DRAFT)
    assert client.get(f"/s/drf/{path}").status_code == 404
    auth.login(make_account("artist", projects=[make_project(name="Else")]))
    assert client.get(f"/s/drf/{path}").status_code == 404
    client.post("/logout", data={"csrf_token": csrf(client)})
    auth.login(make_account("artist", projects=[project_of(app, code)]))
    response = client.get(f"/s/drf/{path}")
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]


@pytest.mark.parametrize(("who", "status"), [("official", 403), ("admin", 200), ("artist_a", 200)])
def test_new_survey_form_by_role(world, client, auth, who, status):
    """Officials only read; artists and admins may create surveys."""
    auth.login(world[who])
    assert client.get("/studio/surveys/new").status_code == status
