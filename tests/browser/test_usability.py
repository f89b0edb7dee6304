"""Using the survey without a mouse, zoomed in, on a narrow phone, and in Arabic."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.test_accessibility import axe_violations
from tests.browser.test_resident import SEND, answer_core_questions

pytestmark = pytest.mark.browser

FACE_LABELS = {
    "fi": ("Täysin eri mieltä", "Täysin samaa mieltä"),
    "sv": ("Helt av annan åsikt", "Helt av samma åsikt"),
}
NONE_GIVEN = {"fi": "Vastaa vähintään yhteen kysymykseen.", "sv": "Svara på minst en fråga."}
FOCUS_RING = "el => getComputedStyle(el.nextElementSibling).outlineStyle"


def tab_to(page, selector: str, limit: int = 40) -> None:
    """Press Tab until the element matching ``selector`` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_survey_answered_with_keyboard_alone(live_server, page):
    """Tab into each face group, Space to pick, arrows to change; focus is always visible."""
    code = live_server.make_survey()
    page.goto(f"{live_server.url}/s/{code}?lang=fi")
    for key, arrows in (("joy", 3), ("belonging", 4), ("safety", 2)):
        tab_to(page, f"input[name=q_{key}]")
        focused = page.locator(":focus")
        assert focused.evaluate(FOCUS_RING) == "solid", f"no visible focus on {key}"
        page.keyboard.press("Space")
        for _ in range(arrows):
            page.keyboard.press("ArrowRight")
        expect(page.locator(f"input[name=q_{key}]:checked")).to_have_value(str(1 + arrows))
    tab_to(page, "textarea")
    page.keyboard.type("Hieno ilta")
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/s/{code}/thanks"))
    assert live_server.stored_scores(code) == [{"joy": 4, "belonging": 5, "safety": 3}]


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_face_scales_are_radio_groups_with_text_labels(live_server, page, lang):
    """Each face has a radio button whose accessible name is a word, not a picture."""
    page.goto(f"{live_server.url}/s/demo?lang={lang}")
    groups = page.locator("fieldset.face-scale")
    assert groups.count() == 3
    for label in FACE_LABELS[lang]:
        expect(page.get_by_role("radio", name=label, exact=True)).to_have_count(3)
    for index in range(3):
        expect(groups.nth(index).get_by_role("radio")).to_have_count(5)


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_errors_are_announced(live_server, page, lang):
    """An empty answer is described in the live region and focus moves to the first question."""
    code = live_server.make_survey()
    page.goto(f"{live_server.url}/s/{code}?lang={lang}")
    status = page.locator("#status")
    expect(status).to_have_attribute("aria-live", "polite")
    page.evaluate("document.querySelectorAll('[required]').forEach(el => el.required = false)")
    page.get_by_role("button", name=SEND[lang]).click()
    expect(status).to_contain_text(NONE_GIVEN[lang])
    expect(page.locator(":focus")).to_have_attribute("name", "q_joy")
    assert live_server.count_responses(code) == 0


@pytest.mark.parametrize(
    "viewport, scale",
    [({"width": 320, "height": 640}, 1), ({"width": 640, "height": 400}, 2)],
    ids=["320px", "200%-zoom"],
)
def test_narrow_and_zoomed_without_horizontal_scrolling(
    live_server, context_factory, viewport, scale
):
    """WCAG reflow: 320 CSS px (also what 1280 px at 200 % leaves) needs no sideways scroll."""
    code = live_server.make_survey()
    page = context_factory(viewport=viewport, device_scale_factor=scale).new_page()
    for path in (f"/s/{code}", "/privacy", "/accessibility", "/login"):
        page.goto(f"{live_server.url}{path}?lang=fi")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], f"{path} scrolls sideways: {width}px"
    page.goto(f"{live_server.url}/s/{code}?lang=fi")
    answer_core_questions(page)
    page.get_by_role("button", name=SEND["fi"]).click()
    page.wait_for_url(re.compile(rf"/s/{code}/thanks"))
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


def test_arabic_survey_reads_right_to_left(live_server, page):
    """Arabic content: dir=rtl, the core prompts in Arabic, and still no axe violations."""
    code = live_server.make_survey(languages=("fi", "sv", "en", "ar"), title="ليلة الحكايات")
    page.goto(f"{live_server.url}/s/{code}?lang=ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.locator("#q-joy legend")).to_contain_text("جلبت لي هذه الفعالية الفرح.")
    assert page.evaluate("getComputedStyle(document.querySelector('#q-joy')).direction") == "rtl"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "scrolls sideways"
    screenshot(page, "resident-arabic")
    assert axe_violations(page) == []


def test_resident_phone_view(live_server, page):
    """The picture for the README: the open demo survey on a phone."""
    page.goto(f"{live_server.url}/s/demo?lang=fi")
    expect(page.locator("html")).to_have_attribute("data-offline-ready", "true")
    screenshot(page, "resident-phone")
