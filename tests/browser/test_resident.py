"""The resident's path in a real browser: answer in fi/sv/en and land on the thank-you page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

THANKS_TITLE = {"fi": "Kiitos!", "sv": "Tack!", "en": "Thank you!"}
SEND = {"fi": "Lähetä vastaukset", "sv": "Skicka svaren", "en": "Send answers"}


def answer_core_questions(page, scores=(5, 4, 3)) -> None:
    """Pick a face for joy, belonging and safety by clicking their text labels."""
    for key, score in zip(("joy", "belonging", "safety"), scores, strict=True):
        page.locator(f"label[for=q-{key}-{score}]").click()


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_resident_answers_and_is_thanked(live_server, page, lang):
    """survey.js posts to the JSON API (201), then shows the thank-you page; one row."""
    code = live_server.make_survey()
    page.goto(f"{live_server.url}/s/{code}?lang={lang}")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    answer_core_questions(page)
    api = f"{live_server.url}/api/v1/surveys/{code}/responses"
    with page.expect_response(lambda r: r.url == api and r.request.method == "POST") as sent:
        page.get_by_role("button", name=SEND[lang]).click()
    assert sent.value.status == 201
    assert sent.value.request.post_data_json["locale"] == lang
    page.wait_for_url(re.compile(rf"/s/{code}/thanks\?lang={lang}"))
    expect(page.locator("h1")).to_have_text(THANKS_TITLE[lang])
    assert live_server.stored_scores(code) == [{"joy": 5, "belonging": 4, "safety": 3}]
    if lang == "fi":
        screenshot(page, "resident-thanks")


def test_plain_form_works_without_javascript(live_server, context_factory):
    """With JavaScript off the form posts itself; the answer is stored once."""
    code = live_server.make_survey()
    page = context_factory(java_script_enabled=False).new_page()
    page.goto(f"{live_server.url}/s/{code}?lang=sv")
    answer_core_questions(page)
    page.get_by_role("button", name=SEND["sv"]).click()
    page.wait_for_url(re.compile(rf"/s/{code}/thanks"))
    expect(page.locator("h1")).to_have_text("Tack!")
    assert live_server.count_responses(code) == 1


def test_a_filled_hidden_field_sends_nothing(live_server, page):
    """A script that fills every field, the hidden one too, is thanked and nothing is sent."""
    code = live_server.make_survey()
    page.goto(f"{live_server.url}/s/{code}?lang=fi")
    answer_core_questions(page)
    page.locator("[data-honeypot]").evaluate("field => { field.value = 'http://spam.example'; }")
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if r.method == "POST" else None)
    page.get_by_role("button", name=SEND["fi"]).click()
    page.wait_for_url(re.compile(rf"/s/{code}/thanks"))
    assert sent == []
    assert live_server.count_responses(code) == 0
