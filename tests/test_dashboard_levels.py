"""The dashboard tells the truth at every level: project view, drill-down, gaps, noise, locale."""

from __future__ import annotations

import re
from datetime import date

import pytest

from feedback_app.services.figures.district_results import change_between
from tests.district_support import answer
from tests.studio_support import add_responses, project_of, survey_id


def test_project_view_has_project_level_headings_and_charts(official, districts):
    project = districts["malmi"]
    html = official.get(f"/dashboard/?district=malmi&project={project}&lang=fi").get_data(
        as_text=True
    )
    assert "Alueet rinnakkain" not in html
    assert "Hanke: <bdi>Malmin tarinat</bdi>" in html
    charts = official.get(
        f"/dashboard/data/charts.json?district=malmi&project={project}&lang=en"
    ).get_json()
    # The comparison sets the project's events side by side, the trend names the project.
    assert "event" in charts["comparison"]["title"].lower()
    assert charts["comparison"]["table"]["rows"][0][0] == "Tarinailta"
    assert "Malmin tarinat" in [t["name"] for t in charts["trend"]["figure"]["data"]]
    assert "Malmi" not in [t["name"] for t in charts["trend"]["figure"]["data"]]
    assert "district" not in charts["volume"]["title"].lower()


def test_event_rows_open_the_events_results(app, official, districts):
    project = districts["malmi"]
    html = official.get(f"/dashboard/?district=malmi&project={project}&lang=en").get_data(
        as_text=True
    )
    events = html.split('id="events"')[1]
    assert f'href="/studio/surveys/{survey_id(app, "malmi-1")}/results' in events
    assert official.get(f"/studio/surveys/{survey_id(app, 'malmi-1')}/results").status_code == 200


def test_trend_lines_show_a_gap_for_a_quarter_without_answers(app, official, districts):
    answer(app, "malmi-1", [4] * 5, date(2026, 5, 10))  # 2026-Q2; 2026-Q3 has none
    payload = official.get("/dashboard/data/chart/trend.json?lang=en&district=malmi").get_json()
    malmi = next(t for t in payload["figure"]["data"] if t["name"] == "Malmi")
    assert malmi["x"] == ["2026-Q2", "2026-Q3", "2026-Q4"]
    assert malmi["y"][1] is None and malmi["y"][0] is not None and malmi["y"][2] is not None
    assert malmi["connectgaps"] is False


def test_change_between_quarters_says_whether_it_is_more_than_noise():
    clear = change_between([0, 0, 0, 10, 10], [10, 10, 0, 0, 0])
    assert clear["change"] == 75.0 and clear["verdict"] == "higher"
    assert clear["ci95"][0] > 0
    noise = change_between([0, 1, 2, 2, 1], [0, 2, 2, 1, 1])
    assert noise["verdict"] == "same" and noise["ci95"][0] < 0 < noise["ci95"][1]
    assert change_between([5, 5, 0, 0, 0], [0, 0, 0, 5, 5])["verdict"] == "lower"


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "clearly higher than 2026-Q3"),
        ("fi", "selvästi korkeampi kuin 2026-Q3"),
        ("sv", "klart högre än 2026-Q3"),
    ],
)
def test_cards_say_in_words_whether_a_change_is_more_than_noise(
    app, official, districts, lang, words
):
    answer(app, "malmi-1", [1] * 6, date(2026, 8, 10))  # 2026-Q3 all 1, Q4 mostly 4–5
    html = official.get(f"/dashboard/?district=malmi&lang={lang}").get_data(as_text=True)
    assert words in html


def test_a_change_within_noise_is_called_so(app, official, districts):
    answer(app, "malmi-1", [5, 5, 4, 4, 3, 3], date(2026, 8, 10))
    html = official.get("/dashboard/?district=malmi&lang=en").get_data(as_text=True)
    assert "within the margin of error" in html


def test_finnish_chart_hover_text_uses_decimal_commas(official, districts):
    payloads = official.get("/dashboard/data/charts.json?lang=fi").get_json()
    comparison = payloads["comparison"]["figure"]
    assert comparison["layout"]["separators"][0] == ","
    hover = " ".join(
        str(text) for trace in comparison["data"] for text in trace.get("customdata", [])
    )
    assert "75,0" in hover
    trend = payloads["trend"]["figure"]
    texts = [str(t) for trace in trend["data"] for t in trace.get("customdata", []) if t]
    assert texts and all(not re.search(r"\d\.\d", text) for text in texts)
    for name in ("comparison", "trend", "distribution", "volume"):
        for trace in payloads[name]["figure"]["data"]:
            assert "customdata" in trace["hovertemplate"]


