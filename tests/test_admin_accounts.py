"""Admin pages for accounts: list, role change, project membership, deactivation."""

import pytest
from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.models import Account, Role
from feedback_app.services.people.accounts import find_account


@pytest.fixture
def admin(client, auth, make_account):
    """A signed-in admin; returns their email."""
    email = make_account("admin", email="admin@example.org")
    auth.login(email)
    return email


def account_id(app, email: str) -> int:
    """The id of the account with ``email``."""
    with app.app_context():
        return find_account(email).id


def post(client, auth, path, data, form_path=None, **kwargs):
    """POST with a CSRF token read from ``form_path`` (default: the same page)."""
    token = auth.csrf_token(form_path or path)
    return client.post(path, data={**data, "csrf_token": token}, **kwargs)


def test_lists_accounts_with_translated_roles(client, auth, admin, make_account, make_project):
    """The list shows every account, its role in the reader's language and its projects."""
    make_account(
        "artist", email="taiteilija@example.org", projects=[make_project("Malmin tarinat")]
    )
    make_account("official", email="virkailija@example.org")
    html = client.get("/admin/accounts?lang=fi").get_data(as_text=True)
    assert "taiteilija@example.org" in html and "virkailija@example.org" in html
    assert "Taiteilija" in html and "Virkailija" in html and "Malmin tarinat" in html
    sv = client.get("/admin/accounts?lang=sv").get_data(as_text=True)
    assert "Konstnär" in sv and "Tjänsteperson" in sv


def test_changes_role_and_projects(app, client, auth, admin, make_account, make_project):
    """An admin makes an official an artist of two projects; the change is stored."""
    first, second = make_project("Malmin tarinat"), make_project("Kontulan kuoro", "kontula")
    email = make_account("official")
    path = f"/admin/accounts/{account_id(app, email)}"
    response = post(client, auth, path, {"role": "artist", "projects": [first, second]})
    assert response.status_code == 302
    with app.app_context():
        account = find_account(email)
        assert account.role == Role.ARTIST
        assert sorted(p.id for p in account.projects) == sorted([first, second])
    back = post(client, auth, path, {"role": "official", "projects": [first]})
    assert back.status_code == 302
    with app.app_context():
        account = find_account(email)
        assert account.role == Role.OFFICIAL and account.projects == []


def test_admin_cannot_demote_or_deactivate_themselves(app, client, auth, admin):
    """Guard against locking everyone out of the admin area."""
    own = account_id(app, admin)
    demote = post(client, auth, f"/admin/accounts/{own}?lang=en", {"role": "artist"})
    assert demote.status_code == 400
    assert "You cannot remove your own admin role." in demote.get_data(as_text=True)
    post(client, auth, f"/admin/accounts/{own}/active", {"active": "0"}, "/admin/accounts")
    with app.app_context():
        account = find_account(admin)
        assert account.role == Role.ADMIN and account.active


def test_deactivation_signs_the_person_out_and_blocks_sign_in(
    app, client, auth, admin, make_account
):
    """A deactivated official's open session stops working and they cannot sign in again."""
    email = make_account("official")
    other = app.test_client()
    from tests.conftest import AuthActions

    AuthActions(other).login(email)
    assert other.get("/login").status_code == 200
    target = account_id(app, email)
    response = post(
        client, auth, f"/admin/accounts/{target}/active", {"active": "0"}, "/admin/accounts"
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Account, target).active is False
    html = client.get("/admin/accounts?lang=sv").get_data(as_text=True)
    assert "Inaktiverat" in html
    assert AuthActions(app.test_client()).login(email).status_code == 401
    assert other.get("/admin/").status_code == 302  # the old session is no longer signed in
    post(client, auth, f"/admin/accounts/{target}/active", {"active": "1"}, "/admin/accounts")
    with app.app_context():
        assert db.session.get(Account, target).active is True


def test_unknown_account_is_404(client, admin):
    """Editing a missing account is a plain 404."""
    assert client.get("/admin/accounts/999999").status_code == 404


def test_account_forms_need_csrf(app, client, admin, make_account):
    """Role change and deactivation without the token are refused with 400."""
    target = account_id(app, make_account("official"))
    assert client.post(f"/admin/accounts/{target}", data={"role": "admin"}).status_code == 400
    assert client.post(f"/admin/accounts/{target}/active", data={"active": "0"}).status_code == 400
    with app.app_context():
        account = db.session.get(Account, target)
        assert account.role == Role.OFFICIAL and account.active
    with app.app_context():
        assert len(db.session.scalars(select(Account)).all()) == 2
