"""Results for the artist: summaries, suppression, comments, CSV and the live event screen."""

from __future__ import annotations

import csv
import io
import re

import pytest
from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.models import Answer, Survey, SurveyStatus
from tests.studio_support import add_responses, comment_ids, post, project_of, survey_id


@pytest.fixture
def signed_in(app, make_survey, make_account, auth):
    """An open survey with the residency question and its signed-in artist; returns its id."""
    code = make_survey(code="res", bank_keys=("residency",))
    auth.login(make_account("artist", projects=[project_of(app, code)]))
    return survey_id(app, code)


def test_results_withheld_below_min_group(app, client, signed_in):
    """Four answers: the count only, no index or distribution."""
    add_responses(app, "res", 4)
    html = client.get(f"/studio/surveys/{signed_in}/results?lang=en").get_data(as_text=True)
    assert "4 answers" in html
    assert "Too few answers to show" in html
    assert "index-value" not in html


def test_results_show_index_distribution_and_choices(app, client, signed_in):
    """Five answers: index 0–100, counts per face and per option."""
    add_responses(app, "res", 5, residency="visitor")
    html = client.get(f"/studio/surveys/{signed_in}/results?lang=en").get_data(as_text=True)
    assert '<span class="index-value">100.0</span>' in html  # everyone gave joy 5
    assert '<progress max="5" value="5">5</progress>' in html
    assert "I&#39;m visiting" in html or "I'm visiting" in html
    assert "5 people answered" in html


def test_results_page_in_finnish_and_swedish(app, client, signed_in):
    """Interface text follows the chosen language."""
    add_responses(app, "res", 5)
    fi = client.get(f"/studio/surveys/{signed_in}/results?lang=fi").get_data(as_text=True)
    sv = client.get(f"/studio/surveys/{signed_in}/results?lang=sv").get_data(as_text=True)
    assert "Tulokset" in fi and "5 vastausta" in fi
    assert "Resultat" in sv and "5 svar" in sv


def test_hide_comment(app, client, signed_in):
    """A hidden comment disappears from the page and the CSV, and can be shown again."""
    add_responses(app, "res", 5, comment="Soita Maijalle 040 123")
    first = comment_ids(app, "res")[0]
    response = post(client, f"/studio/surveys/{signed_in}/comments/{first}/hide")
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Answer, first).hidden is True
    html = client.get(f"/studio/surveys/{signed_in}/results?lang=en").get_data(as_text=True)
    assert "Soita Maijalle 040 123 0" not in html
    assert "Hidden comment" in html
    body = client.get(f"/studio/surveys/{signed_in}/results.csv").data.decode("utf-8-sig")
    assert "Soita Maijalle 040 123 0" not in body
    assert "Soita Maijalle 040 123 1" in body
    post(client, f"/studio/surveys/{signed_in}/comments/{first}/show")
    with app.app_context():
        assert db.session.get(Answer, first).hidden is False


def test_hide_refuses_other_surveys_answers(app, client, signed_in, make_survey):
    """An answer id from another survey is not found here."""
    make_survey(code="vieras")
    add_responses(app, "vieras", 1, comment="Muualta")
    foreign = comment_ids(app, "vieras")[0]
    response = post(client, f"/studio/surveys/{signed_in}/comments/{foreign}/hide")
    assert response.status_code == 404


def test_csv_has_bom_header_and_one_row_per_response(app, client, signed_in):
    """UTF-8 with BOM for Excel; hour, language and every answer per response."""
    add_responses(app, "res", 5, comment="Hyvä ilta", residency="resident")
    response = client.get(f"/studio/surveys/{signed_in}/results.csv?lang=en&dialect=excel-fi")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.data.startswith(b"\xef\xbb\xbf")
    assert 'filename="fiilis-res.csv"' in response.headers["Content-Disposition"]
    text = response.data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    header = rows[0]
    assert header[:4] == ["response", "hour", "language", "scale_version"]
    # Questions are headed by their text and choices given by their labels, never by keys.
    with app.app_context():
        survey = db.session.get(Survey, signed_in)
        prompts = [q.prompt("en") for q in survey.questions]
        residency = next(q for q in survey.questions if q.key == "residency")
        resident = next(o for o in residency.options if o["key"] == "resident")["labels"]["en"]
    assert header[4:] == prompts and "residency" not in header
    assert len(rows) == 6
    assert rows[1][2] == "fi"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:00", rows[1][1])
    # The agreement labels (feedback_app.scale version 2) the faces were answered on.
    assert rows[1][3] == "2"
    assert rows[1][4:] == ["5", "4", "3", resident, "Hyvä ilta 0"]


