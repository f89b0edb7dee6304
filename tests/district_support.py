"""Helpers for the dashboard tests: districts with surveys and answers on chosen days."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.models import District, Survey, SurveyStatus, Tier
from feedback_app.services.answers.responses import submit_response


def answer(app, code: str, scores: list[int], day: date, **extra) -> None:
    """Store one response per score (joy = belonging = safety = score) on ``day``."""
    with app.app_context():
        survey = db.session.scalar(select(Survey).where(Survey.code == code))
        for score in scores:
            answers = {"joy": score, "belonging": score, "safety": score, **extra}
            submit_response(
                survey,
                client_id=str(uuid.uuid4()),
                locale="fi",
                answers=answers,
                now=datetime(day.year, day.month, day.day, 12),
            )


def name_districts(app) -> None:
    """Give the test districts their real Finnish and Swedish names."""
    names = {"malmi": ("Malmi", "Malm"), "kontula": ("Kontula", "Gårdsbacka")}
    with app.app_context():
        for district in db.session.scalars(select(District)):
            if district.slug in names:
                district.name_fi, district.name_sv = names[district.slug]
        db.session.commit()


def two_districts(app, make_project, make_survey) -> dict:
    """Malmi with 6 resident answers, Kontula with 3 (too few), plus an area-actor survey.

    Returns the project ids and survey codes so tests can drill down.
    """
    malmi = make_project(name="Malmin tarinat", district="malmi")
    kontula = make_project(name="Kontulan kaikupohja", district="kontula")
    make_survey(code="malmi-1", project_id=malmi, event_date=date(2026, 11, 20))
    make_survey(code="kontula-1", project_id=kontula, event_date=date(2026, 11, 21))
    make_survey(
        code="kontula-aa",
        project_id=kontula,
        tier=Tier.AREA_ACTOR,
        status=SurveyStatus.OPEN,
    )
    name_districts(app)
    answer(app, "malmi-1", [5, 5, 4, 4, 3, 3], date(2026, 11, 20))
    answer(app, "kontula-1", [5, 4, 4], date(2026, 11, 21))
    # Area actors all answer 1: if they leaked into resident figures, the indexes would drop.
    answer(app, "kontula-aa", [1, 1, 1, 1, 1, 1], date(2026, 11, 21))
    return {"malmi": malmi, "kontula": kontula}
