"""Offline answering: the service worker serves the survey with no network, the outbox keeps
the answer, and it reaches the server exactly once after reconnecting, also with two tabs."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from tests.browser.test_resident import SEND, answer_core_questions

pytestmark = pytest.mark.browser

SAVED = {
    "fi": "Ei verkkoyhteyttä",
    "sv": "Ingen nätverksanslutning",
    "en": "No network connection",
}
SERVER_REACHABLE = "fetch('/healthz', {cache: 'no-store'}).then(() => true, () => false)"
OUTBOX_SIZE = """() => new Promise((resolve, reject) => {
  const open = indexedDB.open("fiilis", 1);
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const request = open.result.transaction("outbox").objectStore("outbox").count();
    request.onsuccess = () => { open.result.close(); resolve(request.result); };
  };
})"""


def open_survey_ready_for_offline(page, url: str) -> None:
    """Open the survey and wait until the service worker has stored it."""
    page.goto(url)
    expect(page.locator("html")).to_have_attribute("data-offline-ready", "true")


# Every flush runs under this Web Lock (static/js/outbox.js): while no page or worker of the
# origin holds or waits for it, nothing is being sent.
NO_FLUSH_RUNNING = """() => navigator.locks.query().then(
  (state) => [...state.held, ...state.pending].every((lock) => lock.name !== "fiilis-outbox"))"""


def wait_until_delivered(live_server, page, code: str, seconds: float = 10) -> None:
    """Poll until a response is stored, the outbox is empty and no flush is running.

    Only then is the row count final: nothing is left that could still arrive. Fails at the
    deadline instead of letting the caller count too early.
    """
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        stored = live_server.count_responses(code)
        if stored and page.evaluate(OUTBOX_SIZE) == 0 and page.evaluate(NO_FLUSH_RUNNING):
            return
        page.wait_for_timeout(100)
    pytest.fail(f"not delivered in {seconds} s: {stored} rows, outbox {page.evaluate(OUTBOX_SIZE)}")


def test_survey_opens_with_no_network(live_server, outage_server, context_factory):
    """After one visit the page, its CSS and face icons come from the worker's cache, with the
    server gone and the browser offline."""
    code = live_server.make_survey()
    context = context_factory()
    page = context.new_page()
    open_survey_ready_for_offline(page, f"{outage_server.url}/s/{code}?lang=fi")
    outage_server.stop()
    assert page.evaluate(SERVER_REACHABLE) is False
    context.set_offline(True)
    response = page.reload()
    assert response.from_service_worker
    expect(page.locator("h1")).to_have_text("Selaintesti")
    expect(page.locator("label[for=q-joy-5] img")).to_have_js_property("naturalWidth", 44)
    header = "getComputedStyle(document.querySelector('.site-header')).backgroundColor"
    assert page.evaluate(header) == "rgb(0, 0, 191)"


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_offline_answer_is_delivered_exactly_once(live_server, context_factory, lang):
    """Offline: the answer waits in IndexedDB with a notice; online: one row, outbox empty."""
    code = live_server.make_survey()
    context = context_factory()
    page = context.new_page()
    open_survey_ready_for_offline(page, f"{live_server.url}/s/{code}?lang={lang}")
    context.set_offline(True)
    answer_core_questions(page)
    page.get_by_role("button", name=SEND[lang]).click()
    expect(page.locator("#status")).to_contain_text(SAVED[lang])
    assert page.evaluate(OUTBOX_SIZE) == 1
    assert live_server.count_responses(code) == 0
    context.set_offline(False)
    wait_until_delivered(live_server, page, code)
    expect(page.locator("#status a")).to_be_visible()
    assert live_server.count_responses(code) == 1


def test_two_tabs_deliver_once(live_server, context_factory):
    """Two open tabs both flush on reconnect; the Web Lock lets one send, the row is single."""
    code = live_server.make_survey()
    context = context_factory()
    first, second = context.new_page(), context.new_page()
    url = f"{live_server.url}/s/{code}?lang=fi"
    open_survey_ready_for_offline(first, url)
    open_survey_ready_for_offline(second, url)
    context.set_offline(True)
    answer_core_questions(first)
    first.get_by_role("button", name=SEND["fi"]).click()
    expect(first.locator("#status")).to_contain_text(SAVED["fi"])
    assert second.evaluate(OUTBOX_SIZE) == 1  # the same origin, the same outbox
    posts = []
    context.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    context.set_offline(False)
    wait_until_delivered(live_server, first, code)
    second.evaluate("document.dispatchEvent(new Event('visibilitychange'))")  # one more flush
    # Asked from the same tab, so the lock query is ordered after that flush's lock request.
    wait_until_delivered(live_server, second, code)
    assert live_server.count_responses(code) == 1
    # Exactly once on the wire too, not only thanks to the server's client_id check.
    assert posts == [f"{live_server.url}/api/v1/surveys/{code}/responses"]
    expect(first.locator("#status a")).to_be_visible()  # the answering tab is told


def test_waiting_answer_is_sent_when_the_survey_is_opened_again(live_server, context_factory):
    """Answer offline, close the tab, come back online later: loading the page flushes."""
    code = live_server.make_survey()
    context = context_factory()
    page = context.new_page()
    open_survey_ready_for_offline(page, f"{live_server.url}/s/{code}?lang=fi")
    context.set_offline(True)
    answer_core_questions(page)
    page.get_by_role("button", name=SEND["fi"]).click()
    expect(page.locator("#status")).to_contain_text(SAVED["fi"])
    tags = page.evaluate("navigator.serviceWorker.ready.then(r => r.sync.getTags())")
    assert tags == ["fiilis-outbox"]  # Background Sync will also retry without any tab
    page.close()
    context.set_offline(False)
    again = context.new_page()
    again.goto(f"{live_server.url}/s/{code}/thanks?lang=fi")
    wait_until_delivered(live_server, again, code)
    assert live_server.count_responses(code) == 1
