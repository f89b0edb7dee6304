"""Starting real gunicorn servers for the slow tests (durability, logs, PostgreSQL serve)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
FLASK = str(Path(sys.executable).with_name("flask"))
# Debian's Chromium, never a browser downloaded by Playwright; the flags keep it off the
# network (this machine has none) and quiet in a container.
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(database_url: str, **extra: str) -> dict[str, str]:
    """Environment for a server process: the given database, no rate limits unless asked."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "COV_"))}
    env.update(
        DATABASE_URL=database_url,
        SECRET_KEY="test-secret-key",
        RATELIMIT_ENABLED="false",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def prepare_database(env: dict[str, str]) -> None:
    """Migrate and load the demo data, as ``make serve`` does."""
    for command in (["db", "upgrade"], ["seed-demo"]):
        subprocess.run(
            [FLASK, "--app", "feedback_app", *command],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            timeout=120,
        )


class Server:
    """A gunicorn started from ``gunicorn.conf.py`` in its own process group."""

    def __init__(self, env: dict[str, str], workers: int = 2, log_path: Path | None = None):
        self.port = free_port()
        self.env = dict(env, BIND=f"127.0.0.1:{self.port}", WEB_CONCURRENCY=str(workers))
        self.log_path = log_path
        self.process: subprocess.Popen | None = None
        self._log = None

    @property
    def base(self) -> str:
        """``http://127.0.0.1:<port>``."""
        return f"http://127.0.0.1:{self.port}"

    def start(self, command: list[str] | None = None, timeout: float = 60) -> Server:
        """Start and wait until ``/healthz`` answers 200 (a busy 2-core machine needs ~30 s)."""
        if self.log_path:
            self._log = open(self.log_path, "ab")  # noqa: SIM115 (closed in _reap)
        self.process = subprocess.Popen(
            command or [GUNICORN, "--config", "gunicorn.conf.py"],
            cwd=ROOT,
            env=self.env,
            stdout=self._log or subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so it can be killed whole
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}")
            try:
                if request("GET", f"{self.base}/healthz", timeout=2)[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("server did not answer /healthz in time")

    def kill(self) -> None:
        """SIGKILL the whole process group: master and workers die at once, no clean-up."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self._reap()

    def _reap(self) -> None:
        """Close the log file once the server is gone."""
        if self._log:
            self._log.close()
            self._log = None

    def stop(self) -> None:
        """Graceful stop (SIGTERM to the group), then SIGKILL if it lingers."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        self._reap()


def request(method: str, url: str, body: dict | None = None, timeout: float = 5):
    """Send one request; return (status, parsed JSON or text, headers)."""
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)  # noqa: S310 (loopback only)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310
            status, raw, headers = resp.status, resp.read(), resp.headers
    except urllib.error.HTTPError as error:
        status, raw, headers = error.code, error.read(), error.headers
    text = raw.decode("utf-8", "replace")
    try:
        return status, json.loads(text), headers
    except ValueError:
        return status, text, headers


def require_redis(url: str):
    """A client for the Redis database ``url``, emptied; a skip (a failure in CI) without it."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI") == "true":
            pytest.fail("Redis is not reachable on 127.0.0.1:6379: required in CI")
        pytest.skip("Redis is not running here (CI starts it)")
    client.flushdb()
    return client
