"""Excel-ready exports: the XLSX workbooks, the two CSV dialects, and suppression in each."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.models import Question, QuestionKind, Survey
from feedback_app.services.figures import district_reports
from feedback_app.services.figures.district_filters import Filters
from tests.district_support import answer
from tests.studio_support import add_responses, project_of, survey_id

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
K = 5


def workbook(response):
    """The downloaded workbook, read back as a spreadsheet program would."""
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == XLSX
    assert "attachment" in response.headers["Content-Disposition"]
    return load_workbook(io.BytesIO(response.data))


def records(sheet) -> list[dict]:
    """A sheet's rows as dictionaries keyed by its header row."""
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def finnish_rows(response) -> list[dict]:
    """The Finnish Excel dialect parsed as Excel in Finland does: ';' and decimal comma."""
    assert response.data.startswith(b"\xef\xbb\xbf")
    text = response.data.decode("utf-8-sig")
    assert "\r\n" in text
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))


def number(cell: str) -> float:
    """A Finnish decimal number such as ``75,0``."""
    assert "." not in cell
    return float(cell.replace(",", "."))


# --- The dashboard workbook -------------------------------------------------------------


def test_workbook_districts_sheet_gives_the_dashboard_figures(official, districts):
    book = workbook(official.get("/dashboard/export.xlsx?lang=en"))
    assert book.sheetnames == ["Districts", "Projects", "Events", "By quarter", "Method"]
    sheet = book["Districts"]
    summary = official.get("/dashboard/data/summary.json?lang=en").get_json()
    rows = records(sheet)
    names = {"joy": "Joy", "belonging": "Belonging", "safety": "Safety"}
    assert rows, "no district rows"
    for district in summary["districts"]:
        for key, figure in district["indicators"].items():
            (row,) = [
                r
                for r in rows
                if r["District"] == district["name"] and r["Indicator"] == names[key]
            ]
            assert row["Responses"] == district["responses"]
            assert row["Answers (n)"] == figure["n"]
            assert row["Index 0–100"] == figure["index"]
            low, high = figure["ci95"] or (None, None)
            assert (row["95 % CI, lower"], row["95 % CI, upper"]) == (low, high)
            expected = "too few answers" if figure["suppressed"] else None
            assert row["Note"] == ("no answers" if figure["n"] == 0 else expected)
    # Numbers are numeric cells, not text that looks like a number.
    malmi = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "Malmi")
    numeric = [c for c in malmi if isinstance(c.value, int | float)]
    assert len(numeric) >= 4 and all(c.data_type == "n" for c in numeric)
    assert 75.0 in [c.value for c in numeric]


def test_workbook_labels_and_method_follow_the_interface_language(official, districts):
    fi = workbook(official.get("/dashboard/export.xlsx?lang=fi"))
    sv = workbook(official.get("/dashboard/export.xlsx?lang=sv"))
    assert fi.sheetnames[:3] == ["Alueet", "Hankkeet", "Tapahtumat"]
    assert sv.sheetnames[:3] == ["Områden", "Projekt", "Evenemang"]
    assert fi.worksheets[0]["A1"].value == "Alue"
    assert sv.worksheets[0]["A1"].value == "Område"
    # Swedish district names in the Swedish workbook.
    assert "Malm" in [row[0] for row in sv.worksheets[0].iter_rows(values_only=True)]
    method = "\n".join(
        str(value)
        for row in fi.worksheets[-1].iter_rows(values_only=True)
        for value in row
        if value
    )
    assert "Täysin samaa mieltä" in method  # the scale's wording (feedback_app.scale)
    names = {r["Mittari"] for r in records(fi.worksheets[0])}
    assert "Yhteenkuuluvuus" in names and not [n for n in names if "\u00ad" in n]
    assert "(vastaus − 1) × 25" in method or "× 25" in method  # the index definition
    assert "5" in method and "MIN_GROUP_SIZE" in method  # the suppression rule with its k
    assert "2025–2027" in method  # the grant period of the selection
    kontula = [r for r in records(fi.worksheets[0]) if r["Alue"] == "Kontula"]
    assert kontula and all(r["Indeksi 0–100"] is None for r in kontula)
    # Kontula's three answers are a month cell under k: counted nowhere, as on the cards.
    assert {r["Huomautus"] for r in kontula} == {"ei vastauksia"}
    assert {r["Vastauksia (n)"] for r in kontula} == {0}


