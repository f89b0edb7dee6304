"""Where one submission's time goes, in the production configuration (cProfile).

Builds the app as ``make serve`` runs it (``FIILIS_ENV=production``, limits on, Redis
storage; see ``bench_submission.PRODUCTION``), then calls its WSGI entry point directly for
``PROFILE_REQUESTS`` submissions of the benchmark's body (no HTTP server, no client in
the profile) on a scratch SQLite file or ``PROFILE_DATABASE_URL``. Prints a Markdown table
of the time per request by stage (cumulative, so stages nest: the service includes SQL
and commit) and the round trips per request, for ``docs/performance.md``.
"""

from __future__ import annotations

import cProfile
import io
import json
import os
import pstats
import secrets
import sys
import tempfile
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from bench_submission import PRODUCTION  # noqa: E402

REQUESTS = int(os.environ.get("PROFILE_REQUESTS", 2000))
BODY = {"locale": "fi", "answers": {"joy": 4, "belonging": 5, "safety": 3}}
# (stage, file fragment, function name): cumulative time of that function per request.
STAGES = [
    ("whole request (Flask WSGI app)", "flask/app.py", "wsgi_app"),
    ("Flask-Limiter check (with its Redis calls)", "flask_limiter", "_check_request_limit"),
    ("Flask-Limiter response headers", "flask_limiter", "_inject_headers"),
    ("Redis round trips (send + read)", "redis/connection.py", "read_response"),
    ("JSON body parsing", "wrappers/request.py", "get_json"),
    ("submission service", "services/answers/submissions.py", "submit"),
    ("validation", "services/answers/submissions.py", "validate_answers"),
    ("SQL statements and commit", "services/answers/submission_sql.py", "write"),
    ("commit", "orm/session.py", "commit"),
    ("security headers", "feedback_app/security.py", "set_security_headers"),
]


def _app(database_url: str):
    """The app in the production configuration, schema and demo survey created."""
    os.environ.update(PRODUCTION, DATABASE_URL=database_url, SECRET_KEY=secrets.token_hex(16))
    from feedback_app import create_app
    from feedback_app.extensions import db
    from feedback_app.services.demo import seed_demo

    app = create_app()
    with app.app_context():
        db.create_all()
        seed_demo()
    return app


def _environ(body: bytes) -> dict:
    """A WSGI environ for one POST of ``body`` from 127.0.0.1."""
    from werkzeug.test import EnvironBuilder

    builder = EnvironBuilder(
        path="/api/v1/surveys/demo/responses",
        method="POST",
        data=body,
        content_type="application/json",
        base_url=PRODUCTION["PUBLIC_BASE_URL"],
        environ_base={"REMOTE_ADDR": "127.0.0.1"},
    )
    return builder.get_environ()


def _run(app, count: int) -> None:
    """``count`` submissions through the app's WSGI callable; each must answer 201."""
    bodies = [json.dumps(BODY | {"client_id": str(uuid.uuid4())}).encode() for _ in range(count)]
    environs = [_environ(body) for body in bodies]
    statuses = []
    for environ in environs:
        chunks = app(environ, lambda status, headers, exc=None: statuses.append(status))
        b"".join(chunks)
        getattr(chunks, "close", lambda: None)()
    assert all(s.startswith("201") for s in statuses), set(statuses)


def _per_request(stats: pstats.Stats, fragment: str, name: str) -> tuple[float, float]:
    """(cumulative ms, calls) per request of the functions matching ``fragment``/``name``."""
    total, calls = 0.0, 0
    for (path, _line, function), (_cc, nc, _tt, ct, _callers) in stats.stats.items():
        if function == name and fragment in path:
            total, calls = max(total, ct), max(calls, nc)
    return total * 1000 / REQUESTS, calls / REQUESTS


def main() -> None:
    """Warm up, profile, print the table."""
    with tempfile.TemporaryDirectory(prefix="fiilis-profile-") as tmp:
        url = os.environ.get("PROFILE_DATABASE_URL") or f"sqlite:///{tmp}/profile.sqlite3"
        app = _app(url)
        _run(app, 200)  # warm-up: compiled statements, remembered survey facts, pools
        profile = cProfile.Profile()
        profile.enable()
        _run(app, REQUESTS)
        profile.disable()
    stats = pstats.Stats(profile, stream=io.StringIO())
    database = url.split(":", 1)[0].split("+", 1)[0]
    print(f"{REQUESTS} submissions on {database}, production configuration, cProfile\n")
    print("| stage | ms per request | calls per request |")
    print("|---|---|---|")
    for stage, fragment, name in STAGES:
        ms, calls = _per_request(stats, fragment, name)
        print(f"| {stage} | {ms:.3f} | {calls:.1f} |")
    if os.environ.get("PROFILE_TOP"):
        stats.stream = sys.stdout
        stats.sort_stats("tottime").print_stats(int(os.environ["PROFILE_TOP"]))


if __name__ == "__main__":
    main()
