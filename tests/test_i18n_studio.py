"""The studio shows, per offered language, what of the survey's own text is still missing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.models import Question
from tests.studio_support import survey_id


@pytest.fixture
def artist(make_project, make_account, auth):
    """A signed-in artist of one project; returns the project id."""
    project = make_project(name="Malmin tarinat")
    auth.login(make_account("artist", projects=[project]))
    return project


def add_question(app, code: str, prompts: dict[str, str], options: list[dict] | None = None):
    """An artist's own question with ``prompts`` (and options) added to survey ``code``."""
    with app.app_context():
        from feedback_app.models import QuestionKind, Survey

        survey = db.session.scalar(select(Survey).where(Survey.code == code))
        kind = QuestionKind.SINGLE if options else QuestionKind.TEXT
        survey.questions.append(
            Question(key="custom_1", kind=kind, prompts=prompts, options=options or [], position=5)
        )
        db.session.commit()


def test_studio_lists_missing_texts_per_language(app, client, make_survey, artist):
    """A custom question without Swedish text: Swedish is listed as lacking that question."""
    make_survey(project_id=artist)
    add_question(app, "test", {"fi": "Mikä jäi mieleen?", "en": "What stayed with you?"})
    html = client.get(f"/studio/surveys/{survey_id(app, 'test')}?lang=en").get_data(as_text=True)
    section = html.split('id="languages-title"', 1)[1].split("</section>", 1)[0]
    assert "Svenska</strong>:" in section
    assert "1 question still lacks its text: not offered to residents yet" in section
    assert "What stayed with you?" in section
    assert section.count("complete, offered to residents") == 2  # Suomi and English


def test_an_option_without_its_text_keeps_the_language_off_the_survey(
    app, client, make_survey, artist
):
    """A choice question whose English option label is missing: no English for residents."""
    make_survey(project_id=artist)
    labels = {"fi": "Kyllä", "sv": "Ja", "en": "Yes"}
    add_question(
        app,
        "test",
        {"fi": "Tuletko uudelleen?", "sv": "Kommer du igen?", "en": "Will you come again?"},
        [{"key": "o1", "labels": labels}, {"key": "o2", "labels": {"fi": "Ei", "sv": "Nej"}}],
    )
    html = client.get(f"/studio/surveys/{survey_id(app, 'test')}?lang=en").get_data(as_text=True)
    section = html.split('id="languages-title"', 1)[1].split("</section>", 1)[0]
    assert section.count("not offered to residents yet") == 1
    resident = client.get("/s/test?lang=en").get_data(as_text=True)
    assert '<html lang="fi"' in resident
    assert ">English</a>" not in resident
    assert ">Svenska</a>" in resident