def test_workbook_projects_and_events_give_the_breakdown_figures(app, official, districts):
    book = workbook(official.get("/dashboard/export.xlsx?lang=en&district=malmi"))
    with app.app_context():
        projects = district_reports.breakdown(
            Filters(period=2025, district="malmi"), "project", K, None
        )
        events = district_reports.breakdown(
            Filters(period=2025, district="malmi"), "survey", K, None
        )
    project_rows = records(book["Projects"])
    for project in projects["rows"]:
        for key, figure in project["indicators"].items():
            (row,) = [
                r
                for r in project_rows
                if r["Project"] == project["name"] and r["Indicator key"] == key
            ]
            assert row["District"] == "Malmi" and row["Institution"] == "HAM"
            assert (row["Answers (n)"], row["Index 0–100"]) == (figure["n"], figure["index"])
    event_rows = records(book["Events"])
    (event,) = events["rows"]
    joy = next(r for r in event_rows if r["Indicator key"] == "joy")
    assert (joy["District"], joy["Project"], joy["Event"]) == (
        "Malmi",
        "Malmin tarinat",
        "Tarinailta",
    )
    assert joy["Date"].date() == date(2026, 11, 20)
    assert (joy["Answers (n)"], joy["Index 0–100"]) == (6, event["indicators"]["joy"]["index"])
    assert not [r for r in project_rows + event_rows if r["District"] == "Kontula"]


def test_workbook_period_sheet_matches_the_trend_chart(official, districts):
    book = workbook(official.get("/dashboard/export.xlsx?lang=en"))
    chart = official.get("/dashboard/data/chart/trend.json?lang=en").get_json()
    rows = [r for r in records(book["By quarter"]) if r["Level"] == "District"]
    malmi_joy = [r for r in rows if r["District"] == "Malmi" and r["Indicator key"] == "joy"]
    assert [(r["Period"], r["Index 0–100"]) for r in malmi_joy] == [("2026-Q4", 75.0)]
    assert any("75" in str(cell) for row in chart["table"]["rows"] for cell in row)


def test_bad_parameters_refuse_the_workbook(official, districts):
    for query in ("quarter=9", "from=garbage", "tier=nobody", "granularity=week"):
        response = official.get(f"/dashboard/export.xlsx?lang=en&{query}")
        assert response.status_code == 400, query
        assert "not understood" in response.get_data(as_text=True)


@pytest.mark.parametrize(("role", "status"), [("artist", 403), ("official", 200), ("admin", 200)])
def test_workbook_is_for_officials(auth, make_account, role, status):
    auth.login(make_account(role))
    assert auth.client.get("/dashboard/export.xlsx").status_code == status


# --- CSV dialects -----------------------------------------------------------------------


def test_finnish_excel_csv_parses_with_semicolon_and_decimal_comma(official, districts):
    rows = finnish_rows(official.get("/dashboard/export.csv?dialect=excel-fi&lang=en"))
    malmi = next(r for r in rows if r["level"] == "district" and r["district"] == "Malmi")
    assert malmi["indicator"] == "joy" and number(malmi["index"]) == 75.0
    assert number(malmi["ci95_low"]) < 75.0 < number(malmi["ci95_high"])
    assert malmi["n"] == "6"


def test_standard_csv_uses_comma_and_decimal_point(official, districts):
    response = official.get("/dashboard/export.csv?dialect=standard&lang=fi")
    text = response.data.decode("utf-8")
    assert not text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    malmi = next(r for r in rows if r["level"] == "district" and r["district"] == "Malmi")
    assert malmi["index"] == "75.0"


def test_dialect_defaults_by_interface_language(official, districts):
    for lang in ("fi", "sv"):
        body = official.get(f"/dashboard/export.csv?lang={lang}").data
        assert body.startswith(b"\xef\xbb\xbf") and b";" in body.splitlines()[0], lang
    english = official.get("/dashboard/export.csv?lang=en").data
    assert not english.startswith(b"\xef\xbb\xbf") and b"," in english.splitlines()[0]


def test_unknown_dialect_is_a_clear_400(app, official, districts, make_account, auth):
    for value in ("excel", "xlsx", "", "FI;"):
        response = official.get("/dashboard/export.csv", query_string={"dialect": value})
        assert response.status_code == 400, value
        assert "dialect" in response.get_data(as_text=True)


def test_dashboard_csv_carries_project_and_event_columns(official, districts):
    rows = finnish_rows(official.get("/dashboard/export.csv?dialect=excel-fi&lang=fi"))
    assert {"level", "district", "project", "event", "event_date"} <= set(rows[0])
    levels = {r["level"] for r in rows}
    assert levels == {"district", "project", "event"}
    event = next(r for r in rows if r["level"] == "event" and r["indicator"] == "joy")
    assert (event["district"], event["project"], event["event"]) == (
        "Malmi",
        "Malmin tarinat",
        "Tarinailta",
    )
    assert event["event_date"] == "2026-11-20" and number(event["index"]) == 75.0
    project = next(r for r in rows if r["level"] == "project" and r["indicator"] == "joy")
    assert project["project"] == "Malmin tarinat" and project["event"] == ""


