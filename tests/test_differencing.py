"""Differencing attacks: comparing two views must never isolate fewer than k answers.

Each test plays the attacker: it reads a figure, lets a few people answer (or picks a
second filter), reads again and subtracts. The promise is that every difference an
attacker can compute covers none or at least MIN_GROUP_SIZE answers.
"""

from __future__ import annotations

import itertools
import re
from datetime import date, timedelta

from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.models import Survey
from feedback_app.services.answers.responses import submit_response
from tests.conftest import new_client_id
from tests.district_support import answer
from tests.studio_support import project_of, survey_id

K = 5  # MIN_GROUP_SIZE in the test configuration


def respond(app, code: str, joy: int, belonging: int, safety: int) -> None:
    """One resident answers the three core questions."""
    with app.app_context():
        survey = db.session.scalar(select(Survey).where(Survey.code == code))
        answers = {"joy": joy, "belonging": belonging, "safety": safety}
        submit_response(survey, client_id=new_client_id(), locale="fi", answers=answers)


def public_figures(client, code: str = "test") -> dict:
    """The indicators of the public summary API."""
    body = client.get(f"/api/v1/surveys/{code}/summary").get_json()
    return body["indicators"]


def test_public_summary_hides_one_new_answer(app, client, make_survey):
    """Five answers of 3,3,3, then one of 1,5,2: the summary must not move."""
    make_survey()
    for _ in range(K):
        respond(app, "test", 3, 3, 3)
    before = public_figures(client)
    respond(app, "test", 1, 5, 2)
    after = public_figures(client)
    assert after == before
    assert after["joy"]["distribution"] == [0, 0, 5, 0, 0]
    assert client.get("/api/v1/surveys/test/summary").get_json()["responses"] == K + 1


def test_public_summary_moves_after_k_more_answers(app, client, make_survey):
    """The published figures step forward once another k people have answered."""
    make_survey()
    for _ in range(K):
        respond(app, "test", 3, 3, 3)
    respond(app, "test", 1, 5, 2)
    for _ in range(K - 2):
        respond(app, "test", 3, 3, 3)
    assert public_figures(client)["joy"]["n"] == K  # 2k − 1 answers: still the first step
    respond(app, "test", 3, 3, 3)
    moved = public_figures(client)
    assert moved["joy"]["n"] == 2 * K
    assert moved["joy"]["distribution"] == [1, 0, 9, 0, 0]


def test_thank_you_page_hides_one_new_answer(app, client, make_survey):
    """The results on the thank-you page are the same published step."""
    make_survey()
    for _ in range(K):
        respond(app, "test", 3, 3, 3)
    before = _without_file_hashes(client.get("/s/test/thanks?lang=en").get_data(as_text=True))
    respond(app, "test", 1, 5, 5)
    after = _without_file_hashes(client.get("/s/test/thanks?lang=en").get_data(as_text=True))
    assert after.replace(f"{K + 1}", f"{K}") == before


def _without_file_hashes(html: str) -> str:
    """The page without its static files' content hashes (``app.<12 hex>.css``), whose
    digits would otherwise be caught by the replace above."""
    return re.sub(r"\.[0-9a-f]{12}\.(css|js|png|svg)", r".\1", html)


def test_event_screen_feed_hides_one_new_answer(app, client, make_survey, make_account, auth):
    """The projector's feed (read by everyone in the room) moves only in steps of k."""
    code = make_survey()
    auth.login(make_account("artist", projects=[project_of(app, code)]))
    sid = survey_id(app, code)
    for _ in range(K):
        respond(app, "test", 3, 3, 3)
    before = client.get(f"/studio/surveys/{sid}/live.json").get_json()["indicators"]
    respond(app, "test", 5, 1, 1)
    after = client.get(f"/studio/surveys/{sid}/live.json").get_json()["indicators"]
    assert after == before


def windows(first: date, days: int):
    """Every day-level ``from``/``to`` pair in ``days`` days from ``first``."""
    dates = [first + timedelta(days=i) for i in range(days)]
    return [(a, b) for a, b in itertools.combinations_with_replacement(dates, 2)]


def joy_n(client, **args) -> int:
    """Answers counted in Malmi's joy figure for the given dashboard filters."""
    query = {"period": "all", "district": "malmi", **args}
    body = client.get("/api/v1/districts/summary", query_string=query).get_json()
    (malmi,) = body["districts"]
    return malmi["indicators"]["joy"]["n"] if not malmi["indicators"]["joy"]["suppressed"] else 0


def assert_no_small_difference(values: dict) -> None:
    """No two shown figures differ by between 1 and k − 1 answers."""
    for (a, n_a), (b, n_b) in itertools.combinations(values.items(), 2):
        if n_a and n_b:
            assert abs(n_a - n_b) == 0 or abs(n_a - n_b) >= K, (a, n_a, b, n_b)


