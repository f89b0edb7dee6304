"""Abuse control: per-address limits on resident paths, in memory and in Redis.

Limits are generous (a whole festival may share one venue Wi-Fi address) and switched off
with RATELIMIT_ENABLED=false; here they are set tiny to see them bite.
"""

from __future__ import annotations

import re
import runpy
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
import redis

from feedback_app.ratelimit import READS, SUBMISSIONS, client_key, limiter, sender
from feedback_app.services.demo import seed_demo
from tests.conftest import new_client_id
from tests.limit_windows import start_in_one_window
from tests.servers import ROOT, Server, prepare_database, request, require_redis, server_env

API = "/api/v1/surveys/demo/responses"
CORE = {"joy": 4, "belonging": 5, "safety": 3}
REDIS_DB = 13  # a database number of its own, so flushing it touches nothing else
REDIS_URL = f"redis://127.0.0.1:6379/{REDIS_DB}"
# ``make serve``'s own default; the test using it removes only the sign-in counts it made.
SERVE_REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def limited_app(make_app):
    """Factory for an app with limits switched on (own database with the demo survey)."""

    def make(**overrides):
        config = {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://", **overrides}
        made = make_app(seed_demo, **config)
        start_in_one_window()
        return made

    return make


def _post(client, address: str = "198.51.100.7"):
    return client.post(
        API,
        json={"client_id": new_client_id(), "answers": CORE},
        environ_base={"REMOTE_ADDR": address},
    )


def test_defaults_are_generous_for_one_venue_address():
    assert SUBMISSIONS.startswith("600 per minute")
    assert READS == "1200 per minute"


def test_api_submissions_beyond_the_limit_get_json_429(limited_app):
    client = limited_app(RATELIMIT_SUBMISSIONS="3 per minute").test_client()
    for _ in range(3):
        accepted = _post(client)
        assert accepted.status_code == 201
    refused = _post(client)
    assert refused.status_code == 429
    assert refused.is_json and refused.json["error"] == "too_many_requests"
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    assert refused.headers["X-RateLimit-Limit"] == "3"
    assert refused.headers["X-RateLimit-Remaining"] == "0"
    assert int(refused.headers["X-RateLimit-Reset"]) > 0
    assert "Set-Cookie" not in refused.headers and "Set-Cookie" not in accepted.headers
    # Another address has its own allowance.
    assert _post(client, address="203.0.113.9").status_code == 201


def test_form_and_api_share_one_submission_allowance(limited_app):
    client = limited_app(RATELIMIT_SUBMISSIONS="2 per minute").test_client()
    assert _post(client).status_code == 201
    form = {"q_joy": "4", "q_belonging": "3", "q_safety": "5", "client_id": new_client_id()}
    env = {"REMOTE_ADDR": "198.51.100.7"}
    assert client.post("/s/demo", data=form, environ_base=env).status_code == 303
    refused = client.post("/s/demo?lang=fi", data=form, environ_base=env)
    assert refused.status_code == 429
    html = refused.get_data(as_text=True)
    assert "Liian monta yritystä – odota hetki" in html
    assert "Set-Cookie" not in refused.headers


def test_resident_pages_have_a_read_limit_with_an_html_429(limited_app):
    client = limited_app(RATELIMIT_READS="2 per minute").test_client()
    assert client.get("/s/demo?lang=sv").status_code == 200
    assert client.get("/api/v1/surveys/demo/summary").status_code == 200
    page = client.get("/s/demo?lang=sv")
    assert page.status_code == 429
    assert "För många försök – vänta en stund" in page.get_data(as_text=True)
    assert client.get("/api/v1/surveys/demo/summary").json["error"] == "too_many_requests"


RATE_LIMIT_HEADERS = (
    "Retry-After",
    "X-RateLimit-Limit",
    "X-RateLimit-Remaining",
    "X-RateLimit-Reset",
)


def test_accepted_requests_carry_no_rate_limit_headers(limited_app, make_survey):
    """Retry-After on a 200 would tell a client to wait when nothing is wrong; the window
    figures say something only to the client that has run out (README, "JSON API")."""
    client = limited_app().test_client()
    answered = [
        _post(client),
        client.get("/s/demo?lang=fi"),
        client.get("/s/demo/thanks?lang=fi"),
        client.get("/api/v1/surveys/demo/summary"),
        client.post("/s/demo", data={"q_joy": "4", "q_belonging": "3", "q_safety": "5"}),
    ]
    assert [r.status_code for r in answered] == [201, 200, 200, 200, 303]
    for response in answered:
        present = [name for name in RATE_LIMIT_HEADERS if name in response.headers]
        assert present == [], (response.request.path, present)


def test_html_429_says_when_to_come_back(limited_app):
    client = limited_app(RATELIMIT_READS="1 per minute").test_client()
    assert "Retry-After" not in client.get("/s/demo?lang=fi").headers
    refused = client.get("/s/demo?lang=fi")
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    assert refused.headers["X-RateLimit-Limit"] == "1"


def test_rate_limits_can_be_switched_off(limited_app):
    """``RATELIMIT_ENABLED=false`` (a closed test network, say): no answer is refused."""
    client = limited_app(RATELIMIT_ENABLED=False, RATELIMIT_SUBMISSIONS="1 per minute")
    client = client.test_client()
    assert [_post(client).status_code for _ in range(5)] == [201] * 5


def test_limiter_keys_never_hold_the_address(limited_app):
    app = limited_app()
    with app.test_request_context(environ_base={"REMOTE_ADDR": "198.51.100.7"}):
        key = client_key()
    assert "198.51.100.7" not in key and len(key) == 32
    with app.test_request_context(environ_base={"REMOTE_ADDR": "198.51.100.8"}):
        assert client_key() != key


def test_oversized_api_body_is_a_json_413(limited_app):
    client = limited_app(RATELIMIT_ENABLED=False).test_client()
    body = {"client_id": new_client_id(), "answers": dict(CORE, comment="x" * 40_000)}
    refused = client.post(API, json=body)
    assert refused.status_code == 413
    assert refused.json["error"] == "request_entity_too_large"


def _redis():
    """A client for the test database number, emptied (``servers.require_redis``)."""
    return require_redis(REDIS_URL)


def test_redis_storage_counts_per_hashed_address(limited_app):
    store = _redis()
    client = limited_app(
        RATELIMIT_STORAGE_URI=REDIS_URL, RATELIMIT_SUBMISSIONS="2 per minute"
    ).test_client()
    assert [_post(client).status_code for _ in range(3)] == [201, 201, 429]
    keys = [k.decode() for k in store.keys("*")]
    assert keys, "the limiter wrote nothing to Redis"
    assert not any("198.51.100.7" in k for k in keys)
    store.flushdb()


def test_an_accepted_answer_costs_one_redis_round_trip_per_window(limited_app, monkeypatch):
    """Counting the answer in the minute and the day windows, nothing more: no read of the
    window figures for headers (docs/performance.md)."""
    store = _redis()
    client = limited_app(RATELIMIT_STORAGE_URI=REDIS_URL).test_client()
    assert _post(client).status_code == 201  # connects and loads the counting script
    commands: list[str] = []
    real = redis.Redis.execute_command

    def counting(self, *args, **options):
        commands.append(str(args[0]))
        return real(self, *args, **options)

    monkeypatch.setattr(redis.Redis, "execute_command", counting)
    assert _post(client).status_code == 201
    assert len(commands) == len(SUBMISSIONS.split(";")), commands
    store.flushdb()


@pytest.mark.slow
def test_several_workers_share_one_allowance_through_redis(tmp_path):
    """Two gunicorn workers, limit 5: exactly 5 of 9 answers are accepted, whichever worker."""
    store = _redis()
    env = server_env(
        f"sqlite:///{tmp_path / 'limits.sqlite3'}",
        RATELIMIT_ENABLED="true",
        RATELIMIT_STORAGE_URI=REDIS_URL,
        RATELIMIT_SUBMISSIONS="5 per minute",
    )
    prepare_database(env)
    server = Server(env, workers=2, log_path=tmp_path / "server.log").start()
    try:
        start_in_one_window()
        statuses = [
            request(
                "POST",
                f"{server.base}{API}",
                {"client_id": str(uuid.uuid4()), "answers": CORE},
            )[0]
            for _ in range(9)
        ]
    finally:
        server.stop()
        store.flushdb()
    assert sorted(statuses) == [201] * 5 + [429] * 4


@pytest.mark.parametrize(
    ("address", "counted_as"),
    [
        ("198.51.100.7", "198.51.100.7"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("2001:db8:1:2::ffff", "2001:db8:1:2::/64"),
        ("::ffff:198.51.100.7", "198.51.100.7"),
        ("not an address", "unknown"),
        (None, "unknown"),
    ],
)
def test_one_sender_is_an_ipv4_address_or_an_ipv6_64(address, counted_as):
    assert sender(address) == counted_as


def test_limiter_keys_cover_a_whole_ipv6_64(limited_app):
    app = limited_app()
    keys = set()
    for address in ("2001:db8:1:2::1", "2001:db8:1:2:ffff::9", "2001:db8:1:3::1"):
        with app.test_request_context(environ_base={"REMOTE_ADDR": address}):
            keys.add(client_key())
    assert len(keys) == 2


def test_limiter_lives_beside_its_key_without_an_import_circle():
    """``ratelimit`` imports nothing of the app's; ``extensions`` only re-exports."""
    import ast
    from pathlib import Path

    from feedback_app import extensions, ratelimit

    tree = ast.parse(Path(ratelimit.__file__).read_text())
    imported = {
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    }
    assert not any(name.startswith("feedback_app") for name in imported)
    assert extensions.limiter is ratelimit.limiter


def _conf(monkeypatch, **env: str) -> dict:
    """gunicorn.conf.py executed with ``env`` (and nothing of the caller's limit settings)."""
    for name in ("WEB_CONCURRENCY", "RATELIMIT_STORAGE_URI", "FIILIS_ENV"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def test_production_refuses_several_workers_with_memory_storage(monkeypatch):
    conf = _conf(monkeypatch, FIILIS_ENV="production")
    with pytest.raises(SystemExit, match="RATELIMIT_STORAGE_URI=redis://"):
        conf["refuse_unshared_limits"](4)
    conf["refuse_unshared_limits"](1)  # one worker counts everything itself
    shared = _conf(monkeypatch, FIILIS_ENV="production", RATELIMIT_STORAGE_URI=REDIS_URL)
    shared["refuse_unshared_limits"](4)
    local = _conf(monkeypatch)
    local["refuse_unshared_limits"](4)  # development: memory is fine


@pytest.mark.slow
def test_production_gunicorn_with_memory_storage_does_not_start(tmp_path):
    env = server_env(
        f"sqlite:///{tmp_path / 'limits.sqlite3'}",
        FIILIS_ENV="production",
        RATELIMIT_ENABLED="true",
        RATELIMIT_STORAGE_URI="memory://",
    )
    log = tmp_path / "server.log"
    server = Server(env, workers=2, log_path=log)
    with pytest.raises(RuntimeError, match="exited"):
        server.start()
    server.stop()  # closes the log
    assert "need shared rate-limit storage" in log.read_text()


def _serve_command() -> list[str]:
    """The command ``make serve`` runs, read from the Makefile with ``make -n``."""
    venv = str(Path(sys.executable).parent.parent)
    printed = subprocess.run(
        ["make", "-n", "--no-print-directory", "serve", f"VENV={venv}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    ).stdout
    line = next(line for line in printed.splitlines() if "gunicorn" in line)
    return ["bash", "-c", line]


def _wrong_login(base: str) -> int:
    """One sign-in with a wrong password, CSRF token and session cookie included."""
    with urllib.request.urlopen(f"{base}/login", timeout=5) as page:  # noqa: S310 (loopback)
        cookie = page.headers["Set-Cookie"].split(";", 1)[0]
        html = page.read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    body = urllib.parse.urlencode(
        {"email": "nobody@example.org", "password": "guess number one", "csrf_token": token}
    ).encode()
    post = urllib.request.Request(f"{base}/login", data=body, headers={"Cookie": cookie})  # noqa: S310
    try:
        with urllib.request.urlopen(post, timeout=5) as response:  # noqa: S310 (loopback)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.slow
def test_make_serve_login_limit_holds_across_workers(tmp_path):
    """``make serve`` in production with two workers: 10 wrong passwords in all, then 429.

    Before, the default in-memory storage let each worker count its own ten.
    """
    store = redis.Redis.from_url(SERVE_REDIS_URL, socket_connect_timeout=2)
    _redis()  # skips (fails in CI) without Redis
    env = server_env(
        f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        FIILIS_ENV="production",
        RATELIMIT_ENABLED="true",
        PUBLIC_BASE_URL="http://127.0.0.1",
    )
    env.pop("RATELIMIT_STORAGE_URI", None)  # the Makefile's default is under test
    # Start from no sign-in counts: another run against the same Redis may have left some.
    stale = list(store.scan_iter(match="*LIMITER*auth.login*"))
    if stale:
        store.delete(*stale)
    prepare_database(env)
    server = Server(env, workers=2, log_path=tmp_path / "serve.log")
    try:
        server.start(command=_serve_command())
        start_in_one_window(needed=30)
        statuses = [_wrong_login(server.base) for _ in range(14)]
    finally:
        server.stop()
        login_keys = list(store.scan_iter(match="*LIMITER*auth.login*"))
        if login_keys:
            store.delete(*login_keys)
    assert statuses == [401] * 10 + [429] * 4


@pytest.mark.slow  # the Redis client retries each refused connection before giving up
def test_unreachable_limit_storage_is_no_server_error(make_app):
    """Redis down: each worker counts on its own for a while; residents never see a 500."""
    down = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    app = make_app(seed_demo, RATELIMIT_STORAGE_URI="memory://")
    app.config.update(
        RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=down, RATELIMIT_SUBMISSIONS="2 per minute"
    )
    limiter.init_app(app)
    client = app.test_client()
    assert [_post(client).status_code for _ in range(3)] == [201, 201, 429]


@pytest.mark.parametrize(("proxies", "second"), [(0, 429), (1, 201)])
def test_proxy_count_makes_the_forwarded_address_the_sender(limited_app, proxies, second):
    """Behind nginx (PROXY_COUNT=1) two residents are two senders; without it, one."""
    client = limited_app(RATELIMIT_SUBMISSIONS="1 per minute", PROXY_COUNT=proxies).test_client()
    statuses = [
        client.post(
            API,
            json={"client_id": new_client_id(), "answers": CORE},
            environ_base={"REMOTE_ADDR": "127.0.0.1"},
            headers={"X-Forwarded-For": forwarded},
        ).status_code
        for forwarded in ("198.51.100.7", "203.0.113.9")
    ]
    assert statuses == [201, second]
