"""Finding surveys, building their questions and moving them through their life cycle."""

from __future__ import annotations

import secrets
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from feedback_app.extensions import db
from feedback_app.i18n import RESIDENT_LANGUAGES, choose_language
from feedback_app.models import Question, QuestionKind, Survey, SurveyStatus, Tier
from feedback_app.question_bank import COMMENT_KEY, CORE_KEYS, STANDARD_QUESTIONS

# Unambiguous characters only: codes are read off posters and typed by hand.
CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
CONTENT_LANGUAGES = RESIDENT_LANGUAGES


class SurveyNotFound(LookupError):
    """No survey residents may see under that code (missing or still a draft)."""


class SurveyChanged(Exception):
    """The survey was closed, edited or removed after the caller read it; nothing was stored."""


class SurveyClosed(Exception):
    """The survey exists but no longer takes answers."""

    def __init__(self, survey: Survey):
        super().__init__(survey.code)
        self.survey = survey


def new_code(length: int = 6) -> str:
    """A random public code that is not in use yet."""
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))
        if db.session.scalar(select(Survey.id).where(Survey.code == code)) is None:
            return code


def find_public_survey(code: str) -> Survey:
    """The survey residents reach at ``/s/<code>``, with its questions; drafts are hidden."""
    survey = db.session.scalar(
        select(Survey).options(selectinload(Survey.questions)).where(Survey.code == code)
    )
    if survey is None or survey.status == SurveyStatus.DRAFT:
        raise SurveyNotFound(code)
    return survey


def open_survey(code: str) -> Survey:
    """Like ``find_public_survey`` but also refuses closed surveys."""
    survey = find_public_survey(code)
    if survey.effective_status() != SurveyStatus.OPEN:
        raise SurveyClosed(survey)
    return survey


def standard_question(key: str, position: int) -> Question:
    """A new ``Question`` row copied from the standard bank."""
    spec = STANDARD_QUESTIONS[key]
    return Question(
        key=key,
        kind=QuestionKind(spec.kind),
        prompts=dict(spec.prompts),
        options=[dict(o) for o in spec.options],
        position=position,
        required=spec.required,
    )


def create_survey(
    *,
    project_id: int,
    title: str,
    event_date: date,
    venue: str = "",
    languages: list[str] | None = None,
    bank_keys: tuple[str, ...] = (),
    tier: Tier = Tier.RESIDENT,
    code: str | None = None,
    status: SurveyStatus = SurveyStatus.DRAFT,
    is_demo: bool = False,
    titles: dict[str, str] | None = None,
) -> Survey:
    """Create a survey carrying the three core questions, chosen bank questions and a comment.

    The core questions are always added first and in the same order, so every survey can
    be compared with every other one.
    """
    survey = Survey(
        project_id=project_id,
        title=title,
        titles={**(titles or {}), "fi": title},
        event_date=event_date,
        venue=venue,
        languages=list(languages or ["fi", "sv", "en"]),
        tier=tier,
        code=code or new_code(),
        status=status,
        is_demo=is_demo,
    )
    keys = [*CORE_KEYS, *[k for k in bank_keys if k not in CORE_KEYS and k != COMMENT_KEY]]
    survey.questions = [standard_question(key, i) for i, key in enumerate(keys)]
    survey.questions.append(standard_question(COMMENT_KEY, 1000))
    db.session.add(survey)
    db.session.flush()
    return survey


def content_language(survey: Survey, requested: str | None, interface: str) -> str:
    """The language for the survey's own texts: the requested one if the survey offers it."""
    for candidate in (requested, interface):
        if candidate and candidate in survey.languages:
            return candidate
    return survey.languages[0] if survey.languages else "fi"


def _lacks(question: Question, language: str) -> bool:
    """Whether the question's prompt or one of its option labels is missing in ``language``."""
    return not question.has_prompt(language) or any(
        not (option.get("labels") or {}).get(language) for option in question.options or []
    )


def missing_content(survey: Survey) -> dict[str, list[Question]]:
    """Per offered language, the questions whose own text (prompt or options) is missing."""
    return {
        language: [q for q in survey.questions if _lacks(q, language)]
        for language in survey.languages
    }


def untitled_languages(survey: Survey) -> set[str]:
    """The offered languages the survey's title has no text in."""
    return {language for language in survey.languages if not survey.has_title(language)}


def resident_languages(survey: Survey) -> list[str]:
    """The offered languages whose content is complete: the only ones residents are offered.

    A half-translated survey would show a resident a title or questions in a language they
    may not read. Should no language be complete, the first offered one stays, so the link works.
    """
    missing, untitled = missing_content(survey), untitled_languages(survey)
    complete = [
        language
        for language in survey.languages
        if not missing[language] and language not in untitled
    ]
    return complete or list(survey.languages[:1]) or ["fi"]


def resident_language(survey: Survey) -> str:
    """The language a resident's survey page speaks: ``?lang=``, the browser's, Finnish."""
    offered = resident_languages(survey)
    return choose_language(offered) or offered[0]
