"""One writer at a time on SQLite, queued by the kernel instead of SQLite's busy handler.

SQLite allows a single writer. When several gunicorn workers store answers at once, the
losers spin in SQLite's busy handler, which sleeps 1, 2, 5, 10… ms between attempts, so a
lock held for a fraction of a millisecond costs the others many milliseconds: under a
festival burst, throughput collapsed to a tenth of what one INSERT per request reaches.
Taking an exclusive ``flock`` on a file beside the database before writing makes waiting
workers sleep in the kernel and wake the moment the previous writer commits.

PostgreSQL has row-level locking and needs none of this; ``turn()`` is then a no-op.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager

from feedback_app.config import sqlite_file
from feedback_app.extensions import db

# path → (pid, fd). The pid check matters: an fd inherited across fork() shares its
# flock with the parent, which would let two processes write at once.
_lock_files: dict[str, tuple[int, int]] = {}


def _lock_fd(database_path: str) -> int:
    """This process's open lock file for ``database_path``."""
    pid = os.getpid()
    known = _lock_files.get(database_path)
    if known and known[0] == pid:
        return known[1]
    fd = os.open(f"{database_path}.write-lock", os.O_RDWR | os.O_CREAT, 0o600)
    _lock_files[database_path] = (pid, fd)
    return fd


def _sqlite_file() -> str | None:
    """The SQLite database file of the current app, or None (PostgreSQL, in-memory)."""
    return sqlite_file(db.engine.url)


@contextmanager
def turn() -> Iterator[None]:
    """Hold the write turn for the enclosed INSERTs and COMMIT (SQLite files only)."""
    path = _sqlite_file()
    if path is None:
        yield
        return
    fd = _lock_fd(path)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
