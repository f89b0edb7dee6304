"""``make serve``: gunicorn settings, address-free logs, slow clients, and PostgreSQL."""

from __future__ import annotations

import gc
import logging
import os
import runpy
import socket
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from types import SimpleNamespace
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.servers import ROOT, Server, prepare_database, request, require_redis, server_env

CONF = ROOT / "gunicorn.conf.py"


def load_conf(monkeypatch, **env: str) -> dict:
    """Execute gunicorn.conf.py with the given environment and return its settings."""
    for name in ("WEB_CONCURRENCY", "ACCESS_LOG", "BIND"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONF))


def test_workers_default_to_one_per_core_between_two_and_eight(monkeypatch):
    conf = load_conf(monkeypatch)
    cores = os.cpu_count() or 1
    assert conf["workers"] == max(2, min(cores, 8))
    assert conf["default_workers"](1) == 2
    assert conf["default_workers"](3) == 3
    assert conf["default_workers"](16) == 8
    assert conf["bind"] == ["127.0.0.1:8000"]
    assert conf["preload_app"] is False


def test_web_concurrency_and_access_log_switch(monkeypatch):
    conf = load_conf(monkeypatch, WEB_CONCURRENCY="3", ACCESS_LOG="off")
    assert conf["workers"] == 3
    assert conf["accesslog"] is None
    assert "%(h)s" not in conf["access_log_format"]
    assert "%(t)s" not in conf["access_log_format"]


def test_error_log_filter_redacts_addresses(monkeypatch):
    conf = load_conf(monkeypatch)
    record = logging.LogRecord(
        "gunicorn.error",
        logging.WARNING,
        "",
        0,
        "Invalid request from ip=%s: %s",
        ("203.0.113.7", "bad"),
        None,
    )
    conf["RedactAddresses"]().filter(record)
    assert "203.0.113.7" not in record.getMessage()
    record = logging.LogRecord("x", logging.INFO, "", 0, "peer 2001:db8::17 reset", (), None)
    conf["RedactAddresses"]().filter(record)
    assert "2001:db8" not in record.getMessage()


def _send_raw(port: int, payload: bytes) -> bytes:
    """Write bytes straight to the socket (a malformed request urllib would refuse)."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(payload)
        return sock.recv(1024)


@pytest.mark.slow
def test_server_logs_carry_no_client_addresses(tmp_path):
    env = server_env(f"sqlite:///{tmp_path / 'serve.sqlite3'}")
    prepare_database(env)
    log = tmp_path / "gunicorn.log"
    server = Server(env, workers=2, log_path=log).start()
    try:
        assert request("GET", f"{server.base}/login")[0] == 200
        assert request("GET", f"{server.base}/s/demo")[0] == 200
        assert request("GET", f"{server.base}/invite/s3cr3t-T0ken")[0] == 404
        body = {"client_id": str(uuid.uuid4()), "answers": {"joy": 4, "belonging": 3, "safety": 5}}
        assert request("POST", f"{server.base}/api/v1/surveys/demo/responses", body)[0] == 201
        assert _send_raw(server.port, b"GET /\x01 HTTP/1.1\r\n\r\n").startswith(b"HTTP/1.1 400")
    finally:
        server.stop()
    text = log.read_text()
    assert '"GET /login HTTP/1.1" 200' in text  # staff paths are logged, without address
    assert "/s/demo" not in text and "/api/v1" not in text  # resident paths are not logged
    assert "Invalid request" in text
    assert "s3cr3t" not in text  # invitation secrets stay out of the log
    lines = [line for line in text.splitlines() if "Listening at" not in line]
    assert not any("127.0.0.1" in line for line in lines), text


def _admin_dsn(url: str) -> str:
    """libpq URL of the server's maintenance database."""
    parts = urlsplit(url.replace("postgresql+psycopg://", "postgresql://", 1))
    return urlunsplit(parts._replace(path="/postgres"))


