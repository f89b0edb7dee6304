"""account session versions; password links bound to their account, revoked links

Revision ID: d7a1f3c5e9b2
Revises: c4d2e6f1a7b8
Create Date: 2026-12-01 22:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd7a1f3c5e9b2'
down_revision = 'c4d2e6f1a7b8'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('session_version', sa.Integer(), server_default='0', nullable=False)
        )
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revoked_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('account_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            'fk_invitations_account_id_accounts', 'accounts', ['account_id'], ['id'],
            ondelete='CASCADE',
        )
    # A pending link made before this revision for an email that has an account cannot be
    # told apart from a stray second invitation, the link that could take the account over:
    # end those (an admin makes a new password link). Invitations to new people stay valid.
    op.execute(
        "UPDATE invitations SET revoked_at = CURRENT_TIMESTAMP "
        "WHERE used_at IS NULL AND lower(email) IN (SELECT lower(email) FROM accounts)"
    )


def downgrade():
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_constraint('fk_invitations_account_id_accounts', type_='foreignkey')
        batch_op.drop_column('account_id')
        batch_op.drop_column('revoked_at')
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.drop_column('session_version')
