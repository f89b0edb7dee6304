"""Single-use invitation links: an admin invites, the person sets their own password.

There is no mail server: the admin copies the link shown once and sends it themselves.
Only a SHA-256 hash of each token is stored, so a copy of the database holds no usable link.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import generate_password_hash

from feedback_app.clock import utc_now
from feedback_app.extensions import db
from feedback_app.models import Account, Invitation, Project, Role
from feedback_app.services.accounts import (
    AccountError,
    _,
    check_new_account,
    create_account,
    find_account,
    password_problem,
)

INVITATION_LIFETIME = timedelta(days=7)


class InvitationNotFound(LookupError):
    """No invitation has this token (mistyped or made up)."""


class InvitationGone(Exception):
    """The invitation was already used or has expired (HTTP 410)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "used" or "expired"


def token_hash(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def _now() -> datetime:
    """Naive UTC, like every timestamp column in the schema."""
    return utc_now()


def create_invitation(
    email: str, role: Role | str, project_ids: list[int], created_by_id: int | None = None
) -> tuple[Invitation, str]:
    """Record an invitation and return it with its secret token (never stored in the clear)."""
    role = check_new_account(email, role)
    if role == Role.ARTIST and not project_ids:
        raise AccountError(_("Choose at least one project for an artist."))
    known = set(db.session.scalars(select(Project.id).where(Project.id.in_(project_ids))))
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        token_hash=token_hash(token),
        email=email.strip().lower(),
        role=role,
        project_ids=",".join(str(pid) for pid in sorted(known)) if role == Role.ARTIST else "",
        created_by_id=created_by_id,
        expires_at=_now() + INVITATION_LIFETIME,
    )
    db.session.add(invitation)
    db.session.commit()
    return invitation, token


def create_password_link(
    account_id: int, created_by_id: int | None = None
) -> tuple[Invitation, str]:
    """A single-use link with which an existing account's owner sets a new password.

    Stored as an invitation for the account's email: ``create_invitation`` refuses emails
    that have accounts, so such an invitation can only be a password link.
    """
    account = db.session.get(Account, account_id)
    if account is None:
        raise LookupError(account_id)
    if not account.active:
        raise AccountError(_("Reactivate the account first."))
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        token_hash=token_hash(token),
        email=account.email,
        role=account.role,
        project_ids="",
        created_by_id=created_by_id,
        expires_at=_now() + INVITATION_LIFETIME,
    )
    db.session.add(invitation)
    db.session.commit()
    return invitation, token


def is_password_link(invitation: Invitation) -> bool:
    """Whether the link sets a new password for an existing account (else it creates one)."""
    return find_account(invitation.email) is not None


def invitation_for_token(token: str) -> Invitation:
    """The usable invitation for ``token``; else ``InvitationNotFound`` or ``InvitationGone``."""
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.token_hash == token_hash(token))
    )
    if invitation is None:
        raise InvitationNotFound(token[:4])
    if invitation.used_at is not None:
        raise InvitationGone("used")
    if invitation.expires_at <= _now():
        raise InvitationGone("expired")
    return invitation


def accept_invitation(token: str, password: str) -> Account:
    """Create the invited account with the person's own password and use up the link.

    The invitation is marked used in the same commit that creates the account, so a link
    cannot make two accounts; weak passwords and duplicates raise ``AccountError``.
    """
    invitation = invitation_for_token(token)
    existing = find_account(invitation.email)
    if existing is not None:
        return _set_new_password(invitation, existing, password)
    ids = [int(pid) for pid in invitation.project_ids.split(",") if pid]
    projects = list(db.session.scalars(select(Project).where(Project.id.in_(ids))))
    invitation.used_at = _now()
    try:
        return create_account(invitation.email, invitation.role, password, projects=projects)
    except AccountError:
        db.session.rollback()
        raise
    except IntegrityError:
        # The same link submitted twice at once: the unique email lets only one through.
        db.session.rollback()
        raise InvitationGone("used") from None


def _set_new_password(invitation: Invitation, account: Account, password: str) -> Account:
    """Replace the account's password (same rules as a new one) and use up the link."""
    problem = password_problem(password, account.email)
    if problem:
        raise AccountError(problem)
    account.password_hash = generate_password_hash(password)
    invitation.used_at = _now()
    db.session.commit()
    return account


def pending_invitations() -> list[Invitation]:
    """Invitations not yet used or expired, newest first."""
    return list(
        db.session.scalars(
            select(Invitation)
            .where(Invitation.used_at.is_(None), Invitation.expires_at > _now())
            .order_by(Invitation.created_at.desc())
        )
    )


def withdraw_invitation(invitation_id: int) -> bool:
    """Delete an unused invitation so its link stops working; False if there was none."""
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.used_at is not None:
        return False
    db.session.delete(invitation)
    db.session.commit()
    return True


def projects_of(invitation: Invitation) -> list[Project]:
    """The projects an artist's invitation will give membership of."""
    ids = [int(pid) for pid in invitation.project_ids.split(",") if pid]
    return list(db.session.scalars(select(Project).where(Project.id.in_(ids))))