@pytest.mark.slow
@pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
    reason="the PostgreSQL pass of make test runs this",
)
def test_make_serve_on_postgresql_follows_the_deployment_guide(tmp_path):
    """``make serve`` with DATABASE_URL=postgresql+psycopg://… migrates, seeds and answers."""
    import psycopg

    base = os.environ["TEST_DATABASE_URL"]
    name = f"fiilis_serve_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(_admin_dsn(base), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    database_url = urlunsplit(urlsplit(base)._replace(path=f"/{name}"))
    server = Server(server_env(database_url), workers=2, log_path=tmp_path / "serve.log")
    try:
        server.start(command=["make", "--no-print-directory", "serve"], timeout=120)
        assert request("GET", f"{server.base}/healthz")[1] == {"status": "ok", "database": "ok"}
        status, page, _ = request("GET", f"{server.base}/s/demo?lang=sv")
        assert status == 200 and 'lang="sv"' in page
        body = {"client_id": str(uuid.uuid4()), "answers": {"joy": 5, "belonging": 4, "safety": 4}}
        status, payload, headers = request(
            "POST", f"{server.base}/api/v1/surveys/demo/responses", body
        )
        assert status == 201 and payload["status"] == "created"
        assert "Set-Cookie" not in headers
        with psycopg.connect(_admin_dsn(base).rsplit("/", 1)[0] + f"/{name}") as conn:
            stored = conn.execute(
                "SELECT count(*) FROM responses WHERE client_id = %s", (body["client_id"],)
            ).fetchone()
        assert stored == (1,)
    finally:
        server.stop()
        with psycopg.connect(_admin_dsn(base), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_each_worker_counts_tallies_in_its_own_slot(monkeypatch):
    conf = load_conf(monkeypatch)
    monkeypatch.delenv("FIILIS_TALLY_SLOT", raising=False)
    try:
        conf["post_worker_init"](SimpleNamespace(age=3))
    finally:
        gc.unfreeze()
    assert os.environ["FIILIS_TALLY_SLOT"] == "3"


SLOW_CLIENTS = 20
# A partial request header: the line and one field, never the blank line that ends it.
PARTIAL_HEADER = b"POST /api/v1/surveys/demo/responses HTTP/1.1\r\nHost: 127.0.0.1\r\n"


class SlowLoris:
    """``SLOW_CLIENTS`` connections that send a request header a few bytes a second.

    Each connection that the server closes is opened again, as an attacker would, so the
    server faces all of them for as long as the test runs.
    """

    def __init__(self, port: int, count: int = SLOW_CLIENTS):
        self.port = port
        self.sockets = [self._open() for _ in range(count)]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._trickle, daemon=True)

    def _open(self) -> socket.socket:
        """One connection with the start of a header sent."""
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=5)
        sock.sendall(PARTIAL_HEADER)
        return sock

    def _trickle(self) -> None:
        """Every half second, one more header byte on each connection."""
        while not self._stop.wait(0.5):
            for index, sock in enumerate(self.sockets):
                try:
                    sock.sendall(b"X")
                except OSError:
                    sock.close()
                    self.sockets[index] = self._open()

    def __enter__(self) -> SlowLoris:
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        self._thread.join(timeout=10)
        for sock in self.sockets:
            sock.close()


def _timed_submission(base: str) -> tuple[str, int | str, float]:
    """POST one answer to the JSON API; (its client_id, status or error, seconds taken)."""
    client_id = str(uuid.uuid4())
    body = {"client_id": client_id, "answers": {"joy": 4, "belonging": 3, "safety": 5}}
    started = time.monotonic()
    try:
        status = request("POST", f"{base}/api/v1/surveys/demo/responses", body, timeout=10)[0]
    except OSError as error:
        status = type(error).__name__
    return client_id, status, time.monotonic() - started


@pytest.mark.slow
def test_slow_clients_do_not_stall_submissions(tmp_path):
    """20 slow-loris connections held for 15 s: every answer sent meanwhile is stored in 3 s."""
    database = tmp_path / "serve.sqlite3"
    env = server_env(f"sqlite:///{database}")
    prepare_database(env)
    server = Server(env, workers=2, log_path=tmp_path / "serve.log").start()
    results = []
    try:
        with SlowLoris(server.port):
            time.sleep(1)  # let the slow connections reach the workers first
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline:
                results.append(_timed_submission(server.base))
                time.sleep(0.5)
    finally:
        server.stop()
    assert all(status == 201 and seconds < 3 for _id, status, seconds in results), results
    assert len(results) >= 5, results
    with closing(sqlite3.connect(database)) as conn:
        ids = [client_id for client_id, _status, _seconds in results]
        marks = ",".join("?" * len(ids))
        query = f"SELECT count(*) FROM responses WHERE client_id IN ({marks})"  # noqa: S608
        assert conn.execute(query, ids).fetchone() == (len(ids),)


