"""The survey's title per language: residents read it in the language they chose."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.models import Survey
from tests.studio_support import csrf, survey_id

FINNISH_DEMO_TITLE = "Fiilis-esittely: Malmin tarinat"
DEMO_TITLES = {
    "so": "Bandhigga Fiilis: Sheekooyinka Malmi",
    "ar": "عرض فيليس: حكايات مالمي",
}


@pytest.mark.parametrize("lang", sorted(DEMO_TITLES))
def test_demo_title_is_in_the_residents_language(app, client, runner, lang):
    """/s/demo in Somali or Arabic names the event in that language, not in Finnish."""
    runner.invoke(args=["seed-demo"])
    html = client.get(f"/s/demo?lang={lang}").get_data(as_text=True)
    assert f'<html lang="{lang}"' in html
    assert f"<h1>{DEMO_TITLES[lang]}</h1>" in html
    assert DEMO_TITLES[lang] in html.split("<title>", 1)[1].split("</title>", 1)[0]
    assert FINNISH_DEMO_TITLE not in html


def test_a_language_without_its_title_is_not_offered(
    app, client, make_survey, make_project, make_account, auth
):
    """Swedish offered but the title has no Swedish: residents get Finnish, studio says why."""
    project = make_project(name="Malmin tarinat")
    make_survey(project_id=project, titles={"en": "Story night"})
    html = client.get("/s/test?lang=sv").get_data(as_text=True)
    assert '<html lang="fi"' in html
    assert ">Svenska</a>" not in html
    assert ">English</a>" in html
    auth.login(make_account("artist", projects=[project]))
    page = client.get(f"/studio/surveys/{survey_id(app, 'test')}?lang=en").get_data(as_text=True)
    section = page.split('id="languages-title"', 1)[1].split("</section>", 1)[0]
    swedish = section.split("Svenska</strong>:", 1)[1].split("</li>\n", 1)[0]
    assert "The survey's title is still missing" in swedish
    assert section.count("complete, offered to residents") == 2  # Suomi and English


def test_the_artist_types_the_title_in_each_offered_language(
    app, client, make_survey, make_project, make_account, auth
):
    """The details form carries a title field per offered language and stores each one."""
    project = make_project(name="Malmin tarinat")
    make_survey(project_id=project, titles={})
    auth.login(make_account("artist", projects=[project]))
    sid = survey_id(app, "test")
    page = client.get(f"/studio/surveys/{sid}?lang=en").get_data(as_text=True)
    assert 'name="title_sv"' in page and 'name="title_en"' in page
    assert 'name="title_ar"' not in page  # Arabic is not offered
    response = client.post(
        f"/studio/surveys/{sid}/details",
        data={
            "csrf_token": csrf(client, f"/studio/surveys/{sid}"),
            "title": "Tarinailta",
            "title_sv": "Berättelsekväll",
            "title_en": "Story night",
            "event_date": "2026-11-20",
            "venue": "Malmitalo",
            "languages": ["fi", "sv", "en"],
        },
    )
    assert response.status_code == 302
    with app.app_context():
        survey = db.session.scalar(select(Survey).where(Survey.code == "test"))
        assert survey.titles == {"fi": "Tarinailta", "sv": "Berättelsekväll", "en": "Story night"}
    html = client.get("/s/test?lang=sv").get_data(as_text=True)
    assert "<h1>Berättelsekväll</h1>" in html
