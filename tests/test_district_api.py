"""``GET /api/v1/districts/summary``: session or bearer token, roles, suppression, OpenAPI."""

from __future__ import annotations

import pytest

from feedback_app.api.openapi import openapi_document
from feedback_app.services.people import api_tokens

URL = "/api/v1/districts/summary"


def issue(app, make_account, role: str = "official") -> str:
    """A fresh bearer token for a new account with ``role``."""
    email = make_account(role)
    with app.app_context():
        from sqlalchemy import select

        from feedback_app.extensions import db
        from feedback_app.models import Account

        account_id = db.session.scalar(select(Account.id).where(Account.email == email))
        _row, token = api_tokens.issue_token(account_id, "Impact report tool")
    return token


def test_anonymous_gets_401_json(client):
    response = client.get(URL)
    assert response.status_code == 401
    assert response.get_json()["error"] == "unauthorized"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_unknown_or_malformed_token_is_401(client):
    for header in ("Bearer fiilis_nope", "Basic abc", "Bearer"):
        assert client.get(URL, headers={"Authorization": header}).status_code == 401


def test_artist_session_is_403(auth, make_account):
    auth.login(make_account("artist"))
    response = auth.client.get(URL)
    assert response.status_code == 403
    assert response.get_json()["error"] == "forbidden"


@pytest.mark.parametrize("role", ["official", "admin"])
def test_session_of_official_or_admin(auth, make_account, districts, role):
    auth.login(make_account(role))
    data = auth.client.get(URL).get_json()
    names = {row["name"]: row for row in data["districts"]}
    assert set(names) == {"Malmi", "Kontula"}
    malmi = names["Malmi"]
    assert (malmi["name_sv"], malmi["responses"]) == ("Malm", 6)
    joy = malmi["indicators"]["joy"]
    assert joy["n"] == 6 and joy["index"] == 75.0
    assert len(joy["ci95"]) == 2 and joy["ci95"][0] < 75.0 < joy["ci95"][1]
    assert set(malmi["indicators"]) == {"joy", "belonging", "safety"}


def test_small_cells_are_null_in_the_feed(client, app, make_account, districts):
    token = issue(app, make_account)
    data = client.get(URL, headers={"Authorization": f"Bearer {token}"}).get_json()
    kontula = next(row for row in data["districts"] if row["name"] == "Kontula")
    assert kontula["responses"] == 0  # a cell under the threshold is counted nowhere
    for cell in kontula["indicators"].values():
        assert cell["suppressed"] is True
        assert cell["index"] is None and cell["ci95"] is None and cell["distribution"] is None
    assert data["min_group"] == 5


def test_bearer_token_and_revocation(client, app, make_account, districts):
    token = issue(app, make_account)
    headers = {"Authorization": f"Bearer {token}"}
    response = client.get(URL, headers=headers)
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"
    with app.app_context():
        row = api_tokens.list_tokens()[0]
        api_tokens.revoke_token(row.id)
    assert client.get(URL, headers=headers).status_code == 401


def test_filters_and_invalid_filter(client, app, make_account, districts):
    headers = {"Authorization": f"Bearer {issue(app, make_account)}"}
    one = client.get(URL + "?district=malmi", headers=headers).get_json()
    assert [row["name"] for row in one["districts"]] == ["Malmi"]
    actors = client.get(URL + "?tier=area_actor", headers=headers).get_json()
    kontula = next(row for row in actors["districts"] if row["name"] == "Kontula")
    assert kontula["responses"] == 6 and actors["tier"] == "area_actor"
    bad = client.get(URL + "?quarter=7", headers=headers)
    assert bad.status_code == 400
    assert bad.get_json()["field"] == "quarter"


def test_openapi_describes_the_feed_truthfully(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document == openapi_document()
    operation = document["paths"]["/api/v1/districts/summary"]["get"]
    assert {"bearerAuth": []} in operation["security"]
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert set(operation["responses"]) >= {"200", "400", "401", "403"}
    schema = document["components"]["schemas"]["DistrictSummary"]
    row = schema["properties"]["districts"]["items"]
    assert set(row["required"]) == {"slug", "name", "name_sv", "responses", "indicators"}


@pytest.mark.parametrize("slug", ["-", "--", "-malmi", "malmi-", "mal--mi"])
def test_a_district_that_is_no_slug_is_refused_as_the_schema_says(
    client, app, make_account, districts, slug
):
    import re

    headers = {"Authorization": f"Bearer {issue(app, make_account)}"}
    refused = client.get(URL, query_string={"district": slug}, headers=headers)
    assert refused.status_code == 400
    assert refused.get_json()["field"] == "district"
    operation = openapi_document()["paths"]["/api/v1/districts/summary"]["get"]
    schema = next(p["schema"] for p in operation["parameters"] if p["name"] == "district")
    assert not re.search(schema["pattern"], slug)
    assert re.search(schema["pattern"], "kannelmaki-malminkartano")
    ok = client.get(URL, query_string={"district": "kannelmaki-malminkartano"}, headers=headers)
    assert ok.status_code == 200
