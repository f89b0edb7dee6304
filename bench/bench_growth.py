"""Read cost as responses pile up: 10⁴ to 10⁷ stored responses on PostgreSQL, 10⁶ on SQLite.

One database per engine holds the city of bench_district_summary.py (4 target districts, 20
projects and the same 1,000 events at every size) and is grown step by step to each size. A
step adds responses with four face answers each (scores around the district's mood, 15 % of
them the next day) and adds their counts into both tally tables, score_tallies and
response_tallies, counted by the database from the stored rows of the step. The database makes
the rows itself (generate_series on PostgreSQL, a recursive CTE on SQLite) with scores drawn
from a hash of the answer's number, so ten million responses and forty million answers load in
minutes (rows made in Python and sent by COPY take 150 s a million); then VACUUM ANALYZE
(ANALYZE on SQLite).

Timed at each size, median of 9 after a warm-up: the district summary service, the API request
``GET /api/v1/districts/summary`` with a bearer token, and the dashboard's all-charts request
``GET /dashboard/data/charts.json?period=2025`` signed in as an official. A tally row counts one
survey, indicator, day and score, so once every cell is filled the rows, and the read cost,
grow with days × surveys and no longer with answers. Exits 1 when the summary median is over
200 ms at any size. Writes bench/results/growth.{json,md}.

    .venv/bin/python bench/bench_growth.py [--pg-sizes 10000,100000,1000000,10000000]
        [--sqlite-sizes 10000,100000,1000000] [--skip-postgres] [--skip-sqlite]

PostgreSQL runs in a scratch database (fiilis_growth_<pid>) that is dropped afterwards.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import re
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import bench_district_summary as city  # noqa: E402
from feedback_app import create_app  # noqa: E402
from feedback_app.extensions import db  # noqa: E402

PG_SIZES = "10000,100000,1000000,10000000"
SQLITE_SIZES = "10000,100000,1000000"
# Responses added per transaction: bounded memory for the tally join, progress to watch.
CHUNK = 500_000
EMAIL = "bench-growth@example.org"
# A scratch official in a database that is deleted when the script ends.
PASSWORD = "correct horse battery staple"  # noqa: S105
MASK64 = 2**64 - 1

# What differs between the engines: the numbers :lo … :hi as the CTE ``series(n)``, a
# uniform number in [0, 1) drawn from an integer, and the client id of response ``n``.
DIALECTS = {
    "postgresql": {
        "series": "WITH series(n) AS "
        "(SELECT generate_series(CAST(:lo AS bigint), CAST(:hi AS bigint)))",
        "unit": "CAST(hashint8({}) & 2147483647 AS float8) / 2147483648",
        "client_id": f"'{city.CLIENT_ID_PREFIX}' || lpad(to_hex(n), 12, '0')",
    },
    "sqlite": {
        "series": "WITH RECURSIVE series(n) AS "
        "(SELECT :lo UNION ALL SELECT n + 1 FROM series WHERE n < :hi)",
        "unit": "unit({})",
        "client_id": f"printf('{city.CLIENT_ID_PREFIX}%012x', n)",
    },
}

# Response n belongs to event (n - 1) mod events + 1: every event gains at every step.
RESPONSES = """{series}
INSERT INTO responses (id, survey_id, client_id, locale, submitted_hour, is_demo)
SELECT n, plan.survey_id, {client_id}, 'fi',
       CASE WHEN {next_day} < :next_day_share THEN plan.next_day ELSE plan.evening END, FALSE
FROM series JOIN growth_plan AS plan ON plan.survey_id = (n - 1) % :events + 1"""

# Question ids as survey_rows makes them (survey × 10 + position); the score is the first
# whose cumulative share of the district's weights is above the drawn number.
ANSWERS = """{series}, positions(position) AS (VALUES (0), (1), (2), (3))
INSERT INTO answers (response_id, question_id, score, hidden)
SELECT n, survey_id * 10 + position,
       CASE WHEN u < c1 THEN 1 WHEN u < c2 THEN 2 WHEN u < c3 THEN 3 WHEN u < c4 THEN 4
            ELSE 5 END,
       FALSE
