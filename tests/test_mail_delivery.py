"""Real e-mail: invitations and password links reach a local SMTP server, failures lose nothing."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.models import Account, OutgoingMail
from feedback_app.services.notifications.mailer import deliver_pending, queue, render_message
from feedback_app.services.people.accounts import create_account
from tests.conftest import STAFF_PASSWORD, AuthActions
from tests.mail_support import Mailbox, RefusingMailbox, body, free_port, start_server

LINK = re.compile(r'id="(?:invitation|password)-link" type="text" readonly value="([^"]+)"')


def invite(client, auth, **data):
    """Post the admin's invitation form; returns the response and the link shown."""
    token = auth.csrf_token("/admin/invitations")
    response = client.post("/admin/invitations?lang=en", data={**data, "csrf_token": token})
    match = LINK.search(response.text)
    return response, (match.group(1) if match else None)


def test_an_invitation_arrives_by_email_in_its_language(app, client, auth, make_account, mailbox):
    auth.login(make_account("admin", email="admin@example.org"))
    response, link = invite(client, auth, email="Uusi@Example.org", role="official", language="sv")
    assert response.status_code == 200
    assert "The link was e-mailed to uusi@example.org" in response.text
    assert 'data-copy="invitation-link"' in response.text  # the fallback to copy
    (message,) = mailbox.to("uusi@example.org")
    assert message["Subject"] == "Du är inbjuden till Fiilis"
    assert message.is_multipart()
    text, html = body(message, "plain"), body(message, "html")
    assert link.startswith("http://fiilis.test/invite/")
    assert link in text and f'href="{link}"' in html
    assert "<img" not in html  # no tracking pixel


def test_invitation_links_in_mail_ignore_a_forged_host(app, client, auth, make_account, mailbox):
    auth.login(make_account("admin", email="admin@example.org"))
    token = auth.csrf_token("/admin/invitations")
    from tests.test_public_links import forged_with_session

    response = app.test_client(use_cookies=False).post(
        "/admin/invitations?lang=en",
        data={"email": "new@example.org", "role": "official", "csrf_token": token},
        headers=forged_with_session(client),
    )
    assert response.status_code == 200
    (message,) = mailbox.to("new@example.org")
    assert "evil.example" not in message.as_string()
    assert "http://fiilis.test/invite/" in body(message)


def test_a_password_link_is_mailed_in_the_accounts_language(
    app, client, auth, make_account, mailbox
):
    auth.login(make_account("admin", email="admin@example.org"))
    make_account("artist", email="taiteilija@example.org")
    with app.app_context():
        person = db.session.scalar(select(Account).filter_by(email="taiteilija@example.org"))
        person.language = "en"
        db.session.commit()
        person_id = person.id
    token = auth.csrf_token(f"/admin/accounts/{person_id}")
    response = client.post(
        f"/admin/accounts/{person_id}/password-link?lang=en", data={"csrf_token": token}
    )
    link = LINK.search(response.text).group(1)
    (message,) = mailbox.to("taiteilija@example.org")
    assert message["Subject"] == "Set a new password for Fiilis"
    assert link in body(message) and link in body(message, "html")


def _admin(email="admin@example.org"):
    create_account(email, "admin", STAFF_PASSWORD)


@pytest.mark.parametrize("server", ["down", "refusing"])
def test_a_failed_invitation_mail_is_shown_to_the_admin_with_the_link(make_app, server):
    if server == "down":
        port, controller = free_port(), None
    else:
        controller, port = start_server(RefusingMailbox())
    try:
        other = make_app(_admin, MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_TIMEOUT=5)
        client = other.test_client()
        auth = AuthActions(client)
        auth.login("admin@example.org")
        response, link = invite(client, auth, email="new@example.org", role="official")
    finally:
        if controller:
            controller.stop()
    assert response.status_code == 200
    assert "could not be sent" in response.text
    assert link and link.startswith("http://fiilis.test/invite/")


def test_queued_mail_survives_a_server_that_is_down_and_goes_out_later(make_app):
    port = free_port()
    other = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_TIMEOUT=5)
    with other.app_context():
        message = render_message(
            "invitation",
            "x@example.org",
            "fi",
            link="http://fiilis.test/x",
            role="official",
            expires_at=__import__("datetime").datetime(2026, 12, 9),
        )
        assert queue(message, "test:1")
        assert not queue(message, "test:1")  # the same key is stored once
        db.session.commit()
        first = deliver_pending()
        row = db.session.scalar(select(OutgoingMail))
        assert (first.sent, first.failed) == (0, 1)
        assert row.sent_at is None and row.last_error and row.attempts == 1
    mailbox = Mailbox()
    controller = Controller_on(mailbox, port)
    try:
        with other.app_context():
            second = deliver_pending()
            assert (second.sent, second.failed) == (1, 0)
            assert db.session.scalar(select(OutgoingMail)).sent_at is not None
            assert deliver_pending().sent == 0  # sent once, never again
    finally:
        controller.stop()
    assert len(mailbox.to("x@example.org")) == 1


def Controller_on(handler, port):  # noqa: N802
    """Start an SMTP server on a given port (the one the app was configured with)."""
    from aiosmtpd.controller import Controller

    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    return controller
