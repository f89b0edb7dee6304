"""Hand-written SQL for the submission hot path, run on the session's own connection.

Storing an answer is a few tiny statements (one on PostgreSQL, where the check that the
survey is still open at the revision the caller read is part of it). Through the ORM and
SQLAlchemy's statement machinery they cost several times what the database spends on
them, and at a festival that overhead decides how many residents one server can take (see
``make bench``). Values are converted with SQLAlchemy's own type processors for the
dialect, so rows read and written here look exactly like rows the ORM reads and writes.

Two ways to run them:

- inside the caller's session (it has work in progress, or under tests): the statements
  join the session's transaction and the caller commits;
- otherwise (a gunicorn worker handling an API submission) on the worker's own
  connection, kept open for the life of the process like any lean WSGI app would, and
  committed here. A broken connection is dropped and reopened on the next request; the
  client's retry with the same ``client_id`` is stored at most once, so a failed commit is
  safe to repeat.

Only plain, fixed SQL with bound parameters: no value is ever formatted into a statement.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache

from flask import current_app

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
from feedback_app.services import hot_sql_pg
from feedback_app.services.surveys import SurveyChanged

TARGET = (
    "SELECT s.id, s.status, s.closes_at, s.languages, q.id, q.key, q.kind, q.options, "
    "q.required, s.revision FROM surveys s LEFT JOIN questions q ON q.survey_id = s.id "
    "WHERE s.code = :code ORDER BY q.position, q.id"
)
ADD_RESPONSE = (
    "INSERT INTO responses (survey_id, client_id, locale, submitted_hour, answers_digest, "
    "is_demo) VALUES (:survey_id, :client_id, :locale, :submitted_hour, :answers_digest, "
    ":is_demo) ON CONFLICT (client_id) DO NOTHING RETURNING id"
)
# The survey is still open and unchanged since the caller read it at :revision.
CURRENT = (
    "SELECT 1 FROM surveys WHERE id = :survey_id AND revision = :revision AND status = :open "
    "AND (closes_at IS NULL OR closes_at > :now)"
)
# The same insert, made only while CURRENT holds: checked by the statement itself, so a
# survey closed or edited a moment earlier (by any worker) takes no answer.
ADD_RESPONSE_IF_CURRENT = (
    "INSERT INTO responses (survey_id, client_id, locale, submitted_hour, answers_digest, "
    "is_demo) SELECT :survey_id, :client_id, :locale, :submitted_hour, :answers_digest, "
    f":is_demo WHERE EXISTS ({CURRENT}) ON CONFLICT (client_id) DO NOTHING RETURNING id"
)
ADD_ANSWER = (
    "INSERT INTO answers (response_id, question_id, score, choice, text, hidden) "
    "VALUES (:response_id, :question_id, :score, :choice, :text, :hidden)"
)
ADD_TALLY = (
    "INSERT INTO score_tallies (survey_id, indicator, day, score, slot, n) "
    "VALUES (:survey_id, :indicator, :day, :score, :slot, :n) "
    "ON CONFLICT (survey_id, indicator, day, score, slot) "
    "DO UPDATE SET n = score_tallies.n + excluded.n"
)
# One more response in its survey's day, whether or not it answered any face question.
ADD_RESPONSE_TALLY = (
    "INSERT INTO response_tallies (survey_id, day, slot, n) VALUES (:survey_id, :day, :slot, 1) "
    "ON CONFLICT (survey_id, day, slot) DO UPDATE SET n = response_tallies.n + 1"
)
TALLY_SLOTS = 8  # at least the usual number of workers (gunicorn.conf.py caps it at 8)
# Checked against the models at import, so a renamed table cannot silently break this.
assert (Survey.__tablename__, Question.__tablename__) == ("surveys", "questions")
assert (Response.__tablename__, Answer.__tablename__) == ("responses", "answers")
assert (ScoreTally.__tablename__, ResponseTally.__tablename__) == (
    "score_tallies",
    "response_tallies",
)


@dataclass(frozen=True)
class Dialect:
    """The SQL and value converters for one database dialect."""

    name: str
    target: str
    add_response: str
    add_response_if_current: str
    current: str
    add_answer: str
    add_tally: str
    add_response_tally: str
    open_status: object  # SurveyStatus.OPEN as stored
    bind: dict  # column name → converter for values written
    result: tuple  # converters for the TARGET columns, in order (None: as is)


def _processor(column, dialect, kind: str):
    """SQLAlchemy's bind or result processor for ``column`` on ``dialect`` (or None)."""
    impl = column.type.dialect_impl(dialect)
    if kind == "bind":
        return impl.bind_processor(dialect)
    return impl.result_processor(dialect, None)


