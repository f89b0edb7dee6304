"""The fuller event screen: every question, a comment wall under the k rule, full screen."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.models import QuestionKind, Survey
from feedback_app.services.surveys.survey_editing import add_custom_question
from tests.studio_support import add_responses, comment_ids, post, survey_id

K = 5  # MIN_GROUP_SIZE in the test configuration


@pytest.fixture
def screen_survey(app, make_project, make_survey, make_account, auth):
    """A survey with bank choice questions and a custom multiple choice; a signed-in artist."""
    project = make_project(name="Malmin tarinat")
    code = make_survey(project_id=project, bank_keys=("first_time", "residency"))
    with app.app_context():
        survey = db.session.scalar(select(Survey).where(Survey.code == code))
        add_custom_question(
            survey,
            kind=QuestionKind.MULTI,
            prompts={"fi": "Mikä oli parasta?"},
            option_labels={"fi": ["Musiikki", "Tanssi", "Ruoka"]},
        )
    auth.login(make_account("artist", projects=[project]))
    return code


def option_key(app, code: str, question: str, index: int) -> str:
    with app.app_context():
        survey = db.session.scalar(select(Survey).where(Survey.code == code))
        return next(q for q in survey.questions if q.key == question).options[index]["key"]


def test_every_question_is_on_the_screen(app, client, screen_survey):
    """Faces, bank choice questions and the artist's own choice question all have a place."""
    sid = survey_id(app, screen_survey)
    html = client.get(f"/studio/surveys/{sid}/screen?lang=fi").get_data(as_text=True)
    for key in ("joy", "belonging", "safety"):
        assert f'class="indicator" data-key="{key}"' in html
    for key in ("first_time", "residency", "custom_1"):
        assert f'class="choice-result" data-key="{key}"' in html
    assert "Mikä oli parasta?" in html and "Musiikki" in html
    assert 'id="screen-fullscreen"' in html


def test_comments_wait_for_k_answers(app, client, screen_survey):
    """Below k responses the wall says when comments appear, and shows none."""
    add_responses(app, screen_survey, K - 1, comment="Hieno ilta")
    sid = survey_id(app, screen_survey)
    html = client.get(f"/studio/surveys/{sid}/screen?lang=fi").get_data(as_text=True)
    assert "Hieno ilta" not in html
    live = client.get(f"/studio/surveys/{sid}/live.json?lang=fi").get_json()
    assert live["comments"] is None
    assert all(item["suppressed"] for item in live["choices"].values())


def test_wall_shows_shown_comments_of_the_published_step(app, client, screen_survey):
    """At k: the comments, sorted by text, hidden ones left out; one more answer adds nothing."""
    first_time = option_key(app, screen_survey, "first_time", 0)
    add_responses(app, screen_survey, K, comment="Hieno ilta", first_time=first_time)
    sid = survey_id(app, screen_survey)
    hidden = comment_ids(app, screen_survey)[0]
    post(client, f"/studio/surveys/{sid}/comments/{hidden}/hide", page=f"/studio/surveys/{sid}")
    live = client.get(f"/studio/surveys/{sid}/live.json?lang=fi").get_json()
    assert live["comments"] == [f"Hieno ilta {i}" for i in range(1, K)]
    assert live["choices"]["first_time"]["counts"][first_time] == K
    html = client.get(f"/studio/surveys/{sid}/screen?lang=fi").get_data(as_text=True)
    assert "Hieno ilta 1" in html and "Hieno ilta 0" not in html

    # The sixth person's comment and choice stay off the screen until the next step of k.
    add_responses(app, screen_survey, 1, comment="Kuudes", first_time=first_time)
    later = client.get(f"/studio/surveys/{sid}/live.json?lang=fi").get_json()
    assert later["responses"] == K + 1
    assert later["comments"] == live["comments"]
    assert later["choices"] == live["choices"]


def test_hiding_a_comment_changes_the_etag(app, client, screen_survey):
    """A poll after moderation gets the new wall, not a 304."""
    add_responses(app, screen_survey, K, comment="Teksti")
    sid = survey_id(app, screen_survey)
    first = client.get(f"/studio/surveys/{sid}/live.json?lang=fi")
    etag = first.headers["ETag"]
    again = client.get(f"/studio/surveys/{sid}/live.json?lang=fi", headers={"If-None-Match": etag})
    assert again.status_code == 304
    hidden = comment_ids(app, screen_survey)[0]
    post(client, f"/studio/surveys/{sid}/comments/{hidden}/hide", page=f"/studio/surveys/{sid}")
    after = client.get(f"/studio/surveys/{sid}/live.json?lang=fi", headers={"If-None-Match": etag})
    assert after.status_code == 200
    assert "Teksti 0" not in after.get_json()["comments"]
