"""Each stored answer keeps the wording of the scale it was given under (DOMAIN.md)."""

from __future__ import annotations

from datetime import date

from flask_migrate import upgrade
from sqlalchemy import select, text

from feedback_app import create_app
from feedback_app.extensions import db
from feedback_app.models import Answer, ScoreTally, Survey
from feedback_app.scale import SCALE_VERSION
from tests.conftest import app_config

CATALOGUE_ROWS = [
    "INSERT INTO districts (id, slug, name_fi, name_sv) VALUES (1, 'm', 'M', 'M')",
    "INSERT INTO grant_periods (id, start_year, end_year) VALUES (1, 2025, 2027)",
    "INSERT INTO projects (id, name, institution, district_id, period_id) "
    "VALUES (1, 'P', 'I', 1, 1)",
    "INSERT INTO surveys (id, code, project_id, title, event_date, venue, status, languages, tier, "
    "is_demo, created_at, revision) VALUES (1, 'old', 1, 'T', '2026-11-20', 'V', 'open', "
    "'[\"fi\"]', 'resident', false, '2026-11-20 10:00:00', 'abcdabcdabcdabcd')",
    "INSERT INTO questions (id, survey_id, key, kind, prompts, options, position, required) "
    "VALUES (1, 1, 'joy', 'face', '{\"fi\": \"Ilo\"}', '[]', 0, true)",
    "INSERT INTO responses (id, survey_id, client_id, locale, submitted_hour, answers_digest, "
    "is_demo) VALUES (1, 1, '0b6f7c55-3d0c-4d6e-9a51-0d8d9b6c2f11', 'fi', "
    "'2026-11-20 10:00:00', 'x', false)",
    "INSERT INTO answers (id, response_id, question_id, score, hidden) VALUES (1, 1, 1, 5, false)",
    "INSERT INTO score_tallies (survey_id, indicator, day, score, slot, n) "
    "VALUES (1, 'joy', '2026-11-20', 5, 0, 1)",
]


def test_answers_stored_before_the_agreement_labels_keep_version_1(make_database):
    """Upgrading marks existing answers and tallies 1; core questions stop being required."""
    app = create_app(app_config(make_database()))
    with app.app_context():
        upgrade(revision="c4d2e6f1a7b8")
        with db.engine.begin() as connection:
            for statement in CATALOGUE_ROWS:
                connection.execute(text(statement))
        upgrade()
        with db.engine.begin() as connection:
            answers = connection.execute(text("SELECT scale_version FROM answers")).scalars()
            tallies = connection.execute(text("SELECT scale_version FROM score_tallies")).scalars()
            required = connection.execute(text("SELECT required FROM questions")).scalar()
            assert list(answers) == [1] and list(tallies) == [1]
            assert not required
            # Any later insert, whatever path writes it, gets the current wording.
            connection.execute(
                text(
                    "INSERT INTO answers (id, response_id, question_id, score, hidden) "
                    "VALUES (2, 1, 1, 4, false)"
                )
            )
            new = connection.execute(text("SELECT scale_version FROM answers WHERE id = 2"))
            assert new.scalar() == SCALE_VERSION == 2
        db.engine.dispose()


def test_new_answers_and_tallies_carry_the_current_version(app, client, make_survey):
    """A resident's answer through the plain form is stored with scale version 2."""
    make_survey()
    client.post("/s/test", data={"q_joy": "4", "q_safety": "2"})
    with app.app_context():
        assert set(db.session.scalars(select(Answer.scale_version))) == {2}
        assert set(db.session.scalars(select(ScoreTally.scale_version))) == {2}


def test_figures_count_one_wording_and_say_so(app, client, make_survey):
    """Old-wording tallies beside new ones: the index counts the new only, with a notice."""
    make_survey()
    for _ in range(5):
        client.post("/s/test", data={"q_joy": "5"})
    with app.app_context():
        survey_id = db.session.scalar(select(Survey.id))
        db.session.add(
            ScoreTally(
                survey_id=survey_id,
                indicator="joy",
                day=date(2026, 11, 1),
                score=1,
                n=40,
                scale_version=1,
            )
        )
        db.session.commit()
    html = client.get("/s/test/thanks?lang=en").get_data(as_text=True)
    assert "100 / 100" in html  # the forty answers on the old labels are not mixed in
    assert "the figures count only the answers given with the current labels" in html


def test_one_wording_only_shows_no_notice(client, make_survey):
    """Without older answers the thank-you page has no notice about wordings."""
    make_survey()
    for _ in range(5):
        client.post("/s/test", data={"q_joy": "5"})
    html = client.get("/s/test/thanks?lang=en").get_data(as_text=True)
    assert "100 / 100" in html
    assert "current labels" not in html
    assert "0 (everyone strongly disagreed) to 100 (everyone strongly agreed)" in html
