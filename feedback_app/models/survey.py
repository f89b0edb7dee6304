"""Surveys and their questions."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, DateTime, Enum, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from feedback_app.extensions import db
from feedback_app.models.catalog import Project


class SurveyStatus(enum.StrEnum):
    """Life cycle of a survey; see ``ALLOWED_TRANSITIONS``."""

    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


# Only these moves are possible: publish, close, reopen. A survey never returns to draft,
# because answers already given would then belong to questions that could change.
ALLOWED_TRANSITIONS = {
    SurveyStatus.DRAFT: {SurveyStatus.OPEN},
    SurveyStatus.OPEN: {SurveyStatus.CLOSED},
    SurveyStatus.CLOSED: {SurveyStatus.OPEN},
}


class Tier(enum.StrEnum):
    """The three tiers of the Helsinki model's impact tracking."""

    RESIDENT = "resident"
    AREA_ACTOR = "area_actor"
    ART_INSTITUTION = "art_institution"


class QuestionKind(enum.StrEnum):
    """How a question is answered."""

    FACE = "face"
    SINGLE = "single"
    MULTI = "multi"
    TEXT = "text"


class InvalidTransition(ValueError):
    """Raised when a status change is not in ``ALLOWED_TRANSITIONS``."""


def _enum(kind: type[enum.Enum], name: str) -> Enum:
    """Store enums by value as plain strings, portable across SQLite and PostgreSQL."""
    return Enum(
        kind,
        name=name,
        native_enum=False,
        length=20,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class Survey(db.Model):
    """An event's survey, reached by residents at ``/s/<code>``."""

    __tablename__ = "surveys"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    event_date: Mapped[date] = mapped_column(Date)
    venue: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[SurveyStatus] = mapped_column(
        _enum(SurveyStatus, "survey_status"), default=SurveyStatus.DRAFT
    )
    languages: Mapped[list[str]] = mapped_column(JSON, default=lambda: ["fi", "sv", "en"])
    tier: Mapped[Tier] = mapped_column(_enum(Tier, "survey_tier"), default=Tier.RESIDENT)
    closes_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=datetime.utcnow)
    project: Mapped[Project] = relationship()
    questions: Mapped[list[Question]] = relationship(
        back_populates="survey",
        order_by="Question.position",
        cascade="all, delete-orphan",
    )

    def effective_status(self, now: datetime | None = None) -> SurveyStatus:
        """The status residents see: an open survey past ``closes_at`` counts as closed."""
        now = now or datetime.utcnow()
        if self.status == SurveyStatus.OPEN and self.closes_at and self.closes_at <= now:
            return SurveyStatus.CLOSED
        return self.status

    def move_to(self, target: SurveyStatus) -> None:
        """Change status, refusing moves that ``ALLOWED_TRANSITIONS`` does not list."""
        current = self.effective_status()
        if target not in ALLOWED_TRANSITIONS[current]:
            raise InvalidTransition(f"{current.value} → {target.value}")
        self.status = target
        if target == SurveyStatus.OPEN and self.closes_at and self.closes_at <= datetime.utcnow():
            self.closes_at = None


class Question(db.Model):
    """One question of a survey; ``key`` is the indicator key for standard questions."""

    __tablename__ = "questions"
    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(40))
    kind: Mapped[QuestionKind] = mapped_column(_enum(QuestionKind, "question_kind"))
    # {"fi": "...", "sv": "...", "en": "..."}: artists' texts are data, stored per language.
    prompts: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    # For choice questions: [{"key": "resident", "labels": {"fi": "...", ...}}, ...]
    options: Mapped[list[dict]] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(Integer, default=0)
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    survey: Mapped[Survey] = relationship(back_populates="questions")

    __table_args__ = (db.UniqueConstraint("survey_id", "key"),)

    def prompt(self, language: str, fallbacks: tuple[str, ...] = ("fi", "en", "sv")) -> str:
        """The prompt in ``language``, falling back to Finnish, English, Swedish."""
        for candidate in (language, *fallbacks):
            text = (self.prompts or {}).get(candidate)
            if text:
                return text
        return self.key

    def has_prompt(self, language: str) -> bool:
        """Whether the question has its own text in ``language`` (no fallback)."""
        return bool((self.prompts or {}).get(language))
