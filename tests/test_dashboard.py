"""The officials' dashboard pages: access, languages, suppression, charts, live updates, CSV."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
from sqlalchemy import update

from feedback_app.extensions import db
from feedback_app.models import ScoreTally
from feedback_app.security import CONTENT_SECURITY_POLICY
from feedback_app.services.charts.dashboard_charts import plotly_bundle, plotly_version
from tests.district_support import answer

DASHBOARD_PATHS = [
    "/dashboard/",
    "/dashboard/residents",
    "/dashboard/export.csv",
    "/dashboard/export.xlsx",
    "/dashboard/data/summary.json",
    "/dashboard/data/stamp.json",
    "/dashboard/data/cards.html",
    "/dashboard/data/chart/comparison.json",
    "/dashboard/data/charts.json",
]


@pytest.mark.parametrize("path", DASHBOARD_PATHS)
def test_anonymous_visitors_are_sent_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("path", DASHBOARD_PATHS)
@pytest.mark.parametrize(("role", "status"), [("artist", 403), ("official", 200), ("admin", 200)])
def test_roles(auth, make_account, path, role, status):
    auth.login(make_account(role))
    assert auth.client.get(path).status_code == status


def test_districts_side_by_side_in_finnish(official, districts):
    html = official.get("/dashboard/?lang=fi").get_data(as_text=True)
    assert "Malmi" in html and "Kontula" in html
    # A soft hyphen lets the long word break inside a narrow card.
    assert "Ilo" in html and "Yhteen\u00adkuuluvuus" in html and "Turvallisuus" in html
    assert "75,0" in html  # Malmi's index with a Finnish decimal comma
    assert "liian vähän vastauksia" in html  # Kontula has 3 answers, fewer than 5
    assert 'lang="fi"' in html


def test_swedish_page_uses_swedish_district_names(official, districts):
    html = official.get("/dashboard/?lang=sv").get_data(as_text=True)
    assert "Malm<" in html or "Malm\n" in html or ">Malm" in html
    assert "Gårdsbacka" in html
    assert "Glädje" in html and "Trygghet" in html
    assert "för få svar" in html


def test_english_page(official, districts):
    html = official.get("/dashboard/?lang=en").get_data(as_text=True)
    assert "Resident feedback by district" in html
    assert "too few answers" in html


def test_strict_csp_and_no_inline_script(official, districts):
    response = official.get("/dashboard/")
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    html = response.get_data(as_text=True)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert " style=" not in html
    assert re.search(rf'src="/dashboard/static/plotly-\w+-{plotly_version()}-\w+\.min\.js"', html)


def test_plotly_is_served_by_the_app_with_long_caching(app, client):
    name = plotly_bundle(app.config["PLOTLY_BUNDLE_DIR"]).name
    response = client.get(f"/dashboard/static/plotly-{name}.min.js")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.mimetype == "text/javascript"
    assert b"plotly.js" in response.data[:80] and plotly_version().encode() in response.data[:80]
    assert client.get(f"/dashboard/static/plotly-{plotly_version()}.min.js").status_code == 404


def test_chart_json_suppresses_small_cells(official, districts):
    payload = official.get("/dashboard/data/chart/comparison.json?lang=en").get_json()
    joy = payload["figure"]["data"][0]
    assert joy["type"] == "bar" and joy["x"] == ["Kontula", "Malmi"]
    assert joy["y"] == [None, 75.0]
    assert joy["text"][0] == "too few answers"
    notes = payload["figure"]["layout"]["annotations"]
    assert "Too few answers to show: Kontula" in notes[0]["text"]
    rows = {row[0]: row for row in payload["table"]["rows"]}
    assert rows["Kontula"][2:] == ["too few answers"] * 3
    assert rows["Malmi"][2].startswith("75.0 (")


@pytest.mark.parametrize("name", ["trend", "distribution", "volume"])
def test_every_chart_has_a_figure_and_a_table(official, districts, name):
    payload = official.get(f"/dashboard/data/chart/{name}.json?lang=en").get_json()
    assert payload["figure"]["data"]
    assert payload["table"]["caption"] and payload["table"]["rows"]
    text = str(payload)
    if name == "distribution":
        assert "too few answers" in text


def test_unknown_chart_is_404(official):
    assert official.get("/dashboard/data/chart/pie.json").status_code == 404


def test_charts_have_data_tables_with_captions(official, districts):
    html = official.get("/dashboard/?lang=en").get_data(as_text=True)
    for name in ("comparison", "trend", "distribution", "volume"):
        assert f'id="table-{name}"' in html
        assert f'id="chart-{name}"' in html
    assert html.count("<caption>") >= 4


def test_drill_down_district_project_event(official, districts):
    html = official.get("/dashboard/?district=malmi&lang=en").get_data(as_text=True)
    assert "Malmin tarinat" in html and "Kontulan kaikupohja" not in html
    html = official.get(
        f"/dashboard/?district=malmi&project={districts['malmi']}&lang=en"
    ).get_data(as_text=True)
    assert "Events" in html and "Tarinailta" in html


def test_residents_report_keeps_other_tiers_apart(official, districts):
    html = official.get("/dashboard/residents?lang=en").get_data(as_text=True)
    resident_part, other_part = html.split("Other tiers, reported separately")
    assert "Area actors" in other_part
    assert 'data-tier="area_actor"' in other_part
    # The area actors' six answers of 1 appear only in their own section.
    assert "0.0" not in resident_part
    assert "0.0" in other_part


def test_live_stamp_etag_and_304(official, app, districts):
    first = official.get("/dashboard/data/stamp.json")
    etag = first.headers["ETag"]
    assert first.status_code == 200 and etag
    again = official.get("/dashboard/data/stamp.json", headers={"If-None-Match": etag})
    assert again.status_code == 304
    answer(app, "malmi-1", [5], date(2026, 11, 22))
    changed = official.get("/dashboard/data/stamp.json", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    cards = official.get("/dashboard/data/cards.html").get_data(as_text=True)
    assert 'data-responses="malmi">7<' in cards


def test_csv_export(official, districts):
    response = official.get("/dashboard/export.csv?lang=en&dialect=excel-fi")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:], newline=""), delimiter=";"))
    assert list(rows[0]) == [
        "level",
        "district",
        "district_sv",
        "project",
        "event",
        "event_date",
        "grant_period",
        "tier",
        "period",
        "indicator",
        "n",
        "index",
        "ci95_low",
        "ci95_high",
        "suppressed",
        "scale_version",
    ]
    malmi = next(
        r
        for r in rows
        if r["level"] == "district" and r["district"] == "Malmi" and r["indicator"] == "joy"
    )
    assert (malmi["n"], malmi["index"], malmi["suppressed"], malmi["period"]) == (
        "6",
        "75,0",
        "false",
        "2026-Q4",
    )
    assert malmi["scale_version"] == "2"
    # Kontula's three answers are a survey-month cell under the threshold: counted nowhere.
    assert not [r for r in rows if r["district_sv"] == "Gårdsbacka"]


def test_csv_follows_filters(official, districts):
    text = official.get(
        "/dashboard/export.csv?district=malmi&granularity=month&dialect=standard"
    ).data.decode()
    assert "Kontula" not in text
    assert ",2026-11," in text


def test_invalid_filter_is_reported_not_guessed(official, districts):
    html = official.get("/dashboard/?quarter=9&lang=en").get_data(as_text=True)
    assert "were not understood" in html and "quarter" in html


def test_trend_leaves_out_small_cells(official, districts):
    """Kontula's three answers form a cell under the threshold: no point, no table row."""
    payload = official.get("/dashboard/data/chart/trend.json?lang=en").get_json()
    kontula = [t for t in payload["figure"]["data"] if t["name"] == "Kontula"]
    assert kontula and all(y is None for t in kontula for y in t["y"])
    assert not [row for row in payload["table"]["rows"] if row[1] == "Kontula"]
    assert [row for row in payload["table"]["rows"] if row[1] == "Malmi"]


