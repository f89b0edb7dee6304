"""Per-survey results, aggregated in SQL from the score tallies."""

from __future__ import annotations

from sqlalchemy import func, select

from feedback_app.extensions import db
from feedback_app.models import QuestionKind, Response, ScoreTally, Survey
from feedback_app.questions import SCALE, summarise_scores
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
    """Five counts per face-scale indicator of one survey, under one wording of the scale.

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


def survey_summary(survey: Survey, min_group: int) -> dict:
    """What residents and the API see: counts and index per face question.

    Below ``min_group`` answers only the count is shown, so that nobody's individual
    answer can be read off a small event's results.
    """
    total = response_count(survey.id)
    distributions = score_distributions(survey.id)
    indicators = {}
    for question in survey.questions:
        if question.kind != QuestionKind.FACE:
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
