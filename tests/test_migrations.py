"""The Alembic migrations produce exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import inspect

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
