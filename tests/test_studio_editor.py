"""The survey editor: creating, custom questions, translations, locking, life cycle, copies."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest
from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.models import Question, Survey, SurveyStatus
from tests.studio_support import add_responses, csrf, post, survey_id


@pytest.fixture
def artist(make_project, make_account, auth):
    """A signed-in artist of one project; returns the project id."""
    project = make_project(name="Malmin tarinat")
    auth.login(make_account("artist", projects=[project]))
    return project


def stored(app, sid: int) -> Survey:
    """The survey with its questions, detached for assertions."""
    with app.app_context():
        survey = db.session.get(Survey, sid)
        _ = [q.prompts for q in survey.questions]
        db.session.expunge_all()
        return survey


def create(client, project: int, **extra) -> int:
    """Create a survey through the form and return its id."""
    data = {
        "project": project,
        "title": "Tarinailta",
        "event_date": date.today().isoformat(),
        "languages": ["fi", "sv", "en"],  # checked by default in the form
    }
    data.update(extra)
    response = post(client, "/studio/surveys/new", data)
    assert response.status_code == 302
    return int(response.headers["Location"].split("/surveys/")[1].split("?")[0])


def test_create_with_defaults(app, client, artist):
    """Project, title, today's date: a draft with the core questions, a comment and fi/sv/en."""
    html = client.get("/studio/surveys/new").get_data(as_text=True)
    assert f'value="{date.today().isoformat()}"' in html  # the date defaults to today
    sid = create(client, artist, venue="Malmitalo", languages=["fi", "sv", "en"])
    survey = stored(app, sid)
    assert survey.status == SurveyStatus.DRAFT
    assert [q.key for q in survey.questions] == ["joy", "belonging", "safety", "comment"]
    assert survey.languages == ["fi", "sv", "en"]
    assert survey.venue == "Malmitalo"


def test_create_with_bank_questions_languages_and_closing(app, client, artist):
    """Optional bank questions, extra languages and a closing time in Helsinki time."""
    sid = create(
        client,
        artist,
        languages=["sv", "ru"],
        bank=["pride", "residency"],
        closes_at="2026-12-01T20:00",
    )
    survey = stored(app, sid)
    assert [q.key for q in survey.questions][3:5] == ["pride", "residency"]
    assert survey.languages == ["fi", "sv", "ru"]  # Finnish is always offered
    assert survey.closes_at == datetime(2026, 12, 1, 18, 0)  # 20:00 EET is 18:00 UTC


def test_missing_title_is_explained(client, artist):
    """A form error keeps the artist on the page with status 400."""
    response = post(client, "/studio/surveys/new", {"project": artist, "title": ""})
    assert response.status_code == 400


def add_question(client, sid: int, **fields):
    """Post the custom question form."""
    return post(client, f"/studio/surveys/{sid}/questions/new", fields)


def test_custom_question_in_three_languages(app, client, artist):
    """A single-choice question with options per language, placed before the comment."""
    sid = create(client, artist)
    response = add_question(
        client,
        sid,
        kind="single",
        prompt_fi="Mistä kuulit?",
        prompt_sv="Var hörde du om det?",
        prompt_en="Where did you hear?",
        options_fi="Kaverilta\nJulisteesta",
        options_sv="Av en vän\nPå en affisch",
        options_en="From a friend\nFrom a poster",
    )
    assert response.status_code == 302
    survey = stored(app, sid)
    custom = survey.questions[-2]
    assert custom.key == "custom_1"
    assert custom.prompts == {
        "fi": "Mistä kuulit?",
        "sv": "Var hörde du om det?",
        "en": "Where did you hear?",
    }
    assert custom.options[1] == {
        "key": "o2",
        "labels": {"fi": "Julisteesta", "sv": "På en affisch", "en": "From a poster"},
    }
    assert survey.questions[-1].key == "comment"


def test_finnish_text_is_required(client, artist):
    """Without Finnish the question is not saved."""
    sid = create(client, artist)
    response = post(
        client, f"/studio/surveys/{sid}/questions/new?lang=en", {"prompt_sv": "Bara svenska"}
    )
    assert response.status_code == 400
    assert "Please write the question in Finnish." in response.get_data(as_text=True)


