"""axe-core finds no violations on any page, in Finnish and Swedish."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from feedback_app.models import SurveyStatus

pytestmark = pytest.mark.browser

RESIDENT_PAGES = {
    "survey form": "/s/demo",
    "thank-you": "/s/demo/thanks",
    "closed survey": "/s/demo-01",
    "error 404": "/s/no-such-survey",
    "front page": "/",
    "login": "/login",
    "privacy notice": "/privacy",
    "accessibility statement": "/accessibility",
}


def axe_violations(page) -> list[str]:
    """One line per violated rule: its id, impact and the first offending elements."""
    results = Axe().run(page)
    lines = []
    for violation in results.response["violations"]:
        targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:3]]
        lines.append(f"{violation['id']} ({violation['impact']}): {targets}")
    return lines


@pytest.mark.parametrize("lang", ["fi", "sv"])
@pytest.mark.parametrize("name", list(RESIDENT_PAGES))
def test_public_pages_have_no_axe_violations(live_server, page, name, lang):
    """Resident and public pages, error page included."""
    page.goto(f"{live_server.url}{RESIDENT_PAGES[name]}?lang={lang}")
    assert axe_violations(page) == [], name


STAFF_HOMES = {"artist": "/studio/", "official": "/dashboard/", "admin": "/admin/"}
NOT_PAGES = re.compile(r"\.(csv|xlsx|json|png|svg|pdf|js)(\?|$)|/logout")
MAX_PAGES_PER_ROLE = 30


def staff_links(page, prefix: str) -> list[str]:
    """Same-area links on the page, without downloads, logout or fragments."""
    hrefs = page.eval_on_selector_all(
        "main a[href], header a[href]", "links => links.map(a => a.href.split('#')[0])"
    )
    return [h for h in hrefs if urlsplit(h).path.startswith(prefix) and not NOT_PAGES.search(h)]


def with_lang(url: str, lang: str) -> str:
    """``url`` with ``?lang=`` set."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query["lang"] = lang
    return urlunsplit(parts._replace(query=urlencode(query)))


@pytest.mark.parametrize("lang", ["fi", "sv"])
@pytest.mark.parametrize("role", list(STAFF_HOMES))
def test_staff_pages_have_no_axe_violations(live_server, page, sign_in, role, lang):
    """Follow every link from the role's home page (studio, event screen, dashboard, admin)."""
    if role == "artist":
        live_server.make_survey(
            status=SurveyStatus.DRAFT, title="Luonnos", artist_project=True
        )  # editable pages
    sign_in(page, role)
    prefixes = ("/studio", "/dashboard") if role != "admin" else ("/admin",)
    queue, seen, problems = [f"{live_server.url}{STAFF_HOMES[role]}"], set(), {}
    while queue and len(seen) < MAX_PAGES_PER_ROLE:
        url = with_lang(queue.pop(0), lang)
        key = re.sub(r"/\d+", "/N", urlsplit(url).path)  # each kind of page once
        if key in seen:
            continue
        seen.add(key)
        response = page.goto(url)
        if "text/html" not in (response.headers.get("content-type") or ""):
            continue
        if page.locator("[data-plotly], .chart").count():
            page.wait_for_load_state("networkidle")
        found = axe_violations(page)
        if found:
            problems[key] = found
        for prefix in prefixes:
            queue.extend(staff_links(page, prefix))
    assert len(seen) >= 3, f"{role} reached too few pages: {seen}"
    if role == "artist":
        expected = {
            "/studio/surveys/N/screen",
            "/studio/surveys/new",
            "/studio/surveys/N/questions/new",
        }
        assert expected <= seen, seen
    assert problems == {}, problems


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_form_errors_have_no_axe_violations(live_server, page, sign_in, lang):
    """Pages showing validation errors: a failed sign-in, an empty new survey, a bad answer."""
    page.goto(f"{live_server.url}/login?lang={lang}")
    page.fill("input[name=email]", "artist@example.org")
    page.fill("input[name=password]", "wrong password")
    page.click("form button[type=submit]")
    assert axe_violations(page) == [], "login error"
    sign_in(page, "artist")
    page.goto(f"{live_server.url}/studio/surveys/new?lang={lang}")
    page.fill("#title", "")
    page.locator("form.studio-form button[type=submit]").first.click()
    expect(page.locator(".field-error").first).to_be_visible()
    assert axe_violations(page) == [], "studio form error"
    code = live_server.make_survey()
    page.goto(f"{live_server.url}/s/{code}?lang={lang}")
    page.evaluate("document.querySelectorAll('[required]').forEach(el => el.required = false)")
    page.locator("form.survey-form button[type=submit]").click()
    expect(page.locator("#status .notice-error")).to_be_visible()
    assert axe_violations(page) == [], "survey answer error"
