"""Staff accounts: artists, officials and admins. Residents never have an account."""

from __future__ import annotations

import enum
import hashlib
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, Column, DateTime, ForeignKey, String, Table
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
    projects: Mapped[list[Project]] = relationship(secondary=project_members)

    @property
    def is_active(self) -> bool:  # Flask-Login: deactivated accounts cannot sign in
        """Whether the account may sign in."""
        return self.active

    def get_id(self) -> str:
        """Flask-Login's session id: the account id plus a fingerprint of the password hash.

        A new password (e.g. set through an admin's link after a suspected leak) changes
        the fingerprint, which ends every session signed in with the old one.
        """
        fingerprint = hashlib.sha256(self.password_hash.encode()).hexdigest()[:16]
        return f"{self.id}.{fingerprint}"


class Invitation(db.Model):
    """A single-use link that lets a new staff member set their own password."""

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
