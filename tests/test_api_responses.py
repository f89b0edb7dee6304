"""The JSON API: submit responses exactly once, read summaries, describe itself."""

import json

import pytest
from sqlalchemy import func, select

from feedback_app.extensions import db
from feedback_app.models import Answer, Response, SurveyStatus
from tests.conftest import new_client_id

URL = "/api/v1/surveys/test/responses"
CORE = {"joy": 4, "belonging": 5, "safety": 3}


def stored(app) -> int:
    """How many responses the database holds."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Response))


def post(client, body, **kwargs):
    """POST a JSON body."""
    return client.post(URL, json=body, **kwargs)


def test_new_response_is_created(app, client, make_survey):
    """A valid answer → 201 and one stored response with its answers."""
    make_survey()
    client_id = new_client_id()
    response = post(client, {"client_id": client_id, "locale": "sv", "answers": CORE})
    assert response.status_code == 201
    assert response.json == {
        "status": "created",
        "client_id": client_id,
        "summary_url": "/api/v1/surveys/test/summary",
    }
    with app.app_context():
        row = db.session.scalar(select(Response))
        assert (row.client_id, row.locale) == (client_id, "sv")
        assert sorted(a.score for a in row.answers) == [3, 4, 5]


def test_identical_replay_is_200_and_adds_nothing(app, client, make_survey):
    """The outbox may send twice: the second time is acknowledged, not stored again."""
    make_survey()
    body = {"client_id": new_client_id(), "locale": "fi", "answers": CORE}
    assert post(client, body).status_code == 201
    replay = post(client, body)
    assert replay.status_code == 200
    assert replay.json["status"] == "duplicate"
    assert stored(app) == 1
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Answer)) == 3


def test_replay_with_answers_in_other_order_is_identical(client, make_survey):
    """Key order does not make a replay different."""
    make_survey()
    client_id = new_client_id()
    post(client, {"client_id": client_id, "answers": {"joy": 4, "belonging": 5, "safety": 3}})
    replay = post(
        client, {"client_id": client_id, "answers": {"safety": 3, "joy": 4, "belonging": 5}}
    )
    assert replay.status_code == 200


def test_replay_with_other_answers_is_a_duplicate_and_changes_nothing(app, client, make_survey):
    """The same client_id with different answers: 200 duplicate, the first answer kept."""
    make_survey()
    client_id = new_client_id()
    post(client, {"client_id": client_id, "answers": CORE})
    replay = post(client, {"client_id": client_id, "answers": {**CORE, "joy": 1}})
    assert replay.status_code == 200 and replay.json["status"] == "duplicate"
    assert stored(app) == 1
    with app.app_context():
        assert (
            db.session.scalar(select(Answer.score).join(Answer.response).where(Answer.score == 1))
            is None
        )


def test_client_id_reused_on_another_survey_is_a_duplicate(app, client, make_survey):
    """A client id stores one answer, on one survey; sent elsewhere it adds nothing."""
    make_survey(code="test")
    make_survey(code="other")
    client_id = new_client_id()
    assert post(client, {"client_id": client_id, "answers": CORE}).status_code == 201
    other = client.post(
        "/api/v1/surveys/other/responses", json={"client_id": client_id, "answers": CORE}
    )
    assert other.status_code == 200 and other.json["status"] == "duplicate"
    assert stored(app) == 1


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"client_id": "not-a-uuid", "answers": CORE}, 422, "client_id"),
        ({"client_id": 12, "answers": CORE}, 422, "client_id"),
        ({"client_id": "00000000-0000-1000-8000-000000000000", "answers": CORE}, 422, "client_id"),
        ({"answers": CORE}, 422, "client_id"),
        ({"client_id": "ID", "answers": {**CORE, "joy": 6}}, 422, "answers.joy"),
        ({"client_id": "ID", "answers": {**CORE, "joy": 0}}, 422, "answers.joy"),
        ({"client_id": "ID", "answers": {**CORE, "joy": "4"}}, 422, "answers.joy"),
        ({"client_id": "ID", "answers": {**CORE, "joy": 4.5}}, 422, "answers.joy"),
        ({"client_id": "ID", "answers": {**CORE, "joy": True}}, 422, "answers.joy"),
        ({"client_id": "ID", "answers": {**CORE, "mood": 3}}, 422, "answers.mood"),
        ({"client_id": "ID", "answers": {"joy": None, "comment": " "}}, 422, "answers"),
        ({"client_id": "ID", "answers": {**CORE, "comment": 5}}, 422, "answers.comment"),
        ({"client_id": "ID", "answers": {**CORE, "comment": "x" * 1001}}, 422, "answers.comment"),
        ({"client_id": "ID", "answers": [4, 5, 3]}, 422, "answers"),
        ({"client_id": "ID"}, 422, "answers"),
        ({"client_id": "ID", "locale": "de", "answers": CORE}, 422, "locale"),
        ({"client_id": "ID", "locale": 7, "answers": CORE}, 422, "locale"),
        ({"client_id": "ID", "answers": CORE, "ip": "1.2.3.4"}, 422, "ip"),
    ],
)
def test_invalid_input_names_the_field_and_stores_nothing(
    app, client, make_survey, body, status, field
):
    """Every kind of bad input gets a JSON error naming the field; nothing is stored."""
    make_survey()
    if body.get("client_id") == "ID":
        body["client_id"] = new_client_id()
    response = post(client, body)
    assert response.status_code == status
    assert response.json["field"] == field
    assert response.json["message"]
    assert stored(app) == 0


@pytest.mark.parametrize("payload", [b"{not json", b"[1, 2]", b'"text"'])
def test_malformed_json_is_400(app, client, make_survey, payload):
    """A body that is not a JSON object is a 400 with a JSON error."""
    make_survey()
    response = client.post(URL, data=payload, content_type="application/json")
    assert response.status_code == 400
    assert response.json["error"] == "malformed_json"
    assert stored(app) == 0


def test_wrong_content_type_is_415(client, make_survey):
    """Form-encoded bodies are not accepted by the JSON API."""
    make_survey()
    assert client.post(URL, data={"client_id": "x"}).status_code == 415


def test_unknown_and_draft_surveys_are_404(client, make_survey):
    """No survey, or a draft, looks the same from outside."""
    make_survey(code="draft", status=SurveyStatus.DRAFT)
    for code in ("nothing", "draft"):
        response = client.post(
            f"/api/v1/surveys/{code}/responses",
            json={"client_id": new_client_id(), "answers": CORE},
        )
        assert response.status_code == 404
        assert response.json["error"] == "not_found"


def test_closed_survey_is_410(app, client, make_survey):
    """Answers to a closed survey are refused with 410."""
    make_survey(status=SurveyStatus.CLOSED)
    response = post(client, {"client_id": new_client_id(), "answers": CORE})
    assert response.status_code == 410
    assert stored(app) == 0


def test_optional_comment_and_locale_default(app, client, make_survey):
    """Locale defaults to the survey's first language; a comment is stored as text."""
    make_survey()
    body = {"client_id": new_client_id(), "answers": {**CORE, "comment": " Hieno ilta! "}}
    assert post(client, body).status_code == 201
    with app.app_context():
        row = db.session.scalar(select(Response))
        assert row.locale == "fi"
        assert [a.text for a in row.answers if a.text] == ["Hieno ilta!"]


