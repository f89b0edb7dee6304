"""Response counts that do not depend on any one question, and figures of one scale wording."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import select, update

from feedback_app.extensions import db
from feedback_app.models import Answer, ScoreTally, Survey
from feedback_app.services.answers.responses import submit_response
from feedback_app.services.charts import dashboard_charts as charts
from feedback_app.services.figures import district_reports, district_results
from feedback_app.services.figures.district_filters import Filters
from feedback_app.services.reports import dashboard_export
from tests.district_support import answer, name_districts

TODAY = date(2026, 11, 27)


def skip_joy(app, code: str, count: int, day: date) -> None:
    """Store ``count`` responses that answer belonging only (joy skipped)."""
    with app.app_context():
        survey = db.session.scalar(select(Survey).where(Survey.code == code))
        for _ in range(count):
            submit_response(
                survey,
                client_id=str(uuid.uuid4()),
                locale="fi",
                answers={"belonging": 4},
                now=datetime(day.year, day.month, day.day, 12),
            )


def one_district(app, make_project, make_survey) -> int:
    """Malmi with one resident survey; returns the project id."""
    project = make_project(name="Malmin tarinat", district="malmi")
    make_survey(code="malmi-1", project_id=project, event_date=date(2026, 11, 20))
    name_districts(app)
    return project


def test_responses_that_skipped_joy_are_counted(app, make_project, make_survey):
    project = one_district(app, make_project, make_survey)
    answer(app, "malmi-1", [5, 4, 4, 3, 3], date(2026, 11, 20))
    skip_joy(app, "malmi-1", 4, date(2026, 11, 20))
    with app.app_context():
        summary = district_results.district_summary(Filters(period=2025), 5, TODAY)
        events = district_reports.breakdown(Filters(period=2025, project=project), "survey", 5)
    malmi = summary["districts"][0]
    assert malmi["responses"] == 9
    assert malmi["indicators"]["joy"]["n"] == 5
    assert malmi["indicators"]["belonging"]["n"] == 9
    assert events["rows"][0]["responses"] == 9


def test_a_response_count_under_k_in_a_month_is_withheld(app, make_project, make_survey):
    one_district(app, make_project, make_survey)
    skip_joy(app, "malmi-1", 3, date(2026, 11, 20))
    skip_joy(app, "malmi-1", 5, date(2026, 10, 20))
    with app.app_context():
        summary = district_results.district_summary(Filters(period=2025), 5, TODAY)
    # October's 5 are shown; November's 3 are a month cell under k and counted nowhere.
    assert summary["districts"][0]["responses"] == 5


def test_only_the_newest_wording_is_counted_with_a_notice(app, make_project, make_survey):
    one_district(app, make_project, make_survey)
    answer(app, "malmi-1", [1, 1, 1, 1, 1], date(2026, 10, 20))
    with app.app_context():
        # These answers were given on the "Very unhappy … Very happy" faces.
        db.session.execute(update(ScoreTally).values(scale_version=1))
        db.session.execute(update(Answer).values(scale_version=1))
        db.session.commit()
    answer(app, "malmi-1", [5, 5, 5, 5, 5], date(2026, 11, 20))
    with app.app_context():
        summary = district_results.district_summary(Filters(period=2025), 5, TODAY)
        rows = dashboard_export.gather(Filters(period=2025), 5, TODAY).periods
    joy = summary["districts"][0]["indicators"]["joy"]
    assert joy["n"] == 5 and joy["index"] == 100.0
    assert summary["earlier_scale"] is True
    assert summary["districts"][0]["responses"] == 10
    joy_rows = [r for r in rows if r["indicator"] == "joy" and r["level"] == "district"]
    assert [row["scale_version"] for row in joy_rows] == [2]


def test_one_wording_shows_no_notice(app, make_project, make_survey):
    one_district(app, make_project, make_survey)
    answer(app, "malmi-1", [5, 5, 5, 5, 5], date(2026, 11, 20))
    with app.app_context():
        summary = district_results.district_summary(Filters(period=2025), 5, TODAY)
    assert summary["earlier_scale"] is False


def test_the_volume_chart_counts_responses_that_skipped_joy(app, make_project, make_survey):
    one_district(app, make_project, make_survey)
    answer(app, "malmi-1", [5, 4, 4, 3, 3], date(2026, 11, 20))
    skip_joy(app, "malmi-1", 4, date(2026, 11, 20))
    with app.test_request_context("/dashboard/?lang=en"):
        volume = charts.chart("volume", Filters(period=2025), 5, TODAY, "en")
    assert volume["table"]["rows"] == [["Malmi", "2026-Q4", "9"]]  # in the locale's notation
