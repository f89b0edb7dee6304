"""The printable period report at city scale: 1,000,000 responses on SQLite and PostgreSQL.

Reuses the city-sized history of bench_district_summary.py (4 target districts, 20 projects,
1,000 events) and times the whole request an official makes: ``GET /dashboard/report.pdf``
for the 2025–2027 period in Finnish, figures gathered and the PDF typeset. Asserts the median
is at most 5 s and writes bench/results/report.{json,md}.

    .venv/bin/python bench/bench_report.py [--responses N] [--skip-postgres]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import bench_district_summary as city  # noqa: E402
from feedback_app import create_app  # noqa: E402
from feedback_app.extensions import db  # noqa: E402

BUDGET_S = 5.0
RUNS = 3
# A scratch official in a database that is deleted when the script ends.
PASSWORD = "correct horse battery staple"  # noqa: S105


def timed_report(app) -> dict:
    """Sign in as an official and time the period report request, after one warm-up."""
    from feedback_app.services.people.accounts import create_account

    with app.app_context():
        create_account("bench-report@example.org", "official", PASSWORD)
    client = app.test_client()
    form = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    fields = {"email": "bench-report@example.org", "password": PASSWORD, "csrf_token": token}
    assert client.post("/login", data=fields).status_code == 302

    def fetch() -> int:
        response = client.get("/dashboard/report.pdf?period=2025&lang=fi")
        assert response.status_code == 200, response.status_code
        assert response.mimetype == "application/pdf"
        return len(response.data)

    size = fetch()
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        fetch()
        samples.append(time.perf_counter() - started)
    return {
        "median_s": round(statistics.median(samples), 2),
        "max_s": round(max(samples), 2),
        "runs": RUNS,
        "pdf_bytes": size,
        "load_average_1min": round(os.getloadavg()[0], 2),
        "cpu_cores": os.cpu_count(),
    }


def bench_app(url: str):
    """An app on ``url``, configured as bench_district_summary.py configures its own."""
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False})


def run_sqlite(total: int) -> dict:
    """The benchmark on a fresh SQLite file."""
    with tempfile.TemporaryDirectory() as folder:
        app = bench_app(f"sqlite:///{folder}/bench.sqlite3")
        seconds = city.generate(app, total, "sqlite")
        result = timed_report(app)
        with app.app_context():
            db.engine.dispose()
    return {"database": "SQLite", "generate_seconds": round(seconds, 1), **result}


def run_postgres(total: int) -> dict:
    """The benchmark in a scratch PostgreSQL database, dropped afterwards."""
    import psycopg

    name = f"fiilis_bench_report_{os.getpid()}"
    with psycopg.connect(city.PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        app = bench_app(f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}")
        seconds = city.generate(app, total, "postgresql")
        result = timed_report(app)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    finally:
        with psycopg.connect(city.PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return {"database": "PostgreSQL", "generate_seconds": round(seconds, 1), **result}


def write_results(results: list[dict], total: int) -> None:
    """bench/results/report.json and a Markdown table beside it."""
    folder = ROOT / "bench" / "results"
    folder.mkdir(parents=True, exist_ok=True)
    payload = {"responses": total, "budget_s": BUDGET_S, "results": results}
    (folder / "report.json").write_text(json.dumps(payload, indent=2) + "\n")
    lines = [
        f"# Period report PDF with {total:,} responses ({city.EVENTS:,} events, 4 districts)",
        "",
        "| database | generate (s) | report median (s) | max (s) | PDF (bytes) "
        "| load avg / cores |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['database']} | {r['generate_seconds']} | {r['median_s']} | {r['max_s']} "
            f"| {r['pdf_bytes']:,} | {r['load_average_1min']} / {r['cpu_cores']} |"
        )
    lines += ["", f"Median of {RUNS} requests after a warm-up; budget {BUDGET_S:.0f} s."]
    (folder / "report.md").write_text("\n".join(lines) + "\n")


def main() -> int:
    """Run on SQLite and PostgreSQL, write results, fail above the budget."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    results = [run_sqlite(args.responses)]
    print(json.dumps(results[-1], indent=2))
    if not args.skip_postgres:
        results.append(run_postgres(args.responses))
        print(json.dumps(results[-1], indent=2))
    write_results(results, args.responses)
    slow = [r["database"] for r in results if r["median_s"] > BUDGET_S]
    if slow:
        print(f"Too slow (> {BUDGET_S} s): {', '.join(slow)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