def test_summary_withheld_below_five(client, make_survey):
    """Below five answers the summary gives counts only."""
    make_survey()
    for _ in range(4):
        post(client, {"client_id": new_client_id(), "answers": CORE})
    data = client.get("/api/v1/surveys/test/summary").json
    assert data["responses"] == 4
    # Figures are published in steps of five answers: before the first step, nothing.
    assert data["indicators"]["joy"] == {
        "n": 0,
        "index": None,
        "distribution": None,
        "suppressed": True,
    }


def test_summary_from_five_answers(client, make_survey):
    """Index = mean of (answer − 1) × 25, with the five-count distribution."""
    make_survey()
    for joy in (1, 2, 3, 4, 5):
        post(client, {"client_id": new_client_id(), "answers": {**CORE, "joy": joy}})
    data = client.get("/api/v1/surveys/test/summary").json
    assert data["code"] == "test"
    assert data["title"] == "Tarinailta"
    assert data["responses"] == 5
    assert data["indicators"]["joy"] == {
        "n": 5,
        "index": 50.0,
        "distribution": [1, 1, 1, 1, 1],
        "suppressed": False,
    }
    assert data["indicators"]["belonging"]["index"] == 100.0
    assert set(data["indicators"]) == {"joy", "belonging", "safety"}


def test_summary_of_closed_survey_still_readable(client, make_survey):
    """Results stay available after an event; drafts stay hidden."""
    make_survey(code="test", status=SurveyStatus.CLOSED)
    make_survey(code="draft", status=SurveyStatus.DRAFT)
    assert client.get("/api/v1/surveys/test/summary").status_code == 200
    assert client.get("/api/v1/surveys/draft/summary").status_code == 404


def test_openapi_document_lists_every_api_route(app, client):
    """Every /api/v1 route and /healthz is described in the OpenAPI 3.1 document."""
    doc = client.get("/api/v1/openapi.json").json
    assert doc["openapi"].startswith("3.1")
    described = {path.replace("{", "<").replace("}", ">") for path in doc["paths"]}
    routes = {
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/") or rule.rule == "/healthz"
    }
    assert routes <= described
    post_doc = doc["paths"]["/api/v1/surveys/{code}/responses"]["post"]
    assert {"200", "201", "400", "404", "410", "422"} <= set(post_doc["responses"])
    # A replay is a plain 200 duplicate; 409 is only a survey that changed mid-request.
    assert "changed" in post_doc["responses"]["409"]["description"]
    assert "replay" not in post_doc["responses"]["409"]["description"].lower()


def test_healthz_checks_database(client):
    """The health check answers with the database status."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_unknown_api_path_is_json_404(client):
    """Errors under /api are JSON, never HTML."""
    response = client.get("/api/v1/nothing")
    assert response.status_code == 404
    assert response.is_json
    assert json.loads(response.data)["error"] == "not_found"
