"""Every resident language from the QR link to the results: one language, labels that fit.

For each of the eight languages the demo survey is answered in Chromium; the survey, thank-you
and privacy pages must carry the right ``<html lang>`` and ``dir``, show no text left over
from the Finnish or English page (every Finnish translation and English msgid of the
catalogues, and the Finnish and English question texts and title), keep every answer label's words
whole at 320 and 390 px, and pass axe-core. Screenshots go to ``build/screenshots/``.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from playwright.sync_api import expect

from feedback_app.i18n import RESIDENT_LANGUAGES, text_direction
from feedback_app.question_bank import STANDARD_QUESTIONS
from feedback_app.services.demo import DEMO_QUESTION, DEMO_TITLES
from tests.browser.conftest import screenshot
from tests.browser.test_accessibility import axe_violations

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = ROOT / "feedback_app" / "translations"
SHOTS = ROOT / "build" / "screenshots"
WIDTHS = (320, 390)
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sdf]|%[sd]")
# Shorter fragments ("OK", "Malmi") occur in any language; they prove nothing either way.
MIN_FRAGMENT = 8
# Words of an answer label that wrap onto two lines: a word broken in the middle.
BROKEN_WORDS = """labels => labels.flatMap(label => {
  const broken = [];
  const walker = document.createTreeWalker(label, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const match of node.data.matchAll(/\\S+/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
      if (lines.size > 1) broken.push(match[0]);
    }
  }
  return broken;
})"""


@cache
def catalogue(language: str) -> dict[str, str]:
    """msgid → msgstr of one catalogue (plural forms: the first), fuzzy entries left out."""
    with (CATALOGUES / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        messages = read_po(handle, locale=language)
    texts = {}
    for message in messages:
        if not message.id or message.fuzzy:
            continue
        msgid = message.id[0] if isinstance(message.id, tuple) else message.id
        string = message.string[0] if isinstance(message.string, tuple) else message.string
        texts[msgid] = string
    return texts


def own_texts(language: str) -> set[str]:
    """What the page in ``language`` may rightly show: its catalogue and question texts."""
    texts = set(catalogue(language).values()) if language != "en" else set(catalogue("en"))
    for question in STANDARD_QUESTIONS.values():
        texts.add(question.prompts.get(language, ""))
        texts.update(option["labels"].get(language, "") for option in question.options)
    texts |= {DEMO_QUESTION[language], DEMO_TITLES[language]}
    return texts


@cache
def foreign_fragments(language: str) -> frozenset[str]:
    """Finnish and English texts that must not appear on a page in ``language``."""
    finnish = set(catalogue("fi").values()) | set(catalogue("fi"))  # msgids are English
    for question in STANDARD_QUESTIONS.values():
        finnish |= {question.prompts.get("fi", ""), question.prompts.get("en", "")}
        for option in question.options:
            finnish |= {option["labels"].get("fi", ""), option["labels"].get("en", "")}
    finnish |= {DEMO_QUESTION["fi"], DEMO_QUESTION["en"], DEMO_TITLES["fi"], DEMO_TITLES["en"]}
    allowed = own_texts(language)
    fragments = set()
    for text in finnish - allowed:
        for piece in PLACEHOLDER.split(text):
            piece = piece.strip(" .,:;–-()")
            if len(piece) >= MIN_FRAGMENT and not any(piece in own for own in allowed):
                fragments.add(piece)
    return frozenset(fragments)


def leftovers(page, language: str) -> list[str]:
    """Finnish or English text visible on the page although it is in another language."""
    visible = page.locator("body").inner_text()
    return sorted(fragment for fragment in foreign_fragments(language) if fragment in visible)


def check_page(page, language: str, name: str) -> None:
    """lang and dir, no leftover text, whole words in labels; a screenshot per width."""
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("html")).to_have_attribute("dir", text_direction(language))
    assert leftovers(page, language) == [], f"{language} {name}"
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 844})
        broken = page.eval_on_selector_all(".face-text", BROKEN_WORDS)
        assert broken == [], f"{language} {name} at {width} px: words broken {broken}"
        no_sideways = page.evaluate("document.documentElement.scrollWidth <= innerWidth")
        assert no_sideways, f"{language} {name} scrolls sideways at {width} px"
        page.screenshot(path=str(SHOTS / f"{language}-{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    if (language, name) == ("so", "survey"):
        screenshot(page, "resident-somali")  # the README's Somali example


@pytest.mark.parametrize("language", RESIDENT_LANGUAGES)
def test_resident_meets_only_their_language(live_server, page, language):
    """Survey, thank-you page and privacy notice all in ``language``, from the QR link on."""
    page.goto(f"{live_server.url}/s/demo?lang={language}")
    check_page(page, language, "survey")
    assert axe_violations(page) == [], f"{language} survey"
    menu = page.locator("nav.languages a")
    expect(menu).to_have_count(len(RESIDENT_LANGUAGES))
    for score, key in ((4, "joy"), (5, "belonging")):  # safety skipped on purpose
        page.locator(f"label[for=q-{key}-{score}]").click()
    page.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/s/demo/thanks\?lang={language}&sent="))
    expect(page.locator(".indicator-list")).to_be_visible()
    check_page(page, language, "thanks")
    assert axe_violations(page) == [], f"{language} thank-you"
    page.locator(".statement-links a").first.click()
    page.wait_for_url(re.compile(rf"/privacy\?lang={language}$"))
    check_page(page, language, "privacy")


@pytest.mark.parametrize("language", RESIDENT_LANGUAGES)
def test_first_scan_follows_the_phones_language(live_server, context_factory, language):
    """A phone set to ``language`` scanning the bare link gets the survey in that language."""
    context = context_factory(locale=language)
    page = context.new_page()
    page.goto(f"{live_server.url}/s/demo")
    expect(page.locator("html")).to_have_attribute("lang", language)


def test_sending_nothing_is_explained_and_stores_nothing(live_server, page):
    """With the script on, an empty form says at least one answer is needed; nothing queued."""
    code = live_server.make_survey()
    page.goto(f"{live_server.url}/s/{code}?lang=sv")
    page.locator("button[type=submit]").click()
    expect(page.locator("#status")).to_contain_text("Svara på minst en fråga.")
    page.locator("label[for=q-safety-2]").click()
    page.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/s/{code}/thanks"))
    assert live_server.stored_scores(code) == [{"safety": 2}]