def test_csv_withheld_below_min_group(app, client, signed_in):
    """Row-level data for fewer than five people could single someone out."""
    add_responses(app, "res", 2)
    response = client.get(f"/studio/surveys/{signed_in}/results.csv?lang=en")
    assert response.status_code == 303
    follow = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "available once at least 5 people have answered" in follow


def test_event_screen_has_qr_and_script_file(app, client, signed_in):
    """A big QR, the live endpoint and a script file: no inline script under the CSP."""
    html = client.get(f"/studio/surveys/{signed_in}/screen?lang=fi").get_data(as_text=True)
    assert '<img class="screen-qr" src="/s/res/qr.svg"' in html
    assert re.search(r"/static/js/screen\.[0-9a-f]{12}\.js", html)
    assert "<script>" not in html and "style=" not in html
    assert f"/studio/surveys/{signed_in}/live.json" in html


def test_live_json_and_etag(app, client, signed_in):
    """Counts and index per indicator; an unchanged poll answers 304."""
    url = f"/studio/surveys/{signed_in}/live.json?lang=en"
    add_responses(app, "res", 4)
    first = client.get(url)
    data = first.get_json()
    assert data["responses"] == 4
    joy = next(i for i in data["indicators"] if i["key"] == "joy")
    assert joy["suppressed"] is True and joy["distribution"] is None
    assert joy["prompt"] == "The event brought me joy."
    etag = first.headers["ETag"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    add_responses(app, "res", 1)
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    joy = next(i for i in changed.get_json()["indicators"] if i["key"] == "joy")
    assert joy["index"] == 100.0 and joy["distribution"] == [0, 0, 0, 0, 5]


def test_results_rows_unchanged_by_viewing(app, client, signed_in):
    """Reading results never writes answers."""
    add_responses(app, "res", 5)
    client.get(f"/studio/surveys/{signed_in}/results")
    with app.app_context():
        assert db.session.scalar(select(Answer.hidden).limit(1)) is False


def test_my_surveys_counts_json_and_etag(app, client, signed_in, make_survey):
    """The list's live counts cover only the artist's surveys and answer 304 when unchanged."""
    make_survey(code="muiden")
    add_responses(app, "res", 2)
    first = client.get("/studio/counts.json")
    assert first.get_json() == {"counts": {str(signed_in): 2}}
    assert (
        client.get(
            "/studio/counts.json", headers={"If-None-Match": first.headers["ETag"]}
        ).status_code
        == 304
    )
    add_responses(app, "res", 1)
    assert client.get("/studio/counts.json").get_json() == {"counts": {str(signed_in): 3}}
    html = client.get("/studio/?lang=fi").get_data(as_text=True)
    assert 'data-one="%(num)d vastaus"'.replace("%(num)d", "1") in html
    assert re.search(r"/static/js/studio-list\.[0-9a-f]{12}\.js", html)


def test_event_screen_warns_when_not_open(app, client, make_survey, make_account, auth):
    """A draft on the projector says it must be published first; live data carries the status."""
    code = make_survey(code="luonnos", status=SurveyStatus.DRAFT)
    auth.login(make_account("artist", projects=[project_of(app, code)]))
    sid = survey_id(app, code)
    html = client.get(f"/studio/surveys/{sid}/screen?lang=fi").get_data(as_text=True)
    assert "Luonnos: julkaise kysely, jotta asukkaat voivat vastata." in html
    assert client.get(f"/studio/surveys/{sid}/live.json").get_json()["status"] == "draft"


def test_event_screen_in_russian_carries_every_plural_form(
    app, client, make_survey, make_account, auth
):
    """The projector speaks the survey's Russian, with "answers" worded for each category."""
    code = make_survey(code="rus", languages=["fi", "ru"])
    auth.login(make_account("artist", projects=[project_of(app, code)]))
    html = client.get(f"/studio/surveys/{survey_id(app, code)}/screen?lang=ru").get_data(
        as_text=True
    )
    assert '<html lang="ru"' in html
    assert 'data-answers-one="ответ"' in html
    assert 'data-answers-few="ответа"' in html
    assert 'data-answers-many="ответов"' in html
    assert "Опрос закрыт." in html  # the status note's text, in Russian too
