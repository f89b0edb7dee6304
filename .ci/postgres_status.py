"""Can the PostgreSQL pass of ``make test`` run? Prints one line saying why not.

A refused login and a server that is not running need different fixes (a password or
pg_hba.conf line, or starting the cluster), so the two are told apart: a server that
answers with FATAL is running and refused us; no answer at all means nothing listens.

Exit status: 0 reachable, 2 login refused, 3 not running or not reachable, 4 anything else.
"""

from __future__ import annotations

import sys
from urllib.parse import urlsplit, urlunsplit

import psycopg

LOGIN_WORDS = ("password", "authentication", "pg_hba.conf", "role ")


def maintenance_dsn(url: str) -> str:
    """libpq URL of the server's ``postgres`` database for a SQLAlchemy-style URL."""
    parts = urlsplit(url.replace("postgresql+psycopg://", "postgresql://", 1))
    return urlunsplit(parts._replace(path="/postgres"))


def status(url: str) -> tuple[int, str]:
    """(exit status, message) for the server behind ``url``."""
    dsn = maintenance_dsn(url)
    where = f"{urlsplit(dsn).hostname}:{urlsplit(dsn).port or 5432}"
    try:
        psycopg.connect(dsn, connect_timeout=3).close()
    except psycopg.OperationalError as error:
        reason = str(error).strip().splitlines()[0]
        if "FATAL:" not in reason:
            return 3, f"PostgreSQL is not running on {where} (no answer: {reason})"
        answer = reason.split("FATAL:", 1)[1].strip()
        if any(word in answer for word in LOGIN_WORDS):
            return 2, f"PostgreSQL on {where} is running but refused the login: {answer}"
        return 4, f"PostgreSQL on {where} is running but refused the connection: {answer}"
    return 0, f"PostgreSQL on {where} accepts connections"


def main() -> int:
    """Print the status line for the URL given as the only argument."""
    code, message = status(sys.argv[1])
    print(message)
    return code


if __name__ == "__main__":
    sys.exit(main())
