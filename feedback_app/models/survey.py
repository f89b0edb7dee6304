"""Surveys and their questions."""

from __future__ import annotations

import enum
import secrets
from datetime import date, datetime
from itertools import chain

from sqlalchemy import JSON, Boolean, Date, DateTime, Enum, ForeignKey, Integer, String, event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from feedback_app.clock import utc_now
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


def new_revision() -> str:
    """A fresh random revision tag (see ``Survey.revision``)."""
    return secrets.token_hex(8)


class Survey(db.Model):
    """An event's survey, reached by residents at ``/s/<code>``."""

    __tablename__ = "surveys"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    # The Finnish title, and the fallback wherever one name is needed (exports, reports).
    title: Mapped[str] = mapped_column(String(200))
    # {"fi": "...", "sv": "...", ...}: the title as residents read it in each language.
    titles: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    event_date: Mapped[date] = mapped_column(Date)
    venue: Mapped[str] = mapped_column(String(200), default="")
    # The event in Helsinki's Linked Events this survey was started from, e.g.
    # "helsinki:agf3tsnbzu"; empty for events typed in by hand.
    linked_event_id: Mapped[str] = mapped_column(String(100), default="", server_default="")
    status: Mapped[SurveyStatus] = mapped_column(
        _enum(SurveyStatus, "survey_status"), default=SurveyStatus.DRAFT
    )
    languages: Mapped[list[str]] = mapped_column(JSON, default=lambda: ["fi", "sv", "en"])
    tier: Mapped[Tier] = mapped_column(_enum(Tier, "survey_tier"), default=Tier.RESIDENT)
    closes_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now)
    # A new random tag whenever the survey or any of its questions changes (see
    # ``_new_revisions``): a process that remembers a survey's questions stores an answer
    # only while the tag it remembers is still the stored one.
    revision: Mapped[str] = mapped_column(String(16), default=new_revision)
    project: Mapped[Project] = relationship()
    questions: Mapped[list[Question]] = relationship(
        back_populates="survey",
        order_by="Question.position",
        cascade="all, delete-orphan",
    )

    def title_in(self, language: str) -> str:
        """The title in ``language``, or the Finnish title where it has none."""
        return (self.titles or {}).get(language) or self.title

    def has_title(self, language: str) -> bool:
        """Whether the title has its own text in ``language`` (no fallback)."""
        return bool((self.titles or {}).get(language))

    def effective_status(self, now: datetime | None = None) -> SurveyStatus:
        """The status residents see: an open survey past ``closes_at`` counts as closed."""
        now = now or utc_now()
        if self.status == SurveyStatus.OPEN and self.closes_at and self.closes_at <= now:
            return SurveyStatus.CLOSED
        return self.status

    def move_to(self, target: SurveyStatus) -> None:
        """Change status, refusing moves that ``ALLOWED_TRANSITIONS`` does not list."""
        current = self.effective_status()
        if target not in ALLOWED_TRANSITIONS[current]:
            raise InvalidTransition(f"{current.value} → {target.value}")
        self.status = target
        if target == SurveyStatus.OPEN and self.closes_at and self.closes_at <= utc_now():
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


@event.listens_for(Session, "before_flush")
def _new_revisions(session: Session, _context, _instances) -> None:
    """Give every survey changed in this flush, itself or through a question, a new revision.

    New surveys get theirs from the column default; deleted ones need none.
    """
    changed: set[Survey] = set()
    with session.no_autoflush:
        for item in chain(session.new, session.dirty, session.deleted):
            if item in session.dirty and not session.is_modified(item):
                continue
            if isinstance(item, Survey):
                changed.add(item)
            elif isinstance(item, Question):
                survey = item.survey
                if survey is None and item.survey_id is not None:
                    survey = session.get(Survey, item.survey_id)
                if survey is not None:
                    changed.add(survey)
    for survey in changed - set(session.new) - set(session.deleted):
        survey.revision = new_revision()