def test_formulas_are_neutralised_in_every_format(app, official, make_project, make_survey):
    project = make_project(name='=HYPERLINK("http://x")', district="malmi")
    make_survey(code="evil", project_id=project, title="@SUM(A1)\u202e")
    answer(app, "evil", [4] * K, date(2026, 11, 20))
    for dialect in ("excel-fi", "standard"):
        body = official.get(f"/dashboard/export.csv?dialect={dialect}").data.decode("utf-8-sig")
        assert "'=HYPERLINK" in body and "'@SUM(A1)" in body and "\u202e" not in body
        assert ";=" not in body and ",=" not in body
    book = workbook(official.get("/dashboard/export.xlsx?lang=en"))
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row if c.value]
    evil = [c for c in cells if str(c.value).lstrip("'").startswith(("=HYPERLINK", "@SUM"))]
    assert evil and all(c.data_type == "s" for c in evil)
    assert not [c for c in cells if "\u202e" in str(c.value)]


# --- Suppression in every export --------------------------------------------------------


def test_a_group_below_k_appears_in_no_export(official, districts):
    """Kontula's three answers: no figure of theirs in the CSVs or anywhere in the workbook."""
    for dialect in ("excel-fi", "standard"):
        body = official.get(f"/dashboard/export.csv?dialect={dialect}").data.decode("utf-8-sig")
        assert "Kontula" not in body and "Gårdsbacka" not in body
    book = workbook(official.get("/dashboard/export.xlsx?lang=en"))
    for sheet in book.worksheets[:-1]:
        for row in records(sheet):
            if "Kontula" in row.values():
                assert row.get("Index 0–100") is None and not row.get("Answers (n)")


def figures_of(book) -> list[tuple]:
    """Every figure of a workbook's data sheets, by group and indicator."""
    found = []
    for sheet in book.worksheets[:-1]:
        for row in records(sheet):
            found.append(
                (
                    sheet.title,
                    row.get("District"),
                    row.get("Project"),
                    row.get("Event"),
                    row.get("Period"),
                    row.get("Indicator key"),
                    row.get("Answers (n)"),
                    row.get("Index 0–100"),
                )
            )
    return found


def test_two_exports_differing_by_one_small_event_are_equal(
    app, official, make_project, make_survey
):
    """A district and its big project alone: the small project's two answers never show."""
    big = make_project(name="Iso", district="malmi")
    small = make_project(name="Pieni", district="malmi")
    make_survey(code="big", project_id=big, event_date=date(2026, 3, 3))
    make_survey(code="small", project_id=small, event_date=date(2026, 3, 3), title="Pieni ilta")
    answer(app, "big", [3] * K, date(2026, 3, 3))
    answer(app, "small", [1, 1], date(2026, 3, 3))
    district = workbook(official.get("/dashboard/export.xlsx?lang=en&district=malmi"))
    only_big = workbook(official.get(f"/dashboard/export.xlsx?lang=en&project={big}"))
    wanted = [f for f in figures_of(district) if f[2] != "Pieni" and f[3] != "Pieni ilta"]
    district_level = [f for f in wanted if f[0] == "Districts" and f[5] == "joy"]
    assert district_level and all(f[6] == K for f in district_level)
    assert [f for f in wanted if f[0] in ("Events", "By quarter") and f[5] == "joy"] == [
        f for f in figures_of(only_big) if f[0] in ("Events", "By quarter") and f[5] == "joy"
    ]
    small_rows = [f for f in figures_of(district) if "Pieni" in (f[2], f[3])]
    assert small_rows and all(f[6] in (0, None) and f[7] is None for f in small_rows)
    csv_district = official.get("/dashboard/export.csv?dialect=standard&district=malmi").data
    csv_big = official.get(f"/dashboard/export.csv?dialect=standard&project={big}").data
    assert b"Pieni" not in csv_district
    district_lines = [line for line in csv_district.splitlines() if b",Iso," in line]
    big_lines = [line for line in csv_big.splitlines() if b",Iso," in line]
    assert district_lines == big_lines
    # Windows a day apart select whole months: the same workbook figures.
    narrow = official.get("/dashboard/export.xlsx?lang=en&period=all&from=2026-03-01&to=2026-03-10")
    wide = official.get("/dashboard/export.xlsx?lang=en&period=all&from=2026-03-01&to=2026-03-31")
    assert figures_of(workbook(narrow)) == figures_of(workbook(wide))


# --- The artist's survey results --------------------------------------------------------


