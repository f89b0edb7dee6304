"""drop answers_digest: nothing derived from the answers outlives a purged comment

A hash of a response's answers stayed after its comment was purged, so anyone who guessed
the comment could confirm the guess. Replays no longer compare answers (every replay of a
known client_id is a duplicate), so nothing needs it.

Revision ID: d5e7f9a1b3c6
Revises: d7e1a9c3b5f2
Create Date: 2026-12-01 22:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd5e7f9a1b3c6'
down_revision = 'd7e1a9c3b5f2'
branch_labels = None
depends_on = None


def upgrade():
    # A plain ALTER TABLE on both databases (SQLite has had DROP COLUMN since 3.35). Batch
    # mode would rebuild ``responses`` on SQLite, and dropping the old table with foreign
    # keys on would cascade and delete every stored answer.
    op.execute('ALTER TABLE responses DROP COLUMN answers_digest')


def downgrade():
    # The digests are gone for good; old rows get an empty one so the column can be NOT NULL.
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'answers_digest', sa.String(length=64), nullable=False, server_default=''
            )
        )
