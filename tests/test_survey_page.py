"""The resident's path: open the survey, answer with a plain form, see the thank-you page."""

import re

import pytest
from sqlalchemy import func, select

from feedback_app.clock import utc_now
from feedback_app.extensions import db
from feedback_app.models import Answer, Response, SurveyStatus

CORE_TEXTS = {
    "fi": [
        "Tapahtuma toi minulle iloa.",
        "Tunsin kuuluvani joukkoon.",
        "Tunsin oloni turvalliseksi.",
    ],
    "sv": ["Evenemanget gav mig glädje.", "Jag kände att jag hörde till.", "Jag kände mig trygg."],
    "en": ["The event brought me joy.", "I felt I belonged here.", "I felt safe here."],
}
SEND_BUTTON = {"fi": "Lähetä vastaukset", "sv": "Skicka svaren", "en": "Send answers"}
FACE_LABELS = {"fi": "Hyvin tyytyväinen", "sv": "Mycket nöjd", "en": "Very happy"}


def stored_responses(app) -> int:
    """How many responses the database holds."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Response))


def form_answers(**overrides) -> dict:
    """A complete plain-form submission."""
    data = {"q_joy": "5", "q_belonging": "4", "q_safety": "3", "q_comment": ""}
    data.update(overrides)
    return data


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_survey_page_in_each_language(client, make_survey, lang):
    """?lang= picks the language of questions, labels and <html lang>."""
    make_survey()
    html = client.get(f"/s/test?lang={lang}").get_data(as_text=True)
    assert f'<html lang="{lang}" dir="ltr">' in html
    for text in CORE_TEXTS[lang]:
        assert text in html
    assert SEND_BUTTON[lang] in html
    assert FACE_LABELS[lang] in html


@pytest.mark.parametrize(
    ("header", "lang"), [("sv-FI,sv;q=0.9", "sv"), ("en-GB,en;q=0.8", "en"), ("de-DE", "fi")]
)
def test_language_follows_accept_language_then_finnish(client, make_survey, header, lang):
    """Without ?lang= the browser's languages decide, and Finnish is the default."""
    make_survey()
    html = client.get("/s/test", headers={"Accept-Language": header}).get_data(as_text=True)
    assert f'<html lang="{lang}"' in html
    assert CORE_TEXTS[lang][0] in html


def test_query_parameter_beats_accept_language(client, make_survey):
    """?lang= wins over the browser's preference."""
    make_survey()
    html = client.get("/s/test?lang=sv", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="sv"' in html


def test_face_scales_are_real_radio_groups_with_text_labels(client, make_survey):
    """Five radio inputs per core question, each with a visible text label."""
    make_survey()
    html = client.get("/s/test?lang=en").get_data(as_text=True)
    for key in ("joy", "belonging", "safety"):
        radios = re.findall(rf'<input type="radio"[^>]*name="q_{key}" value="(\d)"', html)
        assert radios == ["1", "2", "3", "4", "5"]
        for score in range(1, 6):
            assert f'<label for="q-{key}-{score}"' in html
    assert html.count("<fieldset") >= 3
    assert "<legend>The event brought me joy." in html


def test_plain_form_post_stores_exactly_one_response(app, client, make_survey):
    """JavaScript off: the form POST stores one response and redirects to thanks."""
    make_survey()
    response = client.post("/s/test?lang=sv", data=form_answers(q_comment="Kiva ilta"))
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/s/test/thanks?lang=sv&sent=")
    assert stored_responses(app) == 1
    with app.app_context():
        stored = db.session.scalar(select(Response))
        assert stored.locale == "sv"
        scores = sorted(a.score for a in stored.answers if a.score)
        assert scores == [3, 4, 5]
        assert [a.text for a in stored.answers if a.text] == ["Kiva ilta"]


def test_double_submit_of_the_same_form_is_stored_once(app, client, make_survey):
    """The form's hidden client_id makes a double tap harmless."""
    make_survey()
    data = form_answers(client_id="0b6f7c55-3d0c-4d6e-9a51-0d8d9b6c2f11")
    assert client.post("/s/test", data=data).status_code == 303
    assert client.post("/s/test", data=data).status_code == 303
    assert stored_responses(app) == 1


@pytest.mark.parametrize(
    ("lang", "message"),
    [("fi", "Tarkista vastauksesi"), ("sv", "Kontrollera dina svar"), ("en", "Please check")],
)
def test_missing_answer_is_explained_and_nothing_stored(app, client, make_survey, lang, message):
    """A missing required answer re-renders the form with 422 and an announced error."""
    make_survey()
    data = form_answers()
    del data["q_safety"]
    response = client.post(f"/s/test?lang={lang}", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html
    assert 'role="alert"' in html
    assert 'href="#q-safety"' in html
    assert 'value="5" checked' in html  # earlier choices are kept
    assert stored_responses(app) == 0


def test_out_of_range_form_value_is_refused(app, client, make_survey):
    """A tampered value outside 1–5 is rejected."""
    make_survey()
    response = client.post("/s/test", data=form_answers(q_joy="9"))
    assert response.status_code == 422
    assert stored_responses(app) == 0


def test_honeypot_silently_drops_bot_posts(app, client, make_survey):
    """A filled hidden field looks like success but stores nothing."""
    make_survey()
    response = client.post("/s/test", data=form_answers(website="http://spam.example"))
    assert response.status_code == 303
    assert stored_responses(app) == 0


def test_draft_survey_is_not_found(client, make_survey):
    """Drafts are invisible to residents."""
    make_survey(status=SurveyStatus.DRAFT)
    assert client.get("/s/test").status_code == 404
    assert client.post("/s/test", data=form_answers()).status_code == 404


def test_unknown_survey_is_a_friendly_404(client):
    """An unknown code gets an HTML page, not a stack trace."""
    response = client.get("/s/nothing-here?lang=fi")
    assert response.status_code == 404
    assert "Sivua ei löytynyt" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("fi", "Tämä kysely on päättynyt"),
        ("sv", "Den här enkäten har stängts"),
        ("en", "This survey has closed"),
    ],
)
def test_closed_survey_shows_polite_410(app, client, make_survey, lang, text):
    """Closed surveys answer 410 with a polite page, and refuse answers."""
    make_survey(status=SurveyStatus.CLOSED)
    response = client.get(f"/s/test?lang={lang}")
    assert response.status_code == 410
    assert text in response.get_data(as_text=True)
    assert client.post("/s/test", data=form_answers()).status_code == 410
    assert stored_responses(app) == 0


