"""API tokens: issued by an admin for an official, shown once, stored hashed, revocable."""

import hashlib
import re

import pytest
from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.models import ApiToken
from feedback_app.services.people.accounts import find_account, set_active, update_account
from feedback_app.services.people.api_tokens import account_for_bearer, issue_token


@pytest.fixture
def admin(client, auth, make_account):
    """A signed-in admin."""
    auth.login(make_account("admin"))
    return auth


def test_admin_issues_a_token_shown_once_and_stored_hashed(app, client, admin, make_account):
    """The secret appears in the response that created it and nowhere else."""
    official = make_account("official", email="virkailija@example.org")
    with app.app_context():
        official_id = find_account(official).id
    token = admin.csrf_token("/admin/tokens")
    response = client.post(
        "/admin/tokens",
        data={"account": official_id, "label": "Raportointi", "csrf_token": token},
    )
    assert response.status_code == 200
    secret = re.search(r'id="new-token" type="text" readonly value="([^"]+)"', response.text)
    secret = secret.group(1)
    assert secret.startswith("fiilis_")
    with app.app_context():
        row = db.session.scalar(select(ApiToken))
        assert row.token_hash == hashlib.sha256(secret.encode()).hexdigest()
        assert row.label == "Raportointi"
        assert account_for_bearer(f"Bearer {secret}").email == official
    listing = client.get("/admin/tokens?lang=fi").text
    assert secret not in listing
    assert "Raportointi" in listing and "Peru" in listing


def test_revoked_token_stops_working(app, client, admin, make_account):
    """Revoking is immediate."""
    official = make_account("official")
    with app.app_context():
        row, secret = issue_token(find_account(official).id, "Excel")
        row_id = row.id
    token = admin.csrf_token("/admin/tokens")
    response = client.post(f"/admin/tokens/{row_id}/revoke", data={"csrf_token": token})
    assert response.status_code == 302
    with app.app_context():
        assert account_for_bearer(f"Bearer {secret}") is None
    assert (
        client.post(f"/admin/tokens/{row_id}/revoke", data={"csrf_token": token}).status_code == 404
    )


def test_tokens_are_only_for_officials(app, make_account, make_project):
    """An artist's account cannot hold a token."""
    from feedback_app.services.people.accounts import AccountError

    artist = make_account("artist", projects=[make_project()])
    with app.app_context(), pytest.raises(AccountError):
        issue_token(find_account(artist).id, "Nope")


@pytest.mark.parametrize(
    "header", [None, "", "Bearer", "Bearer ", "Basic abc", "Bearer fiilis_wrong", "fiilis_x"]
)
def test_bad_headers_give_no_account(app, header):
    """Missing, malformed or unknown tokens all read as no account."""
    with app.app_context():
        assert account_for_bearer(header) is None


def test_token_dies_with_deactivation_or_role_change(app, make_account):
    """A deactivated official, or one who is now an artist, no longer reads with the token."""
    official = make_account("official")
    with app.app_context():
        account_id = find_account(official).id
        _, secret = issue_token(account_id, "Excel")
        header = f"bearer  {secret} "
        assert account_for_bearer(header).id == account_id
        set_active(account_id, False)
        assert account_for_bearer(header) is None
        set_active(account_id, True)
        update_account(account_id, "artist", [])
        assert account_for_bearer(header) is None


def test_token_forms_need_csrf(app, client, admin, make_account):
    """Issuing without the CSRF token is refused."""
    official = make_account("official")
    with app.app_context():
        official_id = find_account(official).id
    response = client.post("/admin/tokens", data={"account": official_id, "label": "x"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(ApiToken)) is None
