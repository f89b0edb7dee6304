"""The statements behind ``submissions``: SQLAlchemy Core, built once per database dialect.

Each statement object is made once per process and reused, so SQLAlchemy compiles it once
and finds its SQL in the compiled cache afterwards; values are bound parameters converted
by the column types, exactly as the ORM converts them.

They run on a connection of their own from the engine's pool, outside the ORM session:
its bookkeeping around a commit (snapshots, identity map, close) cost more per answer than
the statements themselves (``docs/performance.md``), and an answer needs none of it. On
SQLite ``write`` runs one statement per table in a transaction it commits itself, inside
the write turn; on PostgreSQL one statement stores it all, autocommitted
(``_one_statement``).
"""

from __future__ import annotations

from datetime import date
from functools import cache

from sqlalchemy import (
    ARRAY,
    Integer,
    String,
    Text,
    bindparam,
    column,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    true,
)
from sqlalchemy.dialects import postgresql, sqlite

from feedback_app import sqlite_writes
from feedback_app.config import worker_tally_slot
from feedback_app.extensions import db
from feedback_app.models import (
    Answer,
    Question,
    Response,
    ResponseTally,
    ScoreTally,
    Survey,
    SurveyStatus,
)
from feedback_app.services.surveys.lifecycle import SurveyChanged

TALLY_SLOTS = 8  # at least the usual number of workers (gunicorn.conf.py caps it at 8)
RESPONSES, ANSWERS = Response.__table__, Answer.__table__
SURVEYS, QUESTIONS, TALLIES = Survey.__table__, Question.__table__, ScoreTally.__table__
RESPONSE_TALLIES = ResponseTally.__table__
RESPONSE_COLUMNS = ("survey_id", "client_id", "locale", "submitted_hour", "is_demo")


def _param(table, name: str):
    """A bound parameter typed like ``table``'s column ``name`` (converted like the ORM's)."""
    return bindparam(name, type_=table.c[name].type)


@cache
def _survey_lookup():
    """The survey with its questions in order, one joined query."""
    s, q = SURVEYS.c, QUESTIONS.c
    columns = (s.id, s.status, s.closes_at, s.languages, s.revision)
    columns += (q.id.label("question_id"), q.key, q.kind, q.options, q.required)
    return (
        select(*columns)
        .outerjoin(QUESTIONS, q.survey_id == s.id)
        .where(s.code == bindparam("code"))
        .order_by(q.position, q.id)
    )


@cache
def _current():
    """The survey is still open and unchanged since it was read at ``revision``."""
    s = SURVEYS.c
    return select(s.id).where(
        s.id == bindparam("survey_id"),
        s.revision == bindparam("revision"),
        s.status == SurveyStatus.OPEN,
        or_(s.closes_at.is_(None), s.closes_at > bindparam("now", type_=s.closes_at.type)),
    )


@cache
def _statements(dialect: str) -> dict:
    """The statements for ``dialect`` (``postgresql`` or ``sqlite``): the answer's writes
    (used on SQLite; PostgreSQL writes with ``_one_statement``), the tally upsert of
    ``responses.bump_tally`` on both, and the lookup of a replayed ``client_id``."""
    dialect_insert = (postgresql if dialect == "postgresql" else sqlite).insert
    values = select(*(_param(RESPONSES, name) for name in RESPONSE_COLUMNS))
    plain = dialect_insert(RESPONSES).from_select(RESPONSE_COLUMNS, values)
    # The insert made only while the survey is current: checked by the statement itself, so
    # a survey closed or edited a moment earlier (by any worker) takes no answer.
    checked = dialect_insert(RESPONSES).from_select(
        RESPONSE_COLUMNS, values.where(exists(_current()))
    )
    tally = dialect_insert(TALLIES)
    counted = dialect_insert(RESPONSE_TALLIES)
    return {
        "plain": plain.on_conflict_do_nothing(index_elements=["client_id"]).returning(
            RESPONSES.c.id
        ),
        "checked": checked.on_conflict_do_nothing(index_elements=["client_id"]).returning(
            RESPONSES.c.id
        ),
        "answers": insert(ANSWERS),
        "tally": tally.on_conflict_do_update(
            index_elements=["survey_id", "indicator", "day", "score", "slot", "scale_version"],
            set_={"n": TALLIES.c.n + tally.excluded.n},
        ),
        # Every stored response counts once, whatever questions it answered or skipped.
        "counted": counted.on_conflict_do_update(
            index_elements=["survey_id", "day", "slot"],
            set_={"n": RESPONSE_TALLIES.c.n + counted.excluded.n},
        ),
        "stored_id": select(RESPONSES.c.id).where(RESPONSES.c.client_id == bindparam("client_id")),
    }


