"""Kiosk mode in the browser: one tablet, one person after another, nothing carried over."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, screenshot
from tests.browser.test_offline import OUTBOX_SIZE, open_survey_ready_for_offline
from tests.browser.test_resident import SEND, THANKS_TITLE, answer_core_questions

pytestmark = pytest.mark.browser

TABLET = {"width": 1280, "height": 800}
OFFLINE_NOTE = "Ei verkkoyhteyttä"
CHECKED = "form.kiosk-form input:checked"


def kiosk_url(live_server, code: str, lang: str = "fi") -> str:
    return f"{live_server.url}/s/{code}/kiosk?lang={lang}"


def wait_for_rows(live_server, page, code: str, rows: int, seconds: float = 15) -> None:
    """Poll until ``rows`` responses are stored and the outbox is empty."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if live_server.count_responses(code) >= rows and page.evaluate(OUTBOX_SIZE) == 0:
            return
        page.wait_for_timeout(100)
    pytest.fail(f"{live_server.count_responses(code)} rows, wanted {rows}")


def test_after_an_answer_thank_you_then_an_empty_form(live_server, context_factory):
    """Thanks on the spot, then an empty form with a new one-time id for the next person."""
    code = live_server.make_survey()
    page = context_factory(viewport=TABLET).new_page()
    page.goto(kiosk_url(live_server, code))
    first_id = page.locator("input[name=client_id]").get_attribute("value")
    answer_core_questions(page)
    page.get_by_role("button", name=SEND["fi"]).click()
    expect(page.locator("#kiosk-thanks")).to_be_visible()
    expect(page.locator("#kiosk-thanks h1")).to_have_text(THANKS_TITLE["fi"])
    expect(page.locator("#kiosk-offline")).to_be_hidden()
    assert page.url == kiosk_url(live_server, code)  # no thank-you page to go back from
    expect(page.locator("form.kiosk-form")).to_be_visible(timeout=10_000)
    expect(page.locator(CHECKED)).to_have_count(0)
    assert page.locator("input[name=client_id]").get_attribute("value") != first_id
    assert live_server.count_responses(code) == 1


def test_a_half_answered_form_clears_after_sixty_seconds_without_touch(
    live_server, context_factory
):
    """59 s after the last tap the answers are still there; at 61 s they are gone."""
    code = live_server.make_survey()
    page = context_factory(viewport=TABLET).new_page()
    page.clock.install()
    page.goto(kiosk_url(live_server, code))
    page.locator("label[for=q-joy-4]").click()
    page.locator("label[for=q-belonging-2]").click()
    expect(page.locator(CHECKED)).to_have_count(2)
    page.clock.run_for("00:59")
    expect(page.locator(CHECKED)).to_have_count(2)
    page.clock.run_for("00:02")
    expect(page.locator(CHECKED)).to_have_count(0)
    assert live_server.count_responses(code) == 0


def test_a_tap_restarts_the_idle_clock(live_server, context_factory):
    """Someone still answering at 50 s keeps their answers past the first minute."""
    code = live_server.make_survey()
    page = context_factory(viewport=TABLET).new_page()
    page.clock.install()
    page.goto(kiosk_url(live_server, code))
    page.locator("label[for=q-joy-4]").click()
    page.clock.run_for("00:50")
    page.locator("label[for=q-safety-5]").click()
    page.clock.run_for("00:30")
    expect(page.locator(CHECKED)).to_have_count(2)
    page.clock.run_for("00:31")
    expect(page.locator(CHECKED)).to_have_count(0)


@pytest.mark.parametrize("javascript", [True, False], ids=["app", "plain-form"])
def test_back_never_shows_the_previous_persons_answers(live_server, context_factory, javascript):
    """Half-answered, away, Back: empty. Sent, then Back: empty, and stored once."""
    code = live_server.make_survey()
    page = context_factory(viewport=TABLET, java_script_enabled=javascript).new_page()
    page.goto(kiosk_url(live_server, code))
    page.locator("label[for=q-joy-2]").click()
    page.goto(f"{live_server.url}/privacy?lang=fi")
    page.go_back()
    expect(page.locator("form.kiosk-form")).to_be_visible()
    expect(page.locator(CHECKED)).to_have_count(0)

    answer_core_questions(page)
    page.get_by_role("button", name=SEND["fi"]).click()
    expect(page.locator("#kiosk-thanks")).to_be_visible()
    expect(page.locator("form.kiosk-form")).to_be_visible(timeout=10_000)
    page.go_back()
    page.wait_for_load_state()
    expect(page.locator(CHECKED)).to_have_count(0)
    page.go_forward()
    page.wait_for_load_state()
    expect(page.locator(CHECKED)).to_have_count(0)
    assert live_server.count_responses(code) == 1