def test_missing_translations_shown_and_residents_get_finnish(app, client, artist):
    """The editor names missing languages; residents see the Finnish text instead."""
    sid = create(client, artist)
    add_question(client, sid, kind="face", prompt_fi="Opitko uutta?", prompt_en="Learn anything?")
    html = client.get(f"/studio/surveys/{sid}?lang=en").get_data(as_text=True)
    assert "Missing translations:" in html
    assert '<span class="lang-tag" lang="sv">Svenska</span>' in html
    post(client, f"/studio/surveys/{sid}/status/open")
    code = stored(app, sid).code
    resident = client.get(f"/s/{code}?lang=sv").get_data(as_text=True)
    assert "Opitko uutta?" in resident


def test_questions_lock_after_first_answer(app, client, artist):
    """Once answered, adding, editing and removing questions is refused with the reason."""
    sid = create(client, artist, bank=["pride"])
    add_question(client, sid, kind="text", prompt_fi="Terveiset?")
    post(client, f"/studio/surveys/{sid}/status/open")
    survey = stored(app, sid)
    add_responses(app, survey.code, 1)
    custom = next(q for q in survey.questions if q.key == "custom_1")
    pride = next(q for q in survey.questions if q.key == "pride")
    for response in (
        add_question(client, sid, kind="face", prompt_fi="Uusi"),
        client.get(f"/studio/surveys/{sid}/questions/{custom.id}"),
        post(client, f"/studio/surveys/{sid}/questions/{pride.id}/delete"),
        post(client, f"/studio/surveys/{sid}/bank", {"bank": []}),
    ):
        assert response.status_code == 302
    html = client.get(f"/studio/surveys/{sid}?lang=en").get_data(as_text=True)
    assert "impossible to compare" in html
    assert [q.key for q in stored(app, sid).questions] == [q.key for q in survey.questions]


def test_edit_and_remove_custom_question(app, client, artist):
    """Before any answer the artist's own question can be rewritten or removed."""
    sid = create(client, artist)
    add_question(client, sid, kind="face", prompt_fi="Vanha")
    question = stored(app, sid).questions[-2]
    page = f"/studio/surveys/{sid}/questions/{question.id}"
    assert "Vanha" in client.get(page).get_data(as_text=True)
    post(client, page, {"kind": "face", "prompt_fi": "Uusi", "prompt_sv": "Ny"})
    assert stored(app, sid).questions[-2].prompts == {"fi": "Uusi", "sv": "Ny"}
    post(client, f"/studio/surveys/{sid}/questions/{question.id}/delete")
    with app.app_context():
        assert db.session.get(Question, question.id) is None


def test_core_questions_cannot_be_removed(app, client, artist):
    """The three core questions keep every survey comparable."""
    sid = create(client, artist)
    joy = stored(app, sid).questions[0]
    response = post(client, f"/studio/surveys/{sid}/questions/{joy.id}/delete")
    assert response.status_code == 400


def test_publish_close_reopen(app, client, artist):
    """draft → open → closed → open; an impossible move is explained."""
    sid = create(client, artist)
    for target, status in [("open", "open"), ("closed", "closed"), ("open", "open")]:
        post(client, f"/studio/surveys/{sid}/status/{target}", {"confirm": "yes"})
        assert stored(app, sid).status.value == status
    response = post(client, f"/studio/surveys/{sid}/status/open?lang=en", follow_redirects=True)
    assert "That change is not possible now" in response.get_data(as_text=True)


def test_closing_time_can_be_set_and_cleared(app, client, artist):
    """The automatic closing time is stored in UTC and can be removed."""
    sid = create(client, artist)
    post(client, f"/studio/surveys/{sid}/closing", {"closes_at": "2026-07-01T12:00"})
    assert stored(app, sid).closes_at == datetime(2026, 7, 1, 9, 0)  # EEST is UTC+3
    post(client, f"/studio/surveys/{sid}/closing", {"closes_at": ""})
    assert stored(app, sid).closes_at is None