def test_swedish_chart_data(official, districts):
    payload = official.get("/dashboard/data/chart/distribution.json?lang=sv").get_json()
    assert "Helt av annan åsikt" in payload["figure"]["data"][0]["name"]
    assert ["Gårdsbacka", "Glädje: för få svar"] in [row[:2] for row in payload["table"]["rows"]]


def test_all_charts_in_one_response(official, districts):
    payloads = official.get("/dashboard/data/charts.json?lang=en").get_json()
    assert set(payloads) == {"comparison", "trend", "distribution", "volume"}
    single = official.get("/dashboard/data/chart/comparison.json?lang=en").get_json()
    assert payloads["comparison"] == single


EARLIER_SCALE = "Some answers were given before the answer labels changed"


def test_dashboard_says_when_older_answer_labels_are_left_out(app, official, districts):
    assert EARLIER_SCALE not in official.get("/dashboard/?lang=en").get_data(as_text=True)
    with app.app_context():
        # Malmi's answers were given on the "Very unhappy … Very happy" faces.
        db.session.execute(update(ScoreTally).values(scale_version=1))
        db.session.commit()
    answer(app, "malmi-1", [2, 2, 2, 2, 2], date(2026, 12, 1))
    page = official.get("/dashboard/?lang=en&period=2025").get_data(as_text=True)
    assert EARLIER_SCALE in page
    report = official.get("/dashboard/residents?lang=en&period=2025").get_data(as_text=True)
    assert EARLIER_SCALE in report
    summary = official.get("/dashboard/data/summary.json?period=2025").get_json()
    malmi = next(row for row in summary["districts"] if row["slug"] == "malmi")
    assert summary["earlier_scale"] is True
    assert malmi["indicators"]["joy"]["n"] == 5 and malmi["indicators"]["joy"]["index"] == 25.0
    assert malmi["responses"] == 11
