"""e-mail: account language and choices, followed districts, outbox, alert states

Plain added columns and new tables, no table rebuild: other tables reference ``accounts``
with cascades.

Revision ID: c4e6a8b0d2f4
Revises: a8c2e4f6b1d3
Create Date: 2026-12-02 02:40:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c4e6a8b0d2f4'
down_revision = 'a8c2e4f6b1d3'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        'accounts', sa.Column('language', sa.String(length=5), nullable=False, server_default='fi')
    )
    op.add_column(
        'accounts', sa.Column('alert_mail', sa.Boolean(), nullable=False, server_default=sa.true())
    )
    op.add_column(
        'accounts', sa.Column('digest_mail', sa.Boolean(), nullable=False, server_default=sa.true())
    )
    op.add_column(
        'accounts',
        sa.Column('chosen_districts', sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column(
        'invitations',
        sa.Column('language', sa.String(length=5), nullable=False, server_default='fi'),
    )
    op.create_table(
        'district_follows',
        sa.Column('account_id', sa.Integer(), nullable=False),
        sa.Column('district_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['district_id'], ['districts.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('account_id', 'district_id'),
    )
    op.create_table(
        'outgoing_mail',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('dedupe_key', sa.String(length=200), nullable=False),
        sa.Column('recipient', sa.String(length=254), nullable=False),
        sa.Column('subject', sa.String(length=300), nullable=False),
        sa.Column('text_body', sa.Text(), nullable=False),
        sa.Column('html_body', sa.Text(), nullable=False),
        sa.Column('unsubscribe_url', sa.String(length=600), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('sent_at', sa.DateTime(), nullable=True),
        sa.Column('claimed_until', sa.DateTime(), nullable=True),
        sa.Column('attempts', sa.Integer(), nullable=False, server_default='0'),
        sa.Column('last_error', sa.String(length=500), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('dedupe_key'),
    )
    op.create_table(
        'alert_states',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('level', sa.String(length=20), nullable=False),
        sa.Column('entity_id', sa.Integer(), nullable=False),
        sa.Column('indicator', sa.String(length=40), nullable=False),
        sa.Column('dropped', sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column('episode', sa.Integer(), nullable=False, server_default='0'),
        sa.Column('changed_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('level', 'entity_id', 'indicator'),
    )


def downgrade():
    op.drop_table('alert_states')
    op.drop_table('outgoing_mail')
    op.drop_table('district_follows')
    op.drop_column('invitations', 'language')
    op.drop_column('accounts', 'chosen_districts')
    op.drop_column('accounts', 'digest_mail')
    op.drop_column('accounts', 'alert_mail')
    op.drop_column('accounts', 'language')
