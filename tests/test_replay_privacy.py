"""A replay reveals nothing about the answer stored under its client_id, and nothing kept
beside a purged comment lets anyone confirm a guess of it."""

from __future__ import annotations

import itertools
from datetime import timedelta

from sqlalchemy import func, select

from feedback_app.clock import utc_now
from feedback_app.extensions import db
from feedback_app.models import Answer, Response
from feedback_app.services.answers.responses import delete_old_comments
from tests.conftest import new_client_id

URL = "/api/v1/surveys/test/responses"
CORE = {"joy": 4, "belonging": 5, "safety": 3}


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_every_replay_of_a_known_client_id_gets_the_same_answer(app, client, make_survey):
    """The next person at a shared tablet tries all 125 score triples: no answer differs."""
    make_survey()
    client_id = new_client_id()
    assert client.post(URL, json={"client_id": client_id, "answers": CORE}).status_code == 201
    seen = set()
    for joy, belonging, safety in itertools.product(range(1, 6), repeat=3):
        answers = {"joy": joy, "belonging": belonging, "safety": safety}
        replay = client.post(URL, json={"client_id": client_id, "answers": answers})
        seen.add((replay.status_code, replay.get_data(as_text=True)))
    assert len(seen) == 1
    status, _body = seen.pop()
    assert status == 200
    assert _count(app, Response) == 1 and _count(app, Answer) == 3


def test_a_replay_with_a_comment_or_on_another_survey_is_a_plain_duplicate(
    app, client, make_survey
):
    """Whatever the content, a known client_id answers 200 duplicate and stores nothing."""
    make_survey(code="test")
    make_survey(code="other")
    client_id = new_client_id()
    assert client.post(URL, json={"client_id": client_id, "answers": CORE}).status_code == 201
    changed = {"client_id": client_id, "answers": dict(CORE, comment="Toinen kerta")}
    for url in (URL, "/api/v1/surveys/other/responses"):
        replay = client.post(url, json=changed)
        assert replay.status_code == 200
        assert replay.json["status"] == "duplicate" and replay.json["client_id"] == client_id
    assert _count(app, Response) == 1 and _count(app, Answer) == 3


def test_the_plain_form_replay_with_other_answers_is_thanked_and_stores_nothing(
    app, client, make_survey
):
    """The no-JavaScript form: the same client_id again leads to the thank-you page."""
    make_survey()
    client_id = new_client_id()
    first = {"client_id": client_id, "q_joy": "4", "q_belonging": "5", "q_safety": "3"}
    assert client.post("/s/test", data=first).status_code == 303
    again = client.post("/s/test", data=dict(first, q_joy="1"))
    assert again.status_code == 303 and "/s/test/thanks" in again.headers["Location"]
    assert _count(app, Response) == 1


def test_nothing_kept_beside_a_purged_comment_tells_two_comments_apart(app, client, make_survey):
    """Same scores, different comments: once purged, the stored rows are indistinguishable.

    Anything derived from the comment and kept after the purge (a hash of the answers, say)
    would let someone who guesses a comment confirm the guess.
    """
    make_survey()
    for comment in ("Matti Meikäläinen, Kontulantie 1", "Maija Virtanen, Malmintie 2"):
        answers = dict(CORE, comment=comment)
        body = {"client_id": new_client_id(), "answers": answers}
        assert client.post(URL, json=body).status_code == 201
    with app.app_context():
        assert delete_old_comments(0, now=utc_now() + timedelta(hours=2)) == 2
        columns = [c for c in Response.__table__.columns if c.name not in ("id", "client_id")]
        rows = db.session.execute(select(*columns)).all()
        assert len(rows) == 2 and rows[0] == rows[1]
        answers = db.session.execute(
            select(Answer.question_id, Answer.score, Answer.choice, Answer.text).order_by(
                Answer.response_id, Answer.question_id
            )
        ).all()
        assert answers[:3] == answers[3:]