PIPELINED = 400
STARVATION_REDIS_URL = "redis://127.0.0.1:6379/13"  # limit counters of the test below


def _count_answers(sock: socket.socket, expected: int, seen: list[int]) -> None:
    """Read ``sock`` until ``expected`` responses have arrived, counting them in ``seen[0]``."""
    data = b""
    while seen[0] < expected:
        chunk = sock.recv(65536)
        if not chunk:
            return
        data += chunk
        seen[0] = data.count(b"HTTP/1.1 200")


@contextmanager
def _busy_connection(port: int) -> Iterator[list[int]]:
    """A keep-alive connection with PIPELINED requests for ``/healthz`` sent at once.

    Yields once its first answer is back: a list whose one item counts its answers so far.
    """
    with socket.create_connection(("127.0.0.1", port), timeout=30) as busy:
        seen = [0]
        reader = threading.Thread(target=_count_answers, args=(busy, PIPELINED, seen))
        reader.start()
        try:
            busy.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" * PIPELINED)
            deadline = time.monotonic() + 10
            while seen[0] == 0 and time.monotonic() < deadline:
                time.sleep(0.001)
            yield seen
        finally:
            reader.join(timeout=60)


@pytest.mark.slow
def test_a_busy_connection_does_not_starve_the_others(tmp_path):
    """A keep-alive connection that always has its next request waiting (a proxy's pooled
    upstream connection under load) is served in turn with the worker's other connections:
    a request on a second connection is answered long before the first one's queue is."""
    env = server_env(f"sqlite:///{tmp_path / 'serve.sqlite3'}")
    prepare_database(env)
    server = Server(env, workers=1).start()
    try:
        with _busy_connection(server.port) as seen:
            status = request("GET", f"{server.base}/healthz", timeout=30)[0]
            answered_before = seen[0]
    finally:
        server.stop()
    assert status == 200
    assert seen[0] == PIPELINED
    # Served in turn, the second connection waits for about one request of the first.
    assert answered_before < PIPELINED // 2, answered_before


@pytest.mark.slow
def test_a_request_waiting_on_redis_is_not_held_behind_a_busy_connection(tmp_path):
    """In the production configuration every answer waits for Redis (the rate limit) twice.

    While another connection of the same worker always has a request ready that needs no
    wait, the answer is back within a few of that connection's requests. Yielding after a
    request to gevent's callback queue (``gevent.sleep(0)``) let the busy connection serve
    its requests in runs of fifty or more before the worker looked at its sockets again,
    once for each of the answer's waits: at 16 connections, p99 of 90 ms instead of 40.
    """
    store = require_redis(STARVATION_REDIS_URL)
    env = server_env(
        f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        FIILIS_ENV="production",
        RATELIMIT_ENABLED="true",
        RATELIMIT_STORAGE_URI=STARVATION_REDIS_URL,
        RATELIMIT_SUBMISSIONS="100000 per minute;1000000 per day",
        PUBLIC_BASE_URL="http://127.0.0.1",  # the server's own address is set below
    )
    prepare_database(env)
    server = Server(env, workers=1)
    server.env["PUBLIC_BASE_URL"] = server.base
    server.start()
    try:
        with _busy_connection(server.port) as seen:
            before = seen[0]
            status = _timed_submission(server.base)[1]
            meanwhile = seen[0] - before
    finally:
        server.stop()
        store.flushdb()
    assert status == 201, status
    assert seen[0] == PIPELINED
    assert before < PIPELINED // 2, before  # the answer was sent while the stream ran
    # Served in turn: a few of the busy connection's requests per wait, not a run of them.
    assert meanwhile < 50, meanwhile
