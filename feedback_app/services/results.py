"""Per-survey results, aggregated in SQL from the score tallies."""

from __future__ import annotations

from sqlalchemy import func, select

from feedback_app.extensions import db
from feedback_app.models import QuestionKind, Response, ScoreTally, Survey
from feedback_app.questions import SCALE, summarise_scores


def response_count(survey_id: int) -> int:
    """How many responses a survey has."""
    return db.session.scalar(
        select(func.count()).select_from(Response).where(Response.survey_id == survey_id)
    )


def score_distributions(survey_id: int) -> dict[str, list[int]]:
    """Five counts per face-scale indicator of one survey."""
    rows = db.session.execute(
        select(ScoreTally.indicator, ScoreTally.score, func.sum(ScoreTally.n))
        .where(ScoreTally.survey_id == survey_id)
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
