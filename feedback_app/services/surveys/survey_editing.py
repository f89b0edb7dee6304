"""The studio's survey editor: create, change questions, move through the life cycle, copy.

Questions are frozen once a survey has responses: a changed wording would mix answers to
two different questions under one key and break comparability between events.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from feedback_app.extensions import db
from feedback_app.models import Project, Question, QuestionKind, Response, Survey, SurveyStatus
from feedback_app.question_bank import BANK_KEYS, CORE_KEYS
from feedback_app.questions import question_type
from feedback_app.services.surveys.lifecycle import create_survey, new_code, standard_question

HELSINKI = ZoneInfo("Europe/Helsinki")
COMMENT_POSITION = 1000


class QuestionsLocked(Exception):
    """The survey already has responses, so its questions may no longer change."""


def has_responses(survey: Survey) -> bool:
    """Whether anyone has answered the survey yet."""
    return (
        db.session.scalar(select(Response.id).where(Response.survey_id == survey.id).limit(1))
        is not None
    )


def _ensure_editable(survey: Survey) -> None:
    """Refuse question changes once answers exist."""
    if has_responses(survey):
        raise QuestionsLocked(survey.code)


def response_counts(survey_ids: list[int]) -> dict[int, int]:
    """Responses per survey in one grouped query."""
    if not survey_ids:
        return {}
    rows = db.session.execute(
        select(Response.survey_id, func.count())
        .where(Response.survey_id.in_(survey_ids))
        .group_by(Response.survey_id)
    )
    return {survey_id: int(n) for survey_id, n in rows}


def helsinki_to_utc(moment: datetime | None) -> datetime | None:
    """A local Helsinki time from a form, as the naive UTC the database keeps."""
    if moment is None:
        return None
    local = moment.replace(tzinfo=HELSINKI)
    return local.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def utc_to_helsinki(moment: datetime | None) -> datetime | None:
    """A stored naive UTC time, shown as Helsinki local time."""
    if moment is None:
        return None
    return moment.replace(tzinfo=ZoneInfo("UTC")).astimezone(HELSINKI).replace(tzinfo=None)


def clean_languages(languages: list[str]) -> list[str]:
    """Offered languages, Finnish always first: Finnish texts are the fallback for everyone."""
    return ["fi", *[lang for lang in dict.fromkeys(languages) if lang != "fi"]]


def create_studio_survey(
    *,
    project: Project,
    title: str,
    event_date: date,
    venue: str,
    languages: list[str],
    bank_keys: list[str],
    closes_at: datetime | None = None,
    titles: dict[str, str] | None = None,
    linked_event_id: str = "",
) -> Survey:
    """A new draft with the core questions, the chosen bank questions and a comment field.

    ``titles`` holds titles in other languages (e.g. from Linked Events), ``linked_event_id``
    the Linked Events id of the event the survey was started from.
    """
    survey = create_survey(
        project_id=project.id,
        title=title.strip(),
        event_date=event_date,
        venue=venue.strip(),
        languages=clean_languages(languages),
        bank_keys=tuple(k for k in bank_keys if k in BANK_KEYS),
        titles={code: text.strip() for code, text in (titles or {}).items() if text.strip()},
    )
    survey.linked_event_id = linked_event_id
    survey.closes_at = helsinki_to_utc(closes_at)
    db.session.commit()
    return survey


def update_details(
    survey: Survey,
    *,
    title: str,
    event_date: date,
    venue: str,
    languages: list[str],
    titles: dict[str, str] | None = None,
) -> None:
    """Change what the event is called (per language), when, where, and in which languages.

    ``titles`` holds the translated titles typed in; a language left out keeps its title, so
    one dropped from the offer and added back later still has it.
    """
    survey.title = title.strip()
    typed = {code: text.strip() for code, text in (titles or {}).items()}
    kept = {code: text for code, text in {**(survey.titles or {}), **typed}.items() if text}
    survey.titles = {**kept, "fi": survey.title}
    survey.event_date = event_date
    survey.venue = venue.strip()
    survey.languages = clean_languages(languages)
    db.session.commit()


def set_bank_questions(survey: Survey, keys: list[str]) -> None:
    """Add and remove standard bank questions so exactly ``keys`` remain."""
    _ensure_editable(survey)
    wanted = [k for k in BANK_KEYS if k in keys]
    present = {q.key: q for q in survey.questions}
    for question in list(survey.questions):
        if question.key in BANK_KEYS and question.key not in wanted:
            survey.questions.remove(question)
    for key in wanted:
        if key not in present:
            survey.questions.append(standard_question(key, _next_position(survey)))
    db.session.commit()


def _next_position(survey: Survey) -> int:
    """After every question except the closing comment."""
    positions = [q.position for q in survey.questions if q.position < COMMENT_POSITION]
    return max(positions, default=-1) + 1


def _options(kind: QuestionKind, option_labels: dict[str, list[str]]) -> list[dict]:
    """Choice options from one list of labels per language, matched by line."""
    if not question_type(kind).has_options:
        return []
    finnish = option_labels.get("fi", [])
    options = []
    for i, _label in enumerate(finnish):
        labels = {
            lang: lines[i] for lang, lines in option_labels.items() if i < len(lines) and lines[i]
        }
        options.append({"key": f"o{i + 1}", "labels": labels})
    return options


def add_custom_question(
    survey: Survey,
    *,
    kind: QuestionKind,
    prompts: dict[str, str],
    option_labels: dict[str, list[str]] | None = None,
    required: bool = False,
) -> Question:
    """An artist's own question, placed before the closing comment."""
    _ensure_editable(survey)
    taken = {q.key for q in survey.questions}
    number = 1
    while f"custom_{number}" in taken:
        number += 1
    question = Question(
        key=f"custom_{number}",
        kind=kind,
        prompts={lang: text.strip() for lang, text in prompts.items() if text.strip()},
        options=_options(kind, option_labels or {}),
        position=_next_position(survey),
        required=required,
    )
    survey.questions.append(question)
    db.session.commit()
    return question


