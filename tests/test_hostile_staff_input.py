"""Absurd dates, numbers and control characters in staff forms: a form error, never a 500."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from feedback_app.extensions import db
from feedback_app.models import GrantPeriod, Survey
from tests.studio_support import post

ABSURD_DATES = [
    "0001-01-01",
    "1999-12-31",
    "2100-01-01",
    "9999-12-31",
    "99999-01-01",
    "2026-02-30",
    "２０２６-１１-２０",
    "2026-1-5",
    "20261120",
    "garbage",
    "5" * 5000,
]
ABSURD_MOMENTS = [
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "99999-01-01T00:00",
    "2026-07-01T25:00",
    "２０２６-07-01T12:00",
    "2026-07-01 12:00",
    "garbage",
]


@pytest.fixture
def artist(make_project, make_account, auth):
    """A signed-in artist of one project; returns the project id."""
    project = make_project(name="Malmin tarinat")
    auth.login(make_account("artist", projects=[project]))
    return project


def surveys(app) -> list[tuple]:
    """Every survey's title, event date and closing time."""
    with app.app_context():
        rows = db.session.execute(select(Survey.title, Survey.event_date, Survey.closes_at))
        return [tuple(row) for row in rows]


def new_survey(client, project: int, **fields):
    """Post the new-survey form in English."""
    data = {"project": project, "title": "Tarinailta", "event_date": "2026-11-20", **fields}
    return post(client, "/studio/surveys/new?lang=en", data)


@pytest.mark.parametrize("event_date", [*ABSURD_DATES, ""])
def test_new_survey_with_an_absurd_date_is_a_form_error(app, client, artist, event_date):
    """400 with the reason beside the date field; no survey is created."""
    response = new_survey(client, artist, event_date=event_date)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    expected = "This field is required." if event_date == "" else "between the years 2000 and 2099"
    assert expected in html
    assert surveys(app) == []


@pytest.mark.parametrize("closes_at", ABSURD_MOMENTS)
def test_new_survey_with_an_absurd_closing_time_is_a_form_error(app, client, artist, closes_at):
    """Year 1 or 9999 would overflow in the Helsinki/UTC conversion: refused first."""
    response = new_survey(client, artist, closes_at=closes_at)
    assert response.status_code == 400
    assert "between the years 2000 and 2099" in response.get_data(as_text=True)
    assert surveys(app) == []


def test_a_sensible_survey_is_still_created(app, client, artist):
    """The rules refuse only the absurd: an ordinary date and closing time are stored."""
    response = new_survey(client, artist, closes_at="2026-11-20T21:30")
    assert response.status_code == 302
    assert surveys(app) == [("Tarinailta", date(2026, 11, 20), datetime(2026, 11, 20, 19, 30))]


@pytest.mark.parametrize("event_date", ABSURD_DATES)
def test_editing_details_with_an_absurd_date_changes_nothing(app, client, artist, event_date):
    """The details form says what to check and keeps the stored date."""
    assert new_survey(client, artist).status_code == 302
    sid = _only_survey_id(app)
    data = {"title": "Uusi nimi", "event_date": event_date, "languages": ["fi"]}
    response = post(client, f"/studio/surveys/{sid}/details?lang=en", data, follow_redirects=True)
    assert response.status_code == 200
    assert "Please check the event details" in response.get_data(as_text=True)
    assert surveys(app) == [("Tarinailta", date(2026, 11, 20), None)]


@pytest.mark.parametrize("closes_at", ABSURD_MOMENTS)
def test_an_absurd_closing_time_changes_nothing(app, client, artist, closes_at):
    """The closing form refuses it with its message; the survey keeps no closing time."""
    assert new_survey(client, artist).status_code == 302
    sid = _only_survey_id(app)
    response = post(
        client,
        f"/studio/surveys/{sid}/closing?lang=en",
        {"closes_at": closes_at},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "Please give the closing time as a date and time." in response.get_data(as_text=True)
    assert surveys(app) == [("Tarinailta", date(2026, 11, 20), None)]


@pytest.mark.parametrize("title", ["Ilta\x00", "\x1b[2J", "bell\x07"])
def test_control_characters_in_a_survey_title_are_a_form_error(app, client, artist, title):
    """NUL would be a 500 on PostgreSQL and stored on SQLite: refused on both."""
    response = new_survey(client, artist, title=title)
    assert response.status_code == 400
    assert "Remove control characters from the text." in response.get_data(as_text=True)
    assert surveys(app) == []


@pytest.fixture
def admin(client, auth, make_account):
    """A signed-in admin."""
    auth.login(make_account("admin"))
    return auth


@pytest.mark.parametrize(
    "start_year", ["２０２８", "²⁰²⁸", "2_028", " 2028", "9" * 5000, "", "1", "0x7EC"]
)
def test_grant_period_years_are_ascii_digits(app, client, admin, start_year):
    """A year in other digits or thousands of them is a form error; no period is added."""
    path = "/admin/periods?lang=en"
    data = {"start_year": start_year, "end_year": "2030", "csrf_token": admin.csrf_token(path)}
    response = client.post(path, data=data)
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(GrantPeriod)) == 0


@pytest.mark.parametrize("name", ["Malmi\x00", "Kontula\x1f"])
def test_control_characters_in_a_district_name_are_refused(app, client, admin, name):
    """Admin text fields follow the same text rule."""
    path = "/admin/districts?lang=en"
    data = {"name_fi": name, "name_sv": "Malm", "csrf_token": admin.csrf_token(path)}
    response = client.post(path, data=data)
    assert response.status_code == 400
    assert "Remove control characters from the text." in response.get_data(as_text=True)


def _only_survey_id(app) -> int:
    """The id of the one survey stored."""
    with app.app_context():
        return db.session.scalar(select(Survey.id))