def test_two_people_in_a_row_one_offline_each_stored_once(live_server, context_factory):
    """Person 1 online, person 2 with the network gone: two rows, each with its own faces."""
    code = live_server.make_survey()
    context = context_factory(viewport=TABLET)
    page = context.new_page()
    open_survey_ready_for_offline(page, kiosk_url(live_server, code))
    posts = []
    # Answered requests only: the one tried with the network gone never reached the server.
    context.on("response", lambda r: posts.append(r.url) if r.request.method == "POST" else None)

    answer_core_questions(page, scores=(5, 5, 5))
    page.get_by_role("button", name=SEND["fi"]).click()
    expect(page.locator("#kiosk-thanks")).to_be_visible()
    wait_for_rows(live_server, page, code, 1)
    expect(page.locator("form.kiosk-form")).to_be_visible(timeout=10_000)

    context.set_offline(True)
    answer_core_questions(page, scores=(1, 2, 3))
    page.get_by_role("button", name=SEND["fi"]).click()
    expect(page.locator("#kiosk-thanks")).to_be_visible()
    expect(page.locator("#kiosk-offline")).to_contain_text(OFFLINE_NOTE)
    assert page.evaluate(OUTBOX_SIZE) == 1
    expect(page.locator("form.kiosk-form")).to_be_visible(timeout=10_000)
    expect(page.locator(CHECKED)).to_have_count(0)
    assert live_server.count_responses(code) == 1

    context.set_offline(False)
    wait_for_rows(live_server, page, code, 2)
    page.reload()  # one more flush: nothing left to send twice
    page.wait_for_timeout(500)
    assert live_server.count_responses(code) == 2
    scores = sorted(live_server.stored_scores(code), key=lambda row: row["joy"])
    assert scores == [
        {"joy": 1, "belonging": 2, "safety": 3},
        {"joy": 5, "belonging": 5, "safety": 5},
    ]
    api = f"{live_server.url}/api/v1/surveys/{code}/responses"
    assert [url for url in posts if url == api] == [api, api]


@pytest.mark.parametrize("lang", ["fi", "sv", "ar"])
@pytest.mark.parametrize("viewport", [DESKTOP, {"width": 390, "height": 844}], ids=["1280", "390"])
def test_kiosk_screenshots(live_server, context_factory, lang, viewport):
    """The kiosk and its thank-you as a tablet shows them; Arabic right to left."""
    code = live_server.make_survey(languages=("fi", "sv", "en", "ar"), title="Kioskitesti")
    page = context_factory(viewport=viewport).new_page()
    page.goto(kiosk_url(live_server, code, lang))
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    width = viewport["width"]
    screenshot(page, f"kiosk-{lang}-{width}")
    answer_core_questions(page)
    page.locator("form.kiosk-form button[type=submit]").click()
    expect(page.locator("#kiosk-thanks")).to_be_visible()
    screenshot(page, f"kiosk-thanks-{lang}-{width}")
    assert re.search(r"/kiosk\?lang=", page.url)


@pytest.mark.parametrize("lang", ["fi", "ar"])
def test_kiosk_and_its_thank_you_have_no_axe_violations(live_server, context_factory, lang):
    """The form and the thank-you pass axe, left to right and right to left."""
    from tests.browser.test_accessibility import axe_violations

    code = live_server.make_survey(languages=("fi", "sv", "en", "ar"))
    page = context_factory(viewport=TABLET).new_page()
    page.goto(kiosk_url(live_server, code, lang))
    assert axe_violations(page) == [], "kiosk form"
    answer_core_questions(page)
    page.locator("form.kiosk-form button[type=submit]").click()
    expect(page.locator("#kiosk-thanks")).to_be_visible()
    assert axe_violations(page) == [], "kiosk thank-you"
