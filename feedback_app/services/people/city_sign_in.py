"""Signing in with the city's identity provider: who the verified e-mail belongs to.

The provider vouches for a person's e-mail address; Fiilis decides what that person may do.
Only an address the provider marks verified counts, and it must belong to an active
account or to a pending invitation (which the sign-in then accepts, as setting a password
would). Nobody gets an account just by having a city login.
"""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from feedback_app.extensions import db
from feedback_app.models import Account, Invitation
from feedback_app.services.people.accounts import (
    AccountError,
    create_account,
    find_account,
    normalise_email,
)
from feedback_app.services.people.invitations import (
    InvitationGone,
    _claim,
    _now,
    _pending,
    projects_of,
)


class CitySignInRefused(Exception):
    """The provider's answer signs nobody in; ``reason`` says why.

    "unverified" (no e-mail, or one the provider has not verified), "unknown" (no account
    and no invitation for it) or "inactive" (a deactivated account).
    """

    def __init__(self, reason: str, email: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.email = email


def is_verified(email_verified: object) -> bool:
    """The ``email_verified`` claim as the provider meant it (some send the string "true")."""
    return email_verified is True or email_verified == "true"


def _pending_invitation(email: str) -> Invitation | None:
    """The newest usable invitation that creates an account for ``email``, if any."""
    return db.session.scalar(
        select(Invitation)
        .where(*_pending(email), Invitation.account_id.is_(None), Invitation.expires_at > _now())
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
    )


def _accept_by_city_sign_in(invitation: Invitation) -> Account:
    """Use up ``invitation`` and create its account, with a password nobody knows.

    The person signs in through the city from now on; if they ever need a password, an
    admin makes them a password link as for anyone who forgot theirs.
    """
    _claim(invitation)
    try:
        return create_account(
            invitation.email,
            invitation.role,
            secrets.token_urlsafe(32),
            projects=projects_of(invitation),
        )
    except (AccountError, IntegrityError):
        # The address got an account a moment ago (another tab, a link, create-user).
        db.session.rollback()
        raise InvitationGone("account_exists") from None


def account_for_city_sign_in(email: str | None, email_verified: object) -> Account:
    """The account a city sign-in with these claims opens, or ``CitySignInRefused``.

    An existing account comes first; otherwise a pending invitation for the address is
    accepted and its account created.
    """
    if not email or not is_verified(email_verified):
        raise CitySignInRefused("unverified")
    email = normalise_email(email)
    account = find_account(email)
    if account is not None:
        if not account.active:
            raise CitySignInRefused("inactive", email)
        return account
    invitation = _pending_invitation(email)
    if invitation is None:
        raise CitySignInRefused("unknown", email)
    try:
        return _accept_by_city_sign_in(invitation)
    except InvitationGone:
        account = find_account(email)
        if account is None or not account.active:
            raise CitySignInRefused("unknown", email) from None
        return account
