"""The Alembic migrations produce exactly the schema the models describe."""

import json

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import inspect, text

from feedback_app import create_app
from feedback_app.extensions import db
from tests.conftest import app_config


def test_migration_head_matches_models(make_database):
    """Upgrading a fresh database to head leaves no difference from the models."""
    app = create_app(app_config(make_database()))
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
        tables = set(inspect(db.engine).get_table_names())
        db.engine.dispose()
    assert differences == []
    assert {"responses", "answers", "surveys", "questions", "score_tallies"} <= tables


def test_surveys_existing_before_the_revision_column_get_their_own_tags(make_database):
    """Upgrading a database with surveys gives each one a distinct random revision."""
    app = create_app(app_config(make_database()))
    with app.app_context():
        upgrade(revision="adde7049ac5d")
        survey = text(
            "INSERT INTO surveys (id, code, project_id, title, event_date, venue, status, "
            "languages, tier, is_demo, created_at) VALUES (:id, :code, 1, 'T', '2026-11-20', "
            "'V', 'open', '[\"fi\"]', 'resident', false, '2026-11-20 10:00:00')"
        )
        with db.engine.begin() as connection:
            connection.execute(
                text("INSERT INTO districts (id, slug, name_fi, name_sv) VALUES (1, 'm', 'M', 'M')")
            )
            connection.execute(
                text("INSERT INTO grant_periods (id, start_year, end_year) VALUES (1, 2025, 2027)")
            )
            connection.execute(
                text(
                    "INSERT INTO projects (id, name, institution, district_id, period_id) "
                    "VALUES (1, 'P', 'I', 1, 1)"
                )
            )
            connection.execute(survey, [{"id": 1, "code": "one"}, {"id": 2, "code": "two"}])
        upgrade()
        with db.engine.connect() as connection:
            tags = list(connection.execute(text("SELECT revision FROM surveys")).scalars())
        db.engine.dispose()
    assert len(tags) == 2 and len(set(tags)) == 2
    assert all(len(tag) == 16 for tag in tags)


def test_responses_stored_before_the_response_tallies_are_counted(make_database):
    """Upgrading fills the response tallies from the stored responses, per Helsinki day."""
    app = create_app(app_config(make_database()))
    with app.app_context():
        upgrade(revision="d7e1a9c3b5f2")
        rows = [
            "INSERT INTO districts (id, slug, name_fi, name_sv) VALUES (1, 'm', 'M', 'M')",
            "INSERT INTO grant_periods (id, start_year, end_year) VALUES (1, 2025, 2027)",
            "INSERT INTO projects (id, name, institution, district_id, period_id) "
            "VALUES (1, 'P', 'I', 1, 1)",
            "INSERT INTO surveys (id, code, project_id, title, event_date, venue, status, "
            "languages, tier, is_demo, created_at, revision) VALUES (1, 'one', 1, 'T', "
            "'2026-11-20', 'V', 'open', '[\"fi\"]', 'resident', false, '2026-11-20 10:00:00', "
            "'0123456789abcdef')",
        ]
        response = text(
            "INSERT INTO responses (survey_id, client_id, locale, submitted_hour, "
            "answers_digest, is_demo) VALUES (1, :client_id, 'fi', :hour, 'x', false)"
        )
        # 22:00 UTC on 20 November is already 21 November in Helsinki (UTC+2).
        hours = ["2026-11-20 12:00:00"] * 2 + ["2026-11-20 22:00:00"] * 3
        with db.engine.begin() as connection:
            for row in rows:
                connection.execute(text(row))
            connection.execute(
                response,
                [{"client_id": f"c{i}", "hour": hour} for i, hour in enumerate(hours)],
            )
        upgrade()
        with db.engine.connect() as connection:
            counted = connection.execute(
                text("SELECT survey_id, day, n FROM response_tallies ORDER BY day")
            ).all()
        db.engine.dispose()
    assert [(s, str(d), n) for s, d, n in counted] == [(1, "2026-11-20", 2), (1, "2026-11-21", 3)]


def test_existing_titles_become_the_finnish_title(make_database):
    """Upgrading keeps every survey's title, now also as its Finnish entry in ``titles``."""
    app = create_app(app_config(make_database()))
    with app.app_context():
        upgrade(revision="f2a4c6e8b0d1")
        with db.engine.begin() as connection:
            connection.execute(
                text("INSERT INTO districts (id, slug, name_fi, name_sv) VALUES (1, 'm', 'M', 'M')")
            )
            connection.execute(
                text("INSERT INTO grant_periods (id, start_year, end_year) VALUES (1, 2025, 2027)")
            )
            connection.execute(
                text(
                    "INSERT INTO projects (id, name, institution, district_id, period_id) "
                    "VALUES (1, 'P', 'I', 1, 1)"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO surveys (id, code, project_id, title, event_date, venue, status, "
                    "languages, tier, is_demo, created_at, revision) VALUES (1, 'one', 1, "
                    "'Tarinailta', '2026-11-20', 'V', 'open', '[\"fi\"]', 'resident', false, "
                    "'2026-11-20 10:00:00', 'abcdef0123456789')"
                )
            )
        upgrade()
        with db.engine.connect() as connection:
            row = connection.execute(text("SELECT title, titles FROM surveys")).one()
        db.engine.dispose()
    titles = row.titles if isinstance(row.titles, dict) else json.loads(row.titles)
    assert row.title == "Tarinailta"
    assert titles == {"fi": "Tarinailta"}