def test_day_windows_cannot_be_subtracted(
    app, client, make_project, make_survey, make_account, auth
):
    """Five answers on the 3rd, one on the 4th: no two day windows isolate that one."""
    project = make_project(district="malmi", start_year=2025)
    make_survey(code="m1", project_id=project, event_date=date(2026, 3, 3))
    answer(app, "m1", [3] * K, date(2026, 3, 3))
    answer(app, "m1", [1], date(2026, 3, 4))
    auth.login(make_account("official"))
    values = {
        (a, b): joy_n(client, **{"from": a.isoformat(), "to": b.isoformat()})
        for a, b in windows(date(2026, 3, 2), 4)
    }
    assert any(values.values())
    assert_no_small_difference(values)


def test_month_windows_cannot_be_subtracted(
    app, client, make_project, make_survey, make_account, auth
):
    """Six answers in March, two in April: March–April minus March is not two people."""
    project = make_project(district="malmi", start_year=2025)
    make_survey(code="m1", project_id=project, event_date=date(2026, 3, 3))
    answer(app, "m1", [3] * (K + 1), date(2026, 3, 3))
    answer(app, "m1", [1, 1], date(2026, 4, 2))
    auth.login(make_account("official"))
    values = {
        ("march",): joy_n(client, **{"from": "2026-03-01", "to": "2026-03-31"}),
        ("march-april",): joy_n(client, **{"from": "2026-03-01", "to": "2026-04-30"}),
        ("q1",): joy_n(client, year="2026", quarter="1"),
        ("q2",): joy_n(client, year="2026", quarter="2"),
        ("year",): joy_n(client, year="2026"),
        ("all",): joy_n(client),
    }
    assert values[("march",)] == K + 1
    assert_no_small_difference(values)


def test_project_and_district_cannot_be_subtracted(
    app, client, make_project, make_survey, make_account, auth
):
    """A small project's answers cannot be read as district minus the other project."""
    big = make_project(name="Iso", district="malmi", start_year=2025)
    small = make_project(name="Pieni", district="malmi", start_year=2025)
    make_survey(code="big", project_id=big, event_date=date(2026, 3, 3))
    make_survey(code="small", project_id=small, event_date=date(2026, 3, 3))
    answer(app, "big", [3] * K, date(2026, 3, 3))
    answer(app, "small", [1, 1], date(2026, 3, 3))
    auth.login(make_account("official"))
    values = {
        ("district",): joy_n(client),
        ("big",): joy_n(client, project=str(big)),
        ("small",): joy_n(client, project=str(small)),
    }
    assert values[("big",)] == K
    assert_no_small_difference(values)


def test_export_windows_cannot_be_subtracted(
    app, client, make_project, make_survey, make_account, auth
):
    """The CSV export of two day windows gives the same counts: windows are whole months."""
    project = make_project(district="malmi", start_year=2025)
    make_survey(code="m1", project_id=project, event_date=date(2026, 3, 3))
    answer(app, "m1", [3] * K, date(2026, 3, 3))
    answer(app, "m1", [1], date(2026, 3, 20))
    auth.login(make_account("official"))
    narrow = client.get("/dashboard/export.csv?period=all&from=2026-03-01&to=2026-03-10")
    wide = client.get("/dashboard/export.csv?period=all&from=2026-03-01&to=2026-03-31")
    assert narrow.status_code == wide.status_code == 200
    assert narrow.get_data(as_text=True) == wide.get_data(as_text=True)


ABSURD_DATES = ["0001-01-01", "99999-01-01", "2026-02-30", "garbage", "１２３", "2026-1-1x"]


def test_absurd_dates_get_a_notice_never_a_500(app, client, make_account, auth):
    """Year 1, year 99999 and garbage in from/to: a notice on pages, 400 for files and JSON."""
    auth.login(make_account("official"))
    for raw in ABSURD_DATES:
        for name in ("from", "to"):
            page = client.get("/dashboard/", query_string={name: raw, "lang": "en"})
            assert page.status_code == 200, raw
            assert "were not understood" in page.get_data(as_text=True)
            assert client.get("/dashboard/residents", query_string={name: raw}).status_code == 200
            export = client.get("/dashboard/export.csv", query_string={name: raw, "lang": "en"})
            assert export.status_code == 400, raw
            assert name in export.get_data(as_text=True)
            api = client.get("/api/v1/districts/summary", query_string={name: raw})
            assert api.status_code == 400 and api.get_json()["field"] == name, raw
            for path in ("charts.json", "summary.json", "cards.html"):
                assert (
                    client.get(f"/dashboard/data/{path}", query_string={name: raw}).status_code
                    == 200
                )


def test_date_window_notice_names_whole_months(app, client, make_account, auth):
    """The filter form says that dates are widened to whole months, and shows them so."""
    auth.login(make_account("official"))
    html = client.get("/dashboard/?from=2026-03-10&to=2026-04-02&lang=en").get_data(as_text=True)
    assert "widened to whole months" in html
    assert 'value="2026-03-01"' in html and 'value="2026-04-30"' in html
