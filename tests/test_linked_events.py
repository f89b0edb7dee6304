"""Starting a survey from Linked Events, against a local server with the API's real shapes."""

from __future__ import annotations

import re
import time
from datetime import date

import pytest
from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.models import District, GrantPeriod, Project, Survey
from feedback_app.services.linked_events import client
from feedback_app.services.linked_events.districts import match_district
from tests.linked_events_server import FixtureServer
from tests.studio_support import post

DAY = date(2026, 12, 5)
BUDGET = 4.0


@pytest.fixture(scope="module")
def api():
    """The fixture API for this module."""
    with FixtureServer() as server:
        yield server


def test_search_follows_meta_next_and_sends_text_and_day(api):
    """Two pages are read through ``meta.next``; the query asks for the day and the places."""
    api.requests.clear()
    result = client.search(api.base(), "ilta", DAY, BUDGET)
    assert [e.id for e in result.events] == [
        "helsinki:agf3tsnbzu",
        "helsinki:agf3kannel",
        "helsinki:agf3nowher",
        "helsinki:agf3bareplc",
    ]
    assert result.complete
    first, second = api.requests
    assert first[2]["text"] == ["ilta"] and first[2]["include"] == ["location"]
    assert first[2]["start"] == first[2]["end"] == ["2026-12-05"]
    assert second[2]["page"] == ["2"]


def test_event_fields_titles_date_venue_and_divisions(api):
    """Titles per language, the Helsinki date of the start time, the place and its areas."""
    event = client.search(api.base(), "ilta", DAY, BUDGET).events[0]
    assert event.titles == {
        "fi": "Tarinailta Malmilla",
        "sv": "Berättarkväll i Malm",
        "en": "Story night in Malmi",
    }
    assert event.day == DAY
    assert event.venue == "Malmitalo"
    assert "Ala-Malmi" in event.divisions


def test_missing_languages_and_places(api):
    """A null or absent language is left out; a null location or no divisions give nothing."""
    events = {e.id: e for e in client.search(api.base(), "ilta", DAY, BUDGET).events}
    song = events["helsinki:agf3kannel"]
    assert song.titles == {"fi": "Lauluilta", "en": "Song evening"}
    # 22:30 UTC on 5 Dec is already 6 Dec in Helsinki.
    assert song.day == date(2026, 12, 6)
    online = events["helsinki:agf3nowher"]
    assert (online.venue, online.divisions) == ("", ())
    tent = events["helsinki:agf3bareplc"]
    assert tent.title == "Tältkonsert"  # no Finnish title: the Swedish one
    assert (tent.venue, tent.divisions) == ("Tapahtumateltta", ())


def test_a_place_given_only_as_a_link_is_read_from_the_service(api):
    """Without ``include`` expansion the event's place is fetched from its ``@id``."""
    event = client.get_event(api.base(), "helsinki:agf3placeref", BUDGET)
    assert event.venue == "Malmitalo"
    assert "Malmi" in event.divisions


def test_unknown_or_malformed_event_ids(api):
    """404 from the service and ids of the wrong shape are both 'not found'."""
    with pytest.raises(client.EventNotFound):
        client.get_event(api.base(), "helsinki:doesnotexist", BUDGET)
    with pytest.raises(client.EventNotFound):
        client.get_event(api.base(), "../../admin", BUDGET)


@pytest.mark.parametrize("mode", ["broken", "garbled"])
def test_server_errors_and_invalid_json(api, mode):
    """A 500 or a body that is not JSON: the service is unavailable, nothing half-read."""
    with pytest.raises(client.LinkedEventsUnavailable):
        client.search(api.base(mode), "ilta", DAY, BUDGET)
    with pytest.raises(client.LinkedEventsUnavailable):
        client.get_event(api.base(mode), "helsinki:agf3tsnbzu", BUDGET)


def test_a_slow_service_gives_up_within_five_seconds(api):
    """The server answers after 8 s; the search stops at its budget."""
    started = time.monotonic()
    with pytest.raises(client.LinkedEventsUnavailable):
        client.search(api.base("slow"), "ilta", DAY, BUDGET)
    assert time.monotonic() - started <= 5


def test_a_failing_second_page_keeps_the_first(api):
    """Page 2 answers 500: the first page's events stay, marked incomplete."""
    result = client.search(api.base("flaky"), "ilta", DAY, BUDGET)
    assert len(result.events) == 3 and not result.complete


def _district(name_fi: str, name_sv: str, slug: str) -> District:
    return District(slug=slug, name_fi=name_fi, name_sv=name_sv)


def test_divisions_match_the_target_districts():
    """Own names and the areas a district is made of; a near name never matches."""
    malmi = _district("Malmi", "Malm", "malmi")
    kannel = _district("Kannelmäki-Malminkartano", "Gamlas-Malmgård", "km")
    meri = _district("Meri-Rastila", "Havsrastböle", "meri-rastila")
    kontula = _district("Kontula", "Gårdsbacka", "kontula")
    every = [malmi, kannel, meri, kontula]
    assert match_district(["Helsinki", "Malmi", "Ala-Malmi"], every) is malmi
    assert match_district(["Kaarela", "Kannelmäki"], every) is kannel
    assert match_district(["Vuosaari", "Rastila"], every) is None  # Rastila is not Meri-Rastila
    assert match_district(["Mellunkylä", "Kontula"], every) is kontula
    assert match_district([], every) is None


