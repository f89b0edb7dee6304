"""Production server settings for ``make serve`` (gunicorn reads this file with ``-c``).

Environment:

- ``WEB_CONCURRENCY``: worker processes; default one per CPU core (at least 2, at most 8).
- ``BIND``: address to listen on; default ``127.0.0.1:8000`` (nginx sits in front).
- ``ACCESS_LOG``: ``-`` (standard output, the default), a file path, or ``off``.
- ``GUNICORN_TIMEOUT``: seconds before a stuck worker is restarted; default 30.

Privacy: the access log never carries client addresses or times, and requests to the
resident paths (``/s/`` and ``/api/``) are not logged at all: with sequential response
ids, even an address-free log line per answer would reveal when each answer was given.
Gunicorn's own warnings about malformed requests name the client address; those are
redacted as well.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import re
import secrets
import sys

import gevent
from gunicorn.glogging import Logger

wsgi_app = "wsgi:app"
bind = [os.environ.get("BIND", "127.0.0.1:8000")]


def default_workers(cores: int | None = None) -> int:
    """One worker per core, at least two, at most eight, on PostgreSQL and SQLite alike.

    A gevent worker already overlaps its requests' waits (Redis, PostgreSQL), so a second
    worker per core only adds contention: on two cores, in the production configuration,
    two workers stored 600 answers a second on SQLite against 531 with four (fewer
    processes queueing for the one write turn); on PostgreSQL two and four were alike
    within the machine's noise (``make bench``). Two at least, so one busy worker (a PDF
    report) never stops the service.
    """
    cores = cores or multiprocessing.cpu_count()
    return max(2, min(cores, 8))


workers = int(os.environ.get("WEB_CONCURRENCY") or default_workers())
# Slow clients (risk: a handful of slow-loris connections taking the service down). A sync
# worker reads a request header to its end before it serves anyone else, so 20 connections
# trickling a header stalled every worker; gthread ties up one thread per such connection
# the same way. A gevent worker waits for each connection in its own greenlet, so slow
# clients cost memory, not workers, up to worker_connections each (nginx's
# client_header_timeout / client_body_timeout drop them long before that in production).
worker_class = "gevent"
worker_connections = 1000
# Each worker builds its own app and database engine after the fork: SQLite connections
# (and PostgreSQL sockets) must never be shared between processes.
preload_app = False
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so a slow leak can never take the server down mid-festival.
max_requests = 20000
max_requests_jitter = 2000
# Several servers (and the benchmark's floor) run side by side; one shared control socket
# path would make them trip over each other and nothing here uses it.
control_socket_disable = True

_access = os.environ.get("ACCESS_LOG", "-")
accesslog = None if _access == "off" else _access
# Request line, status, size and duration: no %(h)s (address), no %(t)s (time), no
# referer or user agent.
access_log_format = '"%(r)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info")

RESIDENT_PREFIXES = ("/s/", "/api/")
# Invitation and new-password links carry a secret in the path; a log line would leak it.
SECRET_PREFIXES = ("/invite/",)
ADDRESS = re.compile(
    r"ip=\S+"  # gunicorn's "Invalid request from ip=…"
    r"|\b(?:\d{1,3}\.){3}\d{1,3}\b"  # IPv4
    r"|\b(?:[0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}\b"  # IPv6, full form
    r"|[0-9a-fA-F]{0,4}(?::[0-9a-fA-F]{1,4})*::(?:[0-9a-fA-F]{1,4}(?::[0-9a-fA-F]{1,4})*)?"
)


class RedactAddresses(logging.Filter):
    """Replace anything that looks like a client address in gunicorn's error log."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the message in place; never drop the record."""
        message = record.getMessage()
        if message.startswith("Listening at"):
            return True  # the server's own bind address, not a client's
        redacted = ADDRESS.sub("[address]", message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


class PrivateLogger(Logger):
    """Gunicorn's logger without resident requests in the access log or addresses anywhere."""

    def setup(self, cfg) -> None:
        """Install the address filter on the error log after gunicorn configures it."""
        super().setup(cfg)
        if not any(isinstance(f, RedactAddresses) for f in self.error_log.filters):
            self.error_log.addFilter(RedactAddresses())

    def access(self, resp, req, environ, request_time) -> None:
        """Skip the resident paths; log the rest with the address-free format."""
        path = environ.get("PATH_INFO") or req.path or ""
        # A secret anywhere in the line counts ("//invite/…", "?next=/invite/…").
        line = f"{path} {req.uri or ''}".lower()
        if path.startswith(RESIDENT_PREFIXES) or any(s in line for s in SECRET_PREFIXES):
            return
        super().access(resp, req, environ, request_time)


logger_class = PrivateLogger
# post_request's wait, in seconds: any timer at all, as it is served after the next poll.
TURN = 1e-6


def refuse_unshared_limits(worker_count: int) -> None:
    """In production, refuse several workers that would each keep their own rate limits.

    With ``memory://`` every worker counts on its own: four workers let 40 wrong passwords
    through before the limit of 10 bites. Shared storage (Redis) makes the limit hold.
    """
    storage = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    production = os.environ.get("FIILIS_ENV", "").lower() == "production"
    if production and worker_count > 1 and storage.startswith("memory://"):
        sys.exit(
            f"{worker_count} workers need shared rate-limit storage when FIILIS_ENV=production: "
            "set RATELIMIT_STORAGE_URI=redis://… (or WEB_CONCURRENCY=1)"
        )


def on_starting(server) -> None:
    """Refuse to run production without a shared secret; share one locally.

    Every worker must use the same SECRET_KEY, or a staff session signed by one worker is
    rejected by the next and rate-limit keys differ between workers.
    """
    refuse_unshared_limits(server.cfg.workers)
    if os.environ.get("SECRET_KEY"):
        return
    if os.environ.get("FIILIS_ENV", "").lower() == "production":
        sys.exit("SECRET_KEY must be set when FIILIS_ENV=production")
    os.environ["SECRET_KEY"] = secrets.token_hex(32)
    server.log.warning("SECRET_KEY is not set: using a random key until this server stops")


def post_worker_init(worker) -> None:
    """Give the worker its tally slot; move what is loaded out of the collector's way.

    Workers count face-scale answers in their own ``score_tallies`` slot (``worker.age``
    numbers workers in the order they start), so two workers never wait for one another's
    row lock on the same cell. The app is imported in each worker; its tens of thousands of
    long-lived objects (Flask, SQLAlchemy, Plotly…) would otherwise be re-scanned by every
    full garbage collection while requests are served.
    """
    os.environ["FIILIS_TALLY_SLOT"] = str(worker.age)
    gc.freeze()


def post_request(worker, req, environ, resp) -> None:
    """Let the worker's other connections have their turn after each request.

    A gevent worker switches between connections only when one waits. A keep-alive
    connection whose next request has already arrived (nginx's pooled upstream connection
    under load, a client sending requests back to back) is read without waiting, so its
    greenlet served request after request while every other connection of the worker,
    including new ones waiting to be accepted, stood still: under load on SQLite half the
    answers came back in 3 ms and a quarter took 0.2 to 0.9 s.

    The wait is a timer, not ``gevent.sleep(0)``. That queues the greenlet as a callback;
    gevent runs queued callbacks until none is left, looking at the clock only after every
    fifty, and a connection with its next request ready queues itself again at once. So it
    still went first, fifty requests in a row or more, while an answer whose Redis reply
    (the rate limit) had arrived waited for the worker to look at its sockets, twice per
    answer: p99 90 ms at 16 connections. A timer is due only after the worker has polled
    its sockets, so every connection with something to do is served once per round: p99
    40 ms at the same throughput, and PostgreSQL alike (``docs/performance.md``).
    """
    gevent.sleep(TURN)
