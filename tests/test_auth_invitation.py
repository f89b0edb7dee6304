"""Invitation links: an admin creates one, the person sets a password, the link is used up."""

import hashlib
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from feedback_app.clock import utc_now
from feedback_app.extensions import db
from feedback_app.models import Account, Invitation, Role
from feedback_app.services.people.accounts import authenticate
from feedback_app.services.people.invitations import create_invitation

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
    """Post the set-password form of an invitation link (a dead link's page has no form,
    so the CSRF token then comes from the sign-in page: the POST itself must be refused)."""
    html = client.get(path).get_data(as_text=True)
    if "csrf_token" not in html:
        html = client.get("/login").get_data(as_text=True)
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
    assert "open the account and make a password link" in taken.text
    token = admin.csrf_token("/admin/invitations")
    fi = client.post(
        "/admin/invitations?lang=fi",
        data={"email": "taken@example.org", "role": "official", "csrf_token": token},
    )
    assert fi.status_code == 400 and "avaa käyttäjätili ja tee salasanalinkki" in fi.text
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
        from feedback_app.services.people.accounts import find_account

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
    from feedback_app.services.people.accounts import find_account, set_active

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
    from feedback_app.services.people.accounts import find_account
    from feedback_app.services.people.invitations import create_password_link
    from tests.conftest import AuthActions

    email = make_account("official")
    AuthActions(client).login(email)
    assert client.get("/dashboard/").status_code == 200
    with app.app_context():
        _, raw = create_password_link(find_account(email).id)
    assert accept(app.test_client(), f"/invite/{raw}", NEW_PASSWORD).status_code == 302
    after = client.get("/dashboard/")
    assert after.status_code == 302 and "/login" in after.headers["Location"]


def _password_link(app, email: str) -> str:
    """A new password link for the account with ``email``; returns its path."""
    from feedback_app.services.people.accounts import find_account
    from feedback_app.services.people.invitations import create_password_link

    with app.app_context():
        _, raw = create_password_link(find_account(email).id)
    return f"/invite/{raw}"


def test_second_invitation_cannot_take_over_the_account(app):
    """Two links for one email: the newest works, the older one can never set a password.

    Before, both stayed pending; once one had made the account, the other reset its
    password, so whoever held the older link took the account over.
    """
    with app.app_context():
        _, first = create_invitation("x@example.org", "official", [])
        _, second = create_invitation("x@example.org", "official", [])
    owner = app.test_client()
    assert accept(owner, f"/invite/{second}", NEW_PASSWORD).status_code == 302
    attacker = app.test_client()
    gone = attacker.get(f"/invite/{first}?lang=en")
    assert gone.status_code == 410
    assert "only the newest link works" in gone.text
    assert accept(attacker, f"/invite/{first}", "a different phrase entirely").status_code == 410
    with app.app_context():
        assert authenticate("x@example.org", NEW_PASSWORD) is not None
        assert authenticate("x@example.org", "a different phrase entirely") is None


def test_accepting_one_link_revokes_every_other(app):
    """Two pending links (as a database from before the fix may hold): one use ends both."""
    with app.app_context():
        _, kept = create_invitation("x@example.org", "official", [])
        db.session.add(
            Invitation(
                token_hash=hashlib.sha256(b"older-pending-link").hexdigest(),
                email="x@example.org",
                role=Role.ADMIN,
                expires_at=utc_now() + timedelta(days=1),
            )
        )
        db.session.commit()
    assert accept(app.test_client(), f"/invite/{kept}", NEW_PASSWORD).status_code == 302
    assert app.test_client().get("/invite/older-pending-link").status_code == 410
    with app.app_context():
        pending = db.session.scalars(select(Invitation).where(Invitation.used_at.is_(None)))
        assert all(row.revoked_at is not None for row in pending)
        assert db.session.scalar(select(Account)).role == Role.OFFICIAL


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("en", "An account for this email address already exists."),
        ("fi", "Tällä sähköpostiosoitteella on jo käyttäjätili."),
        ("sv", "Det finns redan ett konto för den här e-postadressen."),
    ],
)
def test_invitation_never_sets_the_password_of_an_existing_account(
    app, make_account, lang, message
):
    """An account made for the email meanwhile (create-user) keeps its password."""
    from feedback_app.services.people.invitations import pending_invitations

    with app.app_context():
        _, raw = create_invitation("x@example.org", "admin", [])
    make_account("artist", email="x@example.org")
    with app.app_context():
        assert pending_invitations() == []  # no longer listed as waiting
    visitor = app.test_client()
    page = visitor.get(f"/invite/{raw}?lang={lang}")
    assert page.status_code == 410
    assert message in page.text
    with app.app_context():
        assert authenticate("x@example.org", "correct horse battery staple").role == Role.ARTIST


def test_newer_password_link_replaces_the_older(app, make_account):
    """Only the newest password link for an account works."""
    email = make_account("official")
    older, newer = _password_link(app, email), _password_link(app, email)
    assert app.test_client().get(older).status_code == 410
    assert accept(app.test_client(), older, NEW_PASSWORD).status_code == 410
    assert accept(app.test_client(), newer, NEW_PASSWORD).status_code == 302
    assert app.test_client().get(newer).status_code == 410  # single use


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("en", "The account has been deactivated."),
        ("fi", "Käyttäjätili on poistettu käytöstä."),
        ("sv", "Kontot har inaktiverats."),
    ],
)
def test_password_link_dies_with_deactivation(app, make_account, lang, message):
    """Deactivating an account revokes its link for good, reactivation does not revive it."""
    from feedback_app.services.people.accounts import find_account, set_active

    email = make_account("official")
    path = _password_link(app, email)
    with app.app_context():
        set_active(find_account(email).id, False)
    page = app.test_client().get(f"{path}?lang={lang}")
    assert page.status_code == 410 and message in page.text
    with app.app_context():
        set_active(find_account(email).id, True)
    assert accept(app.test_client(), path, NEW_PASSWORD).status_code == 410
    with app.app_context():
        assert authenticate(email, NEW_PASSWORD) is None


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("en", "This password is too common or too easy to guess."),
        ("fi", "Salasana on liian yleinen tai liian helppo arvata."),
        ("sv", "Lösenordet är för vanligt eller för lätt att gissa."),
    ],
)
@pytest.mark.parametrize("password", ["password1234", "qwertyuiop123", "Helsinki2026!"])
def test_guessable_passwords_are_refused_on_links(app, make_account, lang, message, password):
    """Invitations and password links refuse common passwords, saying why; nothing changes."""
    email = make_account("official")
    with app.app_context():
        _, raw = create_invitation("x@example.org", "official", [])
    for path in (f"/invite/{raw}", _password_link(app, email)):
        response = accept(app.test_client(), path, password, lang=lang)
        assert response.status_code == 400
        assert message in response.text
    with app.app_context():
        assert db.session.scalar(select(Account).filter_by(email="x@example.org")) is None
        assert authenticate(email, password) is None
        assert all(row.used_at is None for row in db.session.scalars(select(Invitation)))


def test_pending_list_shows_only_the_newest_invitation(client, admin):
    """The admin sees one pending invitation per email after inviting twice."""
    invite(client, admin, email="x@example.org", role="official")
    invite(client, admin, email="x@example.org", role="admin")
    html = client.get("/admin/invitations?lang=en").text
    assert html.count("x@example.org") == 1
