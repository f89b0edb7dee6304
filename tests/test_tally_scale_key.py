"""A tally cell counts answers of one wording only: the scale version is part of its key."""

from __future__ import annotations

from flask_migrate import upgrade
from sqlalchemy import select, text

from feedback_app import create_app
from feedback_app.extensions import db
from feedback_app.models import ScoreTally, Survey
from feedback_app.services.answers.responses import bump_tally
from feedback_app.services.figures.results import score_distributions
from tests.conftest import app_config
from tests.test_i18n_scale_version import CATALOGUE_ROWS

BEFORE_KEY = "e3b5c7d9f1a2"
OLD_CELLS = (
    "INSERT INTO score_tallies (survey_id, indicator, day, score, slot, n, scale_version) "
    "VALUES (1, 'joy', '2026-11-21', 4, 0, 3, 1), (1, 'joy', '2026-11-21', 4, 1, 2, 1), "
    "(1, 'safety', '2026-11-22', 2, 0, 7, 2)"
)


def _cells() -> list[tuple]:
    """Every tally row as (indicator, day, score, slot, scale_version, n), in key order."""
    rows = db.session.execute(
        select(
            ScoreTally.indicator,
            ScoreTally.day,
            ScoreTally.score,
            ScoreTally.slot,
            ScoreTally.scale_version,
            ScoreTally.n,
        ).order_by(ScoreTally.indicator, ScoreTally.day, ScoreTally.slot, ScoreTally.scale_version)
    )
    return [tuple(row) for row in rows]


def test_new_answer_in_a_cell_of_the_old_wording_gets_its_own_row(app, client, make_survey):
    """A version-2 answer on the day of deployment is not added to the version-1 cell."""
    make_survey()
    assert client.post("/s/test", data={"q_joy": "5"}).status_code == 303
    with app.app_context():
        survey_id = db.session.scalar(select(Survey.id))
        stored = db.session.scalars(select(ScoreTally)).one()
        day, slot = stored.day, stored.slot
        # The cell as it was counted before the agreement labels (as the migration to
        # scale versions left it): forty answers on the old wording.
        db.session.execute(text("UPDATE score_tallies SET scale_version = 1, n = 40"))
        db.session.commit()
    assert client.post("/s/test", data={"q_joy": "5"}).status_code == 303
    with app.app_context():
        bump_tally(survey_id, "joy", day, 5, slot=slot)
        db.session.commit()
        assert _cells() == [("joy", day, 5, slot, 1, 40), ("joy", day, 5, slot, 2, 2)]
        assert score_distributions(survey_id) == {"joy": [0, 0, 0, 0, 2]}


def test_tallies_stored_before_the_key_change_survive_the_upgrade(make_database):
    """Upgrading keeps every tally row, its count and its wording."""
    app = create_app(app_config(make_database()))
    with app.app_context():
        upgrade(revision="c4d2e6f1a7b8")
        with db.engine.begin() as connection:
            for statement in CATALOGUE_ROWS:
                connection.execute(text(statement))
        upgrade(revision=BEFORE_KEY)
        with db.engine.begin() as connection:
            connection.execute(text(OLD_CELLS))
        upgrade()
        with db.engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT indicator, day, score, slot, scale_version, n FROM score_tallies "
                    "ORDER BY indicator, day, slot"
                )
            ).all()
        db.engine.dispose()
    assert [(row[0], str(row[1]), *row[2:]) for row in rows] == [
        ("joy", "2026-11-20", 5, 0, 1, 1),
        ("joy", "2026-11-21", 4, 0, 1, 3),
        ("joy", "2026-11-21", 4, 1, 1, 2),
        ("safety", "2026-11-22", 2, 0, 2, 7),
    ]
