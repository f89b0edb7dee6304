"""scale version: the answer labels each stored answer was given under

Answers and tallies stored so far were given on the "Very unhappy … Very happy" faces
(version 1); the server default gives every later insert the agreement labels (version 2).
Standard questions stop being required: a resident may skip any question.

Revision ID: d7e1a9c3b5f2
Revises: d7a1f3c5e9b2
Create Date: 2026-12-01 22:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd7e1a9c3b5f2'
down_revision = 'd7a1f3c5e9b2'
branch_labels = None
depends_on = None

TABLES = ('answers', 'score_tallies')
STANDARD_KEYS = ('joy', 'belonging', 'safety')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column(
                    'scale_version', sa.SmallInteger(), server_default=sa.text('2'),
                    nullable=False,
                )
            )
        op.execute(f"UPDATE {table} SET scale_version = 1")
    keys = ", ".join(f"'{key}'" for key in STANDARD_KEYS)
    op.execute(f"UPDATE questions SET required = false WHERE key IN ({keys})")


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('scale_version')
