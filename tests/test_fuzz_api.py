"""Schemathesis fuzzes every operation in /api/v1/openapi.json against the in-process app.

No 5xx, and every answer (status, content type, headers, body) must match the document.
Examples are bounded and derandomised so the suite is repeatable and quick. (Schemathesis'
own lazy pytest loader does not work with this pytest, so each operation is a
parametrised test that draws its cases from the operation's Hypothesis strategy.)
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from feedback_app.api.openapi import openapi_document
from feedback_app.extensions import db
from feedback_app.services.demo import seed_demo

HOST = {"Host": "fiilis.test"}  # the test app's SERVER_NAME
# A schema-valid body may still not fit the survey (its question keys, a required core
# answer, a closed survey): 422 and 410 are right there, so "valid data must be
# accepted" does not apply. Every other check runs.
EXCLUDED = [schemathesis.checks.positive_data_acceptance]
OPERATIONS = [
    (path, method)
    for path, item in openapi_document()["paths"].items()
    for method in item
    if method in {"get", "post", "put", "patch", "delete"}
]
FUZZ_SETTINGS = settings(
    max_examples=30,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def api_schema(app):
    """The document as the running app serves it, with the demo surveys in the database."""
    with app.app_context():
        seed_demo()
        db.session.commit()
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, headers=HOST)


def test_every_documented_operation_is_fuzzed():
    assert ("/api/v1/surveys/{code}/responses", "post") in OPERATIONS
    assert ("/api/v1/surveys/{code}/summary", "get") in OPERATIONS


@pytest.mark.parametrize(("path", "method"), OPERATIONS)
def test_operation_conforms_to_the_document(api_schema, path, method):
    operation = api_schema[path][method.upper()]

    @FUZZ_SETTINGS
    @given(case=operation.as_strategy())
    def check(case):
        case.call_and_validate(headers=HOST)

    check()


SURVEY_OPERATIONS = [(p, m) for p, m in OPERATIONS if "{code}" in p]


@pytest.mark.parametrize("code", ["demo", "demo-01"])  # open, closed
@pytest.mark.parametrize(("path", "method"), SURVEY_OPERATIONS)
def test_operation_on_real_surveys_conforms(api_schema, path, method, code):
    """The same with the code of a real open or closed survey, so bodies reach validation."""
    operation = api_schema[path][method.upper()]
    seen: set[int] = set()

    @FUZZ_SETTINGS
    @given(case=operation.as_strategy())
    def check(case):
        case.path_parameters = {**(case.path_parameters or {}), "code": code}
        seen.add(case.call_and_validate(headers=HOST, excluded_checks=EXCLUDED).status_code)

    check()
    assert seen, "no case was sent"
    assert max(seen) < 500