def test_survey_past_its_closing_time_counts_as_closed(app, client, make_survey):
    """An automatic closing time takes effect without anyone pressing a button."""
    from datetime import timedelta

    make_survey()
    with app.app_context():
        from feedback_app.models import Survey

        survey = db.session.scalar(select(Survey))
        survey.closes_at = utc_now() - timedelta(minutes=1)
        db.session.commit()
    assert client.get("/s/test").status_code == 410


def test_thanks_page_withholds_results_below_five(client, make_survey):
    """With fewer than five answers only the count is shown."""
    make_survey()
    for _ in range(4):
        client.post("/s/test", data=form_answers())
    html = client.get("/s/test/thanks?lang=en").get_data(as_text=True)
    assert "Results are shown once at least 5 people have answered. Answers so far: 4." in html
    assert "<meter" not in html


def test_thanks_page_shows_index_from_five_answers(client, make_survey):
    """From five answers on, each indicator's 0–100 index is shown."""
    make_survey()
    for _ in range(5):
        sent = client.post("/s/test?lang=fi", data=form_answers())
    html = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert "Kiitos!" in html
    assert "100 / 100" in html  # joy: all 5 → 100
    assert "75 / 100" in html  # belonging: all 4 → 75
    assert "50 / 100" in html  # safety: all 3 → 50
    assert html.count("<meter") == 3


def test_question_text_falls_back_when_language_is_missing(app, client, make_survey):
    """A question without a Swedish text shows the Finnish one rather than nothing."""
    make_survey()
    with app.app_context():
        from feedback_app.models import Question

        joy = db.session.scalar(select(Question).where(Question.key == "joy"))
        joy.prompts = {"fi": "Oma suomenkielinen kysymys"}
        db.session.commit()
    html = client.get("/s/test?lang=sv").get_data(as_text=True)
    assert "Oma suomenkielinen kysymys" in html


def test_arabic_content_is_right_to_left(client, make_survey):
    """Survey content in Arabic sets lang and dir on the page."""
    make_survey(languages=["fi", "sv", "en", "ar"])
    html = client.get("/s/test?lang=ar").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html
    assert "شعرت بالأمان هنا." in html
    assert 'lang="en" dir="ltr"' in html  # interface strings keep their own language


def test_answer_count_stays_consistent_with_tallies(app, client, make_survey):
    """Every stored face answer is counted once in the score tallies."""
    make_survey()
    client.post("/s/test", data=form_answers())
    client.post("/s/test", data=form_answers(q_joy="1"))
    with app.app_context():
        from feedback_app.models import ScoreTally

        tallied = db.session.scalar(select(func.sum(ScoreTally.n)))
        answered = db.session.scalar(
            select(func.count()).select_from(Answer).where(Answer.score.is_not(None))
        )
    assert tallied == answered == 6
