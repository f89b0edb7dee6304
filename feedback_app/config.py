"""Configuration read from the environment, with safe local defaults."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy.engine import URL, make_url

INSTANCE_DIR = Path(__file__).resolve().parent.parent / "instance"
# `make assets` installs the dashboard's partial plotly.js bundle here (ignored by git).
PLOTLY_DIR = Path(__file__).resolve().parent.parent / "vendor" / "plotly"
# Where ``make run`` serves the app; the public address outside production when none is set.
LOCAL_BASE_URL = "http://127.0.0.1:5000"


def _bool(name: str, default: bool) -> bool:
    """Read a boolean environment variable such as ``RATELIMIT_ENABLED=false``."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def default_database_url() -> str:
    """The embedded SQLite database under ``instance/`` used by ``make run``."""
    return f"sqlite:///{INSTANCE_DIR / 'fiilis.sqlite3'}"


# Database connections each worker keeps open (``DATABASE_POOL_SIZE``). A gevent worker
# serves many requests at once; with fewer pooled connections than requests in flight, the
# pool opened one more connection (on PostgreSQL a new server process) and closed it again
# for every request beyond the pool. docs/deployment.md: workers × (pool + its overflow of
# 10) must stay within PostgreSQL's max_connections.
POOL_SIZE = 10


def sqlite_file(url: URL) -> str | None:
    """The file of a SQLite database URL; None for PostgreSQL or an in-memory database."""
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return url.database


