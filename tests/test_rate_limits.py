"""Abuse control: per-address limits on resident paths, in memory and in Redis.

Limits are generous (a whole festival may share one venue Wi-Fi address) and switched off
with RATELIMIT_ENABLED=false; here they are set tiny to see them bite.
"""

from __future__ import annotations

import os
import uuid

import pytest

from feedback_app.ratelimit import READS, SUBMISSIONS, client_key
from feedback_app.services.demo import seed_demo
from tests.conftest import new_client_id
from tests.servers import Server, prepare_database, request, server_env

API = "/api/v1/surveys/demo/responses"
CORE = {"joy": 4, "belonging": 5, "safety": 3}
REDIS_DB = 13  # a database number of its own, so flushing it touches nothing else
REDIS_URL = f"redis://127.0.0.1:6379/{REDIS_DB}"


@pytest.fixture
def limited_app(make_app):
    """Factory for an app with limits switched on (own database with the demo survey)."""

    def make(**overrides):
        config = {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://", **overrides}
        return make_app(seed_demo, **config)

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
        assert accepted.headers["X-RateLimit-Limit"] == "3"
    refused = _post(client)
    assert refused.status_code == 429
    assert refused.is_json and refused.json["error"] == "too_many_requests"
    assert int(refused.headers["Retry-After"]) > 0
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


def test_switched_off_for_benchmarks(limited_app):
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
    """A client for the test database number, or a skip (a failure in CI) without Redis."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI") == "true":
            pytest.fail("Redis is not reachable on 127.0.0.1:6379: required in CI")
        pytest.skip("Redis is not running here (CI starts it)")
    client.flushdb()
    return client


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
