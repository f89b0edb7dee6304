"""A real OpenID provider for the sign-in tests: ``tests/oidc_provider`` on Debian's node.

``npm ci`` installs the locked ``oidc-provider`` into ``tests/oidc_provider/node_modules``
(ignored by git) once; a stamp of the lock file's hash tells later runs it is done. Without
node or npm the tests are skipped on a developer's machine and fail in CI (``CI=true``).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from html import unescape
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests
from werkzeug.serving import make_server

PROVIDER_DIR = Path(__file__).resolve().parent / "oidc_provider"
STAMP = PROVIDER_DIR / "node_modules" / ".fiilis-lock-sha256"
CLIENT_ID = "fiilis-test"
CLIENT_SECRET = "fiilis-test-secret-0123456789"
USERS = {
    "official": {"email": "official@hel.fi", "email_verified": True},
    "invited": {"email": "Invited@Hel.fi", "email_verified": True},
    "unverified": {"email": "official@hel.fi", "email_verified": False},
    "stranger": {"email": "stranger@hel.fi", "email_verified": True},
}


def _require(tool: str) -> str:
    """The path of ``tool``; a skip without it, or a failure in CI."""
    path = shutil.which(tool)
    if path:
        return path
    message = f"{tool} is needed for the OpenID provider tests (apt-get install nodejs npm)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def install_provider() -> str:
    """``npm ci`` the provider unless the lock file is already installed; return node's path."""
    node = _require("node")
    npm = _require("npm")
    lock = hashlib.sha256((PROVIDER_DIR / "package-lock.json").read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text() != lock:
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--silent"],
            cwd=PROVIDER_DIR,
            check=True,
            timeout=300,
        )
        STAMP.write_text(lock)
    return node


@contextmanager
def provider(node: str, port: int, redirect_base: str, **settings: str) -> Iterator[str]:
    """Run the provider on ``port`` for an app at ``redirect_base``; yield its issuer."""
    env = dict(
        os.environ,
        OIDC_PROVIDER_PORT=str(port),
        OIDC_CLIENT_ID=CLIENT_ID,
        OIDC_CLIENT_SECRET=CLIENT_SECRET,
        OIDC_REDIRECT_URI=f"{redirect_base}/login/oidc/callback",
        OIDC_POST_LOGOUT_URI=f"{redirect_base}/login",
        OIDC_PROVIDER_USERS=json.dumps(USERS),
    )
    env.update(settings)
    process = subprocess.Popen(
        [node, "provider.mjs"],
        cwd=PROVIDER_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        line = process.stdout.readline()  # "listening <issuer>", or "" if it died
        if not line.startswith("listening "):
            raise RuntimeError(f"the OpenID provider did not start: {line!r}")
        yield line.split(" ", 1)[1].strip()
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()


@contextmanager
def live_app(app, port: int) -> Iterator[str]:
    """Serve ``app`` over real HTTP on ``port`` in a thread; yield its base address."""
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


_FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S)
_ACTION = re.compile(r'action="([^"]*)"')
_INPUT = re.compile(r"<input\b([^>]*)>", re.S)
_ATTRIBUTE = re.compile(r'([\w-]+)="([^"]*)"')


def _hidden_fields(body: str) -> dict[str, str]:
    """The hidden inputs of a form body, by name."""
    fields = {}
    for tag in _INPUT.findall(body):
        attributes = dict(_ATTRIBUTE.findall(tag))
        if attributes.get("type") == "hidden" and "name" in attributes:
            fields[attributes["name"]] = unescape(attributes.get("value", ""))
    return fields


def form_of(response: requests.Response, having: str = "") -> tuple[str, dict[str, str]]:
    """The first form on a page with ``having`` in it: its absolute action and hidden fields."""
    for attributes, body in _FORM.findall(response.text):
        if having in body:
            action = _ACTION.search(attributes)
            target = unescape(action.group(1)) if action else response.url
            fields = _hidden_fields(body)
            return urljoin(response.url, target), fields
    raise AssertionError(f"no form with {having!r} on {response.url}: {response.text[:300]}")


def follow(http: requests.Session, response: requests.Response, stop: str) -> requests.Response:
    """Follow redirects by hand until one points at an address starting with ``stop``."""
    for _ in range(10):
        location = response.headers.get("Location")
        if response.status_code not in (301, 302, 303) or not location:
            return response
        location = urljoin(response.url, location)
        if location.startswith(stop):
            return response
        response = http.get(location, allow_redirects=False, timeout=10)
    raise AssertionError("too many redirects")


def provider_callback(http: requests.Session, app_base: str, login: str, lang: str = "") -> str:
    """Start a city sign-in at the app and sign in at the provider as ``login``.

    Returns the callback address the provider sends the browser back to (not yet opened),
    so a test can open it, open it twice, or tamper with it.
    """
    callback = f"{app_base}/login/oidc/callback"
    query = f"?lang={lang}" if lang else ""
    start = http.get(f"{app_base}/login/oidc{query}", allow_redirects=False, timeout=10)
    assert start.status_code == 302, start.text[:500]
    page = follow(http, start, callback)
    if page.status_code == 200:  # the provider's sign-in form
        action, fields = form_of(page)
        fields.update(login=login, password="any")
        submitted = http.post(action, data=fields, allow_redirects=False, timeout=10)
        page = follow(http, submitted, callback)
    assert "Location" in page.headers, (page.status_code, page.url, page.text[:300])
    location = urljoin(page.url, page.headers["Location"])
    assert location.startswith(callback), location
    return location
