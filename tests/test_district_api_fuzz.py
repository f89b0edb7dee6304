"""Schemathesis fuzzes the district feed against its OpenAPI description, signed in by token."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from feedback_app.api.openapi import openapi_document
from tests.test_district_api import issue

schema = schemathesis.openapi.from_dict(openapi_document()).include(
    path="/api/v1/districts/summary"
)


@pytest.fixture
def token(app, make_account, districts):
    """Two districts with answers, and a bearer token of an official."""
    return issue(app, make_account)


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_district_feed_matches_its_schema(case, app, token):
    # Every request, including the checks' own follow-up calls, goes to the app in-process.
    case.operation.schema.app = app
    headers = {"Authorization": f"Bearer {token}"}
    response = case.call(headers=headers, app=app)
    case.validate_response(response, headers=headers, transport_kwargs={"app": app})
