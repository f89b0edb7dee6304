"""Back after sending on a shared device: a fresh, empty form, and the answer counted once."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_resident import SEND, THANKS_TITLE, answer_core_questions

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("javascript", [True, False], ids=["app", "plain-form"])
def test_back_after_sending_gives_the_next_person_a_fresh_form(
    live_server, context_factory, javascript
):
    """The previous person's faces and one-time id are gone; nothing is sent twice."""
    code = live_server.make_survey()
    page = context_factory(java_script_enabled=javascript).new_page()
    page.goto(f"{live_server.url}/s/{code}?lang=fi")
    first_id = page.locator("input[name=client_id]").get_attribute("value")
    answer_core_questions(page)
    page.get_by_role("button", name=SEND["fi"]).click()
    page.wait_for_url(re.compile(rf"/s/{code}/thanks\?lang=fi&sent="))
    expect(page.locator("h1")).to_have_text(THANKS_TITLE["fi"])
    assert first_id not in page.content()

    page.go_back()
    expect(page.locator("form.survey-form")).to_be_visible()
    expect(page.locator("form.survey-form input:checked")).to_have_count(0)
    assert page.locator("input[name=client_id]").get_attribute("value") != first_id
    assert live_server.count_responses(code) == 1

    page.go_forward()
    expect(page.locator("h1")).to_have_text(THANKS_TITLE["fi"])
    page.get_by_role("link", name="Vastaa uudelleen").click()
    expect(page.locator("form.survey-form input:checked")).to_have_count(0)
    assert live_server.count_responses(code) == 1
