"""PostgreSQL: a whole answer (response, answers, tallies) in one statement, one round trip.

Data-modifying CTEs run as one statement, so on an autocommit connection the statement is
its own transaction: atomic without BEGIN and COMMIT round trips. Each round trip is a
wake-up of the database backend, which under a burst on a busy machine costs more than the
SQL itself. If the response insert adds no row (``client_id`` exists, or the survey is no
longer as the caller read it), the CTEs that select from it add nothing either.
"""

from __future__ import annotations

from functools import cache

RESPONSE = "new AS ({insert})"
ANSWERS = (
    "answered AS (INSERT INTO answers (response_id, question_id, score, choice, text, hidden) "
    "SELECT new.id, v.question_id, v.score, v.choice, v.text, false FROM new, (VALUES {rows}) "
    "AS v(question_id, score, choice, text))"
)
ANSWER_ROW = "(%(q{i})s::integer, %(s{i})s::integer, %(c{i})s::varchar, %(t{i})s::text)"
TALLIES = (
    "tallied AS (INSERT INTO score_tallies (survey_id, indicator, day, score, slot, n) "
    "SELECT %(survey_id)s, v.indicator, %(day)s::date, v.score, %(slot)s::smallint, 1 "
    "FROM new, (VALUES {rows}) AS v(indicator, score) "
    "ON CONFLICT (survey_id, indicator, day, score, slot) "
    "DO UPDATE SET n = score_tallies.n + excluded.n)"
)
COUNTED = (
    "counted AS (INSERT INTO response_tallies (survey_id, day, slot, n) "
    "SELECT %(survey_id)s, %(counted_day)s::date, %(slot)s::smallint, 1 FROM new "
    "ON CONFLICT (survey_id, day, slot) DO UPDATE SET n = response_tallies.n + 1)"
)
TALLY_ROW = "(%(i{i})s::varchar, %(v{i})s::integer)"


@cache
def statement(insert: str, answers: int, tallies: int) -> str:
    """``insert`` (of the response, returning its id) with this many answer rows and tally
    increments (cached by shape)."""
    parts = [RESPONSE.format(insert=insert)]
    if answers:
        rows = ", ".join(ANSWER_ROW.format(i=i) for i in range(answers))
        parts.append(ANSWERS.format(rows=rows))
    if tallies:
        rows = ", ".join(TALLY_ROW.format(i=i) for i in range(tallies))
        parts.append(TALLIES.format(rows=rows))
    parts.append(COUNTED)
    # Constant fragments and row counts only; every value is a bound parameter.
    return "WITH " + ", ".join(parts) + " SELECT id FROM new"  # noqa: S608


def parameters(response: dict, answers: list[dict], tallies: list[dict], counted: dict) -> dict:
    """Flatten the rows into the statement's named parameters (``response``: the insert's).

    ``counted`` is the response tally cell (survey, day, slot) the response adds one to.
    """
    params = dict(response)
    for i, answer in enumerate(answers):
        params.update(
            {f"q{i}": answer["question_id"], f"s{i}": answer["score"]}
            | {f"c{i}": answer["choice"], f"t{i}": answer["text"]}
        )
    for i, tally in enumerate(tallies):
        params.update({f"i{i}": tally["indicator"], f"v{i}": tally["score"]})
    if tallies:
        params["day"] = tallies[0]["day"]
    params["counted_day"] = counted["day"]
    params["slot"] = counted["slot"]
    return params


def add_response(conn, statement: str, params: dict) -> int | None:
    """Run the one statement; the new response id, or None when its insert added no row."""
    with conn.cursor() as cursor:
        cursor.execute(statement, params)
        row = cursor.fetchone()
    return row[0] if row else None
