"""A database that cannot be reached, or a pool with no connection left, is a 503 to try
again: JSON for the API, a page in the visitor's language for people, one log line."""

from __future__ import annotations

import logging
import uuid

import pytest
from sqlalchemy import text

from feedback_app import create_app
from feedback_app.database import is_postgresql
from feedback_app.extensions import db
from tests.conftest import app_config
from tests.servers import free_port


@pytest.fixture
def unreachable():
    """The app against a PostgreSQL address where no server answers (down, or refusing)."""
    url = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/fiilis"
    app = create_app(app_config(url, RATELIMIT_ENABLED=False))
    yield app
    with app.app_context():
        db.engine.dispose()


def answer() -> dict:
    """A well-formed answer to the demo survey."""
    return {"client_id": str(uuid.uuid4()), "locale": "fi", "answers": {"joy": 5}}


def test_an_answer_while_the_database_is_down_is_a_503_to_send_again(unreachable, caplog):
    """The resident's outbox keeps the answer and sends it again after Retry-After."""
    client = unreachable.test_client()
    with caplog.at_level(logging.WARNING):
        response = client.post("/api/v1/surveys/demo/responses", json=answer())
    assert response.status_code == 503
    assert response.json["error"] == "unavailable"
    assert response.json["message"]
    assert int(response.headers["Retry-After"]) > 0
    # One line that says what happened, not a traceback per answer during an outage.
    assert [r.levelno for r in caplog.records if r.name == unreachable.logger.name] == [
        logging.WARNING
    ]
    assert all(r.exc_info is None for r in caplog.records)


@pytest.mark.parametrize(
    ("lang", "title"),
    [
        ("fi", "Palvelu on juuri nyt ruuhkautunut"),
        ("sv", "Tjänsten är överbelastad just nu"),
        ("ar", "الخدمة مزدحمة الآن"),
    ],
)
def test_a_page_while_the_database_is_down_says_so_in_the_visitors_language(
    unreachable, lang, title
):
    """The survey page a resident opens from the poster: a 503 page, not a server error."""
    response = unreachable.test_client().get(f"/s/demo?lang={lang}")
    assert response.status_code == 503
    assert response.mimetype == "text/html"
    assert int(response.headers["Retry-After"]) > 0
    assert title in response.get_data(as_text=True)


def test_no_connection_left_in_the_pool_is_a_503(make_app):
    """Every pooled connection busy past the pool's timeout: a 503 to try again."""
    options = {"pool_size": 1, "max_overflow": 0, "pool_timeout": 0.2}
    busy = make_app(SQLALCHEMY_ENGINE_OPTIONS=options)
    with busy.app_context(), db.engine.connect():  # the pool's one connection, kept busy
        response = busy.test_client().post("/api/v1/surveys/demo/responses", json=answer())
    assert response.status_code == 503
    assert response.json["error"] == "unavailable"


def test_a_failing_statement_stays_a_server_error(make_app):
    """A reachable database refusing a statement (here a missing table) is a bug: 500."""

    def drop_questions():
        db.session.execute(
            text("DROP TABLE questions CASCADE" if is_postgresql() else "DROP TABLE questions")
        )
        db.session.commit()

    broken = make_app(drop_questions)
    response = broken.test_client().post("/api/v1/surveys/demo/responses", json=answer())
    assert response.status_code == 500
    assert "Retry-After" not in response.headers


@pytest.mark.parametrize("path", ["/DEMO", "/no-such-page"])
def test_a_stray_address_while_the_database_is_down_is_a_503(unreachable, path):
    """The not-found page looks for a survey the address may mean: that needs the database."""
    unreachable.config["PROPAGATE_EXCEPTIONS"] = False  # as in production: handlers answer
    response = unreachable.test_client().get(path)
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
