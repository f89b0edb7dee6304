"""tally scale key: a tally cell counts the answers of one wording only

``scale_version`` joins the key of score_tallies, so an answer on the agreement labels gets
its own row instead of being added to a cell counted on the earlier faces.

Revision ID: f2a4c6e8b0d1
Revises: e3b5c7d9f1a2
Create Date: 2026-12-02 00:15:00.000000

"""
import warnings

from alembic import op


# revision identifiers, used by Alembic.
revision = 'f2a4c6e8b0d1'
down_revision = 'e3b5c7d9f1a2'
branch_labels = None
depends_on = None

OLD_KEY = ['survey_id', 'indicator', 'day', 'score', 'slot']
NEW_KEY = OLD_KEY + ['scale_version']
SAME_CELL = (
    "t.survey_id = score_tallies.survey_id AND t.indicator = score_tallies.indicator "
    "AND t.day = score_tallies.day AND t.score = score_tallies.score "
    "AND t.slot = score_tallies.slot"
)


def _set_key(columns):
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_constraint('score_tallies_pkey', 'score_tallies', type_='primary')
        op.create_primary_key('score_tallies_pkey', 'score_tallies', columns)
    else:
        # SQLite: the table is rebuilt with the new key (no other table references it).
        # SQLAlchemy warns that the copied table's key columns differ from the reflected
        # ones, which is the point here.
        with warnings.catch_warnings():
            warnings.filterwarnings('ignore', message='.*specifies columns .* as primary_key')
            with op.batch_alter_table('score_tallies', recreate='always') as batch_op:
                batch_op.create_primary_key('pk_score_tallies', columns)


def upgrade():
    _set_key(NEW_KEY)


def downgrade():
    # The old key holds one row per cell: fold every wording into the newest one's row.
    newest = f"(SELECT max(t.scale_version) FROM score_tallies t WHERE {SAME_CELL})"
    op.execute(
        f"UPDATE score_tallies SET n = (SELECT sum(t.n) FROM score_tallies t WHERE {SAME_CELL}) "
        f"WHERE scale_version = {newest}"
    )
    op.execute(f"DELETE FROM score_tallies WHERE scale_version < {newest}")
    _set_key(OLD_KEY)
