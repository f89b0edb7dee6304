"""Staff accounts: creation, password rules and sign-in checks."""

from __future__ import annotations

from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from feedback_app.extensions import db
from feedback_app.models import Account, Role

MIN_PASSWORD_LENGTH = 12
# A hash to compare against when the email is unknown, so both paths take the same time
# and response timing does not reveal which addresses have accounts.
_DUMMY_HASH = generate_password_hash("not-a-real-password-0000")


class AccountError(ValueError):
    """A clear, user-facing reason why an account could not be created."""


def normalise_email(email: str) -> str:
    """Emails are compared case-insensitively and without surrounding spaces."""
    return email.strip().lower()


def password_problem(password: str, email: str = "") -> str | None:
    """Why a password is too weak, or None when it is acceptable."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Password must be at least {MIN_PASSWORD_LENGTH} characters long."
    if len(set(password)) < 5:
        return "Password uses too few different characters."
    local = normalise_email(email).split("@")[0]
    if local and len(local) >= 4 and local in password.lower():
        return "Password must not contain your email address."
    return None


def find_account(email: str) -> Account | None:
    """The account with this email, if any."""
    return db.session.scalar(
        select(Account).where(func.lower(Account.email) == normalise_email(email))
    )


def create_account(
    email: str, role: Role | str, password: str, projects: list | None = None
) -> Account:
    """Create an account, refusing duplicates, malformed emails and weak passwords."""
    email = normalise_email(email)
    if "@" not in email or email.startswith("@") or email.endswith("@"):
        raise AccountError("That does not look like an email address.")
    try:
        role = Role(role)
    except ValueError:
        raise AccountError(f"Role must be one of: {', '.join(r.value for r in Role)}.") from None
    if find_account(email):
        raise AccountError(f"An account for {email} already exists.")
    problem = password_problem(password, email)
    if problem:
        raise AccountError(problem)
    account = Account(email=email, role=role, password_hash=generate_password_hash(password))
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
