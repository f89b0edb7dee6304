"""Hand-written SQL for the submission hot path, run on the session's own connection.

Storing an answer is four tiny statements. Through the ORM and SQLAlchemy's statement
machinery they cost several times what the database spends on them, and at a festival
that overhead decides how many residents one server can take (see ``make bench``). These
statements go straight to the DBAPI cursor of the connection the session already holds,
so they join its transaction and ``db.session.commit()`` commits them. Values are
converted with SQLAlchemy's own type processors for the dialect, so rows read and written
here look exactly like rows the ORM reads and writes.

Only plain, fixed SQL with bound parameters: no value is ever formatted into a statement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from feedback_app.extensions import db
from feedback_app.models import Answer, Question, Response, ScoreTally, Survey

TARGET = (
    "SELECT s.id, s.status, s.closes_at, s.languages, q.id, q.key, q.kind, q.options, "
    "q.required FROM surveys s LEFT JOIN questions q ON q.survey_id = s.id "
    "WHERE s.code = :code ORDER BY q.position, q.id"
)
ADD_RESPONSE = (
    "INSERT INTO responses (survey_id, client_id, locale, submitted_hour, answers_digest, "
    "is_demo) VALUES (:survey_id, :client_id, :locale, :submitted_hour, :answers_digest, "
    ":is_demo) ON CONFLICT (client_id) DO NOTHING RETURNING id"
)
ADD_ANSWER = (
    "INSERT INTO answers (response_id, question_id, score, choice, text, hidden) "
    "VALUES (:response_id, :question_id, :score, :choice, :text, :hidden)"
)
ADD_TALLY = (
    "INSERT INTO score_tallies (survey_id, indicator, day, score, n) "
    "VALUES (:survey_id, :indicator, :day, :score, :n) "
    "ON CONFLICT (survey_id, indicator, day, score) DO UPDATE SET n = score_tallies.n + excluded.n"
)
# Checked against the models at import, so a renamed table cannot silently break this.
assert (Survey.__tablename__, Question.__tablename__) == ("surveys", "questions")
assert (Response.__tablename__, Answer.__tablename__) == ("responses", "answers")
assert ScoreTally.__tablename__ == "score_tallies"


@dataclass(frozen=True)
class Dialect:
    """The SQL and value converters for one database dialect."""

    target: str
    add_response: str
    add_answer: str
    add_tally: str
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
    }
    bind = {k: p for k, c in columns.items() if (p := _processor(c, dialect, "bind"))}
    s, q = Survey.__table__.c, Question.__table__.c
    target_columns = (s.id, s.status, s.closes_at, s.languages, q.id, q.key, q.kind)
    target_columns += (q.options, q.required)
    result = tuple(_processor(c, dialect, "result") for c in target_columns)
    return Dialect(
        convert(TARGET),
        convert(ADD_RESPONSE),
        convert(ADD_ANSWER),
        convert(ADD_TALLY),
        bind,
        result,
    )


def _current() -> tuple[Dialect, object]:
    """This session's dialect helpers and its DBAPI connection (inside its transaction)."""
    connection = db.session.connection()
    return _for(connection.dialect.name), connection.connection.driver_connection


def _bound(dialect: Dialect, row: dict) -> dict:
    """``row`` with values converted for the driver."""
    return {k: (dialect.bind[k](v) if k in dialect.bind else v) for k, v in row.items()}


def survey_rows(code: str) -> list[tuple]:
    """The survey with ``code`` joined to its questions, converted like the ORM would."""
    dialect, conn = _current()
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


def add_response(response: dict, answers: list[dict], tallies: list[dict]) -> int | None:
    """Insert a response with its answers and tally increments; None if client_id exists.

    The caller commits (or rolls back) through the session.
    """
    dialect, conn = _current()
    cursor = conn.cursor()
    try:
        cursor.execute(dialect.add_response, _bound(dialect, response))
        row = cursor.fetchone()
        if row is None:
            return None
        response_id = row[0]
        if answers:
            cursor.executemany(
                dialect.add_answer,
                [_bound(dialect, dict(a, response_id=response_id)) for a in answers],
            )
        if tallies:
            cursor.executemany(dialect.add_tally, [_bound(dialect, t) for t in tallies])
    finally:
        cursor.close()
    return response_id
