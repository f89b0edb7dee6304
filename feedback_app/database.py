"""Engine settings: SQLite tuned for several worker processes; on PostgreSQL, no connection
the server has ended is handed out."""

from __future__ import annotations

import select

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError

from feedback_app.extensions import db


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """Per-connection SQLite settings.

    WAL lets readers go on while one worker writes; busy_timeout makes a writer wait for
    the lock instead of failing under a burst of answers; synchronous=NORMAL is durable
    across application crashes in WAL mode (only an OS crash may lose the last commit).
    """
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # 32 MB page cache per connection (default 2 MB): district summaries re-read the same
    # tally index on every dashboard poll, which then stays in memory.
    cursor.execute("PRAGMA cache_size=-32768")
    cursor.close()


def refuse_ended_connection(dbapi_connection, _record, _proxy) -> None:
    """Pool checkout on PostgreSQL: refuse a connection the server has ended meanwhile.

    A server that ends a connection (a restart, a failover, ``pg_terminate_backend``) says
    so on its socket, with a last message and the close, while the connection waits in the
    pool with nothing asked of it: a socket with anything to read then is one to drop.
    SQLAlchemy's documented answer to ``DisconnectionError`` in a checkout listener is to
    open a new connection in its place. This replaces ``pool_pre_ping``, which sends a query
    and waits for its reply on every checkout: 8 % of an answer's cost under load (843
    against 912 answers/s in alternating rounds, ``docs/performance.md``), where this check
    is one system call that does not wait.
    """
    if dbapi_connection.closed or dbapi_connection.broken:
        raise DisconnectionError("the connection is closed")
    readable, _writable, _failed = select.select([dbapi_connection.fileno()], [], [], 0)
    if readable:
        raise DisconnectionError("the server ended the connection")


def configure_engine(app: Flask) -> None:
    """SQLite: the pragmas on each new connection. PostgreSQL: the checkout check."""
    with app.app_context():
        engine: Engine = db.engine
        if engine.dialect.name == "sqlite" and not event.contains(
            engine, "connect", _sqlite_pragmas
        ):
            event.listen(engine, "connect", _sqlite_pragmas)
        if engine.dialect.name == "postgresql" and not event.contains(
            engine, "checkout", refuse_ended_connection
        ):
            event.listen(engine, "checkout", refuse_ended_connection)


def is_postgresql() -> bool:
    """Whether the current app talks to PostgreSQL."""
    return db.engine.dialect.name == "postgresql"
