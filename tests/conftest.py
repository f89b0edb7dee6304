"""Shared fixtures: one app per test session on SQLite or PostgreSQL, emptied after each test.

``TEST_DATABASE_URL=postgresql+psycopg://…`` runs the suite on PostgreSQL; each session
creates (and drops) its own database there, so parallel runs never see each other's rows.
"""

from __future__ import annotations

import os
import uuid
from datetime import date
from urllib.parse import urlsplit, urlunsplit

import pytest
from sqlalchemy import select

from feedback_app import create_app
from feedback_app.extensions import db as _db
from feedback_app.i18n import RESIDENT_LANGUAGES
from feedback_app.models import District, GrantPeriod, Project, Role, SurveyStatus
from feedback_app.services.people.accounts import create_account
from feedback_app.services.surveys.lifecycle import create_survey
from tests.district_support import two_districts

STAFF_PASSWORD = "correct horse battery staple"


def _postgres_admin_url(url: str) -> str:
    """The same server's maintenance database, for CREATE/DROP DATABASE."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres"))


def _plain_dsn(url: str) -> str:
    """SQLAlchemy URL → libpq URL for psycopg."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


@pytest.fixture(scope="session")
def make_database(tmp_path_factory):
    """Factory for fresh, empty databases of the kind under test; dropped at the end."""
    import psycopg

    base = os.environ.get("TEST_DATABASE_URL", "")
    created: list[str] = []

    def make() -> str:
        if not base.startswith("postgresql"):
            path = tmp_path_factory.mktemp("db") / "fiilis.sqlite3"
            return f"sqlite:///{path}"
        name = f"fiilis_test_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(_plain_dsn(_postgres_admin_url(base)), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        created.append(name)
        return urlunsplit(urlsplit(base)._replace(path=f"/{name}"))

    yield make
    for name in created:
        with psycopg.connect(_plain_dsn(_postgres_admin_url(base)), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def app_config(database_url: str, **overrides) -> dict:
    """Configuration for an app under test."""
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "RATELIMIT_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        "SERVER_NAME": "fiilis.test",
        "PUBLIC_BASE_URL": "http://fiilis.test",
    }
    config.update(overrides)
    return config


@pytest.fixture(scope="session")
def database_url(make_database) -> str:
    """The session's database."""
    return make_database()


@pytest.fixture(scope="session")
def smtp_server():
    """A real local SMTP server (aiosmtpd) for the whole session: ``(mailbox, port)``."""
    from tests.mail_support import Mailbox, start_server

    mailbox = Mailbox()
    controller, port = start_server(mailbox)
    yield mailbox, port
    controller.stop()


@pytest.fixture
def mailbox(smtp_server):
    """The session SMTP server's mailbox, emptied for this test."""
    box, _port = smtp_server
    box.clear()
    return box


@pytest.fixture(scope="session")
def app(database_url, smtp_server):
    """The app under test, with the schema created from the models."""
    _box, port = smtp_server
    app = create_app(app_config(database_url, MAIL_SERVER="127.0.0.1", MAIL_PORT=port))
    with app.app_context():
        _db.create_all()
    yield app
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_database(request):
    """Empty every table after each test that used the app."""
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        _db.session.rollback()
        for table in reversed(_db.metadata.sorted_tables):
            _db.session.execute(table.delete())
        _db.session.commit()
        _db.session.remove()


@pytest.fixture
def make_app(make_database, app):
    """Factory for a separate app with its own database: ``make_app(prepare, **config)``.

    ``prepare()`` runs in the new app's context after the schema exists. Flask-Limiter keeps
    its switch and storage on the one shared ``limiter``, so afterwards the session app is
    re-initialised, which switches limits off again.
    """
    from feedback_app.extensions import limiter

    made = []

    def make(prepare=None, **overrides):
        new = create_app(app_config(make_database(), **overrides))
        with new.app_context():
            _db.create_all()
            if prepare:
                prepare()
        if limiter.enabled:  # storage exists only while limits are on
            limiter.reset()
        made.append(new)
        return new

    yield make
    for new in made:
        with new.app_context():
            _db.session.remove()
            _db.engine.dispose()
    limiter.init_app(app)


