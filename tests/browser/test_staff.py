"""Staff in a real browser: an artist makes and publishes a survey on a phone, the event
screen shows it, and the officials' dashboard draws its charts."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, screenshot

pytestmark = pytest.mark.browser


def create_survey_in_studio(page, base: str, title: str, extra_languages=()) -> int:
    """Fill the studio's new-survey form; returns the new survey's id."""
    page.goto(f"{base}/studio/?lang=fi")
    page.locator("a[href*='/studio/surveys/new']").first.click()
    page.fill("#title", title)
    page.fill("#venue", "Malmitalo")
    page.fill("#event_date", "2026-11-28")
    if extra_languages:
        page.locator("details.more summary").click()
        for code in extra_languages:
            page.check(f"input[name=languages][value={code}]")
    page.locator("form.studio-form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/studio/surveys/\d+"))
    survey_id = int(re.search(r"/studio/surveys/(\d+)", page.url).group(1))
    if extra_languages:
        # The event's name in each extra language, so those languages reach residents.
        for code in extra_languages:
            page.fill(f"#title_{code}", title)
        page.locator("form[action*='/details'] button[type=submit]").click()
        page.wait_for_url(re.compile(rf"/studio/surveys/{survey_id}"))
    return survey_id


def test_artist_creates_and_publishes_on_a_phone(live_server, page, sign_in):
    """390×844: sign in, create, publish; the survey then opens for residents."""
    sign_in(page, "artist")
    page.goto(f"{live_server.url}/studio/?lang=fi")
    screenshot(page, "studio-phone")
    survey_id = create_survey_in_studio(page, live_server.url, "Puistokonsertti", ["ar"])
    expect(page.locator(".badge-draft")).to_be_visible()
    page.locator(f"form[action*='/studio/surveys/{survey_id}/status/open'] button").click()
    expect(page.locator(".badge-open")).to_be_visible()
    screenshot(page, "studio-survey-phone")
    link = page.locator(".link-text a").get_attribute("href")
    code = link.rstrip("/").rsplit("/", 1)[-1].split("?")[0]
    resident = page.context.new_page()
    resident.goto(f"{live_server.url}/s/{code}?lang=ar")
    expect(resident.locator("h1")).to_have_text("Puistokonsertti")
    expect(resident.locator("html")).to_have_attribute("dir", "rtl")


def test_event_screen(live_server, context_factory, sign_in):
    """The big-screen view of the open demo survey, at desktop size."""
    page = context_factory(viewport=DESKTOP).new_page()
    sign_in(page, "artist")
    page.goto(f"{live_server.url}/studio/?lang=fi")
    page.locator(".survey-card", has_text="Fiilis-esittely").first.click()
    page.locator("a[href$='/screen'], a[href*='/screen?']").first.click()
    expect(page.locator("#screen")).to_be_visible()
    page.wait_for_load_state("networkidle")
    screenshot(page, "event-screen")


def test_dashboard_draws_its_charts(live_server, context_factory, sign_in):
    """Plotly renders SVG charts from the dashboard's own JSON."""
    page = context_factory(viewport=DESKTOP).new_page()
    sign_in(page, "official")
    page.goto(f"{live_server.url}/dashboard/?lang=fi")
    expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible(timeout=15_000)
    page.wait_for_load_state("networkidle")
    assert page.locator(".js-plotly-plot").count() >= 1
    screenshot(page, "dashboard")
