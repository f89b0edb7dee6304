"""Bearer tokens for officials' tools that read the district feed.

An admin issues a token for an official's account; it is shown once and only its SHA-256
hash is stored. ``account_for_bearer`` is what an API view calls with the Authorization header.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from sqlalchemy import select

from feedback_app.clock import utc_now
from feedback_app.extensions import db
from feedback_app.i18n import _
from feedback_app.models import Account, ApiToken, Role
from feedback_app.services.people.accounts import AccountError

# A prefix makes leaked tokens easy to recognise in logs and by secret scanners.
TOKEN_PREFIX = "fiilis_"  # noqa: S105  (a public marker, not a secret)
READER_ROLES = frozenset({Role.OFFICIAL, Role.ADMIN})


def token_hash(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(account_id: int, label: str) -> tuple[ApiToken, str]:
    """Create a token for an official (or admin) account; return the row and the secret."""
    account = db.session.get(Account, account_id)
    if account is None or account.role not in READER_ROLES:
        raise AccountError(_("API tokens are only for officials."))
    label = label.strip()[:120]
    if not label:
        raise AccountError(_("Give the token a name, e.g. the tool that will use it."))
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(token_hash=token_hash(token), label=label, account_id=account.id)
    db.session.add(row)
    db.session.commit()
    return row, token


def revoke_token(token_id: int) -> bool:
    """Stop a token from working; False if it did not exist or was already revoked."""
    row = db.session.get(ApiToken, token_id)
    if row is None or row.revoked_at is not None:
        return False
    row.revoked_at = utc_now()
    db.session.commit()
    return True


def list_tokens() -> list[ApiToken]:
    """Every token, newest first, revoked ones included (for the record)."""
    return list(db.session.scalars(select(ApiToken).order_by(ApiToken.created_at.desc())))


def account_for_bearer(header_value: str | None) -> Account | None:
    """The active official or admin behind ``Authorization: Bearer <token>``, else None.

    Revoked tokens, deactivated accounts and accounts whose role changed away from official
    all read as None, so a caller only needs to answer 401.
    """
    if not header_value:
        return None
    scheme, _, token = header_value.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token.startswith(TOKEN_PREFIX):
        return None
    wanted = token_hash(token)
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == wanted))
    # The lookup is by hash; compare again in constant time so the match itself leaks nothing.
    if row is None or not hmac.compare_digest(row.token_hash, wanted) or row.revoked_at:
        return None
    account = row.account
    if not account.active or account.role not in READER_ROLES:
        return None
    return account
