"""The service worker in Chromium: installable, network first, nothing private cached,
old caches dropped."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect
from sqlalchemy import update

from feedback_app.extensions import db
from feedback_app.models import Survey, SurveyStatus
from tests.browser.test_offline import SERVER_REACHABLE, open_survey_ready_for_offline

pytestmark = pytest.mark.browser

CACHED_URLS = """async () => {
  const urls = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) urls.push(name + " " + new URL(request.url).pathname);
  }
  return urls;
}"""


def test_chromium_finds_the_app_installable(live_server, page):
    """Chromium's own check: a valid manifest, icons and a worker controlling the page."""
    open_survey_ready_for_offline(page, f"{live_server.url}/s/demo?lang=fi")
    page.reload()
    cdp = page.context.new_cdp_session(page)
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["errors"] == []
    assert manifest["url"].endswith("/manifest.webmanifest?lang=fi")
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    # Playwright's contexts are always incognito; every other reason would be ours.
    assert [e["errorId"] for e in errors if e["errorId"] != "in-incognito"] == []


def test_api_and_staff_pages_are_never_cached(live_server, page, sign_in):
    """After using the API and staff pages under the worker, only survey pages and assets
    sit in the caches."""
    open_survey_ready_for_offline(page, f"{live_server.url}/s/demo?lang=fi")
    page.reload()
    page.evaluate("fetch('/api/v1/surveys/demo/summary').then(r => r.json())")
    sign_in(page, "artist")
    page.goto(f"{live_server.url}/studio/")
    page.goto(f"{live_server.url}/privacy")
    urls = page.evaluate(CACHED_URLS)
    paths = {url.split(" ", 1)[1] for url in urls}
    assert "/s/demo" in paths
    assert any(re.fullmatch(r"/static/css/app\.[0-9a-f]{12}\.css", p) for p in paths), paths
    assert not [p for p in paths if p.startswith(("/api", "/studio", "/login", "/dashboard"))]
    assert all(p.startswith(("/s/", "/static/")) for p in paths), paths


def test_navigation_is_network_first(live_server, outage_server, context_factory):
    """Online, a changed survey shows at once; with the server gone, the refreshed copy."""
    code = live_server.make_survey(title="Ennen")
    page = context_factory().new_page()
    open_survey_ready_for_offline(page, f"{outage_server.url}/s/{code}?lang=fi")
    with live_server.app.app_context():
        db.session.execute(
            update(Survey)
            .where(Survey.code == code)
            .values(title="Jälkeen", titles={"fi": "Jälkeen", "sv": "Jälkeen", "en": "Jälkeen"})
        )
        db.session.commit()
    page.reload()
    expect(page.locator("h1")).to_have_text("Jälkeen")
    outage_server.stop()
    assert page.evaluate(SERVER_REACHABLE) is False
    page.reload()
    expect(page.locator("h1")).to_have_text("Jälkeen")


def test_old_caches_are_dropped_on_activate(live_server, page):
    """A cache left by an earlier worker version is deleted when the worker activates."""
    open_survey_ready_for_offline(page, f"{live_server.url}/s/demo?lang=fi")
    page.evaluate("""async () => {
      await (await caches.open("fiilis-pages-0ld0ld0ld0ld")).put("/s/stale", new Response("x"));
      await (await navigator.serviceWorker.getRegistration()).unregister();
    }""")
    page.reload()
    expect(page.locator("html")).to_have_attribute("data-offline-ready", "true")
    page.wait_for_function(
        "async () => !(await caches.keys()).includes('fiilis-pages-0ld0ld0ld0ld')"
    )
    names = page.evaluate("caches.keys()")
    assert all(name.startswith(("fiilis-static-", "fiilis-pages-")) for name in names)
    assert len(names) == 2


def test_closed_survey_leaves_the_offline_cache(live_server, outage_server, context_factory):
    """Once the server answers 410, the stored copy is dropped: offline the form is gone."""
    code = live_server.make_survey()
    page = context_factory().new_page()
    url = f"{outage_server.url}/s/{code}?lang=fi"
    open_survey_ready_for_offline(page, url)
    with live_server.app.app_context():
        db.session.execute(
            update(Survey).where(Survey.code == code).values(status=SurveyStatus.CLOSED)
        )
        db.session.commit()
    page.reload()
    assert f"/s/{code}" not in {u.split(" ", 1)[1] for u in page.evaluate(CACHED_URLS)}
    outage_server.stop()
    assert page.evaluate(SERVER_REACHABLE) is False
    try:  # a network error, or the browser's HTTP cache replaying the 410 page
        page.goto(url)
    except PlaywrightError:
        return
    expect(page.locator("form.survey-form")).to_have_count(0)


def test_first_install_downloads_no_file_twice(live_server, page, monkeypatch):
    """The worker precaches the hashed URLs the page has just loaded: the HTTP cache answers.

    Counted at the server: each static file of the survey is sent once (a 200 with its
    bytes) for the page and the worker's install together; Chromium may still revalidate
    the worker's imported script, which costs a 304 without a body. The worker's cache
    holds every file it precaches.
    """
    sent: dict[str, int] = {}
    serve = live_server.app.wsgi_app

    def counting(environ, start_response):
        path = environ.get("PATH_INFO", "")

        def record(status, headers, *args):
            if path.startswith("/static/") and status.startswith("200"):
                sent[path] = sent.get(path, 0) + 1
            return start_response(status, headers, *args)

        return serve(environ, record)

    monkeypatch.setattr(live_server.app, "wsgi_app", counting)
    open_survey_ready_for_offline(page, f"{live_server.url}/s/demo?lang=fi")
    script = page.request.get(f"{live_server.url}/sw.js").text()
    assets = json.loads(re.search(r"var ASSETS = (\[.*?\]);", script).group(1))
    cached = {url.split(" ", 1)[1] for url in page.evaluate(CACHED_URLS) if "static-" in url}
    assert set(assets) <= cached
    assert set(assets) <= set(sent)
    assert {path: n for path, n in sent.items() if n > 1} == {}
