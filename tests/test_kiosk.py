"""Kiosk mode at /s/<code>/kiosk: one shared tablet, a fresh empty form for every person."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from feedback_app.extensions import db
from feedback_app.models import Response, SurveyStatus
from tests.test_survey_page import catalogue_text, form_answers

RESIDENT_LANGUAGES = ("fi", "sv", "en", "ru", "et", "so", "ar", "uk")


def stored(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Response))


def test_kiosk_page_is_private_and_sets_no_cookie(client, make_survey):
    """No cookie, no caching, no autocomplete; the idle time comes from the setting."""
    code = make_survey()
    response = client.get(f"/s/{code}/kiosk")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    assert re.search(r'<form[^>]*class="survey-form kiosk-form"[^>]*autocomplete="off"', html)
    assert 'data-idle-seconds="60"' in html
    assert re.search(r'src="/static/js/kiosk\.[0-9a-f]{12}\.js"', html)


def test_idle_time_is_a_setting(app, client, make_survey, monkeypatch):
    """KIOSK_IDLE_SECONDS reaches the page."""
    monkeypatch.setitem(app.config, "KIOSK_IDLE_SECONDS", 90)
    code = make_survey()
    assert 'data-idle-seconds="90"' in client.get(f"/s/{code}/kiosk").get_data(as_text=True)


def test_plain_form_stores_once_and_returns_to_an_empty_kiosk(app, client, make_survey):
    """Without JavaScript: stored, then the kiosk with a thank-you and an empty form."""
    code = make_survey()
    html = client.get(f"/s/{code}/kiosk?lang=fi").get_data(as_text=True)
    client_id = re.search(r'name="client_id" value="([^"]+)"', html).group(1)
    answers = {**form_answers(), "client_id": client_id}
    first = client.post(f"/s/{code}/kiosk?lang=fi", data=answers)
    assert first.status_code == 303
    assert re.search(rf"/s/{code}/kiosk\?lang=fi&sent=", first.headers["Location"])
    assert "Set-Cookie" not in first.headers
    after = client.get(first.headers["Location"]).get_data(as_text=True)
    assert catalogue_text("fi", "Thank you!") in after
    assert 'http-equiv="refresh"' in after  # back to the empty form by itself
    assert "checked" not in after
    assert client_id not in after
    # The same person's form sent twice (a double tap) is stored once.
    client.post(f"/s/{code}/kiosk?lang=fi", data=answers)
    assert stored(app) == 1


def test_a_refused_answer_shows_the_kiosk_form_again(client, make_survey):
    """Nothing answered: 422 with the kiosk's own form and its message."""
    code = make_survey()
    response = client.post(f"/s/{code}/kiosk?lang=en", data={"q_comment": ""})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "kiosk-form" in html and "Please answer at least one question." in html


def test_closed_survey_kiosk_is_gone(client, make_survey):
    """A closed survey's kiosk says so with 410, as the survey page does."""
    code = make_survey(status=SurveyStatus.CLOSED)
    assert client.get(f"/s/{code}/kiosk").status_code == 410
    assert client.post(f"/s/{code}/kiosk", data=form_answers()).status_code == 410


@pytest.mark.parametrize("lang", RESIDENT_LANGUAGES)
def test_kiosk_speaks_every_resident_language(client, make_survey, lang):
    """The kiosk's own texts in each resident language; Arabic right to left."""
    code = make_survey(languages=list(RESIDENT_LANGUAGES))
    html = client.get(f"/s/{code}/kiosk?lang={lang}").get_data(as_text=True)
    for msgid in ("The form is ready for the next person in a moment.", "Full screen"):
        text = msgid if lang == "en" else catalogue_text(lang, msgid)
        assert text in html
    assert ('dir="rtl"' in html) == (lang == "ar")


def test_studio_survey_page_links_the_kiosk(app, client, make_project, make_account, auth):
    """The sharing section links the kiosk on the public address."""
    from tests.studio_support import post

    project = make_project()
    auth.login(make_account("artist", projects=[project]))
    response = post(
        client,
        "/studio/surveys/new",
        {"project": project, "title": "Ilta", "event_date": "2026-12-05", "languages": ["fi"]},
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    code = re.search(r"http://fiilis.test/s/([^/\"?]+)", page).group(1)
    assert f'href="http://fiilis.test/s/{code}/kiosk"' in page
