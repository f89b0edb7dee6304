"""Background Sync: the service worker delivers a waiting answer with no survey tab open."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_offline import (
    SAVED,
    open_survey_ready_for_offline,
    wait_until_delivered,
)
from tests.browser.test_resident import SEND, answer_core_questions

pytestmark = pytest.mark.browser


def test_worker_flushes_the_outbox_on_sync(live_server, context_factory):
    """Answer offline and close the tab; back online, only the worker is left to send it."""
    code = live_server.make_survey()
    context = context_factory()
    other = context.new_page()  # a page without survey.js, to watch from
    other.goto(f"{live_server.url}/privacy?lang=fi")
    cdp = context.new_cdp_session(other)
    registrations = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: registrations.extend(event["registrations"]),
    )
    cdp.send("ServiceWorker.enable")
    survey = context.new_page()
    open_survey_ready_for_offline(survey, f"{live_server.url}/s/{code}?lang=fi")
    context.set_offline(True)
    answer_core_questions(survey)
    survey.get_by_role("button", name=SEND["fi"]).click()
    expect(survey.locator("#status")).to_contain_text(SAVED["fi"])
    survey.close()
    context.set_offline(False)
    # Chromium may fire the registered sync by itself on reconnecting; fire it in any case.
    registration = next(r for r in registrations if not r["isDeleted"])
    cdp.send(
        "ServiceWorker.dispatchSyncEvent",
        {
            "origin": live_server.url,
            "registrationId": registration["registrationId"],
            "tag": "fiilis-outbox",
            "lastChance": False,
        },
    )
    wait_until_delivered(live_server, other, code)
    assert live_server.count_responses(code) == 1
