"""E-mail state: the outbox, the districts an official follows, and alerts already sent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from feedback_app.clock import utc_now
from feedback_app.extensions import db

# Districts an official chose to follow (used when ``Account.chosen_districts`` is set).
district_follows = Table(
    "district_follows",
    db.metadata,
    Column("account_id", ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True),
    Column("district_id", ForeignKey("districts.id", ondelete="CASCADE"), primary_key=True),
)


class OutgoingMail(db.Model):
    """One message to one person, kept until the mail server has accepted it.

    ``dedupe_key`` is unique: the same alert or digest for the same person is stored once,
    however many copies of a command run at the same time. ``claimed_until`` lets one
    sender at a time try a message; a failed try records its error and is retried by the
    next run. Invitations are never stored here (their links must not sit in the database).
    """

    __tablename__ = "outgoing_mail"
    id: Mapped[int] = mapped_column(primary_key=True)
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text)
    unsubscribe_url: Mapped[str | None] = mapped_column(String(600), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    claimed_until: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_error: Mapped[str | None] = mapped_column(String(500), nullable=True)


class AlertState(db.Model):
    """Whether a district's or project's indicator is currently in a reported drop.

    One row per (level, entity, indicator). A drop is claimed by flipping ``dropped`` from
    false to true in one conditional UPDATE: of two checks running at once only one changes
    the row, and only that one queues the e-mails. ``episode`` counts the drops, so a new
    drop after a recovery gets e-mails of its own.
    """

    __tablename__ = "alert_states"
    id: Mapped[int] = mapped_column(primary_key=True)
    level: Mapped[str] = mapped_column(String(20))
    entity_id: Mapped[int] = mapped_column(Integer)
    indicator: Mapped[str] = mapped_column(String(40))
    dropped: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    episode: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    changed_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now)

    __table_args__ = (UniqueConstraint("level", "entity_id", "indicator"),)
