"""Multipart e-mail in the recipient's language, sent now or through the outbox.

Every message has a plain-text body and an HTML alternative rendered from
``templates/mail/<name>.txt`` and ``.html`` under the recipient's language. The HTML has no
images and no redirecting links: nothing tells anyone when or whether a message was read.

Alerts and digests go through the ``outgoing_mail`` table: queued in the transaction that
decides to send them, then delivered. A mail server that is down or refuses loses nothing:
the row stays unsent with its error, the run reports the failure (the CLI exits non-zero)
and the next run tries again.
"""

from __future__ import annotations

import logging
import smtplib
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, render_template
from flask_babel import force_locale
from flask_mailman import EmailMultiAlternatives
from sqlalchemy import or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from feedback_app.clock import utc_now
from feedback_app.extensions import db, mail
from feedback_app.models import OutgoingMail
from feedback_app.services.charts.chart_style import indicator_name

log = logging.getLogger(__name__)

MAIL_LANGUAGES = ("fi", "sv", "en")
# How long one sender holds a message before another run may try it (a crashed sender).
CLAIM_TIME = timedelta(minutes=10)
# Errors of the mail server or the network: the message stays queued for the next run.
DELIVERY_ERRORS = (smtplib.SMTPException, OSError, socket.timeout)


class DeliveryFailed(Exception):
    """The mail server could not be reached or refused the message."""


@dataclass(frozen=True)
class Message:
    """One rendered message for one person."""

    recipient: str
    subject: str
    text: str
    html: str
    unsubscribe_url: str | None = None


def mail_language(language: str | None) -> str:
    """The account's e-mail language, Finnish when unknown."""
    return language if language in MAIL_LANGUAGES else "fi"


def render_message(
    template: str, recipient: str, language: str, unsubscribe_url: str | None = None, **context
) -> Message:
    """Render ``mail/<template>.txt`` and ``.html`` (and the subject block) in ``language``."""
    language = mail_language(language)
    with force_locale(language):
        context = {
            "lang": language,
            "unsubscribe_url": unsubscribe_url,
            # Without the soft hyphens the page names carry for narrow screens.
            "indicator_name": lambda key: indicator_name(key).replace("\xad", ""),
            **context,
        }
        text = render_template(f"mail/{template}.txt", **context)
        html = render_template(f"mail/{template}.html", **context)
        subject = render_template(f"mail/{template}.subject", **context).strip()
    return Message(recipient, " ".join(subject.split()), text, html, unsubscribe_url)


def _email(message: Message) -> EmailMultiAlternatives:
    """The Flask-Mailman message: plain text with an HTML alternative."""
    headers = {"Auto-Submitted": "auto-generated"}
    if message.unsubscribe_url:
        # RFC 8058: mail clients offer their own unsubscribe button, which POSTs here.
        headers["List-Unsubscribe"] = f"<{message.unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.text,
        from_email=current_app.config["MAIL_DEFAULT_SENDER"],
        to=[message.recipient],
        headers=headers,
    )
    email.attach_alternative(message.html, "text/html")
    return email


def send_now(message: Message) -> None:
    """Hand one message to the mail server; ``DeliveryFailed`` if it cannot take it."""
    email = _email(message)
    try:
        # The connection is closed also when the server refuses the message.
        with mail.get_connection(fail_silently=False) as connection:
            sent = connection.send_messages([email])
    except DELIVERY_ERRORS as error:
        log.warning("E-mail to %s not sent: %s", message.recipient, error)
        raise DeliveryFailed(str(error)) from error
    if sent != 1:
        raise DeliveryFailed("the mail server accepted no message")


def queue(message: Message, dedupe_key: str) -> bool:
    """Add a message to the outbox unless one with ``dedupe_key`` exists (caller commits).

    ``INSERT … ON CONFLICT DO NOTHING`` on the unique key: two runs queueing the same
    message at once store it once. Returns whether this call stored it.
    """
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    stmt = (
        insert(OutgoingMail)
        .values(
            dedupe_key=dedupe_key,
            recipient=message.recipient,
            subject=message.subject[:300],
            text_body=message.text,
            html_body=message.html,
            unsubscribe_url=message.unsubscribe_url,
            created_at=utc_now(),
            attempts=0,
        )
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
        .returning(OutgoingMail.id)
    )
    # A row comes back only when this call stored one (SQLite 3.35+ and PostgreSQL).
    return db.session.execute(stmt).scalar() is not None


@dataclass(frozen=True)
class Delivery:
    """What one outbox run did."""

    sent: int
    failed: int
    errors: tuple[str, ...] = ()


def _claim(mail_id: int, now: datetime) -> bool:
    """Take one unsent message for this run; False when another run has it or sent it."""
    claimed = db.session.execute(
        update(OutgoingMail)
        .where(
            OutgoingMail.id == mail_id,
            OutgoingMail.sent_at.is_(None),
            or_(OutgoingMail.claimed_until.is_(None), OutgoingMail.claimed_until < now),
        )
        .values(claimed_until=now + CLAIM_TIME, attempts=OutgoingMail.attempts + 1)
    )
    db.session.commit()
    return claimed.rowcount == 1


def deliver_pending() -> Delivery:
    """Send every unsent message in the outbox, oldest first; failures stay for a retry."""
    sent = failed = 0
    errors: list[str] = []
    pending = list(
        db.session.scalars(
            select(OutgoingMail.id).where(OutgoingMail.sent_at.is_(None)).order_by(OutgoingMail.id)
        )
    )
    for mail_id in pending:
        if not _claim(mail_id, utc_now()):
            continue
        row = db.session.get(OutgoingMail, mail_id)
        message = Message(
            row.recipient, row.subject, row.text_body, row.html_body, row.unsubscribe_url
        )
        try:
            send_now(message)
        except DeliveryFailed as error:
            row.claimed_until = None
            row.last_error = str(error)[:500]
            failed += 1
            errors.append(f"{row.recipient}: {error}")
            log.warning("Queued e-mail %s kept for a retry: %s", mail_id, error)
        else:
            row.sent_at = utc_now()
            row.last_error = None
            sent += 1
        db.session.commit()
    return Delivery(sent, failed, tuple(errors))
