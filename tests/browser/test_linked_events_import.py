"""An artist starts a survey from a Linked Events event in three taps, in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.models import Survey
from tests.browser.conftest import DESKTOP, PHONE, screenshot
from tests.linked_events_server import FixtureServer

pytestmark = pytest.mark.browser


@pytest.fixture
def linked_events(live_server, monkeypatch):
    """The fixture API, configured as the app's LINKED_EVENTS_URL for this test."""
    with FixtureServer() as server:
        monkeypatch.setitem(live_server.app.config, "LINKED_EVENTS_URL", server.base())
        yield server


@pytest.mark.parametrize(
    ("lang", "search", "event", "create", "district"),
    [
        ("fi", "Hae tapahtumia", "Tarinailta Malmilla", "Luo kysely", "Alue: Malmi."),
        ("sv", "Sök evenemang", "Berättarkväll i Malm", "Skapa enkät", "Område: Malm."),
    ],
)
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_three_taps_from_an_event_to_a_survey(
    live_server,
    linked_events,
    context_factory,
    sign_in,
    lang,
    search,
    event,
    create,
    district,
    viewport,
):
    """Search, pick, create: the draft has the event's titles, date, venue and district."""
    page = context_factory(viewport=viewport).new_page()
    sign_in(page, "artist")
    page.goto(f"{live_server.url}/studio/surveys/new?lang={lang}")
    page.fill("#le_text", "ilta")
    page.get_by_role("button", name=search).click()  # tap 1
    picks = page.locator("a.event-pick")
    expect(picks).to_have_count(4)
    width = viewport["width"]
    screenshot(page, f"linked-events-results-{lang}-{width}")
    picks.filter(has_text=event).click()  # tap 2 (named in the interface language)
    expect(page.locator("#title")).to_have_value("Tarinailta Malmilla")
    expect(page.locator("#title_sv")).to_have_value("Berättarkväll i Malm")
    expect(page.locator("#venue")).to_have_value("Malmitalo")
    expect(page.locator(".event-import")).to_contain_text(district)
    screenshot(page, f"linked-events-picked-{lang}-{width}")
    page.get_by_role("button", name=create).first.click()  # tap 3
    page.wait_for_url("**/studio/surveys/*")
    with live_server.app.app_context():
        survey = db.session.scalar(
            select(Survey)
            .where(Survey.linked_event_id == "helsinki:agf3tsnbzu")
            .order_by(Survey.id.desc())
        )
        assert survey.titles["en"] == "Story night in Malmi"
        assert survey.event_date.isoformat() == "2026-12-05"
        assert survey.project.district.slug == "malmi"


def test_a_slow_service_is_reported_and_the_form_stays(
    live_server, context_factory, sign_in, monkeypatch
):
    """The service answers after 8 s: within 5 s a message, then typing by hand works."""
    with FixtureServer() as server:
        monkeypatch.setitem(live_server.app.config, "LINKED_EVENTS_URL", server.base("slow"))
        page = context_factory(viewport=PHONE).new_page()
        sign_in(page, "artist")
        page.goto(f"{live_server.url}/studio/surveys/new?lang=fi")
        page.fill("#le_text", "ilta")
        page.get_by_role("button", name="Hae tapahtumia").click()
        expect(page.get_by_role("alert")).to_contain_text(
            "Linked Events ei vastannut ajoissa", timeout=5_000
        )
        screenshot(page, "linked-events-unavailable-fi-390")
        page.fill("#title", "Käsin kirjoitettu ilta")
        page.get_by_role("button", name="Luo kysely").first.click()
        page.wait_for_url("**/studio/surveys/*")
        expect(page.locator("h1")).to_have_text("Käsin kirjoitettu ilta")