def test_english_chart_hover_text_uses_decimal_points(official, districts):
    comparison = official.get("/dashboard/data/chart/comparison.json?lang=en").get_json()
    assert comparison["figure"]["layout"]["separators"][0] == "."
    assert "75.0" in " ".join(str(t) for t in comparison["figure"]["data"][0]["customdata"])


def test_change_in_cards_uses_the_locale(app, official, districts):
    answer(app, "malmi-1", [1] * 6, date(2026, 8, 10))
    html = official.get("/dashboard/?district=malmi&lang=fi").get_data(as_text=True)
    assert re.search(r"\+\d+,\d", html)


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("district=nowhere", "District: nowhere"),
        ("project=999999", "Project: 999999"),
        ("quarter=9", "Quarter: 9"),
    ],
)
def test_a_filter_value_not_understood_is_named(official, districts, query, named):
    html = official.get(f"/dashboard/?{query}&lang=en").get_data(as_text=True)
    notice = html.split("were not understood")[1].split("</p>")[0]
    assert named in notice


def test_unknown_district_refuses_the_csv(official, districts):
    response = official.get("/dashboard/export.csv?district=nowhere&lang=en")
    assert response.status_code == 400
    assert "nowhere" in response.get_data(as_text=True)


def test_artist_results_show_the_dashboards_index_and_interval(
    app, client, auth, make_account, make_survey
):
    """The same figure as the dashboard's event row: index and its 95 % interval, in Finnish."""
    code = make_survey(code="res")
    project = project_of(app, code)
    add_responses(app, code, 5)  # safety 3, 4, 5, 3, 4: index 70,0 (51,7–88,3)
    auth.login(make_account("artist", projects=[project]))
    html = client.get(f"/studio/surveys/{survey_id(app, code)}/results?lang=fi").get_data(
        as_text=True
    )
    assert "70,0" in html and "(51,7–88,3)" in html
    auth.login(make_account("official"))
    dashboard = client.get(f"/dashboard/?period=all&project={project}&lang=fi").get_data(
        as_text=True
    )
    assert '<strong>70,0</strong> <span class="ci">(51,7–88,3)</span>' in dashboard


def test_artist_compares_one_indicator_across_their_events(
    app, client, auth, make_account, make_project, make_survey
):
    project = make_project(name="Oma hanke", district="malmi")
    make_survey(code="ilta-1", project_id=project, title="Ensimmäinen ilta")
    make_survey(code="ilta-2", project_id=project, title="Toinen ilta")
    make_survey(code="ilta-3", project_id=project, title="Kolmas ilta")
    answer(app, "ilta-1", [5, 5, 5, 5, 4], date(2026, 11, 20))  # joy 95,0
    answer(app, "ilta-2", [3, 3, 3, 3, 3], date(2026, 11, 20))  # joy 50,0, no spread
    answer(app, "ilta-3", [5, 5], date(2026, 11, 20))  # too few
    auth.login(make_account("artist", projects=[project]))
    first = survey_id(app, "ilta-1")
    results = client.get(f"/studio/surveys/{first}/results?lang=fi").get_data(as_text=True)
    assert f"/studio/surveys/{first}/compare" in results
    html = client.get(f"/studio/surveys/{first}/compare?indicator=joy&lang=fi").get_data(
        as_text=True
    )
    table = html.split("<tbody>")[1]
    assert "Ensimmäinen ilta" in table and "<strong>95,0</strong>" in table
    assert "Toinen ilta" in table and "<strong>50,0</strong>" in table
    assert "(85,2–100,0)" in table  # the interval, as on the dashboard
    assert "Kolmas ilta" in table and "liian vähän vastauksia" in table
    assert f"/studio/surveys/{first}/project-report.pdf" in html
    assert client.get(f"/studio/surveys/{first}/compare?indicator=nope").status_code == 400


def test_an_artist_cannot_compare_another_projects_events(
    app, client, auth, make_account, make_project, make_survey
):
    other = make_project(name="Vieras hanke", district="kontula")
    make_survey(code="vieras-1", project_id=other)
    auth.login(make_account("artist", projects=[make_project(name="Oma", district="malmi")]))
    assert client.get(f"/studio/surveys/{survey_id(app, 'vieras-1')}/compare").status_code == 403
