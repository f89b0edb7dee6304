"""Invitation links: an admin creates one, the person sets a password, the link is used up."""

import hashlib
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from feedback_app.clock import utc_now
from feedback_app.extensions import db
from feedback_app.models import Account, Invitation, Role
from feedback_app.services.accounts import authenticate
from feedback_app.services.invitations import create_invitation

NEW_PASSWORD = "kolme kissaa ja koira"


@pytest.fixture
def admin(client, auth, make_account):
    """A signed-in admin."""
    auth.login(make_account("admin", email="admin@example.org"))
    return auth


def invite(client, admin, **data):
    """Create an invitation through the admin page; returns (response, link)."""
    token = admin.csrf_token("/admin/invitations")
    response = client.post("/admin/invitations?lang=en", data={**data, "csrf_token": token})
    match = re.search(r'id="invitation-link" type="text" readonly value="([^"]+)"', response.text)
    return response, (match.group(1) if match else None)


def accept(client, path, password, confirm=None, lang="en"):
    """Post the set-password form of an invitation link."""
    html = client.get(path).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    data = {"password": password, "confirm": confirm or password, "csrf_token": token}
    return client.post(f"{path}?lang={lang}", data=data)


def test_admin_invites_an_artist_who_sets_their_own_password(app, client, admin, make_project):
    """The full path: link shown once, only its hash stored, account created with projects."""
    project = make_project("Malmin tarinat")
    response, link = invite(
        client, admin, email="Uusi@Example.org", role="artist", projects=[project]
    )
    assert response.status_code == 200
    assert link and link.startswith("http://fiilis.test/invite/")
    assert "expires in 7 days" in response.text
    raw = link.rsplit("/", 1)[1]
    with app.app_context():
        stored = db.session.scalar(select(Invitation))
        assert stored.token_hash == hashlib.sha256(raw.encode()).hexdigest()
        assert raw not in (stored.token_hash, stored.project_ids, stored.email)
        assert stored.email == "uusi@example.org" and stored.role == Role.ARTIST
        lifetime = stored.expires_at - stored.created_at
        assert timedelta(days=6, hours=23) < lifetime <= timedelta(days=7)
    assert raw not in client.get("/admin/invitations").text  # shown once only

    newcomer = app.test_client()
    path = "/invite/" + raw
    page = newcomer.get(path + "?lang=fi")
    assert page.status_code == 200
    assert "uusi@example.org" in page.text and "Taiteilija" in page.text
    done = accept(newcomer, path, NEW_PASSWORD)
    assert done.status_code == 302
    with app.app_context():
        account = authenticate("uusi@example.org", NEW_PASSWORD)
        assert account is not None and account.role == Role.ARTIST
        assert [p.name for p in account.projects] == ["Malmin tarinat"]
        assert db.session.scalar(select(Invitation)).used_at is not None


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("en", "Password must be at least 12 characters long."),
        ("fi", "Salasanassa pitää olla vähintään 12 merkkiä."),
        ("sv", "Lösenordet måste ha minst 12 tecken."),
    ],
)
def test_weak_password_is_refused_in_each_language(app, client, lang, message):
    """A weak password keeps the link usable and says why, in the reader's language."""
    with app.app_context():
        _, raw = create_invitation("x@example.org", "official", [])
    response = accept(client, f"/invite/{raw}", "short", lang=lang)
    assert response.status_code == 400
    assert message in response.text
    with app.app_context():
        assert db.session.scalar(select(Account)) is None
        assert db.session.scalar(select(Invitation)).used_at is None


def test_mismatched_passwords_are_refused(app, client):
    """Typing the password twice catches typos."""
    with app.app_context():
        _, raw = create_invitation("x@example.org", "official", [])
    response = accept(client, f"/invite/{raw}", NEW_PASSWORD, confirm=NEW_PASSWORD + "x")
    assert response.status_code == 400
    assert "The passwords differ." in response.text


def test_used_link_answers_410(app, client):
    """A link works once; afterwards it says so clearly (410) in fi and sv."""
    with app.app_context():
        _, raw = create_invitation("x@example.org", "official", [])
    assert accept(client, f"/invite/{raw}", NEW_PASSWORD).status_code == 302
    again = app.test_client().get(f"/invite/{raw}?lang=fi")
    assert again.status_code == 410
    assert "Kutsulinkki ei enää toimi" in again.text
    assert "on jo käytetty" in again.text
    sv = app.test_client().get(f"/invite/{raw}?lang=sv")
    assert sv.status_code == 410 and "Inbjudningslänken fungerar inte längre" in sv.text


