"""Staff accounts: artists, officials and admins. Residents never have an account."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    false,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from feedback_app.clock import utc_now
from feedback_app.extensions import db
from feedback_app.models.catalog import Project
from feedback_app.models.survey import _enum


class Role(enum.StrEnum):
    """What a staff member may do."""

    ARTIST = "artist"
    OFFICIAL = "official"
    ADMIN = "admin"


project_members = Table(
    "project_members",
    db.metadata,
    Column("account_id", ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True),
    Column("project_id", ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True),
)


class Account(UserMixin, db.Model):
    """A staff member who signs in with email and password."""

    __tablename__ = "accounts"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[Role] = mapped_column(_enum(Role, "account_role"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now)
    # Signed session cookies live in the browser, so signing out cannot delete them; every
    # cookie names this number instead, and raising it (sign-out, deactivation, new
    # password) makes every earlier cookie of the account worthless (session replay).
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    projects: Mapped[list[Project]] = relationship(secondary=project_members)
    # E-mail: the language messages are written in (fi, sv or en), and what the person
    # receives. Officials follow every target district unless ``chosen_districts`` is set,
    # then only those in ``district_follows``; artists follow their own projects.
    language: Mapped[str] = mapped_column(String(5), default="fi", server_default="fi")
    alert_mail: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    digest_mail: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    chosen_districts: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    @property
    def is_active(self) -> bool:  # Flask-Login: deactivated accounts cannot sign in
        """Whether the account may sign in."""
        return self.active

    def get_id(self) -> str:
        """Flask-Login's session id: the account id and its current session version.

        The user loader accepts only the current version, so a cookie kept from before a
        sign-out, a deactivation or a new password no longer signs anyone in.
        """
        return f"{self.id}.{self.session_version}"


class Invitation(db.Model):
    """A single-use link: a new staff member's invitation, or an account's password link.

    ``account_id`` is set only on password links. An invitation (no account) can only ever
    create an account; it never sets the password of one that exists (account takeover).
    """

    __tablename__ = "invitations"
    id: Mapped[int] = mapped_column(primary_key=True)
    # Only a hash of the token is stored: a leaked database does not leak usable links.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[Role] = mapped_column(_enum(Role, "invitation_role"))
    project_ids: Mapped[str] = mapped_column(String(400), default="")
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    # Set when a newer link for the same email is made or another one is accepted.
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), nullable=True
    )
    # The language of the invitation e-mail, and of the invited account's e-mail after.
    language: Mapped[str] = mapped_column(String(5), default="fi", server_default="fi")


class ApiToken(db.Model):
    """A bearer token an admin issues so an official's tool can read the district feed."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(120))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    account: Mapped[Account] = relationship()