def test_duplicate_for_next_event(app, client, artist):
    """A copy is a draft with a new code, today's date and the same questions, no answers."""
    sid = create(client, artist, languages=["fi", "sv", "en", "so"])
    add_question(client, sid, kind="multi", prompt_fi="Mitä teit?", options_fi="Lauloin\nTanssin")
    post(client, f"/studio/surveys/{sid}/status/open")
    add_responses(app, stored(app, sid).code, 2)
    response = post(client, f"/studio/surveys/{sid}/duplicate")
    copy_id = int(response.headers["Location"].split("/surveys/")[1].split("?")[0])
    original, copy = stored(app, sid), stored(app, copy_id)
    assert copy.code != original.code
    assert copy.status == SurveyStatus.DRAFT
    assert copy.event_date == date.today()
    assert copy.languages == original.languages
    assert [(q.key, q.prompts, q.options) for q in copy.questions] == [
        (q.key, q.prompts, q.options) for q in original.questions
    ]
    # The copy has no answers, so its questions can still change.
    assert add_question(client, copy_id, kind="face", prompt_fi="Lisä").status_code == 302


def test_details_change_after_answers(app, client, artist):
    """Title, date, venue and languages stay editable: they do not change the questions."""
    sid = create(client, artist)
    post(client, f"/studio/surveys/{sid}/status/open")
    add_responses(app, stored(app, sid).code, 1)
    post(
        client,
        f"/studio/surveys/{sid}/details",
        {
            "title": "Uusi nimi",
            "event_date": "2026-12-24",
            "venue": "Kirjasto",
            "languages": ["ar"],
        },
    )
    survey = stored(app, sid)
    assert (survey.title, survey.venue, survey.languages) == ("Uusi nimi", "Kirjasto", ["fi", "ar"])


def test_preview_is_the_resident_form_without_sending(app, client, artist):
    """The preview shows the resident's questions in the chosen language and cannot send."""
    sid = create(client, artist)
    html = client.get(f"/studio/surveys/{sid}/preview?lang=sv").get_data(as_text=True)
    assert "Evenemanget gav mig glädje." in html
    assert '<html lang="sv"' in html
    assert "disabled" in html
    assert 'method="post"' not in html.split('class="survey-form"')[1].split("</main>")[0]


def test_official_sees_survey_without_edit_buttons(app, client, auth, make_account, make_survey):
    """Officials read the studio page but get no forms that change anything."""
    code = make_survey(code="offi")
    auth.login(make_account("official"))
    html = client.get(f"/studio/surveys/{survey_id(app, code)}?lang=en").get_data(as_text=True)
    assert "Event screen" in html
    assert "Duplicate for the next event" not in html
    assert csrf(client)  # the sign-out form still carries a token


def test_list_counts_live_responses(app, client, artist, make_survey):
    """My surveys shows each survey's status and current number of answers."""
    code = make_survey(code="cnt", project_id=artist, title="Laskettava")
    add_responses(app, code, 3)
    html = client.get("/studio/?lang=en").get_data(as_text=True)
    assert "Laskettava" in html and "3 answers" in html and "Open" in html
    with app.app_context():
        assert db.session.scalar(select(Survey.status).where(Survey.code == code)).value == "open"


@pytest.mark.parametrize(
    ("lang", "texts"),
    [
        ("fi", ["Omat kyselyt", "Uusi kysely", "Julkaise", "Lisää oma kysymys", "Jaa"]),
        ("sv", ["Mina enkäter", "Ny enkät", "Publicera", "Lägg till en egen fråga", "Dela"]),
        ("en", ["My surveys", "New survey", "Publish", "Add your own question", "Share"]),
    ],
)
def test_studio_in_each_interface_language(app, client, artist, lang, texts):
    """The studio's own words follow ?lang= (and links keep it)."""
    sid = create(client, artist)
    html = client.get(f"/studio/?lang={lang}").get_data(as_text=True)
    html += client.get(f"/studio/surveys/{sid}?lang={lang}").get_data(as_text=True)
    for text in texts:
        assert text in html
    assert f"/studio/surveys/{sid}?lang={lang}" in html


def test_closing_time_shown_in_helsinki_time(app, client, artist):
    """The survey page shows the automatic closing time as the artist entered it."""
    sid = create(client, artist)
    post(client, f"/studio/surveys/{sid}/closing", {"closes_at": "2026-12-01T20:30"})
    html = client.get(f"/studio/surveys/{sid}?lang=en").get_data(as_text=True)
    assert "Closes automatically" in html
    assert re.search(r"12/1/26,?\s+8:30\W*PM", html), html.split("Closes automatically")[1][:80]
    assert 'value="2026-12-01T20:30"' in html