@pytest.fixture
def artist_survey(app, make_survey, make_account, auth):
    """An open survey with a custom choice question; returns its id, artist signed in."""
    code = make_survey(code="oma", bank_keys=("residency",))
    with app.app_context():
        survey = db.session.scalar(select(Survey).where(Survey.code == code))
        survey.questions.append(
            Question(
                key="custom_1",
                kind=QuestionKind.SINGLE,
                prompts={
                    "fi": "Mistä kuulit illasta?",
                    "sv": "Var hörde du om kvällen?",
                    "en": "Where did you hear about the evening?",
                },
                options=[
                    {
                        "key": "o1",
                        "labels": {
                            "fi": "Kirjastosta",
                            "sv": "På biblioteket",
                            "en": "At the library",
                        },
                    },
                    {
                        "key": "o2",
                        "labels": {"fi": "Ystävältä", "sv": "Av en vän", "en": "From a friend"},
                    },
                ],
                position=50,
            )
        )
        db.session.commit()
    auth.login(make_account("artist", projects=[project_of(app, code)]))
    return survey_id(app, code)


def test_studio_csv_has_question_texts_and_option_labels(app, client, artist_survey):
    add_responses(app, "oma", K, custom_1="o2", residency="resident")
    rows = finnish_rows(client.get(f"/studio/surveys/{artist_survey}/results.csv?lang=fi"))
    assert "Mistä kuulit illasta?" in rows[0] and "custom_1" not in rows[0]
    assert {r["Mistä kuulit illasta?"] for r in rows} == {"Ystävältä"}
    assert "o2" not in {v for r in rows for v in r.values()}
    english = client.get(f"/studio/surveys/{artist_survey}/results.csv?lang=en").data.decode()
    parsed = list(csv.DictReader(io.StringIO(english, newline="")))
    assert {r["Where did you hear about the evening?"] for r in parsed} == {"From a friend"}


def test_studio_workbook_reads_back_to_the_results_page(app, client, artist_survey):
    add_responses(app, "oma", K, custom_1="o1")
    response = client.get(f"/studio/surveys/{artist_survey}/results.xlsx?lang=en")
    book = workbook(response)
    assert book.sheetnames == ["Summary", "Responses", "Method"]
    summary = records(book["Summary"])
    joy = next(r for r in summary if r["Question key"] == "joy")
    assert joy["Answers (n)"] == K and joy["Index 0–100"] == 100.0  # everyone gave joy 5
    choice = [r for r in summary if r["Question"] == "Where did you hear about the evening?"]
    assert {(r["Option"], r["Count"]) for r in choice} == {
        ("At the library", K),
        ("From a friend", 0),
    }
    answers = records(book["Responses"])
    assert len(answers) == K
    assert {r["Where did you hear about the evening?"] for r in answers} == {"At the library"}
    scores = [c for row in book["Responses"].iter_rows(min_row=2) for c in row if c.value == 5]
    assert scores and all(c.data_type == "n" for c in scores)
    html = client.get(f"/studio/surveys/{artist_survey}/results?lang=en").get_data(as_text=True)
    assert re.search(r'<span class="index-value">100(\.0)?</span>', html)  # the same figure
    assert f"/studio/surveys/{artist_survey}/results.xlsx" in html
    assert "dialect=excel-fi" in html and "dialect=standard" in html


def test_studio_exports_withheld_below_k(app, client, artist_survey):
    add_responses(app, "oma", K - 1, custom_1="o1")
    for path in ("results.xlsx", "results.csv?dialect=standard"):
        response = client.get(f"/studio/surveys/{artist_survey}/{path}")
        assert response.status_code == 303, path
        assert "/results" in response.headers["Location"]


def test_studio_unknown_dialect_is_a_clear_400(app, client, artist_survey):
    add_responses(app, "oma", K, custom_1="o1")
    response = client.get(f"/studio/surveys/{artist_survey}/results.csv?dialect=tsv&lang=en")
    assert response.status_code == 400
    assert "dialect" in response.get_data(as_text=True)


def test_other_artists_survey_exports_are_refused(app, client, make_survey, artist_survey):
    other = survey_id(app, make_survey(code="muu"))
    add_responses(app, "muu", K)
    for path in ("results.xlsx", "results.csv"):
        assert client.get(f"/studio/surveys/{other}/{path}").status_code in (403, 404)


# --- Download links ---------------------------------------------------------------------


def test_dashboard_and_studio_link_to_every_download(app, client, official, districts):
    html = official.get("/dashboard/?lang=fi&district=malmi").get_data(as_text=True)
    assert "/dashboard/export.xlsx?" in html and "district=malmi" in html
    assert "dialect=excel-fi" in html and "dialect=standard" in html
    assert "Lataa Excel-työkirja" in html
    sv = official.get("/dashboard/?lang=sv").get_data(as_text=True)
    assert "Ladda ner Excel-arbetsbok" in sv
