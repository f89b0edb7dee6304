"""The printable report (PDF): same figures as the dashboard, suppression, access, languages.

The PDF is read back with poppler's pdftotext, the way a reader searching or copying the
report would get its words, so each test checks what is actually printed.
"""

from __future__ import annotations

import re
import subprocess
from datetime import date

import pytest
from flask_babel import format_decimal

from tests.district_support import answer

CORE = ("joy", "belonging", "safety")
TOO_FEW = {"fi": "liian vähän vastauksia", "sv": "för få svar", "en": "too few answers"}


def pdf_text(body: bytes, tmp_path) -> str:
    """The PDF's text layer, whitespace collapsed so table cells read as one line each."""
    path = tmp_path / "report.pdf"
    path.write_bytes(body)
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, timeout=60
    )
    return re.sub(r"\s+", " ", out.stdout.decode("utf-8"))


def printed(app, value: float, lang: str) -> str:
    """A figure as the report prints it in ``lang`` (decimal comma in fi and sv)."""
    with app.test_request_context(f"/?lang={lang}"):
        return format_decimal(value, format="0.0")


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_period_report_prints_the_dashboard_figures(app, official, districts, tmp_path, lang):
    summary = official.get("/dashboard/data/summary.json?period=2025").get_json()
    response = official.get(f"/dashboard/report.pdf?period=2025&lang={lang}")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    text = pdf_text(response.data, tmp_path)
    malmi = next(row for row in summary["districts"] if row["slug"] == "malmi")
    for key in CORE:
        cell = malmi["indicators"][key]
        low, high = cell["ci95"]
        shown = (
            f"{printed(app, cell['index'], lang)} "
            f"({printed(app, low, lang)}–{printed(app, high, lang)}) {cell['n']}"
        )
        assert shown in text
    assert ("Malm" if lang == "sv" else "Malmi") in text
    assert ("Gårdsbacka" if lang == "sv" else "Kontula") in text
    assert TOO_FEW[lang] in text
    assert "2025–2027" in text


def test_suppressed_district_shows_no_figure_and_no_comment(
    app, official, make_project, make_survey, tmp_path
):
    malmi = make_project(name="Malmin tarinat", district="malmi")
    kontula = make_project(name="Kontulan kaikupohja", district="kontula")
    make_survey(code="malmi-1", project_id=malmi, event_date=date(2026, 11, 20))
    make_survey(code="kontula-1", project_id=kontula, event_date=date(2026, 11, 21))
    answer(app, "malmi-1", [4] * 5, date(2026, 11, 20), comment="Hieno ilta Malmilla")
    # Kontula: three answers all 2, index 25,0: it must appear nowhere in the report.
    answer(app, "kontula-1", [2, 2, 2], date(2026, 11, 21), comment="Pieni ryhmä Kontulassa")
    text = pdf_text(official.get("/dashboard/report.pdf?period=2025&lang=fi").data, tmp_path)
    assert "Hieno ilta Malmilla" in text
    assert "Pieni ryhmä Kontulassa" not in text
    assert "25,0" not in text
    assert "75,0" in text
    kontula_only = official.get("/dashboard/report.pdf?period=2025&district=kontula&lang=fi")
    text = pdf_text(kontula_only.data, tmp_path)
    assert "Kontula" in text and TOO_FEW["fi"] in text
    assert "25,0" not in text and "Pieni ryhmä" not in text


def test_hidden_comment_is_left_out(app, official, districts, tmp_path):
    answer(app, "malmi-1", [5], date(2026, 11, 20), comment="Näytettävä kommentti")
    answer(app, "malmi-1", [5], date(2026, 11, 20), comment="Nimi Sukunimi 040 123")
    with app.app_context():
        from sqlalchemy import update

        from feedback_app.extensions import db
        from feedback_app.models import Answer

        hide = update(Answer).where(Answer.text == "Nimi Sukunimi 040 123").values(hidden=True)
        db.session.execute(hide)
        db.session.commit()
    text = pdf_text(official.get("/dashboard/report.pdf?period=2025&lang=fi").data, tmp_path)
    assert "Näytettävä kommentti" in text
    assert "Nimi Sukunimi" not in text


@pytest.mark.parametrize(("role", "status"), [("artist", 403), ("official", 200), ("admin", 200)])
def test_dashboard_report_is_for_officials_and_admins(auth, make_account, districts, role, status):
    auth.login(make_account(role))
    assert auth.client.get("/dashboard/report.pdf?period=2025").status_code == status