@cache
def _for(name: str) -> Dialect:
    """Build the dialect's statements and converters once per process."""
    dialect = db.engine.dialect
    if name == "postgresql":  # psycopg takes %(name)s placeholders
        convert = lambda sql: re.sub(r":(\w+)", r"%(\1)s", sql)  # noqa: E731
    else:
        convert = lambda sql: sql  # noqa: E731  (sqlite3 takes :name natively)
    columns = {
        "submitted_hour": Response.__table__.c.submitted_hour,
        "is_demo": Response.__table__.c.is_demo,
        "hidden": Answer.__table__.c.hidden,
        "day": ScoreTally.__table__.c.day,
        "now": Survey.__table__.c.closes_at,
    }
    bind = {k: p for k, c in columns.items() if (p := _processor(c, dialect, "bind"))}
    s, q = Survey.__table__.c, Question.__table__.c
    status = _processor(s.status, dialect, "bind")
    target_columns = (s.id, s.status, s.closes_at, s.languages, q.id, q.key, q.kind)
    target_columns += (q.options, q.required, s.revision)
    result = tuple(_processor(c, dialect, "result") for c in target_columns)
    if name == "sqlite":
        # SQLite hands JSON columns back as text; the same few texts (a survey's languages
        # and option lists) come back on every request, so parse each one once.
        result = result[:3] + (_parsed_json,) + result[4:7] + (_parsed_json,) + result[8:]
    return Dialect(
        name,
        convert(TARGET),
        convert(ADD_RESPONSE),
        convert(ADD_RESPONSE_IF_CURRENT),
        convert(CURRENT),
        convert(ADD_ANSWER),
        convert(ADD_TALLY),
        convert(ADD_RESPONSE_TALLY),
        status(SurveyStatus.OPEN) if status else SurveyStatus.OPEN.value,
        bind,
        result,
    )


@lru_cache(maxsize=4096)
def _parsed_json(text: str):
    """``json.loads`` with memory; callers treat the value as read-only."""
    return json.loads(text)


def _current() -> tuple[Dialect, object]:
    """This session's dialect helpers and its DBAPI connection (inside its transaction)."""
    connection = db.session.connection()
    return _for(connection.dialect.name), connection.connection.driver_connection


# engine → (pid, pooled connection); the pid check keeps a forked worker from using its
# parent's socket or SQLite handle.
_own: dict[int, tuple[object, int, object]] = {}


def uses_own_connection() -> bool:
    """Whether this call may bypass the session (see the module docstring)."""
    enabled = current_app.config.get("HOT_PATH_OWN_CONNECTION")
    if enabled is None:
        # Set by gunicorn.conf.py, which says why one connection per process is safe with
        # its gevent workers. The threaded development server is left alone.
        enabled = os.environ.get("FIILIS_OWN_CONNECTION") == "1" and not current_app.testing
    if not enabled:
        return False
    # No session made yet in this request means no work in progress; asking would make one.
    return not db.session.registry.has() or not db.session().in_transaction()


def _own_connection():
    """The worker's own pooled connection, opened on first use."""
    engine = db.engine
    known = _own.get(id(engine))
    if known and known[0] is engine and known[1] == os.getpid():
        return known[2]
    fairy = engine.raw_connection()
    if engine.dialect.name == "postgresql":
        # Lookups need no transaction; writes open one explicitly (see _run_own).
        fairy.driver_connection.autocommit = True
    _own[id(engine)] = (engine, os.getpid(), fairy)
    return fairy


def release_own_connection() -> None:
    """Close the current engine's own connection (tests, and after a failure)."""
    known = _own.pop(id(db.engine), None)
    if known and known[1] == os.getpid():
        known[2].invalidate()


def _run_own(work: Callable, write: bool):
    """Run ``work(dialect, driver_connection)`` on the own connection; commit writes."""
    fairy = _own_connection()
    conn = fairy.driver_connection
    dialect = _for(db.engine.dialect.name)
    try:
        if not write:
            return work(dialect, conn)
        if dialect.name == "postgresql":
            return work(dialect, conn)  # one statement on an autocommit connection: atomic
        try:
            result = work(dialect, conn)
        except BaseException:
            conn.rollback()
            raise
        conn.commit()
        return result
    except db.engine.dialect.loaded_dbapi.Error as error:
        if isinstance(error, db.engine.dialect.loaded_dbapi.IntegrityError):
            raise
        release_own_connection()  # broken or in an unknown state: start afresh next time
        raise


def _bound(dialect: Dialect, row: dict) -> dict:
    """A copy of ``row`` with values converted for the driver."""
    bound = dict(row)
    for key in dialect.bind:
        if key in bound:
            bound[key] = _convert(dialect, key, bound[key])
    return bound


def _convert(dialect: Dialect, key: str, value):
    """``value`` of the column behind ``key`` as the driver takes it."""
    if key in REPEATING:
        return _convert_repeating(dialect.name, key, value)
    converter = dialect.bind.get(key)
    return converter(value) if converter else value


# Values that repeat across many answers (the hour, the day): converted once each.
REPEATING = frozenset({"submitted_hour", "day"})


@lru_cache(maxsize=256)
def _convert_repeating(dialect_name: str, key: str, value):
    converter = _for(dialect_name).bind.get(key)
    return converter(value) if converter else value


