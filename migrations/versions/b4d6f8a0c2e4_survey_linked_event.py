"""survey linked event: the Linked Events id of the event a survey was started from

A plain added column, not a table rebuild: other tables reference ``surveys`` with cascades.
Empty for surveys whose event was typed in by hand.

Revision ID: b4d6f8a0c2e4
Revises: c4e6a8b0d2f4
Create Date: 2026-12-02 02:45:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'b4d6f8a0c2e4'
down_revision = 'c4e6a8b0d2f4'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        'surveys',
        sa.Column('linked_event_id', sa.String(length=100), nullable=False, server_default=''),
    )


def downgrade():
    op.drop_column('surveys', 'linked_event_id')
