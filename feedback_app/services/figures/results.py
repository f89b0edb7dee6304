"""Per-survey results: live figures for staff, published steps for the public.

Anything a resident (or anyone without an account) can read is a *published step*: the
figures over the survey's first ``m·k`` responses, where ``k`` is MIN_GROUP_SIZE and
``m·k`` is the largest multiple of ``k`` not above the number of responses. Reading the
public summary before and after one person answers therefore shows the same figures
(risk: differencing, where the difference between two readings is one person's answer).
The step is derived from the stored rows alone, so every gunicorn worker publishes the
same figures without any shared memory. See docs/privacy-model.md.
"""

from __future__ import annotations

from sqlalchemy import func, select

from feedback_app.extensions import db
from feedback_app.models import Answer, Question, QuestionKind, Response, ScoreTally, Survey
from feedback_app.questions import SCALE, question_type, summarise_scores
from feedback_app.scale import SCALE_VERSION


def response_count(survey_id: int) -> int:
    """How many responses a survey has."""
    return db.session.scalar(
        select(func.count()).select_from(Response).where(Response.survey_id == survey_id)
    )


def scale_versions(survey_id: int) -> list[int]:
    """The answer-label versions (``feedback_app.scale``) among a survey's tallies, in order."""
    return list(
        db.session.scalars(
            select(ScoreTally.scale_version)
            .where(ScoreTally.survey_id == survey_id)
            .distinct()
            .order_by(ScoreTally.scale_version)
        )
    )


def has_earlier_scale(survey_id: int) -> bool:
    """Whether answers given under more than one wording of the scale exist for this survey."""
    return len(scale_versions(survey_id)) > 1


def score_distributions(survey_id: int) -> dict[str, list[int]]:
    """Five counts per face-scale indicator of one survey, under one wording (staff only).

    Answers given under different labels do not measure the same thing, so only the newest
    wording present is counted; ``has_earlier_scale`` tells the page to say so.
    """
    versions = scale_versions(survey_id)
    rows = db.session.execute(
        select(ScoreTally.indicator, ScoreTally.score, func.sum(ScoreTally.n))
        .where(ScoreTally.survey_id == survey_id)
        .where(ScoreTally.scale_version == (versions[-1] if versions else SCALE_VERSION))
        .group_by(ScoreTally.indicator, ScoreTally.score)
    )
    distributions: dict[str, list[int]] = {}
    for indicator, score, n in rows:
        distributions.setdefault(indicator, [0] * len(SCALE))[score - 1] = int(n)
    return distributions


def published_size(total: int, min_group: int) -> int:
    """How many responses the published step covers: ``total`` rounded down to a multiple of k."""
    step = max(min_group, 1)
    return total // step * step


def published_distributions(survey_id: int, size: int) -> dict[str, list[int]]:
    """Five counts per face indicator over the survey's first ``size`` responses.

    "First" is by id, the order the rows were stored in: the step at ``size`` is exactly
    what the figures were when the ``size``-th person had answered, and it never changes
    afterwards, whatever arrives later.
    """
    if size <= 0:
        return {}
    last_id = db.session.scalar(
        select(Response.id)
        .where(Response.survey_id == survey_id)
        .order_by(Response.id)
        .offset(size - 1)
        .limit(1)
    )
    versions = scale_versions(survey_id)
    rows = db.session.execute(
        select(Question.key, Answer.score, func.count())
        .join(Question, Question.id == Answer.question_id)
        .join(Response, Response.id == Answer.response_id)
        .where(
            Response.survey_id == survey_id,
            Response.id <= last_id,
            Question.kind == QuestionKind.FACE,
            Answer.score.is_not(None),
            # One wording of the scale only, as in ``score_distributions``.
            Answer.scale_version == (versions[-1] if versions else SCALE_VERSION),
        )
        .group_by(Question.key, Answer.score)
    )
    distributions: dict[str, list[int]] = {}
    for key, score, n in rows:
        distributions.setdefault(key, [0] * len(SCALE))[score - 1] = int(n)
    return distributions


def survey_summary(survey: Survey, min_group: int) -> dict:
    """What residents, the API and the event screen see: the count and the published step.

    ``responses`` is the live count (it tells how many answered, not what they said); each
    indicator's ``n``, ``index`` and ``distribution`` come from the published step, and are
    withheld below ``min_group`` answers.
    """
    total = response_count(survey.id)
    distributions = published_distributions(survey.id, published_size(total, min_group))
    indicators = {}
    for question in survey.questions:
        if not question_type(question.kind).tallied:  # the indicators are the face scores
            continue
        distribution = distributions.get(question.key, [0] * len(SCALE))
        indicators[question.key] = summarise_scores(distribution, min_group)
    return {
        "code": survey.code,
        "title": survey.title,
        "responses": total,
        "min_group": min_group,
        "indicators": indicators,
    }
