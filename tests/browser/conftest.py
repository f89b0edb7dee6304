"""Browser fixtures: the real app on a free loopback port, driven by Debian's Chromium.

The server runs in a thread (werkzeug) against its own fresh database filled with the demo
data, so the browser sees exactly what ``make run`` shows. Chromium comes from the system
package, never from ``playwright install``; without it these tests skip locally and fail in
CI (``CI=true``), where a silently skipped browser suite would prove nothing.
"""

from __future__ import annotations

import os
import threading
import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from werkzeug.serving import WSGIRequestHandler, make_server

from feedback_app import create_app
from feedback_app.extensions import db
from feedback_app.models import Answer, Project, Question, Response, Survey, SurveyStatus
from feedback_app.services.demo import seed_demo
from feedback_app.services.people.accounts import create_account
from feedback_app.services.surveys.lifecycle import create_survey
from tests.conftest import STAFF_PASSWORD
from tests.servers import CHROMIUM, CHROMIUM_ARGS

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
# A test run writes screenshots under build/ (ignored), never over the README's pictures in
# docs/screenshots/: `make screenshots` refreshes those on purpose through SCREENSHOT_DIR.
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR") or ROOT / "build" / "screenshots")
ACCOUNTS = {
    "artist": "artist@example.org",
    "official": "official@example.org",
    "admin": "admin@example.org",
}


@dataclass
class LiveServer:
    """The running app: its base URL and helpers that read and write its database directly."""

    url: str
    app: object
    surveys: list[str] = field(default_factory=list)

    def count_responses(self, code: str) -> int:
        """How many responses the survey ``code`` has stored."""
        with self.app.app_context():
            query = select(func.count(Response.id)).join(Survey).where(Survey.code == code)
            return db.session.scalar(query)

    def stored_scores(self, code: str) -> list[dict[str, int]]:
        """The face answers of each stored response of survey ``code``, keyed by question."""
        with self.app.app_context():
            rows = db.session.execute(
                select(Answer.response_id, Question.key, Answer.score)
                .join(Question, Answer.question_id == Question.id)
                .join(Response, Answer.response_id == Response.id)
                .join(Survey, Response.survey_id == Survey.id)
                .where(Survey.code == code, Answer.score.is_not(None))
            ).all()
        by_response: dict[int, dict[str, int]] = {}
        for response_id, key, score in rows:
            by_response.setdefault(response_id, {})[key] = score
        return list(by_response.values())

    def make_survey(
        self,
        languages=("fi", "sv", "en"),
        status=SurveyStatus.OPEN,
        artist_project: bool = False,
        **fields,
    ) -> str:
        """A fresh survey; returns its code.

        It goes to the last demo project, which the demo artist is not a member of, so test
        surveys do not crowd the studio screenshots, unless ``artist_project`` is set.
        """
        code = fields.pop("code", f"b{uuid.uuid4().hex[:8]}")
        title = fields.pop("title", "Selaintesti")
        # The event's name in every offered language, so each of them reaches residents.
        fields.setdefault("titles", {language: title for language in languages})
        order = Project.id if artist_project else Project.id.desc()
        with self.app.app_context():
            project = db.session.scalar(select(Project).order_by(order))
            create_survey(
                project_id=project.id,
                code=code,
                status=status,
                languages=list(languages),
                title=title,
                event_date=fields.pop("event_date", date(2026, 11, 27)),
                venue=fields.pop("venue", "Malmitalo"),
                **fields,
            )
            db.session.commit()
        return code


class OneShotHandler(WSGIRequestHandler):
    """One request per connection."""

    protocol_version = "HTTP/1.0"


class ServerThread:
    """werkzeug serving ``app`` from a thread; can be stopped and started again on its port."""

    def __init__(self, app, port: int = 0, keep_alive: bool = True):
        self.app = app
        self.port = port
        self.server = None
        self.thread = None
        # HTTP/1.0 closes every connection after its response, so stop() leaves no kept-alive
        # socket through which the browser could still reach the app.
        self.handler = None if keep_alive else OneShotHandler

    @property
    def url(self) -> str:
        """The base URL, e.g. ``http://127.0.0.1:41234``."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        """Listen (again) on the same port; the first start picks a free one."""
        self.server = make_server(
            "127.0.0.1", self.port, self.app, threaded=True, request_handler=self.handler
        )
        self.port = self.server.server_port
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        """Close the socket: the browser now meets a real network failure."""
        if self.server is None:
            return
        self.server.shutdown()
        self.thread.join(timeout=10)
        self.server.server_close()
        self.server = None


@pytest.fixture
def outage_server(live_server):
    """The same app on its own port, for tests that cut the server off entirely.

    Playwright's ``set_offline`` does not reach requests a service worker makes itself, so
    "opens with no network" is proven by closing the socket instead.
    """
    server = ServerThread(live_server.app, keep_alive=False)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def live_server(make_database):
    """Serve the app on 127.0.0.1 with a free port for the whole browser session."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "browser-test-secret",
            "SQLALCHEMY_DATABASE_URI": make_database(),
            "RATELIMIT_ENABLED": False,
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    )
    with app.app_context():
        db.create_all()
        seed_demo()
        projects = list(db.session.scalars(select(Project).order_by(Project.id)))
        for role, email in ACCOUNTS.items():
            members = projects[:2] if role == "artist" else []
            create_account(email, role, STAFF_PASSWORD, projects=members)
    server = ServerThread(app)
    server.start()
    # Links in QR codes and on studio pages point at this server (its port is known now).
    app.config["PUBLIC_BASE_URL"] = server.url
    yield LiveServer(url=server.url, app=app)
    server.stop()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium under Playwright; skipped locally when it is not installed.

    One per test module, not per session: Playwright's sync API refuses to start while
    another instance is running, and other test modules start their own.
    """
    if not CHROMIUM.exists():
        reason = f"Chromium not found at {CHROMIUM}: install the Debian package 'chromium'"
        if os.environ.get("CI") == "true":
            pytest.fail(reason + " (required in CI)")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def context_factory(browser):
    """Make isolated browser contexts (no shared storage); all closed after the test."""
    contexts = []

    def make(viewport=PHONE, **options):
        context = browser.new_context(viewport=viewport, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(context_factory):
    """A fresh phone-sized page."""
    return context_factory().new_page()


@pytest.fixture
def sign_in(live_server):
    """Sign ``page`` in as the demo ``role`` through the real login form."""

    def login(page, role: str):
        page.goto(f"{live_server.url}/login?lang=fi")
        page.fill("input[name=email]", ACCOUNTS[role])
        page.fill("input[name=password]", STAFF_PASSWORD)
        page.click("form button[type=submit]")
        page.wait_for_load_state("networkidle")
        assert "/login" not in page.url, f"{role} could not sign in"

    return login


def screenshot(page, name: str) -> Path:
    """Save a full-page PNG in ``SCREENSHOTS`` (the README's come from `make screenshots`)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
