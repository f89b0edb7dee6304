"""The fuller event screen on a 1080p projector: every question, comments, full screen."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.models import QuestionKind, Survey
from feedback_app.services.surveys.survey_editing import add_custom_question
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser
PROJECTOR = {"width": 1920, "height": 1080}
COMMENTS = [
    "Ihana ilta, kiitos!",
    "Musiikki toi mieleen lapsuuden.",
    "Lisää tällaisia Malmille",
    "Tapasin naapurin ensimmäistä kertaa",
    "Kahvi oli hyvää",
]


def prepare(live_server) -> tuple[str, int, dict[str, list[str]]]:
    """An open survey of the demo artist with bank and custom choice questions."""
    code = live_server.make_survey(
        artist_project=True, title="Kontulan kesäilta", bank_keys=("first_time", "residency")
    )
    with live_server.app.app_context():
        survey = db.session.scalar(select(Survey).where(Survey.code == code))
        add_custom_question(
            survey,
            kind=QuestionKind.MULTI,
            prompts={"fi": "Mikä oli parasta?", "sv": "Vad var bäst?", "en": "What was best?"},
            option_labels={
                "fi": ["Musiikki", "Tanssi", "Ruoka"],
                "sv": ["Musiken", "Dansen", "Maten"],
                "en": ["Music", "Dance", "Food"],
            },
        )
        options = {q.key: [o["key"] for o in q.options] for q in survey.questions if q.options}
        return code, survey.id, options


def test_event_screen_shows_every_question_and_the_comment_wall(
    live_server, context_factory, sign_in
):
    """Five answers arrive: faces, choice bars and the wall update live; a 1080p screenshot."""
    code, survey_id, options = prepare(live_server)
    screen = context_factory(viewport=PROJECTOR).new_page()
    sign_in(screen, "artist")
    screen.goto(f"{live_server.url}/studio/surveys/{survey_id}/screen?lang=fi")
    expect(screen.locator("#wall-waiting")).to_be_visible()
    expect(screen.locator("#wall-list li")).to_have_count(0)
    expect(screen.locator(".choice-result")).to_have_count(3)
    expect(screen.locator(".choice-result .ind-suppressed").first).to_be_visible()
    expect(screen.locator("#screen-fullscreen")).to_be_visible()

    residents = context_factory().request
    api = f"{live_server.url}/api/v1/surveys/{code}/responses"
    for i, comment in enumerate(COMMENTS):
        answers = {
            "joy": 5 - i % 2,
            "belonging": 4,
            "safety": 3 + i % 3,
            "first_time": options["first_time"][i % 2],
            "residency": options["residency"][0],
            "custom_1": options["custom_1"][: 1 + i % 3],
            "comment": comment,
        }
        body = {"client_id": str(uuid.uuid4()), "locale": "fi", "answers": answers}
        assert residents.post(api, data=body).status == 201

    expect(screen.locator("#wall-list li")).to_have_count(5, timeout=10_000)
    expect(screen.locator("#wall-waiting")).to_be_hidden()
    for comment in COMMENTS:
        expect(screen.locator("#wall-list")).to_contain_text(comment)
    music = screen.locator('.choice-result[data-key="custom_1"] li').first
    expect(music.locator(".choice-n")).to_have_text("5")
    expect(screen.locator('.choice-result[data-key="residency"] .choice-bars')).to_be_visible()
    expect(screen.locator('.indicator[data-key="joy"] .ind-index')).to_be_visible()

    # Readable from the back of a hall: large type, and everything on the one screen.
    sizes = screen.evaluate(
        """() => ['#wall-list li', '.indicator h2', '.choice-bars li', '.ind-value']
             .map((s) => parseFloat(getComputedStyle(document.querySelector(s)).fontSize))"""
    )
    assert min(sizes) >= 24, sizes
    screenshot(screen, "event-screen-1080p")
    assert screen.evaluate("document.documentElement.scrollHeight") <= PROJECTOR["height"]
    screen.locator("#screen-fullscreen").click()
    screenshot(screen, "event-screen-1080p")


@pytest.mark.parametrize(
    ("lang", "viewport"),
    [("ar", {"width": 1280, "height": 800}), ("sv", {"width": 390, "height": 844})],
    ids=["ar-1280", "sv-390"],
)
def test_event_screen_on_smaller_screens_and_right_to_left(
    live_server, context_factory, sign_in, lang, viewport
):
    """Arabic runs right to left; a phone shows every part, one below another."""
    code, survey_id, _options = prepare(live_server)
    with live_server.app.app_context():
        survey = db.session.scalar(select(Survey).where(Survey.code == code))
        survey.languages = ["fi", "sv", "en", "ar"]
        survey.titles = {**survey.titles, "ar": "أمسية صيفية في كونتولا"}
        db.session.commit()
    screen = context_factory(viewport=viewport).new_page()
    sign_in(screen, "artist")
    screen.goto(f"{live_server.url}/studio/surveys/{survey_id}/screen?lang={lang}")
    expect(screen.locator("html")).to_have_attribute("lang", lang)
    assert screen.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    expect(screen.locator("#wall-waiting")).to_be_visible()
    expect(screen.locator(".choice-result")).to_have_count(3)
    screenshot(screen, f"event-screen-{lang}-{viewport['width']}")


def test_my_surveys_counts_answers_as_they_arrive(live_server, context_factory, sign_in):
    """The artist's survey list keeps each count current without a reload."""
    code, survey_id, _options = prepare(live_server)
    page = context_factory(viewport={"width": 390, "height": 844}).new_page()
    sign_in(page, "artist")
    page.goto(f"{live_server.url}/studio/?lang=fi")
    count = page.locator(f'#survey-list .count[data-survey="{survey_id}"]')
    expect(count).to_have_text("0 vastausta")

    residents = context_factory().request
    api = f"{live_server.url}/api/v1/surveys/{code}/responses"
    for score in (4, 5):
        body = {"client_id": str(uuid.uuid4()), "locale": "fi", "answers": {"joy": score}}
        assert residents.post(api, data=body).status == 201
    # The list asks every ten seconds.
    expect(count).to_have_text("2 vastausta", timeout=15_000)
    screenshot(page, "my-surveys-fi-390")
