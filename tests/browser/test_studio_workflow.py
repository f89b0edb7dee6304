"""The studio's "done when": an artist made with create-user signs in on a phone, creates and
publishes a survey with a custom question in fi/sv/en, downloads a poster whose QR code
decodes to the survey's link, and watches an answer arrive on the event screen."""

from __future__ import annotations

import re

import pytest
import zxingcpp
from playwright.sync_api import expect
from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.models import Project
from tests.browser.conftest import DESKTOP
from tests.test_qr_poster import pdf_page_image

pytestmark = pytest.mark.browser
EMAIL = "uusi.taiteilija@example.org"
PASSWORD = "pitkä ja hyvä salasana 2026"


def poster_qr_text(pdf: bytes) -> list[str]:
    """Decode the printed poster's QR code (its vector page rasterised, as a camera sees it)."""
    return [r.text for r in zxingcpp.read_barcodes(pdf_page_image(pdf))]


def test_artist_workflow_on_a_phone(live_server, context_factory):
    """create-user → sign in → create with own question → publish → poster → event screen."""
    with live_server.app.app_context():
        project = db.session.scalar(select(Project).order_by(Project.id.desc()))
        project_name = project.name
    result = live_server.app.test_cli_runner().invoke(
        args=["create-user", "--email", EMAIL, "--role", "artist", "--password-stdin"]
        + ["--project", project_name],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output

    phone = context_factory().new_page()
    phone.goto(f"{live_server.url}/login?lang=fi")
    phone.fill("input[name=email]", EMAIL)
    phone.fill("input[name=password]", PASSWORD)
    phone.click("form button[type=submit]")
    expect(phone.locator("h1")).to_have_text("Omat kyselyt")

    phone.locator("a[href*='/studio/surveys/new']").click()
    phone.fill("#title", "Pihakonsertti")
    phone.fill("#venue", "Kontulan ostari")
    phone.locator("form.studio-form > button[type=submit]").click()
    phone.wait_for_url(re.compile(r"/studio/surveys/\d+"))
    survey_url = phone.url.split("?")[0]
    # The event's name in Swedish and English too, so those languages reach residents.
    phone.fill("#title_sv", "Gårdskonsert")
    phone.fill("#title_en", "Courtyard concert")
    phone.locator("form[action*='/details'] button[type=submit]").click()
    phone.wait_for_url(re.compile(r"/studio/surveys/\d+"))

    phone.locator("a[href*='/questions/new']").click()
    phone.select_option("#kind", "single")
    for lang, prompt, options in (
        ("fi", "Mistä kuulit konsertista?", "Kaverilta\nJulisteesta"),
        ("sv", "Var hörde du om konserten?", "Av en vän\nPå en affisch"),
        ("en", "Where did you hear about the concert?", "From a friend\nFrom a poster"),
    ):
        phone.fill(f"#prompt_{lang}", prompt)
        phone.fill(f"#options_{lang}", options)
    phone.locator("form.studio-form button[type=submit]").click()
    expect(phone.locator(".question-list")).to_contain_text("Mistä kuulit konsertista?")
    expect(phone.locator(".missing")).to_have_count(0)

    phone.locator("form[action*='/status/open'] button").click()
    expect(phone.locator(".badge-open")).to_be_visible()
    link = phone.locator(".link-text a").get_attribute("href")
    code = link.rsplit("/", 1)[-1]

    poster = phone.request.get(f"{live_server.url}/s/{code}/poster.pdf")
    assert poster.status == 200 and poster.headers["content-type"] == "application/pdf"
    assert poster_qr_text(poster.body()) == [link]

    screen = phone.context.new_page()
    screen.set_viewport_size(DESKTOP)
    screen.goto(f"{survey_url}/screen")
    expect(screen.locator("#screen-count")).to_have_text("0")

    resident_context = context_factory()
    resident = resident_context.new_page()
    resident.goto(f"{link}?lang=sv")
    expect(resident.locator("fieldset#q-custom_1 legend")).to_have_text(
        "Var hörde du om konserten?"
    )
    for key in ("joy", "belonging", "safety"):
        resident.click(f"label[for=q-{key}-5]")
    resident.click("label[for=q-custom_1-o2]")
    resident.click("form.survey-form button[type=submit]")
    resident.wait_for_url(re.compile(r"/thanks"))
    assert resident_context.cookies() == []

    # The screen polls every few seconds: the answer appears without a reload.
    expect(screen.locator("#screen-count")).to_have_text("1", timeout=8_000)
