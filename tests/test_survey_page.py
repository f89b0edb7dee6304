"""The resident's path: open the survey, answer with a plain form, see the thank-you page."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
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
FACE_LABELS = {
    "fi": ["Täysin eri mieltä", "Ei samaa eikä eri mieltä", "Täysin samaa mieltä"],
    "sv": ["Helt av annan åsikt", "Varken av samma eller annan åsikt", "Helt av samma åsikt"],
    "en": ["Strongly disagree", "Neither agree nor disagree", "Strongly agree"],
}
OLD_FACE_LABELS = {
    "fi": "Hyvin tyytyväinen",
    "sv": "Mycket nöjd",
    "en": "Very happy",
}


CATALOGUES = Path(__file__).parent.parent / "feedback_app" / "translations"


def catalogue_text(lang: str, msgid: str) -> str:
    """The translation of ``msgid`` in the ``lang`` catalogue; fails if it has none."""
    path = CATALOGUES / lang / "LC_MESSAGES" / "messages.po"
    assert path.exists(), f"no {lang} catalogue"
    with path.open("rb") as handle:
        message = read_po(handle).get(msgid)
    assert message is not None and message.string and not message.fuzzy, f"{lang}: {msgid!r}"
    return message.string


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
    for label in FACE_LABELS[lang]:
        assert html.count(f">{label}</span>") == 3  # once per core statement
    assert OLD_FACE_LABELS[lang] not in html


@pytest.mark.parametrize(
    ("header", "lang"), [("sv-FI,sv;q=0.9", "sv"), ("en-GB,en;q=0.8", "en"), ("de-DE", "fi")]
)
def test_language_follows_accept_language_then_finnish(client, make_survey, header, lang):
    """Without ?lang= the browser's languages decide, and Finnish is the default."""
    make_survey()
    html = client.get("/s/test", headers={"Accept-Language": header}).get_data(as_text=True)
    assert f'<html lang="{lang}"' in html
    assert CORE_TEXTS[lang][0] in html


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        ("ar, en;q=0.9", "ar"),
        ("en, ar", "en"),  # the browser's order among equal q-values
        ("ru;q=0.5, so;q=0.8, fi;q=0.1", "so"),
        ("ar-SA", "ar"),
        ("de, uk;q=0.7", "uk"),
        ("zh, ru;q=0", "fi"),  # q=0 means "not this one"
    ],
)
def test_first_scan_takes_the_browsers_first_offered_language(client, make_survey, header, lang):
    """A QR link has no ?lang: the first Accept-Language choice the survey offers wins."""
    make_survey(languages=["fi", "sv", "en", "ru", "so", "ar", "uk"])
    html = client.get("/s/test", headers={"Accept-Language": header}).get_data(as_text=True)
    assert f'<html lang="{lang}"' in html


def test_ukrainian_is_known(client, make_survey):
    """?lang=uk names a resident language: the page and its menu are Ukrainian."""
    make_survey(languages=["fi", "sv", "en", "uk"])
    html = client.get("/s/test?lang=uk").get_data(as_text=True)
    assert '<html lang="uk" dir="ltr">' in html
    assert 'aria-current="true">Українська</a>' in html


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


def test_a_skipped_core_question_is_no_answer_never_a_three(app, client, make_survey):
    """Leaving out the safety question stores the other answers and nothing for safety."""
    make_survey()
    data = form_answers()
    del data["q_safety"]
    response = client.post("/s/test?lang=fi", data=data)
    assert response.status_code == 303
    with app.app_context():
        stored = db.session.scalar(select(Response))
        by_key = {a.question_id: a.score for a in stored.answers}
        from feedback_app.models import Question

        keys = dict(db.session.execute(select(Question.id, Question.key)).all())
        assert sorted(keys[qid] for qid in by_key) == ["belonging", "joy"]


def test_core_questions_carry_no_required_mark(client, make_survey):
    """A resident may skip any question: no required attribute, no "(required)" text."""
    make_survey()
    html = client.get("/s/test?lang=en").get_data(as_text=True)
    assert " required" not in html
    assert "(required)" not in html


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("fi", "Vastaa vähintään yhteen kysymykseen."),
        ("sv", "Svara på minst en fråga."),
        ("en", "Please answer at least one question."),
    ],
)
def test_an_empty_submission_is_explained_and_nothing_stored(
    app, client, make_survey, lang, message
):
    """A form with no answer at all re-renders with 422 and an announced error."""
    make_survey()
    response = client.post(f"/s/test?lang={lang}", data={"q_comment": "  "})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html
    assert 'role="alert"' in html
    assert 'href="#q-joy"' in html
    assert stored_responses(app) == 0


def test_an_empty_json_submission_is_422(app, client, make_survey):
    """The API refuses a response without any answer, naming the answers field."""
    make_survey()
    response = client.post(
        "/api/v1/surveys/test/responses",
        json={"client_id": "0b6f7c55-3d0c-4d6e-9a51-0d8d9b6c2f11", "answers": {"joy": None}},
    )
    assert response.status_code == 422
    assert response.get_json()["field"] == "answers"
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


def test_a_language_with_missing_texts_is_not_offered(app, client, make_survey):
    """A question without a Swedish text keeps Swedish off the menu; ?lang=sv gets Finnish."""
    make_survey()
    with app.app_context():
        from feedback_app.models import Question

        joy = db.session.scalar(select(Question).where(Question.key == "joy"))
        joy.prompts = {"fi": "Oma suomenkielinen kysymys", "en": "My own question"}
        db.session.commit()
    html = client.get("/s/test?lang=sv").get_data(as_text=True)
    assert '<html lang="fi" dir="ltr">' in html
    assert "Oma suomenkielinen kysymys" in html
    assert ">Svenska</a>" not in html
    assert ">English</a>" in html


def test_arabic_page_is_right_to_left_in_arabic_throughout(client, make_survey):
    """An Arabic page: lang and dir on <html>, Arabic questions and Arabic interface texts."""
    make_survey(languages=["fi", "sv", "en", "ar"])
    html = client.get("/s/test?lang=ar").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html
    assert "شعرت بالأمان هنا." in html
    assert 'lang="en"' not in html.split("<main", 1)[1].split("</main>")[0]
    assert catalogue_text("ar", "Send answers") in html
    assert ">Send answers<" not in html


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


@pytest.mark.parametrize("path", ["/s/nothing-here", "/no-such-page"])
def test_error_pages_keep_the_residents_language(client, path):
    """A 404 keeps ?lang= (any resident language), its direction and a menu of languages."""
    response = client.get(f"{path}?lang=ar")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert '<html lang="ar" dir="rtl">' in html
    assert f'href="{path}?lang=so"' in html
    assert 'href="/?lang=ar"' in html  # the way back keeps the language too


def test_privacy_notice_is_offered_in_every_resident_language(client):
    """The statements speak the resident's language: /privacy?lang=uk is Ukrainian."""
    html = client.get("/privacy?lang=uk").get_data(as_text=True)
    assert '<html lang="uk" dir="ltr">' in html
    assert 'aria-current="true">Українська</a>' in html
    assert catalogue_text("uk", "Privacy notice") in html
