"""The benchmark's floor: a bare WSGI app that stores each POST with one INSERT.

It does the least a submission endpoint can do (read the body, one insert, commit, answer
201) with one database connection per gunicorn worker, opened after the fork. The real
app is measured against it under the same server, workers and load.

``FLOOR_DATABASE`` picks the database: a SQLite file path, or a ``postgresql://`` URL.
"""

from __future__ import annotations

import os

DATABASE = os.environ.get("FLOOR_DATABASE", "/tmp/fiilis-floor.sqlite3")
_connection = None


def _connect():
    """This worker's connection, with the same durability settings as the app."""
    if DATABASE.startswith("postgresql"):
        import psycopg

        return psycopg.connect(DATABASE), "%s"
    import sqlite3

    conn = sqlite3.connect(DATABASE, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA busy_timeout=10000")
    conn.execute("PRAGMA synchronous=NORMAL")
    return conn, "?"


def create_table() -> None:
    """Create the floor's one table (run once, before the server starts)."""
    conn, _ = _connect()
    conn.execute(
        "CREATE TABLE IF NOT EXISTS floor_responses (client_id VARCHAR(36) PRIMARY KEY, body TEXT)"
    )
    conn.commit()
    conn.close()


def app(environ, start_response):
    """Store the request body under a fresh id; 201 with a tiny JSON body."""
    global _connection
    if _connection is None:
        _connection = _connect()
    conn, mark = _connection
    if environ["REQUEST_METHOD"] != "POST":
        # The benchmark's readiness probe: answered without touching the table, so probes
        # never collide on one empty id (on PostgreSQL that aborted the worker's transaction).
        start_response("200 OK", [("Content-Length", "0")])
        return [b""]
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length).decode()
    client_id = environ.get("HTTP_X_CLIENT_ID") or body[15:51]
    conn.execute(
        f"INSERT INTO floor_responses (client_id, body) VALUES ({mark}, {mark})",  # noqa: S608
        (client_id, body),
    )
    conn.commit()
    payload = b'{"status": "created"}'
    start_response(
        "201 Created",
        [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))],
    )
    return [payload]