def update_custom_question(
    question: Question,
    *,
    prompts: dict[str, str],
    option_labels: dict[str, list[str]] | None = None,
    required: bool = False,
) -> None:
    """Rewrite an artist's own question (standard questions keep their fixed wording)."""
    _ensure_editable(question.survey)
    question.prompts = {lang: text.strip() for lang, text in prompts.items() if text.strip()}
    question.options = _options(question.kind, option_labels or {})
    question.required = required
    db.session.commit()


def remove_question(question: Question) -> None:
    """Drop a bank or custom question; the core questions always stay."""
    if question.key in CORE_KEYS:
        raise ValueError("core questions cannot be removed")
    survey = question.survey
    _ensure_editable(survey)
    survey.questions.remove(question)
    db.session.commit()


def missing_translations(survey: Survey) -> dict[int, list[str]]:
    """Per question id, the offered languages its prompt or an option label lacks."""
    missing: dict[int, list[str]] = {}
    for question in survey.questions:
        langs = [
            lang
            for lang in survey.languages
            if not question.has_prompt(lang)
            or any(not o.get("labels", {}).get(lang) for o in question.options or [])
        ]
        if langs:
            missing[question.id] = langs
    return missing


def move_survey(survey: Survey, target: SurveyStatus) -> None:
    """Publish, close or reopen; ``InvalidTransition`` propagates for the view to explain."""
    survey.move_to(target)
    db.session.commit()


def set_closing_time(survey: Survey, closes_at: datetime | None) -> None:
    """Set (local Helsinki time) or clear the automatic closing time."""
    survey.closes_at = helsinki_to_utc(closes_at)
    db.session.commit()


def duplicate_survey(survey: Survey, event_date: date | None = None) -> Survey:
    """A draft copy for the next event: new code, same questions and languages, no answers."""
    copy = Survey(
        project_id=survey.project_id,
        title=survey.title,
        titles=dict(survey.titles or {}),
        event_date=event_date or date.today(),
        venue=survey.venue,
        languages=list(survey.languages),
        tier=survey.tier,
        code=new_code(),
        status=SurveyStatus.DRAFT,
    )
    copy.questions = [
        Question(
            key=q.key,
            kind=q.kind,
            prompts=dict(q.prompts or {}),
            options=[dict(o) for o in q.options or []],
            position=q.position,
            required=q.required,
        )
        for q in survey.questions
    ]
    db.session.add(copy)
    db.session.commit()
    return copy
