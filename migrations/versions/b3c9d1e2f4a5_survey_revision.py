"""survey revision tag

Revision ID: b3c9d1e2f4a5
Revises: adde7049ac5d
Create Date: 2026-11-28 02:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b3c9d1e2f4a5'
down_revision = 'adde7049ac5d'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('surveys', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('revision', sa.String(length=16), nullable=False, server_default='0')
        )
    # Every existing survey gets its own random tag, as new ones do.
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("UPDATE surveys SET revision = substr(md5(random()::text || id::text), 1, 16)")
    else:
        op.execute("UPDATE surveys SET revision = lower(hex(randomblob(8)))")
    with op.batch_alter_table('surveys', schema=None) as batch_op:
        batch_op.alter_column('revision', server_default=None)


def downgrade():
    with op.batch_alter_table('surveys', schema=None) as batch_op:
        batch_op.drop_column('revision')
