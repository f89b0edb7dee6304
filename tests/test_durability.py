"""An acknowledged answer is never lost: SIGKILL the whole server under load, restart, check.

Several gunicorn workers take concurrent submissions; mid-load the master and every worker
are killed at once (no shutdown, no flush). After a restart on the same database each
response that was answered 201 must still be there: its replay answers 200 and its row
and answers exist. Runs on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set.

The server runs in the production configuration of ``make serve``: ``FIILIS_ENV=production``,
rate limits on with their counters in Redis (the per-address quota raised: all senders
share one address).
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import os
import threading
import time
import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis
from sqlalchemy import create_engine, text

from tests.servers import Server, prepare_database, request, server_env

pytestmark = pytest.mark.slow

API = "/api/v1/surveys/demo/responses"
CORE = {"joy": 4, "belonging": 5, "safety": 3}
SENDERS = 8
LOAD_SECONDS = 2.0
REDIS_URL = "redis://127.0.0.1:6379/12"  # limit counters; keys are keyed by the secret


def _production_env(database_url: str) -> dict[str, str]:
    """``make serve`` in production, with limits on in Redis and a fresh secret key."""
    return server_env(
        database_url,
        FIILIS_ENV="production",
        SECRET_KEY=uuid.uuid4().hex,
        RATELIMIT_ENABLED="true",
        RATELIMIT_STORAGE_URI=REDIS_URL,
        RATELIMIT_SUBMISSIONS="100000 per minute",
        # Production refuses to start without it; ``_server`` sets the server's own address.
        PUBLIC_BASE_URL="http://127.0.0.1",
    )


def _server(env: dict[str, str], workers: int, log) -> Server:
    """A started server whose public address is its own."""
    server = Server(env, workers=workers, log_path=log)
    server.env["PUBLIC_BASE_URL"] = server.base
    return server.start()


@pytest.fixture
def database_for_server(tmp_path):
    """A database URL for the server processes: SQLite file, or a scratch PostgreSQL one."""
    base = os.environ.get("TEST_DATABASE_URL", "")
    if not base.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'durable.sqlite3'}"
        return
    import psycopg

    admin = urlsplit(base.replace("postgresql+psycopg://", "postgresql://", 1))
    admin = urlunsplit(admin._replace(path="/postgres"))
    name = f"fiilis_durable_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield urlunsplit(urlsplit(base)._replace(path=f"/{name}"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _sender(base: str, stop: threading.Event, acked: list[dict], lock: threading.Lock):
    """Post new responses until stopped or the server dies; remember the 201s."""
    while not stop.is_set():
        body = {"client_id": str(uuid.uuid4()), "locale": "fi", "answers": CORE}
        try:
            status = request("POST", f"{base}{API}", body, timeout=5)[0]
        except (OSError, http.client.HTTPException):
            return  # the server is gone (refused, reset, or cut off mid-answer)
        if status == 201:
            with lock:
                acked.append(body)


def test_every_acknowledged_response_survives_sigkill(database_for_server, tmp_path):
    env = _production_env(database_for_server)
    prepare_database(env)
    log = tmp_path / "server.log"
    server = _server(env, 3, log)
    acked: list[dict] = []
    lock = threading.Lock()
    stop = threading.Event()
    senders = [
        threading.Thread(target=_sender, args=(server.base, stop, acked, lock))
        for _ in range(SENDERS)
    ]
    try:
        for sender in senders:
            sender.start()
        time.sleep(LOAD_SECONDS)
        with lock:
            assert len(acked) >= 10, "too little load to mean anything"
        server.kill()  # SIGKILL to master and workers, requests still in flight
    finally:
        stop.set()
        for sender in senders:
            sender.join(timeout=10)
        server.kill()
    with lock:
        acknowledged = list(acked)

    engine = create_engine(database_for_server)
    try:
        with engine.connect() as conn:
            ids = [b["client_id"] for b in acknowledged]
            stored = {
                row[0]: row[1]
                for row in conn.execute(
                    text(
                        "SELECT r.client_id, count(a.id) FROM responses r "
                        "JOIN answers a ON a.response_id = r.id "
                        "WHERE r.client_id IN :ids GROUP BY r.client_id"
                    ).bindparams(_expanding("ids")),
                    {"ids": ids},
                )
            }
    finally:
        engine.dispose()
    missing = [i for i in ids if i not in stored]
    assert not missing, f"{len(missing)} of {len(ids)} acknowledged responses were lost"
    assert set(stored.values()) == {3}

    restarted = _server(env, 2, log)
    try:
        for body in acknowledged[:: max(1, len(acknowledged) // 40)]:
            status, payload, headers = request("POST", f"{restarted.base}{API}", body)
            assert (status, payload["status"]) == (200, "duplicate")
            assert "Retry-After" not in headers  # only a refusal says when to come back
    finally:
        restarted.stop()
    # The limits were on: Redis holds the counters of this server's one sender.
    sender_key = hmac.new(env["SECRET_KEY"].encode(), b"127.0.0.1", hashlib.sha256).hexdigest()[:32]
    assert list(redis.Redis.from_url(REDIS_URL).scan_iter(f"*{sender_key}*"))


def _expanding(name: str):
    """An IN-list parameter that takes a Python list."""
    from sqlalchemy import bindparam

    return bindparam(name, expanding=True)