@cache
def _one_statement(checked: bool):
    """PostgreSQL: the response, its answers and both tallies in one statement.

    Data-modifying CTEs hang the answers and the tally increments on the inserted response
    (none of them runs when ``client_id`` was known or the survey is no longer current), so
    one round trip stores it all and, run in autocommit, PostgreSQL takes the tally cells'
    row locks and commits within that one statement. With one statement per table and a
    COMMIT after them, every request of a worker waited for the previous one's lock on the
    same cells across four round trips: 230 answers a second on two workers, most of each
    request's time in ``psycopg/waiting.py:wait_poll`` (docs/performance.md).
    """
    values = select(*(_param(RESPONSES, name) for name in RESPONSE_COLUMNS))
    if checked:
        values = values.where(exists(_current()))
    stored = (
        postgresql.insert(RESPONSES)
        .from_select(RESPONSE_COLUMNS, values)
        .on_conflict_do_nothing(index_elements=["client_id"])
        .returning(RESPONSES.c.id)
        .cte("stored")
    )
    given = (
        func.unnest(
            bindparam("question_ids", type_=ARRAY(Integer)),
            bindparam("scores", type_=ARRAY(Integer)),
            bindparam("choices", type_=ARRAY(String)),
            bindparam("texts", type_=ARRAY(Text)),
        )
        .table_valued(
            column("question_id", Integer),
            column("score", Integer),
            column("choice", String),
            column("text", Text),
            name="given",
        )
        .render_derived()
    )
    # Column defaults are not filled in inside a CTE: ``hidden`` is given here.
    answers = insert(ANSWERS).from_select(
        ["response_id", "question_id", "score", "choice", "text", "hidden"],
        select(stored.c.id, given.c.question_id, given.c.score, given.c.choice, given.c.text)
        .add_columns(literal(False))
        .select_from(stored.join(given, true())),
    )
    survey, day = _param(TALLIES, "survey_id"), _param(TALLIES, "day")
    slot, one = _param(TALLIES, "slot"), literal(1, Integer)
    counts = (
        func.unnest(
            bindparam("indicators", type_=ARRAY(String)),
            bindparam("tally_scores", type_=ARRAY(Integer)),
        )
        .table_valued(column("indicator", String), column("score", Integer), name="counts")
        .render_derived()
    )
    tally = postgresql.insert(TALLIES).from_select(
        ["survey_id", "indicator", "day", "score", "slot", "n"],
        select(survey, counts.c.indicator, day, counts.c.score, slot, one).select_from(
            stored.join(counts, true())
        ),
    )
    tally = tally.on_conflict_do_update(
        index_elements=["survey_id", "indicator", "day", "score", "slot", "scale_version"],
        set_={"n": TALLIES.c.n + tally.excluded.n},
    )
    counted = postgresql.insert(RESPONSE_TALLIES).from_select(
        ["survey_id", "day", "slot", "n"], select(survey, day, slot, one).select_from(stored)
    )
    counted = counted.on_conflict_do_update(
        index_elements=["survey_id", "day", "slot"],
        set_={"n": RESPONSE_TALLIES.c.n + counted.excluded.n},
    )
    return select(stored.c.id).add_cte(
        answers.cte("answered"), tally.cte("tallied"), counted.cte("counted")
    )