FROM (SELECT n, position, plan.survey_id, c1, c2, c3, c4, {draw} AS u
      FROM series CROSS JOIN positions
      JOIN growth_plan AS plan ON plan.survey_id = (n - 1) % :events + 1) AS drawn"""

# Both tallies counted from the rows just stored and added to the cells already there (slot
# 0 and the current wording, the columns' defaults, as a single writer keeps them). Answers
# are counted per question (its survey and key) and day: integer keys sort fast. Without the
# WHERE, SQLite would read ON CONFLICT as the join's condition.
SCORE_TALLIES = """INSERT INTO score_tallies (survey_id, indicator, day, score, n)
SELECT q.survey_id, q.key, counted.day, counted.score, counted.n
FROM (SELECT a.question_id, date(r.submitted_hour) AS day, a.score, count(*) AS n
      FROM answers AS a JOIN responses AS r ON r.id = a.response_id
      WHERE a.response_id BETWEEN :lo AND :hi AND a.score IS NOT NULL
      GROUP BY a.question_id, date(r.submitted_hour), a.score) AS counted
JOIN questions AS q ON q.id = counted.question_id
WHERE TRUE
ON CONFLICT (survey_id, indicator, day, score, slot, scale_version)
DO UPDATE SET n = score_tallies.n + excluded.n"""

RESPONSE_TALLIES = """INSERT INTO response_tallies (survey_id, day, n)
SELECT survey_id, date(submitted_hour), count(*)
FROM responses
WHERE id BETWEEN :lo AND :hi
GROUP BY survey_id, date(submitted_hour)
ON CONFLICT (survey_id, day, slot) DO UPDATE SET n = response_tallies.n + excluded.n"""

PLAN_TABLE = (
    "CREATE TEMPORARY TABLE growth_plan (survey_id integer PRIMARY KEY, evening timestamp, "
    "next_day timestamp, c1 float, c2 float, c3 float, c4 float)"
)
PLAN_ROW = "INSERT INTO growth_plan VALUES (:survey_id, :evening, :next_day, :c1, :c2, :c3, :c4)"


def unit(number: int) -> float:
    """A uniform number in [0, 1) drawn from ``number`` (SplitMix64's mixer), for SQLite."""
    z = (number * 0x9E3779B97F4A7C15) & MASK64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
    return ((z ^ (z >> 31)) >> 11) / 2**53


def growth_statements(kind: str) -> list[str]:
    """The statements that add responses :lo … :hi on ``kind``, in order."""
    parts = DIALECTS[kind]
    rows = [
        RESPONSES.format(
            series=parts["series"],
            client_id=parts["client_id"],
            next_day=parts["unit"].format("n * 8 + 7"),
        ),
        ANSWERS.format(series=parts["series"], draw=parts["unit"].format("n * 8 + position")),
    ]
    # Fresh row counts let PostgreSQL count the new answers in a hash table instead of
    # sorting them on disk.
    statistics = ["ANALYZE responses, answers"] if kind == "postgresql" else []
    return [*rows, *statistics, SCORE_TALLIES, RESPONSE_TALLIES]


def plan_rows(events: list[dict]) -> list[dict]:
    """Per event: its evening and next-day hours and the cumulative shares of scores 1–4."""
    rows = []
    for e in events:
        weights = city.score_weights(e["mood"])
        shares = list(itertools.accumulate(w / sum(weights) for w in weights))
        evening = datetime(e["day"].year, e["day"].month, e["day"].day, city.EVENING)
        rows.append(
            {"survey_id": e["id"], "evening": evening, "next_day": evening + timedelta(days=1)}
            | {f"c{score}": shares[score - 1] for score in range(1, 5)}
        )
    return rows


def prepare(app, kind: str) -> list[dict]:
    """Tables, catalogue, the events' surveys and questions, and an official; the plan rows."""
    from feedback_app.services.people.accounts import create_account

    load = city.load_postgres if kind == "postgresql" else city.load_sqlite
    with app.app_context():
        db.create_all()
        with db.engine.begin() as conn:
            projects = city.build_catalogue(conn)
        # The district benchmark's seed: the same event days as its history.
        events = city.plan_events(projects, random.Random(1_000_000))
        surveys, questions = city.survey_rows(events)
        raw = db.engine.raw_connection()
        try:
            target = raw.cursor() if kind == "sqlite" else raw.driver_connection
            load(target, "surveys", surveys)
            load(target, "questions", questions)
            raw.commit()
        finally:
            raw.close()
        create_account(EMAIL, "official", PASSWORD)
    return plan_rows(events)


def grow(engine, kind: str, plan: list[dict], stored: int, size: int) -> float:
    """Add responses ``stored`` + 1 … ``size`` with answers and tallies; returns seconds."""
    from sqlalchemy import text

    started = time.perf_counter()
    statements = [text(sql) for sql in growth_statements(kind)]
    with engine.connect() as conn:
        if kind == "sqlite":
            conn.connection.driver_connection.create_function("unit", 1, unit, deterministic=True)
        with conn.begin():
            conn.execute(text(PLAN_TABLE))
            conn.execute(text(PLAN_ROW), plan)
        for lo in range(stored + 1, size + 1, CHUNK):
            params = {
                "lo": lo,
                "hi": min(lo + CHUNK - 1, size),
                "events": len(plan),
                "next_day_share": city.NEXT_DAY_SHARE,
            }
            with conn.begin():
                if kind == "postgresql":
                    # Every id is made to match (surveys 1…events, their questions, this
                    # step's responses), so the per-row foreign key triggers are skipped.
                    conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
                    conn.exec_driver_sql("SET LOCAL work_mem = '128MB'")
                for statement in statements:
                    conn.execute(statement, params)
            print(f"  {kind}: {params['hi']:,} responses", file=sys.stderr, flush=True)
        with conn.begin():
            conn.execute(text("DROP TABLE growth_plan"))
    raw = engine.raw_connection()
    try:
        city.refresh_statistics(raw, kind)
    finally:
        # Discarded rather than pooled: VACUUM left it in autocommit.
        raw.invalidate()
    return time.perf_counter() - started


def table_figures(kind: str) -> dict:
    """Rows per table and the database size; checks the tallies add up to the rows."""
    from sqlalchemy import text

    def scalar(sql: str) -> int:
        return db.session.scalar(text(sql))

    figures = {
        table: scalar(f"SELECT count(*) FROM {table}")  # noqa: S608  (names from this list)
        for table in ("responses", "answers", "score_tallies", "response_tallies")
    }
    assert scalar("SELECT sum(n) FROM score_tallies") == figures["answers"], "score tallies"
    assert scalar("SELECT sum(n) FROM response_tallies") == figures["responses"], "counts"
    if kind == "postgresql":
        figures["database_bytes"] = scalar("SELECT pg_database_size(current_database())")
    else:
        figures["database_bytes"] = scalar("PRAGMA page_count") * scalar("PRAGMA page_size")
    db.session.rollback()
    return figures


def signed_in_client(app):
    """A test client with the bench official signed in through the login form."""
    client = app.test_client()
    form = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    fields = {"email": EMAIL, "password": PASSWORD, "csrf_token": token}
    assert client.post("/login", data=fields).status_code == 302
    return client


def measure(app, kind: str, size: int) -> dict:
    """Table figures and the three timings at the current size."""
    from sqlalchemy import select

    from feedback_app.models import Account
    from feedback_app.services.figures.district_filters import Filters
    from feedback_app.services.figures.district_results import district_summary
    from feedback_app.services.people import api_tokens

    filters = Filters(period=2025)
    with app.app_context():
        figures = table_figures(kind)
        account_id = db.session.scalar(select(Account.id).where(Account.email == EMAIL))
        _row, token = api_tokens.issue_token(account_id, f"growth {size}")
        summary = city.timed(lambda: district_summary(filters, 5, city.TODAY))
        check = district_summary(filters, 5, city.TODAY)
    client = signed_in_client(app)
    headers = {"Authorization": f"Bearer {token}"}

    def get(path: str, **options):
        def call():
            response = client.get(path, **options)
            assert response.status_code == 200, (path, response.status_code)

        return call

    return {
        **figures,
        "resident_responses_in_summary": sum(row["responses"] for row in check["districts"]),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "cpu_cores": os.cpu_count(),
        "district_summary": summary,
        "api_request": city.timed(get("/api/v1/districts/summary", headers=headers)),
        "all_charts_request": city.timed(get("/dashboard/data/charts.json?period=2025")),
    }


def run_steps(url: str, kind: str, name: str, sizes: list[int]) -> list[dict]:
    """Grow one database through ``sizes`` and measure at each."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False})
    plan = prepare(app, kind)
    results, stored = [], 0
    for size in sizes:
        with app.app_context():
            seconds = grow(db.engine, kind, plan, stored, size)
        added, stored = size - stored, size
        result = {
            "database": name,
            "grow_seconds": round(seconds, 1),
            "seconds_per_million_added": round(seconds * 1_000_000 / added, 1),
            **measure(app, kind, size),
        }
        print(json.dumps(result, indent=2), flush=True)
        results.append(result)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    return results


def run_sqlite(sizes: list[int]) -> list[dict]:
    """The steps on a fresh SQLite file."""
    with tempfile.TemporaryDirectory() as folder:
        return run_steps(f"sqlite:///{folder}/growth.sqlite3", "sqlite", "SQLite", sizes)


def run_postgres(sizes: list[int]) -> list[dict]:
    """The steps in a scratch PostgreSQL database, dropped afterwards."""
    import psycopg

    name = f"fiilis_growth_{os.getpid()}"
    with psycopg.connect(city.PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
        return run_steps(url, "postgresql", "PostgreSQL", sizes)
    finally:
        with psycopg.connect(city.PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def write_results(results: list[dict]) -> None:
    """bench/results/growth.json and a Markdown table beside it."""
    folder = ROOT / "bench" / "results"
    folder.mkdir(parents=True, exist_ok=True)
    payload = {
        "budget_ms": city.BUDGET_MS,
        "events": city.EVENTS,
        "runs": city.RUNS,
        "results": results,
    }
    (folder / "growth.json").write_text(json.dumps(payload, indent=2) + "\n")
    lines = [
        f"# Read cost as stored responses grow ({city.EVENTS:,} events, 4 districts)",
        "",
        "| database | responses | answers | score / response tally rows | size (MB) "
        "| grow (s) | summary (ms) | API request (ms) | all charts (ms) | load avg / cores |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['database']} | {r['responses']:,} | {r['answers']:,} "
            f"| {r['score_tallies']:,} / {r['response_tallies']:,} "
            f"| {r['database_bytes'] / 1e6:,.0f} | {r['grow_seconds']} "
            f"| {r['district_summary']['median_ms']} | {r['api_request']['median_ms']} "
            f"| {r['all_charts_request']['median_ms']} "
            f"| {r['load_average_1min']} / {r['cpu_cores']} |"
        )
    lines += [
        "",
        f"Median of {city.RUNS} runs after a warm-up; summary budget {city.BUDGET_MS:.0f} ms "
        "at every size. Grow is the time to add the step's responses, answers and tallies "
        "and refresh the statistics. A load average above the core count means the wall "
        "times include waiting for a core.",
    ]
    (folder / "growth.md").write_text("\n".join(lines) + "\n")


def sizes(value: str) -> list[int]:
    """``10000,100000`` → [10000, 100000], ascending."""
    return sorted({int(part) for part in value.split(",") if part.strip()})


def main() -> int:
    """Grow on PostgreSQL and SQLite, write results, fail above the budget."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg-sizes", type=sizes, default=sizes(PG_SIZES))
    parser.add_argument("--sqlite-sizes", type=sizes, default=sizes(SQLITE_SIZES))
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    results = []
    if not args.skip_postgres:
        results += run_postgres(args.pg_sizes)
    if not args.skip_sqlite:
        results += run_sqlite(args.sqlite_sizes)
    write_results(results)
    slow = [
        f"{r['database']} at {r['responses']:,}"
        for r in results
        if r["district_summary"]["median_ms"] > city.BUDGET_MS
    ]
    if slow:
        print(f"Summary too slow (> {city.BUDGET_MS} ms): {', '.join(slow)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
