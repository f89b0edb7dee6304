"""The one clock the app reads: UTC, without a zone, as every stored time is kept."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> datetime:
    """The current UTC time as a naive ``datetime`` (the columns store naive UTC).

    ``utc_now()`` is deprecated from Python 3.12 on; this is its replacement.
    """
    return datetime.now(UTC).replace(tzinfo=None)