@pytest.fixture
def app_context(app):
    """Run the test inside an application context."""
    with app.app_context():
        yield app


@pytest.fixture
def client(app):
    """A browser-less client."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """Runs the app's CLI commands."""
    return app.test_cli_runner()


@pytest.fixture
def make_project(app):
    """Factory: ``make_project(name=..., district=...)`` creates a grant project."""

    def make(name: str = "Malmin tarinat", district: str = "malmi", start_year: int = 2025):
        with app.app_context():
            period = _db.session.scalar(select(GrantPeriod).filter_by(start_year=start_year))
            if period is None:
                period = GrantPeriod(start_year=start_year, end_year=start_year + 2)
                _db.session.add(period)
            area = _db.session.scalar(select(District).filter_by(slug=district))
            if area is None:
                title = district.replace("-", " ").title()
                area = District(slug=district, name_fi=title, name_sv=f"{title} (sv)")
                area.periods.append(period)
                _db.session.add(area)
            project = Project(name=name, institution="HAM", district=area, period=period)
            _db.session.add(project)
            _db.session.commit()
            return project.id

    return make


@pytest.fixture
def make_survey(app, make_project):
    """Factory: ``make_survey(code=..., status=..., **overrides)`` returns the survey code."""

    def make(code: str = "test", status: SurveyStatus = SurveyStatus.OPEN, **overrides):
        project_id = overrides.pop("project_id", None) or make_project(
            name=f"Project {uuid.uuid4().hex[:6]}"
        )
        fields = {"title": "Tarinailta", "event_date": date(2026, 11, 20), "venue": "Malmitalo"}
        # The event's name in every language, so a survey is complete unless a test says not.
        fields["titles"] = {code: "Tarinailta" for code in RESIDENT_LANGUAGES}
        fields.update(overrides)
        with app.app_context():
            survey = create_survey(project_id=project_id, code=code, status=status, **fields)
            _db.session.commit()
            return survey.code

    return make


@pytest.fixture
def make_account(app):
    """Factory: ``make_account(role="artist", projects=[id, ...])`` returns the email."""

    def make(role: str | Role = "artist", email: str | None = None, projects=()):
        email = email or f"{role}-{uuid.uuid4().hex[:6]}@example.org"
        with app.app_context():
            members = [_db.session.get(Project, pid) for pid in projects]
            create_account(email, role, STAFF_PASSWORD, projects=members)
        return email

    return make


class AuthActions:
    """Sign in and out through the real login form, CSRF token included."""

    def __init__(self, client):
        self.client = client

    def csrf_token(self, path: str = "/login") -> str:
        """Read the CSRF token from a page's form."""
        import re

        html = self.client.get(path).get_data(as_text=True)
        match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
        assert match, f"no CSRF token on {path}"
        return match.group(1)

    def login(self, email: str, password: str = STAFF_PASSWORD):
        """Post the login form."""
        token = self.csrf_token()
        return self.client.post(
            "/login", data={"email": email, "password": password, "csrf_token": token}
        )


@pytest.fixture
def districts(app, make_project, make_survey):
    """Malmi (6 answers) and Kontula (3 answers, fewer than k = 5) in 2025–2027."""
    return two_districts(app, make_project, make_survey)


@pytest.fixture
def official(auth, make_account):
    """A signed-in official."""
    auth.login(make_account("official"))
    return auth.client


@pytest.fixture
def auth(client):
    """Sign-in helper bound to ``client``."""
    return AuthActions(client)


def new_client_id() -> str:
    """A fresh version 4 UUID, as a browser's ``crypto.randomUUID()`` makes."""
    return str(uuid.uuid4())
