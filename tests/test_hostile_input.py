"""Hostile resident input: a clear 4xx, nothing stored, the same on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from feedback_app.extensions import db
from feedback_app.models import Answer, Question, Response
from tests.conftest import new_client_id

API = "/api/v1/surveys/test/responses"
CORE = {"joy": 4, "belonging": 5, "safety": 3}
FORM = {"q_joy": "5", "q_belonging": "4", "q_safety": "3", "q_comment": ""}


def stored(app) -> tuple[int, int]:
    """How many responses and answer rows the database holds."""
    with app.app_context():
        responses = db.session.scalar(select(func.count()).select_from(Response))
        return responses, db.session.scalar(select(func.count()).select_from(Answer))


def stored_comment(app) -> str:
    """The one stored free-text answer."""
    with app.app_context():
        return db.session.scalar(select(Answer.text).where(Answer.text.is_not(None)))


def post_raw(client, body: str):
    """POST a JSON text exactly as given (the test client's ``json=`` would re-encode it)."""
    return client.post(API, data=body.encode(), content_type="application/json")


def body_with(**answers) -> dict:
    """A complete API body whose answers are overridden by ``answers``."""
    return {"client_id": new_client_id(), "answers": {**CORE, **answers}}


@pytest.mark.parametrize("depth", [5000, 8000])
def test_deeply_nested_json_is_malformed_and_stores_nothing(app, client, make_survey, depth):
    """Nesting thousands deep is refused with 400 ``malformed_json``, never a RecursionError."""
    make_survey()
    for body in ("[" * depth + "]" * depth, '{"answers": ' + "[" * depth + "]" * depth + "}"):
        response = post_raw(client, body)
        assert response.status_code == 400
        assert response.json["error"] == "malformed_json"
    assert stored(app) == (0, 0)


def test_nesting_deeper_than_the_api_needs_is_malformed(app, client, make_survey):
    """Depth 64 parses in Python, but no answer body needs it: refused like bad JSON."""
    make_survey()
    nested = "[" * 64 + "]" * 64
    response = post_raw(client, json.dumps(body_with())[:-2] + f', "comment": {nested}}}}}')
    assert response.status_code == 400
    assert response.json["error"] == "malformed_json"
    assert stored(app) == (0, 0)


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "9" * 5000])
def test_numbers_json_does_not_have_are_malformed(app, client, make_survey, number):
    """``NaN``/``Infinity`` are not JSON and 5,000 digits exceed Python's int limit: 400."""
    make_survey()
    body = json.dumps(body_with()).replace('"joy": 4', f'"joy": {number}')
    response = post_raw(client, body)
    assert response.status_code == 400
    assert response.json["error"] == "malformed_json"
    assert stored(app) == (0, 0)


@pytest.mark.parametrize(
    "joy", [True, 3.0, 3.5, "3", "٣", "３", "²", 10**4000, -3, 0, 6, [3], {"v": 3}]
)
def test_api_scores_are_whole_json_numbers_only(app, client, make_survey, joy):
    """Booleans, floats (even 3.0), digit strings and huge numbers get 422 naming the field."""
    make_survey()
    body = json.dumps(body_with(joy=joy)) if joy != 10**4000 else None
    if body is None:
        body = json.dumps(body_with()).replace('"joy": 4', f'"joy": {"9" * 4000}')
    response = post_raw(client, body)
    assert response.status_code == 422
    assert response.json["field"] == "answers.joy"
    assert stored(app) == (0, 0)


@pytest.mark.parametrize(
    "raw", ["²", "٣", "３", "5" * 5000, "1_0", " 3", "3 ", "+3", "-3", "0x3", "3.0", "0", "6"]
)
def test_form_scores_are_ascii_digits_in_range(app, client, make_survey, raw):
    """``q_joy`` must be an ASCII digit 1–5: anything else re-shows the form with 422."""
    make_survey()
    response = client.post("/s/test?lang=en", data={**FORM, "q_joy": raw})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Please choose one of the faces." in html
    assert stored(app) == (0, 0)


