"""Studio details that tripped people up: closing by accident, copying a link, headings."""

from __future__ import annotations

import re

import pytest

from tests.studio_support import add_responses, csrf, post, survey_id
from tests.test_studio_editor import create, stored


@pytest.fixture
def artist(make_project, make_account, auth):
    """A signed-in artist of one project; returns the project id."""
    project = make_project(name="Malmin tarinat")
    auth.login(make_account("artist", projects=[project]))
    return project


def actions_row(html: str) -> str:
    """The row of buttons under the survey's title, where "Publish" sits on a draft."""
    return re.search(r'<div class="actions">(.*?)</div>', html, re.S).group(1)


def test_close_is_not_where_publish_was(app, client, artist):
    sid = create(client, artist)
    draft = client.get(f"/studio/surveys/{sid}?lang=en").get_data(as_text=True)
    assert f"/studio/surveys/{sid}/status/open" in actions_row(draft)

    post(client, f"/studio/surveys/{sid}/status/open")
    published = client.get(f"/studio/surveys/{sid}?lang=en").get_data(as_text=True)
    row = actions_row(published)
    # A second tap on the same spot must not close the survey that was just published.
    assert "status/closed" not in row and "/close" not in row and "<form" not in row
    section = re.search(r'<section[^>]*id="close-survey".*?</section>', published, re.S)
    assert section and f'href="/studio/surveys/{sid}/close?lang=en"' in section.group(0)


def test_closing_asks_for_confirmation(app, client, artist):
    sid = create(client, artist)
    post(client, f"/studio/surveys/{sid}/status/open")
    add_responses(app, stored(app, sid).code, 2)

    # Without the confirmation nothing changes; the person is asked first.
    response = post(client, f"/studio/surveys/{sid}/status/closed")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/studio/surveys/{sid}/close")
    assert stored(app, sid).status.value == "open"

    page = client.get(f"/studio/surveys/{sid}/close?lang=en")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Tarinailta" in html and "2 answers" in html
    assert 'name="confirm" value="yes"' in html
    assert f'href="/studio/surveys/{sid}?lang=en"' in html  # cancel goes back

    post(client, f"/studio/surveys/{sid}/status/closed", {"confirm": "yes"})
    assert stored(app, sid).status.value == "closed"
    # Once closed, the confirmation page sends the person back to the survey.
    assert client.get(f"/studio/surveys/{sid}/close").status_code == 302


def test_confirmation_page_is_for_editors_only(app, client, auth, make_account, make_survey):
    code = make_survey(code="conf")
    auth.login(make_account("official"))
    assert client.get(f"/studio/surveys/{survey_id(app, code)}/close").status_code == 403
    assert client.get("/studio/surveys/999999/close").status_code == 404


@pytest.mark.parametrize(
    ("role", "heading"),
    [("artist", "My surveys"), ("official", "All surveys"), ("admin", "All surveys")],
)
def test_studio_heading_fits_the_role(client, auth, make_account, make_project, role, heading):
    projects = [make_project()] if role == "artist" else []
    auth.login(make_account(role, projects=projects))
    html = client.get("/studio/?lang=en").get_data(as_text=True)
    assert f"<h1>{heading}</h1>" in html
    assert f"<title>{heading}" in html


def test_survey_page_leads_back_to_the_list_by_its_name(
    app, client, auth, make_account, make_survey
):
    code = make_survey(code="back")
    auth.login(make_account("official"))
    html = client.get(f"/studio/surveys/{survey_id(app, code)}?lang=en").get_data(as_text=True)
    assert "← All surveys" in html and "My surveys" not in html


def test_invitation_link_has_a_copy_button(client, auth, make_account):
    auth.login(make_account("admin"))
    token = csrf(client, "/admin/invitations")
    response = client.post(
        "/admin/invitations?lang=en",
        data={"email": "uusi@hel.fi", "role": "official", "csrf_token": token},
    )
    html = response.get_data(as_text=True)
    assert 'id="invitation-link"' in html
    button = re.search(r"<button[^>]*data-copy=\"invitation-link\"[^>]*>(.*?)</button>", html)
    assert button and button.group(1) == "Copy link"
    assert re.search(r'src="/static/js/copy-link\.[0-9a-f]{12}\.js"', html)
    assert client.get("/static/js/copy-link.js").status_code == 200
