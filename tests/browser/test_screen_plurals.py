"""The event screen's live count speaks Russian grammar: 5 answers and 21 answers are worded
the way the server words them, not with a two-form English rule."""

from __future__ import annotations

import uuid

import pytest
from babel.messages.pofile import read_po
from playwright.sync_api import expect
from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.models import Survey
from tests.browser.conftest import DESKTOP, ROOT

pytestmark = pytest.mark.browser
CATALOGUE = ROOT / "feedback_app" / "translations" / "ru" / "LC_MESSAGES" / "messages.po"


def russian_answers() -> dict[int, str]:
    """The ru catalogue's forms of "answer": 0 one (21), 1 few, 2 many (5)."""
    with CATALOGUE.open("rb") as handle:
        forms = read_po(handle)[("answer", "answers")].string
    return dict(enumerate(forms))


def send_answers(request, url: str, how_many: int) -> None:
    """Post ``how_many`` anonymous answers through the JSON API, as phones would."""
    for _ in range(how_many):
        body = {"client_id": str(uuid.uuid4()), "locale": "ru"}
        body["answers"] = {"joy": 4, "belonging": 4, "safety": 4}
        assert request.post(url, data=body).status == 201


def test_live_count_uses_russian_plural_forms(live_server, context_factory, sign_in):
    """After live updates, 5 reads with the "many" form and 21 with the "one" form."""
    code = live_server.make_survey(languages=("fi", "ru"), artist_project=True)
    with live_server.app.app_context():
        survey_id = db.session.scalar(select(Survey.id).where(Survey.code == code))
    forms = russian_answers()
    screen = context_factory(viewport=DESKTOP).new_page()
    sign_in(screen, "artist")
    screen.goto(f"{live_server.url}/studio/surveys/{survey_id}/screen?lang=ru")
    expect(screen.locator("html")).to_have_attribute("lang", "ru")
    expect(screen.locator("#screen-count")).to_have_text("0")

    residents = context_factory().request
    api = f"{live_server.url}/api/v1/surveys/{code}/responses"
    send_answers(residents, api, 5)
    expect(screen.locator("#screen-count")).to_have_text("5", timeout=10_000)
    expect(screen.locator("#screen-count-label")).to_have_text(forms[2])

    send_answers(residents, api, 16)
    expect(screen.locator("#screen-count")).to_have_text("21", timeout=10_000)
    expect(screen.locator("#screen-count-label")).to_have_text(forms[0])
