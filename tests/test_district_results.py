"""District aggregation from the score tallies: figures, suppression, tiers, filters, change."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from feedback_app.extensions import db
from feedback_app.models import ScoreTally, Survey
from feedback_app.questions import ci95, index_0_100
from feedback_app.services.answers.responses import bump_tally
from feedback_app.services.figures import district_reports, district_results, results
from feedback_app.services.figures.district_filters import Filters, parse_filters
from feedback_app.services.reports import dashboard_export
from tests.district_support import answer, two_districts

TODAY = date(2026, 11, 27)


def summary(app, filters: Filters | None = None, min_group: int = 5) -> dict:
    """The district summary as the dashboard computes it."""
    with app.app_context():
        return district_results.district_summary(filters or Filters(period=2025), min_group, TODAY)


def by_slug(data: dict) -> dict:
    """Summary rows keyed by district slug."""
    return {row["slug"]: row for row in data["districts"]}


def test_index_and_interval_match_the_question_formulas(app, make_project, make_survey):
    two_districts(app, make_project, make_survey)
    malmi = by_slug(summary(app))["malmi"]
    distribution = [0, 0, 2, 2, 2]
    assert malmi["responses"] == 6
    joy = malmi["indicators"]["joy"]
    assert joy["n"] == 6
    assert joy["index"] == round(index_0_100(distribution), 1) == 75.0
    low, high = ci95(distribution)
    assert joy["ci95"] == [round(low, 1), round(high, 1)]
    assert joy["distribution"] == distribution
    assert joy["suppressed"] is False


def test_fewer_than_min_group_answers_are_withheld(app, make_project, make_survey):
    two_districts(app, make_project, make_survey)
    kontula = by_slug(summary(app))["kontula"]
    # A survey-month cell under the threshold is counted in no figure (differencing).
    assert kontula["responses"] == 0
    for cell in kontula["indicators"].values():
        assert cell == {
            "n": 0,
            "index": None,
            "ci95": None,
            "distribution": None,
            "suppressed": True,
            "change": None,
            "change_ci95": None,
            "change_verdict": None,
        }
    # With a smaller threshold the same cell is shown.
    shown = by_slug(summary(app, min_group=3))["kontula"]["indicators"]["joy"]
    assert shown["index"] == pytest.approx(83.3, abs=0.05)


def test_other_tiers_never_enter_resident_figures(app, make_project, make_survey):
    two_districts(app, make_project, make_survey)
    residents = by_slug(summary(app, min_group=1))["kontula"]
    assert residents["responses"] == 3
    assert residents["indicators"]["joy"]["distribution"] == [0, 0, 0, 2, 1]
    actors = by_slug(summary(app, Filters(period=2025, tier="area_actor"), min_group=1))
    assert actors["kontula"]["responses"] == 6
    assert actors["kontula"]["indicators"]["joy"]["index"] == 0.0
    with app.app_context():
        report = district_reports.tier_report(Filters(period=2025), 1)
    resident_rows = {row["name"]: row for row in report["projects"]["rows"]}
    assert resident_rows["Kontulan kaikupohja"]["responses"] == 3
    actor_rows = {row["name"]: row for row in report["other_tiers"]["area_actor"]["rows"]}
    assert actor_rows["Kontulan kaikupohja"]["responses"] == 6
    assert all(row["responses"] == 0 for row in report["other_tiers"]["art_institution"]["rows"])


def test_day_range_and_quarter_filters(app, make_project, make_survey):
    two_districts(app, make_project, make_survey)
    answer(app, "malmi-1", [1, 1, 1, 1, 1], date(2026, 8, 15))
    everything = by_slug(summary(app))["malmi"]
    assert everything["responses"] == 11
    q4 = by_slug(summary(app, Filters(period=2025, year=2026, quarter=4)))["malmi"]
    assert q4["responses"] == 6
    august = Filters(period=2025, date_from=date(2026, 8, 1), date_to=date(2026, 8, 31))
    assert by_slug(summary(app, august))["malmi"]["indicators"]["joy"]["index"] == 0.0
    other_period = summary(app, Filters(period=2022))
    assert other_period["districts"] == []


def test_change_against_previous_quarter(app, make_project, make_survey):
    two_districts(app, make_project, make_survey)
    answer(app, "malmi-1", [3, 3, 3, 3, 3], date(2026, 8, 15))  # Q3: index 50
    data = summary(app)
    assert (data["quarter"], data["previous_quarter"]) == ("2026-Q4", "2026-Q3")
    malmi = by_slug(data)["malmi"]["indicators"]["joy"]
    assert malmi["change"] == 25.0  # Q4 index 75 − Q3 index 50
    assert by_slug(data)["kontula"]["indicators"]["joy"]["change"] is None


def test_district_names_and_drill_down(app, make_project, make_survey):
    ids = two_districts(app, make_project, make_survey)
    rows = summary(app)["districts"]
    assert [(r["name"], r["name_sv"]) for r in rows] == [
        ("Kontula", "Gårdsbacka"),
        ("Malmi", "Malm"),
    ]
    with app.app_context():
        projects = district_reports.breakdown(Filters(period=2025, district="malmi"), "project", 5)
        events = district_reports.breakdown(Filters(project=ids["malmi"]), "survey", 5)
    assert [r["name"] for r in projects["rows"]] == ["Malmin tarinat"]
    assert projects["rows"][0]["indicators"]["safety"]["index"] == 75.0
    assert [r["code"] for r in events["rows"]] == ["malmi-1"]


def test_export_rows_one_per_group_period_indicator(app, make_project, make_survey):
    two_districts(app, make_project, make_survey)
    with app.app_context():
        rows = dashboard_export.gather(Filters(period=2025), 5, TODAY).periods
    keys = {(r["level"], r["district"], r.get("event"), r["period"], r["indicator"]) for r in rows}
    assert ("district", "Malmi", None, "2026-Q4", "joy") in keys
    assert ("event", "Malmi", "Tarinailta", "2026-Q4", "joy") in keys
    assert len(keys) == len(rows)
    # Kontula's three answers form a cell under the threshold: no row counts them.
    assert not [r for r in rows if r["district"] == "Kontula"]
    assert {r["level"] for r in rows} == {"district", "project", "event"}


def test_live_stamp_moves_with_each_response(app, make_project, make_survey):
    two_districts(app, make_project, make_survey)
    with app.app_context():
        before = district_results.live_stamp()
    answer(app, "malmi-1", [4], date(2026, 11, 22))
    with app.app_context():
        assert district_results.live_stamp() != before


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        ({"quarter": "5"}, "quarter"),
        ({"year": "20x6"}, "year"),
        ({"from": "2026-13-01"}, "from"),
        ({"tier": "everyone"}, "tier"),
        ({"district": "<script>"}, "district"),
    ],
)
def test_invalid_filters_are_named_and_dropped(app_context, args, problem):
    filters, problems = parse_filters(args, TODAY)
    assert problem in problems
    assert filters.tier == "resident"


def test_filters_default_to_running_period(app_context, make_project):
    make_project(start_year=2025)
    filters, problems = parse_filters({}, TODAY)
    assert (filters.period, problems) == (2025, [])
    assert parse_filters({"period": "all"}, TODAY)[0].period is None
    assert parse_filters({"quarter": "2"}, TODAY)[0].day_range() == (
        date(2026, 4, 1),
        date(2026, 6, 30),
    )


def test_every_figure_sums_the_worker_slots_of_a_tally_cell(
    app, make_project, make_survey, monkeypatch
):
    """Workers count in their own slots (PostgreSQL); moving counts between slots alters nothing."""
    monkeypatch.setenv("FIILIS_TALLY_SLOT", "2")
    two_districts(app, make_project, make_survey)
    monkeypatch.setenv("FIILIS_TALLY_SLOT", "13")
    answer(app, "malmi-1", [5, 2], date(2026, 11, 22))
    with app.app_context():
        slots = set(db.session.scalars(select(ScoreTally.slot)))
        assert slots == ({2, 13 % 8} if db.engine.dialect.name == "postgresql" else {0})
    before = summary(app), summary(app, Filters(period=2025, district="malmi"))
    with app.app_context():
        survey_id = db.session.scalar(select(Survey.id).where(Survey.code == "malmi-1"))
        before_survey = results.score_distributions(survey_id)
        moved = 0
        for cell in db.session.scalars(select(ScoreTally).where(ScoreTally.n > 1)).all():
            cell.n -= 1
            bump_tally(cell.survey_id, cell.indicator, cell.day, cell.score, slot=7)
            moved += 1
        db.session.commit()
        assert moved and db.session.scalar(select(func.count()).where(ScoreTally.slot == 7))
        assert results.score_distributions(survey_id) == before_survey
    assert (summary(app), summary(app, Filters(period=2025, district="malmi"))) == before
