"""District summary at city scale: 1,000,000 responses on SQLite and on PostgreSQL.

Generates a city-sized history (4 target districts, 20 projects, 1,000 events, 1,000,000
responses with 3,000,000 core answers and their score tallies) by bulk insert (executemany on
SQLite, COPY on PostgreSQL), then times the officials' district summary — the same function
``/dashboard`` and ``GET /api/v1/districts/summary`` call — and the whole API request.
Asserts the median is at most 200 ms and writes bench/results/district_summary.{json,md}.

    .venv/bin/python bench/bench_district_summary.py [--responses N] [--skip-postgres]

PostgreSQL runs in a scratch database (fiilis_bench_<pid>) that is dropped afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from feedback_app import create_app  # noqa: E402
from feedback_app.extensions import db  # noqa: E402
from feedback_app.models.survey import new_revision  # noqa: E402

BUDGET_MS = 200.0
RUNS = 9
# Events, not responses, set the tally size (survey × indicator × day × score): 1,000 events
# in two years is ten events a month in each target district, 1,000 answers each.
EVENTS = 1000
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
TODAY = date(2026, 11, 27)
DISTRICTS = [
    ("malmi", "Malmi", "Malm", 3.9),
    ("kontula", "Kontula", "Gårdsbacka", 4.1),
    ("meri-rastila", "Meri-Rastila", "Havsrastböle", 3.7),
    ("kannelmaki-malminkartano", "Kannelmäki-Malminkartano", "Gamlas-Malmgård", 4.3),
]
CORE = ("joy", "belonging", "safety")
BANK = ("pride", "together", "come_again")
# Most answers come on the event evening (stored to the hour), some the next day.
EVENING = 16
NEXT_DAY_SHARE = 0.15
# Client ids are version 4 UUIDs whose last group is the response id in hex.
CLIENT_ID_PREFIX = "00000000-0000-4000-8000-"


def build_catalogue(conn) -> list[tuple[int, int, float]]:
    """Grant period, districts, 5 projects per district; returns (project, district, mood)."""
    from sqlalchemy import text

    conn.execute(
        text("INSERT INTO grant_periods (id, start_year, end_year) VALUES (1, 2025, 2027)")
    )
    projects = []
    for d, (slug, fi, sv, mood) in enumerate(DISTRICTS, start=1):
        conn.execute(
            text("INSERT INTO districts (id, slug, name_fi, name_sv) VALUES (:id, :s, :fi, :sv)"),
            {"id": d, "s": slug, "fi": fi, "sv": sv},
        )
        conn.execute(
            text("INSERT INTO district_periods (district_id, period_id) VALUES (:d, 1)"), {"d": d}
        )
        for p in range(5):
            pid = (d - 1) * 5 + p + 1
            conn.execute(
                text(
                    "INSERT INTO projects (id, name, institution, district_id, period_id) "
                    "VALUES (:id, :name, 'Taidelaitos', :d, 1)"
                ),
                {"id": pid, "name": f"Hanke {pid}", "d": d},
            )
            projects.append((pid, d, mood))
    return projects


def plan_events(projects, rng: random.Random) -> list[dict]:
    """``EVENTS`` events spread over 2025-01-01 … today, one bank question each."""
    span = (TODAY - date(2025, 1, 1)).days
    events = []
    for i in range(EVENTS):
        project, _district, mood = projects[i % len(projects)]
        tier = "area_actor" if i % 50 == 0 else "resident"
        day = date(2025, 1, 1) + timedelta(days=rng.randrange(span))
        events.append(
            {
                "id": i + 1,
                "project": project,
                "mood": mood,
                "day": day,
                "tier": tier,
                "keys": (*CORE, BANK[i % len(BANK)]),
            }
        )
    return events


def survey_rows(events):
    """Rows for surveys and questions (4 face questions per survey, ids derived from survey)."""
    surveys, questions = [], []
    for e in events:
        surveys.append(
            (
                e["id"],
                f"b{e['id']:06d}",
                e["project"],
                f"Tapahtuma {e['id']}",
                json.dumps({"fi": f"Tapahtuma {e['id']}", "sv": f"Evenemang {e['id']}"}),
                e["day"],
                "",
                "closed",
                '["fi", "sv", "en"]',
                e["tier"],
                False,
                datetime(2025, 1, 1),
                new_revision(),
            )
        )
        for position, key in enumerate(e["keys"]):
            questions.append(
                (e["id"] * 10 + position, e["id"], key, "face", "{}", "[]", position, position < 3)
            )
    return surveys, questions


def score_weights(mood: float) -> list[float]:
    """Relative weights of the scores 1–5 in a district whose answers centre on ``mood``."""
    return [max(0.05, 1 - abs(s - mood) / 2.5) for s in range(1, 6)]


def response_batches(events, total: int, rng: random.Random, batch: int = 50_000):
    """Yield (responses, answers, tallies, response tallies) row batches; both tallies are
    counted on the way and yielded with the last batch only."""
    tallies: Counter = Counter()
    counted: Counter = Counter()
    per_event = total // len(events)
    extra = total - per_event * len(events)
    responses, answers = [], []
    rid = 0
    for e in events:
        count = per_event + (1 if e["id"] <= extra else 0)
        weights = score_weights(e["mood"])
        for _ in range(count):
            rid += 1
            # Most answers come on the event evening, some the next day (from the outbox).
            day = e["day"] + timedelta(days=1 if rng.random() < NEXT_DAY_SHARE else 0)
            hour = datetime(day.year, day.month, day.day, EVENING)
            responses.append((rid, e["id"], f"{CLIENT_ID_PREFIX}{rid:012x}", "fi", hour, False))
            counted[(e["id"], day)] += 1
            scores = rng.choices(range(1, 6), weights, k=4)
            for position, (key, score) in enumerate(zip(e["keys"], scores, strict=True)):
                answers.append((rid, e["id"] * 10 + position, score, None, None, False))
                tallies[(e["id"], key, day, score)] += 1
            if len(responses) >= batch:
                yield responses, answers, None, None
                responses, answers = [], []
    yield responses, answers, tallies, counted


COLUMNS = {
    "surveys": "id, code, project_id, title, titles, event_date, venue, status, languages, tier, "
    "is_demo, created_at, revision",
    "questions": "id, survey_id, key, kind, prompts, options, position, required",
    "responses": "id, survey_id, client_id, locale, submitted_hour, is_demo",
    "answers": "response_id, question_id, score, choice, text, hidden",
    "score_tallies": "survey_id, indicator, day, score, n",
    "response_tallies": "survey_id, day, n",
}


def load_sqlite(raw, table: str, rows) -> None:
    """executemany inside the open transaction."""
    marks = ", ".join("?" for _ in COLUMNS[table].split(","))
    # Table and column names come from COLUMNS above, never from input.
    raw.executemany(f"INSERT INTO {table} ({COLUMNS[table]}) VALUES ({marks})", rows)  # noqa: S608


def load_postgres(raw, table: str, rows) -> None:
    """COPY FROM STDIN, the fastest bulk path psycopg offers."""
    with raw.cursor() as cur, cur.copy(f"COPY {table} ({COLUMNS[table]}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def refresh_statistics(raw, kind: str) -> None:
    """Statistics and visibility map as a running database keeps them (autovacuum,
    PRAGMA optimize); VACUUM lets PostgreSQL answer from the covering index alone."""
    if kind == "postgresql":
        raw.driver_connection.autocommit = True
        raw.driver_connection.execute("VACUUM ANALYZE")
    else:
        cursor = raw.cursor()
        cursor.execute("ANALYZE")
        raw.commit()


def generate(app, total: int, kind: str) -> float:
    """Fill the empty database; returns seconds taken."""
    started = time.perf_counter()
    rng = random.Random(1_000_000)
    load = load_postgres if kind == "postgresql" else load_sqlite
    with app.app_context():
        db.create_all()
        engine = db.engine
        with engine.begin() as conn:
            projects = build_catalogue(conn)
        raw = engine.raw_connection()
        try:
            events = plan_events(projects, rng)
            surveys, questions = survey_rows(events)
            target = raw.cursor() if kind == "sqlite" else raw.driver_connection
            load(target, "surveys", surveys)
            load(target, "questions", questions)
            for responses, answers, tallies, counted in response_batches(events, total, rng):
                load(target, "responses", responses)
                load(target, "answers", answers)
                if tallies is not None:
                    load(target, "score_tallies", [(*key, n) for key, n in tallies.items()])
                    load(target, "response_tallies", [(*key, n) for key, n in counted.items()])
            raw.commit()
            refresh_statistics(raw, kind)
        finally:
            raw.close()
    return time.perf_counter() - started


def timed(function, runs: int = RUNS) -> dict:
    """Median, min and max milliseconds over ``runs`` calls after one warm-up call."""
    function()
    samples, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        function()
        samples.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return {
        "median_ms": round(statistics.median(samples), 1),
        "min_ms": round(min(samples), 1),
        "max_ms": round(max(samples), 1),
        # CPU time of this process: the whole cost on SQLite (in-process), only the
        # client's share on PostgreSQL. Shows how much of the wall time is waiting for a core.
        "median_cpu_ms": round(statistics.median(cpu), 1),
        "runs": runs,
    }


def measure(app) -> dict:
    """Time the district summary service, the API request and the live ETag endpoint."""
    from sqlalchemy import func, select

    from feedback_app.models import Account, Response, ScoreTally
    from feedback_app.services.figures.district_filters import Filters
    from feedback_app.services.figures.district_results import district_summary, live_stamp
    from feedback_app.services.people import api_tokens
    from feedback_app.services.people.accounts import create_account

    with app.app_context():
        counts = {
            "responses": db.session.scalar(select(func.count()).select_from(Response)),
            "tally_rows": db.session.scalar(select(func.count()).select_from(ScoreTally)),
        }
        create_account("bench@example.org", "official", "correct horse battery staple")
        account_id = db.session.scalar(select(Account.id))
        _row, token = api_tokens.issue_token(account_id, "bench")
        filters = Filters(period=2025)
        summary = timed(lambda: district_summary(filters, 5, TODAY))
        quarter = timed(
            lambda: district_summary(Filters(period=2025, year=2026, quarter=3), 5, TODAY)
        )
        stamp = timed(live_stamp)
        check = district_summary(filters, 5, TODAY)
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}

    def api_call():
        response = client.get("/api/v1/districts/summary", headers=headers)
        assert response.status_code == 200, response.status_code

    api = timed(api_call)
    total = sum(row["responses"] for row in check["districts"])
    return {
        **counts,
        "load_average_1min": round(os.getloadavg()[0], 2),
        "cpu_cores": os.cpu_count(),
        "resident_responses_in_summary": total,
        "district_summary": summary,
        "district_summary_one_quarter": quarter,
        "api_request": api,
        "live_stamp": stamp,
    }


def run_sqlite(total: int) -> dict:
    """The benchmark on a fresh SQLite file."""
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.sqlite3"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False})
        seconds = generate(app, total, "sqlite")
        result = measure(app)
        with app.app_context():
            db.engine.dispose()
    return {"database": "SQLite", "generate_seconds": round(seconds, 1), **result}


def run_postgres(total: int) -> dict:
    """The benchmark in a scratch PostgreSQL database, dropped afterwards."""
    import psycopg

    name = f"fiilis_bench_{os.getpid()}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False})
        seconds = generate(app, total, "postgresql")
        result = measure(app)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return {"database": "PostgreSQL", "generate_seconds": round(seconds, 1), **result}


def write_results(results: list[dict], total: int) -> None:
    """bench/results/district_summary.json and a Markdown table beside it."""
    folder = ROOT / "bench" / "results"
    folder.mkdir(parents=True, exist_ok=True)
    payload = {"responses": total, "budget_ms": BUDGET_MS, "events": EVENTS, "results": results}
    (folder / "district_summary.json").write_text(json.dumps(payload, indent=2) + "\n")
    lines = [
        f"# District summary with {total:,} responses ({EVENTS:,} events, 4 districts)",
        "",
        "| database | generate (s) | tally rows | summary median (ms) | one quarter (ms) "
        "| summary CPU (ms) | API request (ms) | live ETag (ms) | load avg / cores |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['database']} | {r['generate_seconds']} | {r['tally_rows']:,} "
            f"| {r['district_summary']['median_ms']} "
            f"| {r['district_summary_one_quarter']['median_ms']} "
            f"| {r['district_summary']['median_cpu_ms']} "
            f"| {r['api_request']['median_ms']} | {r['live_stamp']['median_ms']} "
            f"| {r['load_average_1min']} / {r['cpu_cores']} |"
        )
    lines += [
        "",
        f"Median of {RUNS} runs after a warm-up; budget {BUDGET_MS:.0f} ms. Summary CPU is "
        "this process's CPU time (all of the work on SQLite); a load average above the core "
        "count means the wall times include waiting for a core.",
    ]
    (folder / "district_summary.md").write_text("\n".join(lines) + "\n")


def set_events(count: int) -> None:
    """Use ``count`` events instead of the default."""
    global EVENTS  # noqa: PLW0603  (a script-level setting, read by plan_events and the report)
    EVENTS = count


def main() -> int:
    """Run on SQLite and PostgreSQL, write results, fail above the budget."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--events", type=int, default=EVENTS)
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    set_events(args.events)
    results = [run_sqlite(args.responses)]
    print(json.dumps(results[-1], indent=2))
    if not args.skip_postgres:
        results.append(run_postgres(args.responses))
        print(json.dumps(results[-1], indent=2))
    write_results(results, args.responses)
    slow = [r["database"] for r in results if r["district_summary"]["median_ms"] > BUDGET_MS]
    if slow:
        print(f"Too slow (> {BUDGET_MS} ms): {', '.join(slow)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
