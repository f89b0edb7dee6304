"""Signed one-click unsubscribe links (no sign-in needed, nothing guessable), and the
messages to subscribers that carry one.

The token is the account id and the kind of message, signed with ``SECRET_KEY``
(itsdangerous); it holds no e-mail address and cannot be changed to unsubscribe anyone else.
"""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from feedback_app.links import public_url
from feedback_app.models import Account
from feedback_app.services.notifications.mailer import Message, render_message
from feedback_app.services.notifications.subscriptions import KINDS

SALT = "fiilis-unsubscribe"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def unsubscribe_token(account_id: int, kind: str) -> str:
    """The token for switching ``kind`` off for the account."""
    return _serializer().dumps({"a": account_id, "k": kind})


def unsubscribe_url(account_id: int, kind: str) -> str:
    """The link printed in each message (on PUBLIC_BASE_URL)."""
    return public_url("account.unsubscribe", signed=unsubscribe_token(account_id, kind))


def read_token(token: str) -> tuple[int, str] | None:
    """``(account_id, kind)`` from a valid token, else None (forged, cut or altered)."""
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    account_id, kind = data.get("a"), data.get("k")
    if type(account_id) is not int or kind not in KINDS:
        return None
    return account_id, kind


def subscriber_message(template: str, account: Account, kind: str, **context) -> Message:
    """``render_message`` to a subscriber of ``kind`` (``alerts``, ``digest``): to their
    address in their language, with the one-click unsubscribe link and their settings link."""
    return render_message(
        template,
        account.email,
        account.language,
        unsubscribe_url=unsubscribe_url(account.id, kind),
        account_url=public_url("account.settings"),
        **context,
    )
