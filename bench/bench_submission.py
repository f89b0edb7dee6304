"""Submission throughput: the app's POST /api/v1/surveys/<code>/responses against a floor.

In one run, under the same gunicorn settings, worker count and load (wrk, 16 connections,
loopback only, a fixed duration), it measures

- the floor: a bare WSGI app doing one INSERT per request (``bench/floor_app.py``), and
- the app: every request a new response with a fresh version 4 ``client_id``,

first on SQLite, then on PostgreSQL (scratch databases, dropped afterwards) with 2, 4 and
8 workers, and with 2 workers on an empty database and on one holding a million responses
side by side. Targets: app throughput ≥ 0.5 × the floor, p99 ≤ 50 ms, no errors, every
acknowledged response stored, and the throughput with a million responses stored within
10 % of the empty database's, both measured in the same alternating rounds.
Writes bench/results/submission.json and .md; exits 1 when a target is missed.

The app runs as ``make serve`` runs it in production (``PRODUCTION`` below):
``FIILIS_ENV=production`` with a secret key and public address, rate limits on with their
counters in Redis. Only the per-address submission quota is raised, because every request
of the load comes from the one loopback address.

Environment: ``BENCH_DURATION`` (seconds per measurement, default 10), ``BENCH_ROUNDS``
(alternating rounds it is split into, default 5), ``WEB_CONCURRENCY`` (SQLite workers,
default as gunicorn.conf.py), ``BENCH_PG_WORKERS`` (default ``2,4``), ``BENCH_PG_URL``
(server to use, default the local PostgreSQL; ``none`` skips PostgreSQL),
``BENCH_REDIS_URL`` (limit storage, default ``redis://127.0.0.1:6379/0``),
``BENCH_SETTLE`` (most seconds to wait for a quiet machine first, default 180),
``BENCH_STORED`` (responses stored before the growth scenario, default 1,000,000; 0 skips
it). The worker counts make the scaling table; the growth scenario runs the first worker
count against an empty database and one with ``BENCH_STORED`` responses already stored,
taking turns with the floor, and the second's throughput must stay within 10 % of the
first's.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "results"
LUA = ROOT / "bench" / "submit.lua"
CONNECTIONS = 16
MIN_RATIO = 0.5
MAX_P99_MS = 50.0
DURATION = int(os.environ.get("BENCH_DURATION", 10))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", 5))
PG_URL = os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
PG_WORKERS = [int(n) for n in os.environ.get("BENCH_PG_WORKERS", "2,4,8").split(",")]
# Responses already stored for the growth scenario (PostgreSQL, first worker count).
STORED = int(os.environ.get("BENCH_STORED", 1_000_000))
MAX_GROWTH_LOSS = 0.10
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
SETTLE_S = float(os.environ.get("BENCH_SETTLE", 180))
# The production configuration of ``make serve``; nothing but the quota differs.
PRODUCTION = {
    "FIILIS_ENV": "production",
    "PUBLIC_BASE_URL": "https://palaute.example.hel.fi",
    "RATELIMIT_ENABLED": "true",
    "RATELIMIT_STORAGE_URI": REDIS_URL,
    # All load comes from 127.0.0.1: the one venue address, far beyond its usual quota.
    # The same two windows as the default (ratelimit.SUBMISSIONS), so the same counters.
    "RATELIMIT_SUBMISSIONS": "10000000 per minute;100000000 per day",
}

sys.path.insert(0, str(ROOT / "bench"))
import floor_app  # noqa: E402


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def default_workers() -> int:
    """The worker count ``make serve`` would use here."""
    if os.environ.get("WEB_CONCURRENCY"):
        return int(os.environ["WEB_CONCURRENCY"])
    import runpy

    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))["default_workers"]()


def start_server(app: str, workers: int, env: dict[str, str]) -> tuple[subprocess.Popen, str]:
    """gunicorn with the production settings; returns the process and base URL when ready."""
    port = free_port()
    env = dict(
        os.environ,
        **env,
        BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY=str(workers),
        ACCESS_LOG="off",
        SECRET_KEY=secrets.token_hex(16),
        LOG_LEVEL="warning",
    )
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "--config", "gunicorn.conf.py", "--pythonpath", "bench", app],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=1)  # noqa: S310 (loopback)
            break
        except urllib.error.HTTPError:
            break  # the floor answers anything; it is up
        except OSError:
            time.sleep(0.2)
    else:
        stop_server(process)
        raise RuntimeError(f"{app} did not start")
    wait_until_workers_idle(process.pid, workers)
    return process, base


def _cpu_ticks(pid: int) -> int:
    """User + system CPU ticks of one process (0 if it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


def _children(pid: int) -> list[int]:
    """Direct children of ``pid`` (the gunicorn workers)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    return found


def wait_until_workers_idle(master: int, workers: int, limit: float = 30) -> None:
    """Wait until every worker has imported the app (their CPU use settles).

    gunicorn answers as soon as one worker is up; the others may still be importing, which
    on two busy cores takes seconds and would otherwise be measured as slow requests.
    """
    deadline = time.monotonic() + limit
    previous = None
    while time.monotonic() < deadline:
        pids = sorted(_children(master))
        ticks = sum(_cpu_ticks(pid) for pid in pids)
        if len(pids) == workers and previous is not None and ticks - previous <= 2:
            return
        previous = ticks
        time.sleep(0.5)


def stop_server(process: subprocess.Popen) -> None:
    """Stop gunicorn and its workers."""
    os.killpg(process.pid, 15)
    process.wait(timeout=30)


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * UNITS[unit]


def run_wrk(url: str, duration: int) -> dict:
    """Run wrk with the submission script and parse its summary.

    Every request names the public host, as the load balancer in front of the city's
    servers passes it on; the app answers any other Host with 400 (``TRUSTED_HOSTS``).
    """
    host = urllib.parse.urlsplit(PRODUCTION["PUBLIC_BASE_URL"]).hostname
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{duration}s", "--latency", "-H", f"Host: {host}"]
        + ["-s", str(LUA), url],
        capture_output=True,
        text=True,
        check=True,
        timeout=duration + 60,
    ).stdout
    percentiles = dict(re.findall(r"^\s+(50|75|90|99)%\s+([\d.]+\w+)$", out, re.M))
    # No percentiles: no request finished in time; count them at wrk's 2 s timeout.
    percentiles = {"50": "2s", "99": "2s"} | percentiles
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "requests": requests,
        "rps": round(float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), 1),
        "p50_ms": round(_ms(percentiles["50"]), 2),
        "p99_ms": round(_ms(percentiles["99"]), 2),
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": sum(int(n) for n in errors.groups()) if errors else 0,
    }


def combine(rounds: list[dict]) -> dict:
    """Totals over the rounds; p99 is the median of the rounds' p99 (worst one kept too)."""
    p99s = sorted(r["p99_ms"] for r in rounds)
    return {
        "requests": sum(r["requests"] for r in rounds),
        "rps": round(sum(r["rps"] for r in rounds) / len(rounds), 1),
        "p50_ms": sorted(r["p50_ms"] for r in rounds)[len(rounds) // 2],
        "p99_ms": p99s[len(p99s) // 2],
        "p99_worst_ms": p99s[-1],
        "non_2xx": sum(r["non_2xx"] for r in rounds),
        "socket_errors": sum(r["socket_errors"] for r in rounds),
        "rounds": rounds,
    }


def measure_alternating(workers: int, servers: list[tuple[str, dict, str]]) -> list[dict]:
    """Each ``(wsgi app, environment, path)`` under the same load, in alternating rounds.

    All servers run at once (an idle one costs nothing) and take turns, ROUNDS times
    DURATION/ROUNDS seconds each, so a burst of other work on the machine (or a slow
    moment of the disk's fsync) hits them alike instead of whichever ran at that moment.
    """
    started: list[tuple[subprocess.Popen, str]] = []
    try:
        for app, env, path in servers:
            process, base = start_server(app, workers, env)
            started.append((process, f"{base}{path}"))
        urls = [url for _process, url in started]
        for url in urls:
            run_wrk(url, 3)  # warm-up: first requests load code and fill caches
        slice_s = max(1, DURATION // ROUNDS)
        rounds: list[list[dict]] = [[] for _ in urls]
        for _ in range(ROUNDS):
            for index, url in enumerate(urls):
                rounds[index].append(run_wrk(url, slice_s))
    finally:
        for process, _url in reversed(started):
            stop_server(process)
    return [combine(each) for each in rounds]


def prepare_app_database(url: str) -> None:
    """Migrate and load the demo data (the open survey ``demo``)."""
    env = dict(os.environ, DATABASE_URL=url)
    for command in (["db", "upgrade"], ["seed-demo"]):
        subprocess.run(
            [str(BIN / "flask"), "--app", "feedback_app", *command],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )


def count_rows(url: str, table: str) -> int:
    """Rows stored in ``table`` of a SQLite path/URL or PostgreSQL URL."""
    query = f"SELECT count(*) FROM {table}"  # noqa: S608 (fixed table names)
    if url.startswith("postgresql"):
        import psycopg

        with psycopg.connect(url.replace("+psycopg", "")) as conn:
            return conn.execute(query).fetchone()[0]
    import sqlite3

    with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
        return conn.execute(query).fetchone()[0]


def preload(url: str, count: int) -> None:
    """Store ``count`` earlier responses to the demo survey (PostgreSQL), with answers and
    tallies, spread over the past two years: the tables and indexes an answer is written
    into are then as large as after a city's two grant years."""
    import psycopg

    with psycopg.connect(url.replace("+psycopg", ""), autocommit=True) as conn:
        first = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM responses").fetchone()[0]
        conn.execute(
            """
            INSERT INTO responses (survey_id, client_id, locale, submitted_hour, is_demo)
            SELECT s.id, gen_random_uuid()::text, 'fi',
                   date_trunc('hour', now() AT TIME ZONE 'UTC')
                     - mod(i, 17520) * interval '1 hour',
                   false
            FROM surveys s, generate_series(1, %(count)s) AS i WHERE s.code = 'demo'
            """,
            {"count": count},
        )
        new = {"first": first}
        conn.execute(
            """
            INSERT INTO answers (response_id, question_id, score, hidden)
            SELECT r.id, q.id, 1 + mod(abs(hashint8(r.id * 16 + q.position)), 5), false
            FROM responses r JOIN questions q ON q.survey_id = r.survey_id AND q.kind = 'face'
            WHERE r.id >= %(first)s
            """,
            new,
        )
        day = "((r.submitted_hour AT TIME ZONE 'UTC') AT TIME ZONE 'Europe/Helsinki')::date"
        conn.execute(
            f"""
            INSERT INTO score_tallies (survey_id, indicator, day, score, slot, n)
            SELECT r.survey_id, q.key, {day}, a.score, 0, count(*)
            FROM answers a JOIN responses r ON r.id = a.response_id
            JOIN questions q ON q.id = a.question_id
            WHERE q.kind = 'face' AND r.id >= %(first)s
            GROUP BY 1, 2, 3, 4
            ON CONFLICT (survey_id, indicator, day, score, slot, scale_version)
            DO UPDATE SET n = score_tallies.n + excluded.n
            """,  # noqa: S608 (fixed SQL)
            new,
        )
        conn.execute(
            f"""
            INSERT INTO response_tallies (survey_id, day, slot, n)
            SELECT r.survey_id, {day}, 0, count(*) FROM responses r WHERE r.id >= %(first)s
            GROUP BY 1, 2
            ON CONFLICT (survey_id, day, slot) DO UPDATE SET n = response_tallies.n + excluded.n
            """,  # noqa: S608 (fixed SQL)
            new,
        )
        conn.execute("VACUUM ANALYZE")


def scenario(database: str, workers: int, floor_db: str, app_db: str) -> dict:
    """Floor and app on the same kind of database with the same worker count."""
    _prepare_floor(floor_db)
    prepare_app_database(app_db)
    before = count_rows(app_db, "responses")
    floor, app = measure_alternating(workers, [_floor_server(floor_db), _app_server(app_db)])
    stored = count_rows(app_db, "responses") - before
    return _result(database, workers, before, 0, floor, app, stored)


def _floor_server(floor_db: str) -> tuple[str, dict, str]:
    """The floor on ``floor_db``, as ``measure_alternating`` takes a server."""
    return "floor_app:app", {"FLOOR_DATABASE": floor_db}, "/"


def _app_server(app_db: str) -> tuple[str, dict, str]:
    """The app in the production configuration on ``app_db``, measured at the API."""
    return "wsgi:app", {"DATABASE_URL": app_db, **PRODUCTION}, _api_path()


def _prepare_floor(floor_db: str) -> None:
    """The floor's one table in ``floor_db``."""
    os.environ["FLOOR_DATABASE"] = floor_db
    floor_app.DATABASE = floor_db
    floor_app.create_table()


def _result(
    database: str,
    workers: int,
    before: int,
    preloaded: int,
    floor: dict,
    app: dict,
    stored: int,
) -> dict:
    """One scenario's figures and the checks against the targets."""
    ratio = round(app["rps"] / floor["rps"], 2)
    checks = {
        "ratio_at_least_0.5": ratio >= MIN_RATIO,
        "p99_at_most_50ms": app["p99_ms"] <= MAX_P99_MS,
        "no_errors": app["non_2xx"] == 0 and app["socket_errors"] == 0,
        # wrk does not count replies still in flight when it stops, so stored may be higher.
        "all_acknowledged_stored": stored >= app["requests"] - app["non_2xx"],
    }
    return {
        "database": database,
        "workers": workers,
        "stored_before": before,
        "preloaded": preloaded,
        "floor": floor,
        "app": app,
        "ratio": ratio,
        "stored": stored,
        "acknowledged": app["requests"] - app["non_2xx"],
        "checks": checks,
        "passed": all(checks.values()),
    }


def growth_scenario(workers: int, floor_db: str, empty_db: str, full_db: str) -> list[dict]:
    """The app on an empty database and on one holding ``STORED`` responses, side by side
    with the floor in the same alternating rounds, so the two apps see the same machine."""
    _prepare_floor(floor_db)
    for url in (empty_db, full_db):
        prepare_app_database(url)
    preload(full_db, STORED)
    befores = [count_rows(url, "responses") for url in (empty_db, full_db)]
    floor, empty, full = measure_alternating(
        workers, [_floor_server(floor_db), _app_server(empty_db), _app_server(full_db)]
    )
    results = []
    for url, before, app, preloaded in zip(
        (empty_db, full_db), befores, (empty, full), (0, STORED), strict=True
    ):
        stored = count_rows(url, "responses") - before
        result = _result("postgresql", workers, before, preloaded, floor, app, stored)
        results.append(result | {"growth_run": True})
    return results


def _api_path() -> str:
    return "/api/v1/surveys/demo/responses"


def postgres_available() -> bool:
    """Whether the benchmark's PostgreSQL server answers."""
    if PG_URL == "none":
        return False
    try:
        import psycopg

        psycopg.connect(PG_URL, connect_timeout=3).close()
        return True
    except Exception:  # noqa: BLE001 (any failure means: not available)
        return False


def pg_scenarios() -> list[dict]:
    """PostgreSQL with each worker count of ``PG_WORKERS``, each in new scratch databases,
    then the first worker count with an empty and a ``STORED``-response database side by
    side (``growth_scenario``)."""
    results = []
    for workers in PG_WORKERS:
        with _scratch_databases(2) as (floor_db, app_db):
            results.append(scenario("postgresql", workers, floor_db, app_db))
    if STORED:
        with _scratch_databases(3) as (floor_db, empty_db, full_db):
            results += growth_scenario(PG_WORKERS[0], floor_db, empty_db, full_db)
    return results


@contextmanager
def _scratch_databases(count: int) -> Iterator[list[str]]:
    """``count`` new PostgreSQL databases (the first as a plain URL for the floor, the
    others as SQLAlchemy URLs for the app), dropped afterwards."""
    import psycopg

    names = [f"fiilis_bench_{uuid.uuid4().hex[:10]}" for _ in range(count)]
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        for name in names:
            conn.execute(f'CREATE DATABASE "{name}"')
    base = PG_URL.rsplit("/", 1)[0]
    app_base = base.replace("postgresql://", "postgresql+psycopg://")
    try:
        yield [f"{base}/{names[0]}"] + [f"{app_base}/{name}" for name in names[1:]]
    finally:
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            for name in names:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def growth_check(results: list[dict]) -> dict | None:
    """The app's throughput with ``STORED`` responses stored against an empty database,
    measured side by side in the same rounds (``growth_scenario``)."""
    run = [r for r in results if r.get("growth_run")]
    if not run:
        return None
    empty, full = run
    change = round(full["app"]["rps"] / empty["app"]["rps"] - 1, 3)
    return {
        "workers": full["workers"],
        "stored_before": full["stored_before"],
        "rps_empty": empty["app"]["rps"],
        "rps_stored": full["app"]["rps"],
        "ratio_empty": empty["ratio"],
        "ratio_stored": full["ratio"],
        "change": change,
        "passed": change >= -MAX_GROWTH_LOSS,
    }


def interpreter() -> str:
    """The Python the servers run on: version and the interpreter behind the venv.

    It matters: the same load ran 14-16 % faster on Debian's own ``python3`` than on one
    compiled with pyenv's defaults (``docs/performance.md``, "On a slower machine").
    """
    version = ".".join(str(n) for n in sys.version_info[:3])
    return f"{version}, {os.path.realpath(sys.executable)}"


def write_results(results: list[dict]) -> None:
    """bench/results/submission.json and Markdown tables for the README."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    growth = growth_check(results)
    meta = {
        "load_average_at_end": os.getloadavg(),
        "duration_s": DURATION,
        "connections": CONNECTIONS,
        "rounds": ROUNDS,
        "app_configuration": PRODUCTION,
        "cores": os.cpu_count(),
        "python": interpreter(),
        "targets": {"min_ratio": MIN_RATIO, "max_p99_ms": MAX_P99_MS},
        "scenarios": results,
        "growth": growth,
    }
    (RESULTS / "submission.json").write_text(json.dumps(meta, indent=2) + "\n")
    lines = [
        "# Submission benchmark",
        "",
        f"wrk, {CONNECTIONS} connections, {DURATION} s per run in {ROUNDS} alternating "
        f"rounds, loopback, {os.cpu_count()} cores (load average {os.getloadavg()[0]:.1f} at "
        "the end); floor = bare WSGI app doing one INSERT. p99 is the median of the rounds' "
        "p99.",
        "",
        f"Python: {interpreter()} (the floor's and the app's gunicorn alike).",
        "",
        "App in the production configuration of `make serve`: "
        + ", ".join(f"`{k}={v}`" for k, v in PRODUCTION.items())
        + ", `SECRET_KEY` set.",
        "",
        "| database | workers | stored before | floor req/s | floor p99 | app req/s | ratio "
        "| app p50 | app p99 | errors | acknowledged | stored | ok |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        app = r["app"]
        lines.append(
            f"| {r['database']} | {r['workers']} | {r['stored_before']:,} "
            f"| {r['floor']['rps']:.0f} "
            f"| {r['floor']['p99_ms']:.1f} ms | {app['rps']:.0f} "
            f"| {r['ratio']:.2f} | {app['p50_ms']:.1f} ms | {app['p99_ms']:.1f} ms "
            f"| {app['non_2xx'] + app['socket_errors']} | {r['acknowledged']} | {r['stored']} "
            f"| {'yes' if r['passed'] else 'NO'} |"
        )
    lines += scaling_lines(results, growth)
    (RESULTS / "submission.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


def scaling_lines(results: list[dict], growth: dict | None) -> list[str]:
    """The worker-scaling table (PostgreSQL, empty database) and the growth line."""
    pg = [r for r in results if r["database"] == "postgresql" and not r.get("growth_run")]
    lines = []
    if pg:
        base = pg[0]
        lines += [
            "",
            "## Workers (PostgreSQL)",
            "",
            "| workers | app req/s | × the first | floor req/s | app p99 |",
            "|---|---|---|---|---|",
        ]
        for r in pg:
            lines.append(
                f"| {r['workers']} | {r['app']['rps']:.0f} "
                f"| {r['app']['rps'] / base['app']['rps']:.2f} | {r['floor']['rps']:.0f} "
                f"| {r['app']['p99_ms']:.1f} ms |"
            )
    if growth:
        lines += [
            "",
            f"## {growth['stored_before']:,} responses stored (PostgreSQL, "
            f"{growth['workers']} workers)",
            "",
            f"Side by side in the same rounds: {growth['rps_stored']:.0f} answers/s with "
            f"{growth['stored_before']:,} responses stored against {growth['rps_empty']:.0f} on "
            f"an empty database, {growth['change']:+.1%} (target: within "
            f"{MAX_GROWTH_LOSS:.0%}; {'met' if growth['passed'] else 'NOT met'}); ratios to "
            f"the floor {growth['ratio_stored']:.2f} and {growth['ratio_empty']:.2f}.",
        ]
    return lines


def settle(limit: float = SETTLE_S) -> float:
    """Wait (at most ``limit`` seconds) until the machine is quiet; returns seconds waited.

    ``make bench`` runs the district benchmark first, and its million-row loads leave
    PostgreSQL flushing and vacuuming for a while. Both sides are measured in alternating
    rounds either way, but a quiet start keeps the rounds comparable between runs.
    """
    started = time.monotonic()
    quiet = max(1.0, (os.cpu_count() or 1) / 2)
    while os.getloadavg()[0] > quiet and time.monotonic() - started < limit:
        time.sleep(5)
    return round(time.monotonic() - started, 1)


def main() -> int:
    """Run every scenario, write the results, and fail when a target is missed."""
    waited = settle()
    print(f"load average {os.getloadavg()[0]:.1f} after waiting {waited} s")
    with tempfile.TemporaryDirectory(prefix="fiilis-bench-") as tmp:
        results = [
            scenario(
                "sqlite",
                default_workers(),
                f"{tmp}/floor.sqlite3",
                f"sqlite:///{tmp}/app.sqlite3",
            )
        ]
    if postgres_available():
        results += pg_scenarios()
    elif os.environ.get("CI") == "true":
        print("PostgreSQL is not reachable: required in CI")
        return 1
    write_results(results)
    growth = growth_check(results)
    passed = all(r["passed"] for r in results) and (growth is None or growth["passed"])
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
