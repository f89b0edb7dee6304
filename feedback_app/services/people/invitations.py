"""Single-use links: an admin invites a new person, or gives an account a password link.

The link is e-mailed to the person (``mail_link``) and also shown once to the admin, who
can copy it and send it another way when the mail server is down or refuses. Only a
SHA-256 hash of each token is stored, so a copy of the database holds no usable link.

Account takeover is what these rules answer: only the newest link for an email works (a new
one revokes the older ones, accepting one revokes all others), a link works once and for
7 days, an invitation can only create an account (never set the password of one that
exists), and a password link is bound to its account and dies when that is deactivated.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.security import generate_password_hash

from feedback_app.clock import utc_now
from feedback_app.extensions import db
from feedback_app.models import Account, Invitation, Project, Role
from feedback_app.services.notifications.mailer import mail_language, render_message, send_now
from feedback_app.services.people.accounts import (
    AccountError,
    _,
    check_new_account,
    create_account,
    end_sessions,
    find_account,
    normalise_email,
    password_problem,
)

INVITATION_LIFETIME = timedelta(days=7)


class InvitationNotFound(LookupError):
    """No invitation has this token (mistyped or made up)."""


class InvitationGone(Exception):
    """The link no longer works (HTTP 410); ``reason`` says why."""

    def __init__(self, reason: str):
        super().__init__(reason)
        # "used", "expired", "replaced" (a newer link exists), "account_exists" (an
        # invitation whose email has an account by now) or "inactive" (deactivated account).
        self.reason = reason


def token_hash(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def _now() -> datetime:
    """Naive UTC, like every timestamp column in the schema."""
    return utc_now()


def _pending(email: str):
    """SQL condition: unused, unrevoked links for ``email``."""
    return (
        func.lower(Invitation.email) == normalise_email(email),
        Invitation.used_at.is_(None),
        Invitation.revoked_at.is_(None),
    )


def _revoke_others(email: str, keep_id: int | None = None) -> None:
    """Revoke every pending link for ``email`` but ``keep_id`` (the caller commits)."""
    condition = _pending(email)
    if keep_id is not None:
        condition = (*condition, Invitation.id != keep_id)
    db.session.execute(update(Invitation).where(*condition).values(revoked_at=_now()))


def _new_link(
    email: str,
    role: Role,
    project_ids: str,
    created_by_id: int | None,
    account_id: int | None,
    language: str = "fi",
) -> tuple[Invitation, str]:
    """Store a link (replacing older ones for the same email) and return it with its token."""
    _revoke_others(email)
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        token_hash=token_hash(token),
        email=normalise_email(email),
        role=role,
        project_ids=project_ids,
        created_by_id=created_by_id,
        account_id=account_id,
        language=mail_language(language),
        expires_at=_now() + INVITATION_LIFETIME,
    )
    db.session.add(invitation)
    db.session.commit()
    return invitation, token


def create_invitation(
    email: str,
    role: Role | str,
    project_ids: list[int],
    created_by_id: int | None = None,
    language: str = "fi",
) -> tuple[Invitation, str]:
    """Invite a new person; an email that already has an account is refused.

    Such an invitation would be a password reset that skips the account's owner; the
    admin is pointed to the password link, which is bound to the account instead.
    """
    if find_account(email) is not None:
        raise AccountError(
            _(
                "An account for %(email)s already exists. To let its owner set a new "
                "password, open the account and make a password link.",
                email=normalise_email(email),
            )
        )
    role = check_new_account(email, role)
    if role == Role.ARTIST and not project_ids:
        raise AccountError(_("Choose at least one project for an artist."))
    known = set(db.session.scalars(select(Project.id).where(Project.id.in_(project_ids))))
    projects = ",".join(str(pid) for pid in sorted(known)) if role == Role.ARTIST else ""
    return _new_link(email, role, projects, created_by_id, account_id=None, language=language)


def create_password_link(
    account_id: int, created_by_id: int | None = None
) -> tuple[Invitation, str]:
    """A single-use link, bound to the account, with which its owner sets a new password."""
    account = db.session.get(Account, account_id)
    if account is None:
        raise LookupError(account_id)
    if not account.active:
        raise AccountError(_("Reactivate the account first."))
    return _new_link(
        account.email,
        account.role,
        "",
        created_by_id,
        account_id=account.id,
        language=account.language,
    )


def is_password_link(invitation: Invitation) -> bool:
    """Whether the link sets a new password for an existing account (else it creates one)."""
    return invitation.account_id is not None


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
    if invitation.account_id is not None:
        account = db.session.get(Account, invitation.account_id)
        if account is None or not account.active:
            raise InvitationGone("inactive")
    if invitation.revoked_at is not None:
        raise InvitationGone("replaced")
    if invitation.account_id is None and find_account(invitation.email) is not None:
        raise InvitationGone("account_exists")
    return invitation


def _claim(invitation: Invitation) -> None:
    """Mark the link used, atomically: of two tabs sending it at once, only one wins."""
    claimed = db.session.execute(
        update(Invitation)
        .where(
            Invitation.id == invitation.id,
            Invitation.used_at.is_(None),
            Invitation.revoked_at.is_(None),
        )
        .values(used_at=_now())
    )
    if claimed.rowcount != 1:
        db.session.rollback()
        raise InvitationGone("used")
    _revoke_others(invitation.email, keep_id=invitation.id)


def accept_invitation(token: str, password: str) -> Account:
    """Use up the link: create the invited account, or set the bound account's password.

    The claim, the revocation of every other link for the email and the account change are
    one commit. Weak passwords raise ``AccountError`` and leave the link usable.
    """
    invitation = invitation_for_token(token)
    problem = password_problem(password, invitation.email)
    if problem:
        raise AccountError(problem)
    _claim(invitation)
    if invitation.account_id is not None:
        account = db.session.get(Account, invitation.account_id)
        account.password_hash = generate_password_hash(password)
        end_sessions(account)  # a suspected leak: sessions on the old password end too
        db.session.commit()
        return account
    ids = [int(pid) for pid in invitation.project_ids.split(",") if pid]
    projects = list(db.session.scalars(select(Project).where(Project.id.in_(ids))))
    try:
        account = create_account(invitation.email, invitation.role, password, projects=projects)
    except (AccountError, IntegrityError):
        # The email got an account a moment ago (another link, or create-user).
        db.session.rollback()
        raise InvitationGone("account_exists") from None
    account.language = mail_language(invitation.language)
    db.session.commit()
    return account


def mail_link(invitation: Invitation, link: str) -> None:
    """E-mail the invitation or password link to its person, in the link's language.

    Sent at once, never queued: the outbox would keep a usable link in the database.
    Raises ``DeliveryFailed`` when the mail server is down or refuses; the admin still has
    the link on the page.
    """
    template = "password_link" if is_password_link(invitation) else "invitation"
    message = render_message(
        template,
        invitation.email,
        invitation.language,
        link=link,
        role=invitation.role.value,
        expires_at=invitation.expires_at,
    )
    send_now(message)


def pending_invitations() -> list[Invitation]:
    """Links that still work, newest first.

    An invitation whose email has an account by now no longer works, so it is not listed.
    """
    has_account = select(Account.id).where(
        func.lower(Account.email) == func.lower(Invitation.email)
    )
    return list(
        db.session.scalars(
            select(Invitation)
            .where(
                Invitation.used_at.is_(None),
                Invitation.revoked_at.is_(None),
                Invitation.expires_at > _now(),
                Invitation.account_id.is_not(None) | ~has_account.exists(),
            )
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