def survey_rows(code: str) -> list[tuple]:
    """The survey with ``code`` joined to its questions, converted like the ORM would."""
    if uses_own_connection():
        return _run_own(lambda dialect, conn: _survey_rows(dialect, conn, code), write=False)
    return _survey_rows(*_current(), code)


def _survey_rows(dialect: Dialect, conn, code: str) -> list[tuple]:
    cursor = conn.cursor()
    try:
        cursor.execute(dialect.target, {"code": code})
        raw = cursor.fetchall()
    finally:
        cursor.close()
    processors = dialect.result
    return [
        tuple(
            p(v) if p is not None and v is not None else v
            for p, v in zip(processors, row, strict=True)
        )
        for row in raw
    ]


@dataclass(frozen=True)
class Write:
    """One response with its answers and tallies, converted for the driver, ready to run.

    Built by ``prepare`` before the SQLite write turn is taken, so the turn covers only
    the statements and the commit.
    """

    dialect: Dialect
    insert: str  # the response insert, RETURNING its id
    params: dict  # its parameters (and the survey check's, if any)
    answers: list[dict]  # answer rows without response_id
    tallies: list[dict]
    checked: bool  # only while the survey is current (``SurveyChanged`` otherwise)
    counted: dict  # the response tally increment: survey_id, day, slot


def prepare(
    response: dict,
    answers: list[dict],
    tallies: list[dict],
    current: dict | None = None,
    *,
    counted: dict,
) -> Write:
    """Convert the rows once for the database in use.

    With ``current`` (``{"revision": …, "now": …}``) the response is inserted only while the
    survey is still open and unchanged since it was read at that revision. ``counted``
    (``{"survey_id": …, "day": …}``) is the response tally cell the response adds one to.
    """
    dialect = _for(db.engine.dialect.name)
    slot = tally_slot(dialect.name)
    params = _bound(dialect, response)
    insert = dialect.add_response
    if current is not None:
        insert = dialect.add_response_if_current
        params["revision"] = current["revision"]
        params["now"] = _convert(dialect, "now", current["now"])
        params["open"] = dialect.open_status
    answers = [_bound(dialect, a) for a in answers]
    tallies = [_bound(dialect, t) | {"slot": slot} for t in tallies]
    counted = _bound(dialect, counted) | {"slot": slot}
    if dialect.name == "postgresql":
        params = hot_sql_pg.parameters(params, answers, tallies, counted)
    return Write(dialect, insert, params, answers, tallies, current is not None, counted)


def store_committed(write: Write) -> int | None:
    """``add_response`` on the worker's own connection, committed before returning."""
    return _run_own(lambda _dialect, conn: _add_response(conn, write), write=True)


def add_response(write: Write) -> int | None:
    """Insert a response with its answers and tally increments; None if client_id exists.

    A checked write raises ``SurveyChanged`` (nothing written) when the survey is no longer
    open at the revision it was prepared with. The caller commits (or rolls back) through
    the session.
    """
    return _add_response(_current()[1], write)


def tally_slot(dialect_name: str) -> int:
    """This process's tally slot (``ScoreTally.slot``): always 0 on SQLite.

    gunicorn.conf.py gives each worker its own in ``FIILIS_TALLY_SLOT``.
    """
    if dialect_name != "postgresql":
        return 0
    return int(os.environ.get("FIILIS_TALLY_SLOT") or 0) % TALLY_SLOTS


def _add_response(conn, write: Write) -> int | None:
    dialect = write.dialect
    if dialect.name == "postgresql":
        statement = hot_sql_pg.statement(write.insert, len(write.answers), len(write.tallies))
        response_id = hot_sql_pg.add_response(conn, statement, write.params)
    else:
        response_id = _add_response_sqlite(conn, write)
    if response_id is None and write.checked:
        _require_current(dialect, conn, write.params)
    return response_id


def _add_response_sqlite(conn, write: Write) -> int | None:
    cursor = conn.cursor()
    try:
        cursor.execute(write.insert, write.params)
        row = cursor.fetchone()
        if row is None:
            return None
        response_id = row[0]
        if write.answers:
            answers = [dict(a, response_id=response_id) for a in write.answers]
            cursor.executemany(write.dialect.add_answer, answers)
        if write.tallies:
            cursor.executemany(write.dialect.add_tally, write.tallies)
        cursor.execute(write.dialect.add_response_tally, write.counted)
    finally:
        cursor.close()
    return response_id


def _require_current(dialect: Dialect, conn, params: dict) -> None:
    """Nothing was inserted: a replay if the survey is current, else ``SurveyChanged``."""
    cursor = conn.cursor()
    try:
        keys = ("survey_id", "revision", "open", "now")
        cursor.execute(dialect.current, {k: params[k] for k in keys})
        if cursor.fetchone() is None:
            raise SurveyChanged(params["survey_id"])
    finally:
        cursor.close()