def settle_engine_options(config: dict) -> None:
    """The engine's options for the configured database, unless given outright.

    The pool keeps ``DATABASE_POOL_SIZE`` connections, except for an in-memory SQLite
    database, which is one connection with no pool. (On PostgreSQL, ``database.py`` checks
    each connection as it leaves the pool.)
    """
    options: dict = {}
    url = make_url(config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "sqlite" or sqlite_file(url):
        options["pool_size"] = config["DATABASE_POOL_SIZE"]
    config["SQLALCHEMY_ENGINE_OPTIONS"] = options | config.get("SQLALCHEMY_ENGINE_OPTIONS", {})


def normalise_database_url(url: str) -> str:
    """Point bare ``postgresql://`` URLs at psycopg 3, the driver we install."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


class Config:
    """Settings for every environment; each can be overridden from the environment."""

    # A random key per process would log staff out whenever a worker restarts and would
    # break sessions across several gunicorn workers, so production must set SECRET_KEY.
    SECRET_KEY = os.environ.get("SECRET_KEY") or secrets.token_hex(32)
    SQLALCHEMY_DATABASE_URI = normalise_database_url(
        os.environ.get("DATABASE_URL") or default_database_url()
    )
    # Connections each worker keeps open; the engine's options follow from it and the URL
    # (``settle_engine_options``).
    DATABASE_POOL_SIZE = int(os.environ.get("DATABASE_POOL_SIZE", POOL_SIZE))
    # Answers are tiny; a large body is either a mistake or an attack.
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", 16 * 1024))
    MAX_FORM_MEMORY_SIZE = MAX_CONTENT_LENGTH
    BABEL_DEFAULT_LOCALE = "fi"
    # The partial plotly.js bundle with its .br and .gz files (services/charts/plotly_assets).
    PLOTLY_BUNDLE_DIR = os.environ.get("PLOTLY_BUNDLE_DIR") or str(PLOTLY_DIR)
    BABEL_DEFAULT_TIMEZONE = "Europe/Helsinki"
    # Breakdowns with fewer answers than this are withheld so nobody can be singled out.
    MIN_GROUP_SIZE = int(os.environ.get("MIN_GROUP_SIZE", 5))
    # The one address printed in QR codes, posters and links sent to people. Never taken
    # from the request: a forged Host header would otherwise put another site in them.
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    WTF_CSRF_TIME_LIMIT = 8 * 3600
    RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    # No X-RateLimit-* or Retry-After on accepted requests: they mean something only to a
    # client that has run out, and reading the window figures for them cost a Redis round
    # trip per answer. A 429 carries them (errors.rate_limit_headers).
    RATELIMIT_HEADERS_ENABLED = False
    # Sliding window counter: one Redis round trip per window to count an answer, and no
    # burst of twice the quota across a window edge (docs/performance.md).
    RATELIMIT_STRATEGY = os.environ.get("RATELIMIT_STRATEGY", "sliding-window-counter")
    # redis-py's connection pool, not one shared connection: the gevent workers serve many
    # requests at once, and a single-connection client connects when it is built, so a
    # Redis that is down at start would keep the whole app from starting.
    # Per-address quotas (Flask-Limiter syntax); unset means the defaults in ratelimit.py.
    RATELIMIT_SUBMISSIONS = os.environ.get("RATELIMIT_SUBMISSIONS")
    RATELIMIT_READS = os.environ.get("RATELIMIT_READS")
    # Trusted proxies in front (nginx: 1). Behind one, every request comes from 127.0.0.1 and
    # the limiter would count the whole city as one sender; with PROXY_COUNT the client
    # address and scheme are taken from X-Forwarded-For / -Proto. 0 when nothing is in front,
    # or anyone could forge their address.
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0") or 0)
    # Where residents send questions about their data (privacy notice, accessibility).
    CONTACT_EMAIL = os.environ.get("CONTACT_EMAIL", "")
    # Free-text comments may hold personal data; they are deleted after this many days.
    COMMENT_RETENTION_DAYS = int(os.environ.get("COMMENT_RETENTION_DAYS", 365))
    # Outgoing e-mail (invitations, password links, alerts, digests) through an SMTP relay.
    # Flask-Mailman's SMTP backend always, also under TESTING, which would otherwise
    # switch it to an in-memory outbox that delivers nothing.
    MAIL_BACKEND = "smtp"
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", 25) or 25)
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", False)
    MAIL_USE_SSL = _bool("MAIL_USE_SSL", False)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "Fiilis <fiilis@localhost>")
    # Seconds to wait for the mail server; a hung relay must not hang a page or a cron job.
    MAIL_TIMEOUT = int(os.environ.get("MAIL_TIMEOUT", 20) or 20)
    # Staff sign-in with the city's OpenID provider (README "Signing in with the city's
    # account"). Unset issuer: only password sign-in. The issuer must be exactly what its
    # discovery document at <issuer>/.well-known/openid-configuration announces.
    OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "").rstrip("/")
    OIDC_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "")
    OIDC_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
    # Helsinki's Linked Events API, searched in the studio to fill in an event's details.
    LINKED_EVENTS_URL = os.environ.get("LINKED_EVENTS_URL", "https://api.hel.fi/linkedevents/v1/")
    # Seconds the whole search may take before the artist is told to type the event in.
    LINKED_EVENTS_TIMEOUT = float(os.environ.get("LINKED_EVENTS_TIMEOUT", 4))
    # Seconds without a touch after which a half-answered kiosk form clears itself.
    KIOSK_IDLE_SECONDS = int(os.environ.get("KIOSK_IDLE_SECONDS", 60))
    TESTING = False


class ProductionConfig(Config):
    """Behind TLS: cookies only over HTTPS, and a secret key shared by every worker."""

    REQUIRE_SECRET_KEY = True
    REQUIRE_PUBLIC_BASE_URL = True
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True


def settle_public_address(config: dict) -> None:
    """Check ``PUBLIC_BASE_URL`` and, in production, trust no other Host.

    Production without it refuses to start; elsewhere it defaults to ``LOCAL_BASE_URL``.
    With ``TRUSTED_HOSTS`` (Flask 3.1) a request for any other Host gets 400, so nothing the
    app builds or logs can be steered by a forged Host header.
    """
    required = config.get("REQUIRE_PUBLIC_BASE_URL", False)
    base = (config.get("PUBLIC_BASE_URL") or "").rstrip("/")
    if not base and required:
        raise RuntimeError(
            "PUBLIC_BASE_URL must be set when FIILIS_ENV=production, e.g. https://fiilis.hel.fi"
        )
    base = base or LOCAL_BASE_URL
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path or parts.query:
        raise RuntimeError(f"PUBLIC_BASE_URL must look like https://fiilis.hel.fi, not {base!r}")
    config["PUBLIC_BASE_URL"] = base
    if required and config.get("TRUSTED_HOSTS") is None:
        config["TRUSTED_HOSTS"] = [parts.hostname]


def secret_key_from_environment() -> str | None:
    """``SECRET_KEY`` as the environment gives it now (production refuses to start without)."""
    return os.environ.get("SECRET_KEY") or None


def worker_tally_slot() -> int:
    """This worker's number, which gunicorn.conf.py sets in ``FIILIS_TALLY_SLOT`` after fork."""
    return int(os.environ.get("FIILIS_TALLY_SLOT") or 0)


def config_for_environment() -> type[Config]:
    """Pick the configuration class from ``FIILIS_ENV`` (``production`` or anything else)."""
    if os.environ.get("FIILIS_ENV", "").lower() == "production":
        return ProductionConfig
    return Config