@pytest.fixture
def artist(app, make_account, auth):
    """An artist in two projects: one in Malmi, one in Kontula, real district names."""
    with app.app_context():
        period = GrantPeriod(start_year=2025, end_year=2027)
        malmi = District(slug="malmi", name_fi="Malmi", name_sv="Malm")
        kontula = District(slug="kontula", name_fi="Kontula", name_sv="Gårdsbacka")
        projects = [
            Project(name="Kontulan kaiku", institution="HAM", district=kontula, period=period),
            Project(name="Malmin tarinat", institution="HAM", district=malmi, period=period),
        ]
        db.session.add_all(projects)
        db.session.commit()
        ids = [p.id for p in projects]
    auth.login(make_account("artist", projects=ids))
    return ids


def test_three_taps_search_pick_create(app, client, api, artist, monkeypatch):
    """Search, pick an event, create: titles, date, venue, project and the event's id kept."""
    monkeypatch.setitem(app.config, "LINKED_EVENTS_URL", api.base())
    found = client.get("/studio/surveys/new?le_text=ilta&le_date=2026-12-05")
    html = found.get_data(as_text=True)
    assert found.status_code == 200 and "Tarinailta Malmilla" in html and "Lauluilta" in html
    pick = re.search(r'href="([^"]*event=helsinki(?:%3A|:)agf3tsnbzu[^"]*)"', html)
    assert pick, "no link to pick the event"

    picked = client.get(pick.group(1).replace("&amp;", "&"))
    form = picked.get_data(as_text=True)
    assert 'value="Tarinailta Malmilla"' in form and 'value="Berättarkväll i Malm"' in form
    assert 'value="2026-12-05"' in form and 'value="Malmitalo"' in form
    assert re.search(rf'<option selected value="{artist[1]}"', form), "Malmi project not chosen"

    fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form))
    fields.pop("csrf_token", None)
    fields = {k: v for k, v in fields.items() if not k.startswith("le_")}
    created = post(client, "/studio/surveys/new", {**fields, "project": artist[1]})
    assert created.status_code == 302
    with app.app_context():
        survey = db.session.scalar(select(Survey))
        assert survey.linked_event_id == "helsinki:agf3tsnbzu"
        assert survey.titles == {
            "fi": "Tarinailta Malmilla",
            "sv": "Berättarkväll i Malm",
            "en": "Story night in Malmi",
        }
        assert (survey.event_date, survey.venue, survey.project_id) == (DAY, "Malmitalo", artist[1])
        survey_id = survey.id
    results = client.get(f"/studio/surveys/{survey_id}/results").get_data(as_text=True)
    assert f'href="{api.base()}event/helsinki:agf3tsnbzu/"' in results


def test_event_without_place_leaves_venue_and_project_to_the_artist(
    app, client, api, artist, monkeypatch
):
    """No location: the title is filled in, and the page says to choose the project."""
    monkeypatch.setitem(app.config, "LINKED_EVENTS_URL", api.base())
    html = client.get("/studio/surveys/new?event=helsinki:agf3nowher").get_data(as_text=True)
    assert 'value="Verkkotyöpaja"' in html
    assert "choose the project yourself" in html or "valitse projekti itse" in html


@pytest.mark.parametrize("mode", ["slow", "broken", "garbled"])
def test_service_down_says_so_quickly_and_the_form_stays(
    app, client, api, artist, monkeypatch, mode
):
    """Within 5 s a clear message, and the form to type the event in by hand."""
    monkeypatch.setitem(app.config, "LINKED_EVENTS_URL", api.base(mode))
    started = time.monotonic()
    response = client.get("/studio/surveys/new?le_text=ilta&lang=en")
    assert time.monotonic() - started <= 5
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Linked Events did not answer in time or is not working right now" in html
    assert 'name="title"' in html


def test_a_forged_event_id_is_refused(app, client, artist):
    """Only the shape of a Linked Events id is stored; anything else is a 400, nothing made."""
    response = post(
        client,
        "/studio/surveys/new",
        {"project": artist[1], "title": "Ilta", "event_date": "2026-12-05", "linked_event": "x y"},
    )
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(Survey)) is None


def test_event_report_links_the_linked_event(app, client, artist, tmp_path):
    """The event's PDF report names its Linked Events address on the cover."""
    from tests.test_reports_pdf import pdf_text

    created = post(
        client,
        "/studio/surveys/new",
        {
            "project": artist[1],
            "title": "Tarinailta",
            "event_date": "2026-12-05",
            "linked_event": "helsinki:agf3tsnbzu",
        },
    )
    survey_id = int(created.headers["Location"].split("/surveys/")[1].split("?")[0])
    report = client.get(f"/studio/surveys/{survey_id}/report.pdf?lang=fi")
    assert report.status_code == 200
    text = pdf_text(report.data, tmp_path)
    assert "event/helsinki:agf3tsnbzu/" in text.replace("\n", "")
