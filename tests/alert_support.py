"""Helpers for the e-mail tests: a district with a calm baseline and a recent week."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from feedback_app.services.notifications.windows import helsinki_today
from tests.district_support import answer

ROOT = Path(__file__).resolve().parent.parent
# A calm baseline: mostly 4s and 5s, some 3s (index about 81).
BASELINE = [5, 4, 4, 5, 3, 4, 5, 4] * 5


def today():
    return helsinki_today()


def days_ago(days: int):
    return today() - timedelta(days=days)


def baseline(app, code: str, scores=BASELINE) -> None:
    """Answers spread over the 90 days before the last week."""
    for offset, chunk in ((20, scores[::2]), (50, scores[1::2])):
        answer(app, code, chunk, days_ago(offset))


def recent(app, code: str, scores) -> None:
    """Answers given two days ago (inside the last 7 days)."""
    answer(app, code, scores, days_ago(2))


def run_flask(database_url: str, mail_port: int, *args: str) -> subprocess.Popen:
    """``python -m flask --app feedback_app …`` of this checkout, as cron would start it."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(mail_port),
        "PUBLIC_BASE_URL": "http://fiilis.test",
        "SECRET_KEY": "test-secret-key",
        "MIN_GROUP_SIZE": "5",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "feedback_app", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
