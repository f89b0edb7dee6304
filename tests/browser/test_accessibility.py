"""axe-core finds no violations on any page, in Finnish and Swedish."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

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
NOT_PAGES = re.compile(r"\.(csv|json|png|svg|pdf|js)(\?|$)|/logout")
MAX_PAGES_PER_ROLE = 14


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
    sign_in(page, role)
    prefixes = ("/studio", "/dashboard") if role != "admin" else ("/admin",)
    queue, seen, problems = [f"{live_server.url}{STAFF_HOMES[role]}"], set(), {}
    while queue and len(seen) < MAX_PAGES_PER_ROLE:
        url = with_lang(queue.pop(0), lang)
        key = urlsplit(url).path
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
    assert len(seen) >= 2, f"{role} reached too few pages: {seen}"
    assert problems == {}, problems
