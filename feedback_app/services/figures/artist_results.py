"""Results of one survey for its artist: summaries, comments to moderate and the answer table."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, datetime

from sqlalchemy import func, select

from feedback_app.extensions import db
from feedback_app.models import Answer, Question, Response, Survey
from feedback_app.questions import AnswerCounts, question_type
from feedback_app.services.answers.responses import HELSINKI
from feedback_app.services.figures.results import response_count, score_distributions


class CommentNotFound(LookupError):
    """No text answer with that id belongs to the survey."""


def _choice_counts(survey: Survey) -> dict[int, tuple[Counter, int]]:
    """Per choice question id: how often each option was picked, and by how many people."""
    rows = db.session.execute(
        select(Answer.question_id, Answer.choice, func.count())
        .join(Question, Question.id == Answer.question_id)
        .where(Question.survey_id == survey.id, Answer.choice.is_not(None))
        .group_by(Answer.question_id, Answer.choice)
    )
    counts: dict[int, Counter] = defaultdict(Counter)
    for question_id, choice, n in rows:
        counts[question_id][choice] = int(n)
    people = dict(
        db.session.execute(
            select(Answer.question_id, func.count(Answer.response_id.distinct()))
            .join(Question, Question.id == Answer.question_id)
            .where(Question.survey_id == survey.id, Answer.choice.is_not(None))
            .group_by(Answer.question_id)
        ).all()
    )
    return {qid: (counts[qid], int(people.get(qid, 0))) for qid in counts}


def locale_counts(survey: Survey) -> dict[str, int]:
    """Responses per language the survey was answered in."""
    rows = db.session.execute(
        select(Response.locale, func.count())
        .where(Response.survey_id == survey.id)
        .group_by(Response.locale)
    )
    return {locale: int(n) for locale, n in rows}


def comments(survey: Survey, min_group: int) -> list[dict] | None:
    """Every text answer, in the order of its text, with whether it is hidden.

    ``None`` below ``min_group`` responses: beside the figures of one or two people a
    comment tells who said what (risk: comment re-identification). Sorted by text, never
    by arrival, so a comment cannot be matched to the person seen writing it; no score
    is returned with a comment, so moderation never ties a text to the faces chosen.
    """
    if response_count(survey.id) < min_group:
        return None
    rows = db.session.execute(
        select(Answer.id, Answer.text, Answer.hidden, Question.key)
        .join(Question, Question.id == Answer.question_id)
        .where(Question.survey_id == survey.id, Answer.text.is_not(None))
    )
    found = [
        {"id": aid, "text": text, "hidden": hidden, "question_key": key}
        for aid, text, hidden, key in rows
    ]
    return sorted(found, key=lambda c: (c["question_key"], c["text"].casefold(), c["text"]))


def survey_results(survey: Survey, min_group: int) -> dict:
    """Counts, index and distribution per face question and counts per choice option.

    Breakdowns are withheld below ``min_group`` answers, as everywhere else in the app.
    """
    total = response_count(survey.id)
    distributions = score_distributions(survey.id)
    counts = AnswerCounts(distributions, _choice_counts(survey))
    questions = []
    for question in survey.questions:
        summary = question_type(question.kind).summarise(question, counts, min_group)
        if summary is not None:
            questions.append({"question": question, "kind": question.kind.value} | summary)
    by_locale = locale_counts(survey) if total >= min_group else None
    return {
        "responses": total,
        "min_group": min_group,
        "questions": questions,
        "locales": by_locale,
    }


def compare_events(survey: Survey, indicator: str, min_group: int) -> dict:
    """One indicator across the events of ``survey``'s project (same tier), side by side.

    The officials' event breakdown itself: n, index and 95 % interval per event from survey ×
    month cells of at least ``min_group`` answers, so the artist sees the dashboard's figures.
    """
    from feedback_app.services.figures import district_reports
    from feedback_app.services.figures.district_filters import Filters

    scope = Filters(period=None, project=survey.project_id, tier=survey.tier.value)
    table = district_reports.breakdown(scope, "survey", min_group, (indicator,))
    rows = [row | {"figure": row["indicators"][indicator]} for row in table["rows"]]
    return {"indicator": indicator, "rows": rows, "earlier_scale": table["earlier_scale"]}


def set_comment_hidden(survey: Survey, answer_id: int, hidden: bool) -> None:
    """Hide (or show again) a comment that holds personal data."""
    answer = db.session.scalar(
        select(Answer)
        .join(Question, Question.id == Answer.question_id)
        .where(Answer.id == answer_id, Question.survey_id == survey.id, Answer.text.is_not(None))
    )
    if answer is None:
        raise CommentNotFound(answer_id)
    answer.hidden = hidden
    db.session.commit()


RESPONSE_COLUMNS = ("response", "hour", "language", "scale_version")


def response_table(survey: Survey, language: str) -> tuple[list[str], list[list[object]]]:
    """Question texts, and one row per response: hour, language and every answer.

    Questions are headed by their text in ``language`` and choices given by their option
    labels, never by keys such as ``custom_1`` or ``o2``; hidden comments are left out.
    Rows are sorted by their values (hour first, then language and answers) and numbered
    after sorting: ordered by id, the row number would tell who answered when, and a row
    could be matched to the person seen answering (risk: arrival order).
    """
    questions = list(survey.questions)
    responses = db.session.execute(
        select(Response.id, Response.submitted_hour, Response.locale).where(
            Response.survey_id == survey.id
        )
    ).all()
    answers: dict[int, dict[int, list[Answer]]] = defaultdict(lambda: defaultdict(list))
    for answer in db.session.scalars(
        select(Answer).join(Response).where(Response.survey_id == survey.id)
    ):
        answers[answer.response_id][answer.question_id].append(answer)
    labels = {q.id: option_labels(q, language) for q in questions}
    rows = sorted(
        (
            [
                _local_hour(hour),
                locale,
                _scale_version(answers[rid]),
                *[_cell(answers[rid][q.id], labels[q.id]) for q in questions],
            ]
            for rid, hour, locale in responses
        ),
        key=lambda row: [str(value) for value in row],
    )
    header = [q.prompt(language) for q in questions]
    return header, [[n, *row] for n, row in enumerate(rows, start=1)]


def option_labels(question: Question, language: str) -> dict[str, str]:
    """``{option key: label}`` in ``language``, falling back to Finnish, then the key."""
    return {
        option["key"]: option["labels"].get(language) or option["labels"].get("fi") or option["key"]
        for option in question.options or []
    }


def _scale_version(by_question: dict[int, list[Answer]]) -> int | str:
    """The answer labels (feedback_app.scale) of a response's face answers; empty without any."""
    versions = [a.scale_version for values in by_question.values() for a in values if a.score]
    return max(versions) if versions else ""


def _local_hour(moment: datetime) -> str:
    """The stored UTC hour as Helsinki local time, e.g. ``2026-11-20 18:00``."""
    return moment.replace(tzinfo=UTC).astimezone(HELSINKI).strftime("%Y-%m-%d %H:00")


def _cell(values: list[Answer], labels: dict[str, str]) -> int | str:
    """One question's answer: a score as a number, option labels joined by ``; ``, the comment."""
    if len(values) == 1 and values[0].score is not None:
        return values[0].score
    parts = []
    for answer in values:
        if answer.score is not None:
            parts.append(str(answer.score))
        elif answer.choice is not None:
            parts.append(labels.get(answer.choice, answer.choice))
        elif answer.text is not None and not answer.hidden:
            parts.append(answer.text)
    return "; ".join(parts)
