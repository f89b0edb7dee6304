"""One answer path: every submission goes through the API view and ``submissions.submit``."""

from __future__ import annotations

import os
import time

import pytest
from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.models import Answer, Question, Response, ScoreTally
from feedback_app.services.answers import submissions
from feedback_app.services.answers.submissions import AnswerSubmission, SubmissionOutcome
from feedback_app.services.demo import seed_demo
from tests.conftest import new_client_id
from tests.limit_windows import start_in_one_window

URL = "/api/v1/surveys/demo/responses"
ANSWERS = {"joy": 4, "belonging": 5, "safety": 2, "comment": "Kiva ilta"}


@pytest.fixture
def submit_calls(monkeypatch):
    """Count the calls of the submission service (and let each one run)."""
    calls: list[AnswerSubmission] = []
    real = submissions.submit

    def counting(submission: AnswerSubmission) -> SubmissionOutcome:
        calls.append(submission)
        return real(submission)

    monkeypatch.setattr(submissions, "submit", counting)
    return calls


def _stored(app, client_id: str) -> tuple:
    """What the database holds for ``client_id``: the response and its answers, by key."""
    with app.app_context():
        response = db.session.scalar(select(Response).where(Response.client_id == client_id))
        answers = db.session.execute(
            select(Question.key, Answer.score, Answer.choice, Answer.text)
            .join(Answer.response)
            .join(Question, Answer.question_id == Question.id)
            .where(Response.client_id == client_id)
            .order_by(Question.key)
        ).all()
        tallies = db.session.execute(
            select(ScoreTally.indicator, ScoreTally.score, ScoreTally.n).order_by(
                ScoreTally.indicator, ScoreTally.score
            )
        ).all()
        return (response.locale, response.submitted_hour, tuple(answers), len(tallies))


@pytest.mark.parametrize("limits_on", [True, False])
def test_a_json_submission_runs_the_service_once(make_app, submit_calls, limits_on):
    app = make_app(seed_demo, RATELIMIT_ENABLED=limits_on, RATELIMIT_SUBMISSIONS="1 per minute")
    start_in_one_window()
    client = app.test_client()
    client_id = new_client_id()
    answer = client.post(URL, json={"client_id": client_id, "answers": ANSWERS})
    assert answer.status_code == 201 and answer.json["status"] == "created"
    assert [s.client_id for s in submit_calls] == [client_id]
    # The limits were on (or off): a second answer in the minute is refused before the view.
    second = new_client_id()
    again = client.post(URL, json={"client_id": second, "answers": ANSWERS})
    assert again.status_code == (429 if limits_on else 201)
    assert [s.client_id for s in submit_calls] == [client_id] + ([] if limits_on else [second])


def test_limits_on_and_off_store_identical_answers(make_app, submit_calls):
    """The same body sent to an app with limits on and one with limits off."""
    stored = []
    for limits_on in (True, False):
        app = make_app(seed_demo, RATELIMIT_ENABLED=limits_on)
        client_id = new_client_id()
        body = {"client_id": client_id, "locale": "sv", "answers": ANSWERS}
        assert app.test_client().post(URL, json=body).status_code == 201
        stored.append(_stored(app, client_id))
    assert len(submit_calls) == 2
    assert stored[0] == stored[1]
    assert stored[0][0] == "sv" and ("comment", None, None, "Kiva ilta") in stored[0][2]


def test_the_plain_form_runs_the_same_service(client, make_survey, submit_calls):
    make_survey()
    client_id = new_client_id()
    form = {"client_id": client_id, "q_joy": "4", "q_belonging": "5", "q_safety": "3"}
    assert client.post("/s/test", data=form).status_code == 303
    assert [(s.survey_code, s.client_id) for s in submit_calls] == [("test", client_id)]


def test_the_service_names_created_and_duplicate(app_context, make_survey):
    make_survey()
    client_id = new_client_id().upper()
    submission = AnswerSubmission("test", client_id, None, {"joy": 3, "belonging": 3, "safety": 3})
    first = submissions.submit(submission)
    again = submissions.submit(submission)
    assert (first.created, first.status, first.client_id) == (True, "created", client_id.lower())
    assert (again.created, again.status, again.response_id) == (
        False,
        "duplicate",
        first.response_id,
    )
    assert db.session.get(Response, first.response_id).locale == "fi"  # the survey's first


@pytest.mark.parametrize("pool_size, kept", [(None, 8), (5, 5)])
def test_the_pool_keeps_a_workers_answers_in_flight(make_app, pool_size, kept):
    """Eight connections in use at once are all kept for the next requests by default.

    A gevent worker has many answers in flight, each on a connection of its own. A pool
    smaller than that (SQLAlchemy's default of 5) closed every connection beyond it on its
    return and opened a new one for the next answer, on PostgreSQL a new server process
    each time: 687 answers/s against 830 with the default pool of 10 (docs/performance.md).
    """
    given = {} if pool_size is None else {"DATABASE_POOL_SIZE": pool_size}
    app = make_app(**given)
    with app.app_context():
        engine = db.engine
    in_use = [engine.connect() for _ in range(8)]
    for connection in in_use:
        connection.close()
    assert engine.pool.checkedin() == kept


def test_an_in_memory_database_is_one_connection_without_a_pool(make_app):
    app = make_app(SQLALCHEMY_DATABASE_URI="sqlite://")
    assert "pool_size" not in app.config["SQLALCHEMY_ENGINE_OPTIONS"]
    with app.app_context():
        assert db.session.scalar(select(Response.id)) is None


def _drop_the_apps_connections(engine) -> int:
    """What a PostgreSQL restart does to the app's pooled connections: the server ends them."""
    import psycopg

    url = engine.url.set(drivername="postgresql")
    with psycopg.connect(url.render_as_string(hide_password=False), autocommit=True) as admin:
        ended = admin.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchone()[0]
        for _ in range(100):  # each backend ends at once; wait until none is left
            left = admin.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            ).fetchone()[0]
            if not left:
                break
            time.sleep(0.05)
    return ended


@pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
    reason="the PostgreSQL pass of make test runs this",
)
def test_answers_go_on_after_the_database_ends_every_connection(make_app):
    """The pool hands out no connection the server has closed: nothing fails after a restart.

    Four connections sit in the pool when PostgreSQL ends them all (a restart, a failover,
    an administrator); the next answers and the next health check succeed on new ones.
    """
    app = make_app(seed_demo)
    with app.app_context():
        engine = db.engine
    in_use = [engine.connect() for _ in range(4)]
    for connection in in_use:
        connection.close()
    assert _drop_the_apps_connections(engine) >= 4
    client = app.test_client()
    for _ in range(6):
        body = {"client_id": new_client_id(), "answers": ANSWERS}
        assert client.post(URL, json=body).status_code == 201
    assert client.get("/healthz").status_code == 200