def test_signed_out_visitor_is_sent_to_sign_in(client, districts):
    response = client.get("/dashboard/report.pdf?period=2025")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def survey_id(app, code: str) -> int:
    """The id of the survey with ``code``."""
    from sqlalchemy import select

    from feedback_app.extensions import db
    from feedback_app.models import Survey

    with app.app_context():
        return db.session.scalar(select(Survey.id).where(Survey.code == code))


def test_artist_gets_own_reports_and_not_another_projects(
    app, auth, make_account, districts, tmp_path
):
    auth.login(make_account("artist", projects=[districts["malmi"]]))
    own_event = auth.client.get(f"/studio/surveys/{survey_id(app, 'malmi-1')}/report.pdf?lang=fi")
    assert own_event.status_code == 200 and own_event.mimetype == "application/pdf"
    assert "Tapahtumaraportti" in pdf_text(own_event.data, tmp_path)
    malmi = survey_id(app, "malmi-1")
    own_project = auth.client.get(f"/studio/surveys/{malmi}/project-report.pdf?lang=sv")
    assert own_project.status_code == 200
    text = pdf_text(own_project.data, tmp_path)
    assert "Projektrapport" in text and "Malmin tarinat" in text
    kontula = survey_id(app, "kontula-1")
    assert auth.client.get(f"/studio/surveys/{kontula}/report.pdf").status_code == 403
    assert auth.client.get(f"/studio/surveys/{kontula}/project-report.pdf").status_code == 403
    assert auth.client.get("/studio/surveys/99999/project-report.pdf").status_code == 404
    dashboard = auth.client.get(f"/dashboard/report.pdf?project={districts['kontula']}")
    assert dashboard.status_code == 403


def test_project_report_from_dashboard_compares_its_events(app, official, districts, tmp_path):
    summary = official.get(f"/dashboard/?period=2025&project={districts['malmi']}&lang=fi")
    assert "/dashboard/report.pdf?" in summary.get_data(as_text=True)
    response = official.get(f"/dashboard/report.pdf?period=2025&project={districts['malmi']}")
    text = pdf_text(response.data, tmp_path)
    assert "Hankeraportti" in text and "Tapahtumat rinnakkain" in text and "Tarinailta" in text


def test_several_districts_in_one_report(official, districts, make_project, tmp_path):
    make_project(name="Vuosaaren valot", district="meri-rastila")
    response = official.get("/dashboard/report.pdf?period=2025&district=malmi&district=kontula")
    assert response.status_code == 200
    text = pdf_text(response.data, tmp_path)
    assert "Malmi" in text and "Kontula" in text and "Meri Rastila" not in text


@pytest.mark.parametrize(
    "query", ["period=abc", "district=nowhere", "district=malmi&district=nowhere", "quarter=9"]
)
def test_bad_filter_is_refused_with_a_clear_error(official, districts, query):
    response = official.get(f"/dashboard/report.pdf?{query}")
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    json_reply = official.get(
        f"/dashboard/report.pdf?{query}", headers={"Accept": "application/json"}
    )
    assert json_reply.status_code == 400
    assert json_reply.get_json()["message"]


def test_report_is_tagged_text_in_the_chosen_language(official, districts, tmp_path):
    response = official.get("/dashboard/report.pdf?period=2025&lang=sv")
    path = tmp_path / "report.pdf"
    path.write_bytes(response.data)
    info = subprocess.run(
        ["pdfinfo", str(path)], capture_output=True, check=True, timeout=60
    ).stdout.decode()
    assert re.search(r"Tagged:\s+yes", info)
    assert "Periodrapport" in info
    assert (
        response.headers["Content-Disposition"] == 'attachment; filename="fiilis-report-2025.pdf"'
    )
    assert "no-store" in response.headers["Cache-Control"]
    text = pdf_text(response.data, tmp_path)
    assert "Metod" in text and "Svarsskala" in text and "(svar − 1) × 25" in text


def test_links_on_the_dashboard_and_the_studio_results(app, auth, make_account, districts):
    auth.login(make_account("artist", projects=[districts["malmi"]]))
    survey = survey_id(app, "malmi-1")
    html = auth.client.get(f"/studio/surveys/{survey}/results?lang=fi").get_data(as_text=True)
    assert f"/studio/surveys/{survey}/report.pdf" in html
    assert f"/studio/surveys/{survey}/project-report.pdf" in html
    assert "Lataa PDF-raportti" in html
