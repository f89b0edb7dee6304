"""Staff accounts: creation, password rules, sign-in checks and the admin's changes."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

from feedback_app.clock import utc_now
from feedback_app.extensions import db
from feedback_app.i18n import _
from feedback_app.models import Account, Invitation, Project, Role

MIN_PASSWORD_LENGTH = 12
# zxcvbn's score 3 means "safely unguessable": about 10^8 guesses or more, beyond an online
# attacker behind the login limit and costly offline against a leaked scrypt hash.
MIN_PASSWORD_SCORE = 3
# Words anyone guessing a Fiilis password tries first.
SERVICE_WORDS = ("fiilis", "helsinki", "helsingfors", "salasana", "lösenord")
# A hash to compare against when the email is unknown, so both paths take the same time
# and response timing does not reveal which addresses have accounts.
_DUMMY_HASH = generate_password_hash("not-a-real-password-0000")

ROLE_LABELS = {
    Role.ARTIST: _l("Artist"),
    Role.OFFICIAL: _l("Official"),
    Role.ADMIN: _l("Admin"),
}


class AccountError(ValueError):
    """A clear, user-facing reason (already translated) why an account change was refused."""


def normalise_email(email: str) -> str:
    """Emails are compared case-insensitively and without surrounding spaces."""
    return email.strip().lower()


def email_problem(email: str) -> str | None:
    """Why ``email`` cannot be an account's address, or None."""
    email = normalise_email(email)
    if "@" not in email or email.startswith("@") or email.endswith("@") or len(email) > 254:
        return _("That does not look like an email address.")
    return None


def password_problem(password: str, email: str = "") -> str | None:
    """Why a password is too weak, or None when it is acceptable.

    Length alone lets "password1234" through; zxcvbn (Dropbox's estimator, kept on PyPI)
    knows common passwords, keyboard walks, repeats, dates and words, and is told the
    person's email and the service's own words, which a guesser tries first.
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        return _("Password must be at least %(count)d characters long.", count=MIN_PASSWORD_LENGTH)
    local = normalise_email(email).split("@")[0]
    if local and len(local) >= 4 and local in password.lower():
        return _("Password must not contain your email address.")
    personal = [word for word in re.split(r"\W+", normalise_email(email)) if word]
    if zxcvbn(password, user_inputs=[*personal, *SERVICE_WORDS])["score"] < MIN_PASSWORD_SCORE:
        return _(
            "This password is too common or too easy to guess. "
            "Use a longer phrase of several unusual words."
        )
    return None


def parse_role(role: Role | str) -> Role:
    """The ``Role`` named by ``role``, or an ``AccountError``."""
    try:
        return Role(role)
    except ValueError:
        names = ", ".join(r.value for r in Role)
        raise AccountError(_("Role must be one of: %(names)s.", names=names)) from None


def find_account(email: str) -> Account | None:
    """The account with this email, if any."""
    return db.session.scalar(
        select(Account).where(func.lower(Account.email) == normalise_email(email))
    )


def check_new_account(email: str, role: Role | str, password: str | None = None) -> Role:
    """Refuse malformed emails, unknown roles, duplicates and weak passwords; return the role."""
    problem = email_problem(email)
    if problem:
        raise AccountError(problem)
    role = parse_role(role)
    if find_account(email):
        email = normalise_email(email)
        raise AccountError(_("An account for %(email)s already exists.", email=email))
    problem = password_problem(password, email) if password is not None else None
    if problem:
        raise AccountError(problem)
    return role


def create_account(
    email: str, role: Role | str, password: str, projects: list | None = None
) -> Account:
    """Create an account, refusing duplicates, malformed emails and weak passwords."""
    role = check_new_account(email, role, password)
    account = Account(
        email=normalise_email(email), role=role, password_hash=generate_password_hash(password)
    )
    account.projects = list(projects or [])
    db.session.add(account)
    db.session.commit()
    return account


def authenticate(email: str, password: str) -> Account | None:
    """The active account whose password matches, else None (timing-safe)."""
    account = find_account(email)
    if account is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(account.password_hash, password) or not account.active:
        return None
    return account


def list_accounts() -> list[Account]:
    """Every account, admins first, then officials, then artists, by email."""
    order = {Role.ADMIN: 0, Role.OFFICIAL: 1, Role.ARTIST: 2}
    accounts = db.session.scalars(select(Account).order_by(Account.email)).all()
    return sorted(accounts, key=lambda account: order[account.role])


def get_account(account_id: int) -> Account | None:
    """The account with this id, if any."""
    return db.session.get(Account, account_id)


def update_account(
    account_id: int, role: Role | str, project_ids: list[int], acting_id: int | None = None
) -> Account:
    """Change an account's role and, for artists, the projects it belongs to.

    An admin cannot take away their own admin role: that could leave nobody able to
    manage accounts.
    """
    account = _account_or_error(account_id)
    role = parse_role(role)
    if account.id == acting_id and role != Role.ADMIN:
        raise AccountError(_("You cannot remove your own admin role."))
    account.role = role
    # Only artists are limited to their projects; for others membership would mean nothing.
    wanted = project_ids if role == Role.ARTIST else []
    account.projects = list(db.session.scalars(select(Project).where(Project.id.in_(wanted))))
    db.session.commit()
    return account


def end_sessions(account: Account) -> None:
    """Make every session cookie of ``account`` worthless (the caller commits).

    A cookie names the session version it was signed in with, and only the current one
    signs anyone in, so a copied or forgotten cookie cannot be replayed afterwards.
    """
    account.session_version = (account.session_version or 0) + 1


def sign_out(account_id: int) -> None:
    """End the account's sessions on every device (sign-out is server-side)."""
    account = db.session.get(Account, account_id)
    if account is not None:
        end_sessions(account)
        db.session.commit()


def set_active(account_id: int, active: bool, acting_id: int | None = None) -> Account:
    """Deactivate (or reactivate) an account.

    Deactivation ends its open sessions and revokes its pending password links at once,
    so neither a stolen cookie nor an old link outlives the admin's decision.
    """
    account = _account_or_error(account_id)
    if account.id == acting_id and not active:
        raise AccountError(_("You cannot deactivate your own account."))
    if account.active and not active:
        end_sessions(account)
        db.session.execute(
            update(Invitation)
            .where(
                Invitation.account_id == account.id,
                Invitation.used_at.is_(None),
                Invitation.revoked_at.is_(None),
            )
            .values(revoked_at=utc_now())
        )
    account.active = active
    db.session.commit()
    return account


def _account_or_error(account_id: int) -> Account:
    """The account, or a ``LookupError`` if it does not exist."""
    account = db.session.get(Account, account_id)
    if account is None:
        raise LookupError(account_id)
    return account