def test_an_empty_form_score_is_a_skipped_question(app, client, make_survey):
    """``q_joy=`` is no answer to joy (never a 3); the other answers are stored."""
    make_survey()
    response = client.post("/s/test?lang=en", data={**FORM, "q_joy": ""})
    assert response.status_code == 303
    with app.app_context():
        scores = db.session.execute(
            select(Question.key, Answer.score).join(Question, Answer.question_id == Question.id)
        ).all()
    assert ("joy", 3) not in scores and all(key != "joy" for key, _ in scores)


@pytest.mark.parametrize(
    ("comment", "lang", "message"),
    [
        ("\x00", "en", "Please remove control characters from your text."),
        ("hei\x00hei", "fi", "Poista tekstistä ohjausmerkit."),
        ("bell\x07", "sv", "Ta bort styrtecknen ur texten."),
        ("\x1b[31mred", "en", "Please remove control characters from your text."),
        ("\x7f", "en", "Please remove control characters from your text."),
        ("\x85", "en", "Please remove control characters from your text."),
    ],
)
def test_control_characters_in_a_form_comment_are_refused(
    app, client, make_survey, comment, lang, message
):
    """NUL and other control characters: 422 with the reason beside the comment field."""
    make_survey()
    response = client.post(f"/s/test?lang={lang}", data={**FORM, "q_comment": comment})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert stored(app) == (0, 0)


@pytest.mark.parametrize("comment", ["\ud800", "a\udfffb", "\x00", "x\x1f", "\x7f", "\u009b"])
def test_lone_surrogates_and_controls_in_an_api_comment_are_422(app, client, make_survey, comment):
    """The API names the comment field; nothing is stored on either database."""
    make_survey()
    response = post_raw(client, json.dumps(body_with(comment=comment)))
    assert response.status_code == 422
    assert response.json["field"] == "answers.comment"
    assert stored(app) == (0, 0)


def test_form_bytes_that_are_not_utf8_never_reach_the_database_raw(app, client, make_survey):
    """An encoded lone surrogate in the plain form never becomes one: stored as valid text."""
    make_survey()
    body = "q_joy=5&q_belonging=4&q_safety=3&q_comment=a%ED%A0%80b"
    response = client.post("/s/test", data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 303
    comment = stored_comment(app)
    assert comment.startswith("a") and comment.endswith("b")
    assert comment.encode("utf-8")  # no lone surrogate: it would not encode


@pytest.mark.parametrize("via", ["form", "api"])
def test_tabs_and_line_breaks_are_kept_and_text_is_nfc(app, client, make_survey, via):
    """Tab and newline stay (CRLF becomes LF); a decomposed é is stored composed (NFC)."""
    make_survey()
    comment = "Kive\u0301a\r\nilta\tkiitos"
    if via == "form":
        assert client.post("/s/test", data={**FORM, "q_comment": comment}).status_code == 303
    else:
        assert post_raw(client, json.dumps(body_with(comment=comment))).status_code == 201
    assert stored_comment(app) == "Kivéa\nilta\tkiitos"


def test_text_length_is_counted_after_normalising(app, client, make_survey):
    """1,000 composed characters pass however they were typed; 1,001 get 422."""
    make_survey()
    assert post_raw(client, json.dumps(body_with(comment="e\u0301" * 1000))).status_code == 201
    assert stored_comment(app) == "é" * 1000
    too_long = client.post("/s/test?lang=en", data={**FORM, "q_comment": "é" * 1001})
    assert too_long.status_code == 422
    assert "Please shorten your text." in too_long.get_data(as_text=True)
    assert stored(app) == (1, 4)


@pytest.mark.parametrize("length", ["²", "٣", "３"])
def test_a_content_length_in_other_digits_is_not_a_500(app, client, make_survey, length):
    """``str.isdigit`` accepts "²", which ``int()`` refuses: the fast path reads ASCII only."""
    make_survey()
    body = json.dumps(body_with()).encode()
    response = client.post(
        API,
        data=body,
        content_type="application/json",
        environ_overrides={"CONTENT_LENGTH": length},
    )
    assert response.status_code == 400  # an unreadable length is an empty body
    assert response.json["error"] == "malformed_json"
    assert stored(app) == (0, 0)