def _dialect() -> str:
    """``postgresql`` or ``sqlite``: the database this app talks to."""
    return db.engine.dialect.name


def survey_rows(code: str) -> list:
    """The survey ``code`` joined to its questions (no rows: no such survey)."""
    with db.engine.connect() as connection:
        return connection.execute(_survey_lookup(), {"code": code}).all()


def stored_id(client_id: str) -> int:
    """The id of the response already stored under ``client_id``."""
    statement = _statements(_dialect())["stored_id"]
    with db.engine.connect() as connection:
        return connection.execute(statement, {"client_id": client_id}).scalar_one()


def tally_slot() -> int:
    """This process's tally slot (``ScoreTally.slot``): always 0 on SQLite.

    gunicorn.conf.py gives each worker its own in ``FIILIS_TALLY_SLOT``; SQLite has one
    writer at a time, so its cells never wait for another worker's row lock.
    """
    if _dialect() != "postgresql":
        return 0
    return worker_tally_slot() % TALLY_SLOTS


def write(
    response: dict, answers: list[dict], tallies: list[dict], current: dict | None, day: date
) -> int | None:
    """Insert the response, its answers and tallies, and commit; None if ``client_id`` exists.

    ``day`` is the response's Helsinki day, for the day's response count.

    With ``current`` (``{"revision": …, "now": …}``) the response is inserted only while
    its survey is open at that revision, else ``SurveyChanged`` and nothing is written.
    """
    if _dialect() == "postgresql":
        return _write_in_one_statement(response, answers, tallies, current, day)
    statements = _statements(_dialect())
    # The connection is checked out (and checked) before the write turn; inside it only the
    # statements and the COMMIT, so SQLite's one write lock is held as briefly as it can be.
    # Committed when the inner block ends, rolled back on any error: either way the lock is
    # released before the next worker's turn.
    with db.engine.connect() as connection, sqlite_writes.turn(), connection.begin():
        params = response if current is None else response | current
        insert_response = statements["plain" if current is None else "checked"]
        response_id = connection.execute(insert_response, params).scalar()
        if response_id is None:
            if current is not None:
                _require_current(connection, response["survey_id"], current)
            return None
        if answers:
            connection.execute(
                statements["answers"], [a | {"response_id": response_id} for a in answers]
            )
        slot = {"slot": tally_slot(), "n": 1}
        if tallies:
            connection.execute(statements["tally"], [t | slot for t in tallies])
        counted = {"survey_id": response["survey_id"], "day": day}
        connection.execute(statements["counted"], counted | slot)
    return response_id


def _write_in_one_statement(
    response: dict, answers: list[dict], tallies: list[dict], current: dict | None, day: date
) -> int | None:
    """``write`` on PostgreSQL: one statement, committed by itself (``_one_statement``)."""
    params = response | (current or {}) | {"day": day, "slot": tally_slot()}
    params |= {
        "question_ids": [a["question_id"] for a in answers],
        "scores": [a["score"] for a in answers],
        "choices": [a["choice"] for a in answers],
        "texts": [a["text"] for a in answers],
        "indicators": [t["indicator"] for t in tallies],
        "tally_scores": [t["score"] for t in tallies],
    }
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        response_id = connection.execute(_one_statement(current is not None), params).scalar()
        if response_id is None and current is not None:
            _require_current(connection, response["survey_id"], current)
    return response_id


def _require_current(connection, survey_id: int, current: dict) -> None:
    """Nothing was inserted: a replay if the survey is current, else ``SurveyChanged``."""
    if connection.execute(_current(), {"survey_id": survey_id} | current).first() is None:
        raise SurveyChanged(survey_id)


def tally_upsert():
    """The tally cell upsert for this database (``n`` added to the cell's slot)."""
    return _statements(_dialect())["tally"]
