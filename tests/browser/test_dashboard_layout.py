"""Every dashboard page fits a 390 px phone, lines up at 1,280 px, and prints without controls.

Screenshots of each page at both widths go to build/screenshots/ (see conftest.SCREENSHOTS).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.models import District, Project, Survey
from tests.browser.conftest import DESKTOP, PHONE, screenshot

pytestmark = pytest.mark.browser


def demo_paths(live_server) -> dict[str, str]:
    """The dashboard's pages on the demo data: overview, tier report, district, project."""
    with live_server.app.app_context():
        project = db.session.scalar(select(Project).order_by(Project.id))
        district = db.session.get(District, project.district_id).slug
        survey = db.session.scalar(select(Survey.id).where(Survey.project_id == project.id))
    return {
        "dashboard": "/dashboard/?lang=fi",
        "dashboard-residents": "/dashboard/residents?lang=fi",
        "dashboard-district": f"/dashboard/?district={district}&lang=fi",
        "dashboard-project": f"/dashboard/?district={district}&project={project.id}&lang=fi",
        "results": f"/studio/surveys/{survey}/results?lang=fi",
        "compare": f"/studio/surveys/{survey}/compare?indicator=joy&lang=fi",
    }


def open_page(page, url: str) -> None:
    """Open ``url`` and wait for the dashboard's charts, when it has any, to be drawn."""
    page.goto(url)
    page.wait_for_load_state("networkidle")
    if page.locator(".chart").count():
        expect(page.locator(".chart.drawn").first).to_be_visible(timeout=15_000)


def test_dashboard_pages_fit_a_phone_and_line_up_on_a_desktop(
    live_server, context_factory, sign_in
):
    phone = context_factory(viewport=PHONE).new_page()
    desktop = context_factory(viewport=DESKTOP).new_page()
    sign_in(phone, "official")
    sign_in(desktop, "official")
    for name, path in demo_paths(live_server).items():
        open_page(phone, live_server.url + path)
        width = phone.evaluate("document.documentElement.scrollWidth")
        screenshot(phone, f"{name}-390")
        assert width <= PHONE["width"], f"{path} is {width} px wide on a phone"
        open_page(desktop, live_server.url + path)
        screenshot(desktop, f"{name}-1280")
        if not path.startswith("/dashboard/"):
            continue
        edges = desktop.evaluate(
            """() => [document.querySelector('.site-header .bar .brand'),
                      document.querySelector('main h1')]
                     .map(e => Math.round(e.getBoundingClientRect().left))"""
        )
        assert abs(edges[0] - edges[1]) <= 2, f"{path}: header at {edges[0]}, content {edges[1]}"


def test_printing_gives_figures_without_controls(live_server, context_factory, sign_in):
    page = context_factory(viewport=DESKTOP).new_page()
    sign_in(page, "official")
    for name, path in demo_paths(live_server).items():
        open_page(page, live_server.url + path)
        page.emulate_media(media="print")
        hidden = page.evaluate(
            """() => [...document.querySelectorAll(
                  'header, nav, form, button, .button, footer, .skip-link')]
                .filter(e => getComputedStyle(e).display !== 'none'
                             && e.getBoundingClientRect().height > 0)
                .map(e => e.outerHTML.slice(0, 80))"""
        )
        assert hidden == [], f"{path} prints controls: {hidden}"
        figures = page.locator("table, .chart.drawn, .index-line")
        assert figures.count() and figures.first.is_visible()
        if page.locator(".chart").count():
            assert page.locator(".chart.drawn").first.is_visible()
        screenshot(page, f"{name}-print")
        page.emulate_media(media="screen")
