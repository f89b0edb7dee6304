"""Engine settings: SQLite tuned for several worker processes, PostgreSQL as is."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

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


def configure_engine(app: Flask) -> None:
    """Attach the SQLite pragmas to this app's engine when it is SQLite."""
    with app.app_context():
        engine: Engine = db.engine
        if engine.dialect.name == "sqlite" and not event.contains(
            engine, "connect", _sqlite_pragmas
        ):
            event.listen(engine, "connect", _sqlite_pragmas)


def is_postgresql() -> bool:
    """Whether the current app talks to PostgreSQL."""
    return db.engine.dialect.name == "postgresql"
