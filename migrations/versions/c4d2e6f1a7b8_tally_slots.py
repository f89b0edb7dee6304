"""tally slots: one row per server worker for each tally cell

Revision ID: c4d2e6f1a7b8
Revises: b3c9d1e2f4a5
Create Date: 2026-11-28 03:30:00.000000

"""
import warnings

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4d2e6f1a7b8'
down_revision = 'b3c9d1e2f4a5'
branch_labels = None
depends_on = None

OLD_KEY = ['survey_id', 'indicator', 'day', 'score']
NEW_KEY = OLD_KEY + ['slot']


def _set_key(columns):
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_constraint('score_tallies_pkey', 'score_tallies', type_='primary')
        op.create_primary_key('score_tallies_pkey', 'score_tallies', columns)
    else:
        # SQLite: the table is rebuilt with the new key. SQLAlchemy warns that the copied
        # table's key columns differ from the reflected ones, which is the point here.
        with warnings.catch_warnings():
            warnings.filterwarnings('ignore', message='.*specifies columns .* as primary_key')
            with op.batch_alter_table('score_tallies', recreate='always') as batch_op:
                batch_op.create_primary_key('pk_score_tallies', columns)


def upgrade():
    with op.batch_alter_table('score_tallies', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('slot', sa.SmallInteger(), server_default=sa.text('0'), nullable=False)
        )
    _set_key(NEW_KEY)


def downgrade():
    # Fold every slot into slot 0 before the key loses the column.
    op.execute(
        "UPDATE score_tallies SET n = (SELECT sum(t.n) FROM score_tallies t "
        "WHERE t.survey_id = score_tallies.survey_id AND t.indicator = score_tallies.indicator "
        "AND t.day = score_tallies.day AND t.score = score_tallies.score) WHERE slot = 0"
    )
    op.execute("DELETE FROM score_tallies WHERE slot <> 0")
    _set_key(OLD_KEY)
    with op.batch_alter_table('score_tallies', schema=None) as batch_op:
        batch_op.drop_column('slot')