def test_expired_link_answers_410(app, client):
    """After 7 days the link is gone, and a POST cannot revive it."""
    with app.app_context():
        invitation, raw = create_invitation("x@example.org", "official", [])
        invitation.expires_at = utc_now() - timedelta(minutes=1)
        db.session.commit()
    response = client.get(f"/invite/{raw}?lang=en")
    assert response.status_code == 410
    assert "The link has expired" in response.text
    post = client.post(f"/invite/{raw}", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert post.status_code in (400, 410)
    with app.app_context():
        assert db.session.scalar(select(Account)) is None


def test_unknown_token_is_404(client):
    """A made-up link is simply not found."""
    assert client.get("/invite/not-a-real-token").status_code == 404


def test_invitation_refuses_existing_email_and_artist_without_project(client, admin, make_account):
    """Duplicates and artists without a project are refused with a reason (400)."""
    make_account("official", email="taken@example.org")
    taken, link = invite(client, admin, email="taken@example.org", role="official")
    assert taken.status_code == 400 and link is None
    assert "An account for taken@example.org already exists." in taken.text
    lonely, link = invite(client, admin, email="new@example.org", role="artist")
    assert lonely.status_code == 400 and link is None
    assert "Choose at least one project for an artist." in lonely.text


def test_admin_withdraws_an_invitation(app, client, admin):
    """A withdrawn link stops working at once."""
    with app.app_context():
        invitation, raw = create_invitation("x@example.org", "official", [])
        invitation_id = invitation.id
    token = admin.csrf_token("/admin/invitations")
    response = client.post(
        f"/admin/invitations/{invitation_id}/withdraw", data={"csrf_token": token}
    )
    assert response.status_code == 302
    assert app.test_client().get(f"/invite/{raw}").status_code == 404


def test_invitation_form_needs_csrf(app, client, admin):
    """No token, no invitation."""
    response = client.post("/admin/invitations", data={"email": "a@example.org", "role": "admin"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(Invitation)) is None


def test_admin_creates_a_password_link_for_a_forgotten_password(app, client, admin, make_account):
    """An existing account gets a single-use link; the old password stops working."""
    email = make_account("official", email="unohti@example.org")
    with app.app_context():
        from feedback_app.services.accounts import find_account

        account_id = find_account(email).id
    token = admin.csrf_token(f"/admin/accounts/{account_id}")
    response = client.post(
        f"/admin/accounts/{account_id}/password-link?lang=en", data={"csrf_token": token}
    )
    assert response.status_code == 200
    link = re.search(r'id="password-link" type="text" readonly value="([^"]+)"', response.text)
    path = "/invite/" + link.group(1).rsplit("/", 1)[1]
    person = app.test_client()
    page = person.get(path + "?lang=sv")
    assert "Ange ett nytt lösenord" in page.text and "unohti@example.org" in page.text
    assert accept(person, path, "short").status_code == 400
    done = accept(person, path, NEW_PASSWORD)
    assert done.status_code == 302
    with app.app_context():
        assert authenticate(email, NEW_PASSWORD) is not None
        assert authenticate(email, "correct horse battery staple") is None
        assert len(db.session.scalars(select(Account)).all()) == 2  # no new account
    assert app.test_client().get(path).status_code == 410


def test_no_password_link_for_a_deactivated_account(app, client, admin, make_account):
    """A deactivated account must be reactivated before it can get a new password."""
    from feedback_app.services.accounts import find_account, set_active

    email = make_account("official")
    with app.app_context():
        account_id = find_account(email).id
        set_active(account_id, False)
    token = admin.csrf_token(f"/admin/accounts/{account_id}")
    response = client.post(
        f"/admin/accounts/{account_id}/password-link?lang=fi", data={"csrf_token": token}
    )
    assert "Ota käyttäjätili ensin uudelleen käyttöön." in response.text
    assert 'id="password-link"' not in response.text
    with app.app_context():
        assert db.session.scalar(select(Invitation)) is None


def test_new_password_ends_sessions_signed_in_with_the_old_one(app, client, make_account):
    """After a password link is used, a session opened with the old password is signed out."""
    from feedback_app.services.accounts import find_account
    from feedback_app.services.invitations import create_password_link
    from tests.conftest import AuthActions

    email = make_account("official")
    AuthActions(client).login(email)
    assert client.get("/dashboard/").status_code == 200
    with app.app_context():
        _, raw = create_password_link(find_account(email).id)
    assert accept(app.test_client(), f"/invite/{raw}", NEW_PASSWORD).status_code == 302
    after = client.get("/dashboard/")
    assert after.status_code == 302 and "/login" in after.headers["Location"]
