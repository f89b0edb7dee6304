"""Arbitrary text and bytes against the JSON reader and the resident endpoints (Hypothesis).

Whatever arrives: never a 5xx, and a refused request stores nothing.
"""

from __future__ import annotations

import contextlib
import json
import math
import unicodedata
from urllib.parse import quote_from_bytes

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from feedback_app.extensions import db
from feedback_app.json_body import MAX_DEPTH, StrictJSONProvider
from feedback_app.models import Answer, Response
from feedback_app.questions import is_blank
from tests.conftest import new_client_id

API = "/api/v1/surveys/test/responses"
READER = StrictJSONProvider(Flask(__name__))
# Each example is a real request against the session's database: fewer of them.
requests = settings(
    max_examples=60,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
quick = settings(max_examples=200, derandomize=True, database=None, deadline=None)
json_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=10,
)


def _finite(value) -> bool:
    """Whether a decoded value holds no NaN or infinity (which JSON cannot express)."""
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, dict):
        return all(_finite(v) for v in value.values())
    if isinstance(value, list):
        return all(_finite(v) for v in value)
    return True


def counts(app) -> tuple[int, int]:
    """Stored responses and answer rows."""
    with app.app_context():
        responses = db.session.scalar(select(func.count()).select_from(Response))
        return responses, db.session.scalar(select(func.count()).select_from(Answer))


@pytest.fixture
def survey(make_survey):
    """The open survey ``test`` (joy, belonging, safety, comment)."""
    return make_survey()


@quick
@given(st.binary(max_size=200) | st.text(max_size=200))
def test_any_body_is_read_or_refused_as_a_value_error(body):
    # Anything but a ValueError (RecursionError, TypeError …) escapes get_json: a 500.
    with contextlib.suppress(ValueError):
        READER.loads(body)


@quick
@given(st.integers(1, 7000), st.booleans())
def test_nesting_is_refused_exactly_beyond_the_limit(depth, objects):
    text = '{"a":' * depth + "1" + "}" * depth if objects else "[" * depth + "]" * depth
    if depth <= MAX_DEPTH:
        expected = 1 if objects else []
        for _ in range(depth if objects else depth - 1):
            expected = {"a": expected} if objects else [expected]
        assert READER.loads(text) == expected
    else:
        with pytest.raises(ValueError):
            READER.loads(text)


@quick
@given(json_values)
def test_standard_json_round_trips_and_nan_is_refused(value):
    text = json.dumps(value)
    if not _finite(value):
        with pytest.raises(ValueError):
            READER.loads(text)
    else:
        assert READER.loads(text) == value


def test_the_app_reads_json_with_the_strict_reader(app):
    assert isinstance(app.json, StrictJSONProvider)


@requests
@given(st.binary(max_size=300))
def test_any_bytes_posted_to_the_api_get_a_4xx(app, client, survey, body):
    before = counts(app)
    response = client.post(API, data=body, content_type="application/json")
    assert response.status_code in (400, 415, 422)
    assert response.is_json
    assert counts(app) == before


@requests
@given(json_values, json_values)
def test_any_json_answer_is_stored_only_when_valid(app, client, survey, joy, comment):
    before = counts(app)
    answers = {"joy": joy, "belonging": 4, "safety": 3, "comment": comment}
    response = client.post(API, json={"client_id": new_client_id(), "answers": answers})
    # A blank joy is a skipped question (never a 3); the other answers still count.
    valid_joy = (type(joy) is int and 1 <= joy <= 5) or is_blank(joy)
    assert response.status_code < 500
    if response.status_code != 201:
        assert counts(app) == before
    if response.status_code == 201:
        assert valid_joy


@requests
@given(
    st.text(st.characters(exclude_categories=("Cs",)), max_size=8),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=60),
)
def test_any_form_text_is_stored_cleanly_or_refused(app, client, survey, joy, comment):
    before = counts(app)
    data = {"q_joy": joy, "q_belonging": "4", "q_safety": "3", "q_comment": comment}
    response = client.post("/s/test", data=data)
    assert response.status_code in (303, 422)
    if response.status_code == 422:
        assert counts(app) == before
        return
    assert joy in {"", "1", "2", "3", "4", "5", "01", "02", "03", "04", "05"}
    with app.app_context():
        newest = db.session.scalar(select(func.max(Response.id)))
        texts = db.session.scalars(select(Answer.text).where(Answer.response_id == newest))
        stored = [t for t in texts if t is not None]
    expected = unicodedata.normalize("NFC", comment.replace("\r\n", "\n").replace("\r", "\n"))
    assert stored == ([expected.strip()] if expected.strip() else [])


@requests
@given(st.binary(max_size=40))
def test_any_bytes_in_a_form_comment_never_store_invalid_text(app, client, survey, raw):
    before = counts(app)
    body = f"q_joy=5&q_belonging=4&q_safety=3&q_comment={quote_from_bytes(raw)}"
    response = client.post("/s/test", data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code in (303, 422)
    if response.status_code == 422:
        assert counts(app) == before
    with app.app_context():
        for text in db.session.scalars(select(Answer.text).where(Answer.text.is_not(None))):
            text.encode("utf-8")  # raises on a lone surrogate
            assert "\x00" not in text
