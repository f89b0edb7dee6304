"""response tallies: responses per survey and day, whatever questions they answered

Filled from the stored responses (their hour as a Helsinki date, as the tallies count it).

Revision ID: e3b5c7d9f1a2
Revises: d5e7f9a1b3c6
Create Date: 2026-12-01 23:50:00.000000

"""
from collections import Counter
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e3b5c7d9f1a2'
down_revision = 'd5e7f9a1b3c6'
branch_labels = None
depends_on = None

HELSINKI = ZoneInfo('Europe/Helsinki')
COVER = ('survey_id', 'indicator', 'day', 'score', 'n')


def upgrade():
    # Figures count one wording: the covering index carries it, so sums stay index-only.
    op.drop_index('ix_score_tallies_cover', table_name='score_tallies')
    op.create_index(
        'ix_score_tallies_cover', 'score_tallies', [*COVER[:4], 'scale_version', 'n']
    )
    tallies = op.create_table(
        'response_tallies',
        sa.Column('survey_id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('slot', sa.SmallInteger(), server_default=sa.text('0'), nullable=False),
        sa.Column('n', sa.Integer(), server_default=sa.text('1'), nullable=False),
        sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('survey_id', 'day', 'slot'),
    )
    # Grouped by hour in SQL (few rows), converted to the local day here: SQLite has no zones.
    hours = op.get_bind().execute(
        sa.text(
            'SELECT survey_id, submitted_hour, count(*) FROM responses '
            'GROUP BY survey_id, submitted_hour'
        )
    )
    days = Counter()
    for survey_id, hour, count in hours:
        if isinstance(hour, str):
            hour = datetime.fromisoformat(hour)
        local = hour.replace(tzinfo=UTC).astimezone(HELSINKI).date()
        days[(survey_id, local)] += count
    rows = [{'survey_id': s, 'day': d, 'slot': 0, 'n': n} for (s, d), n in days.items()]
    if rows:
        op.bulk_insert(tallies, rows)


def downgrade():
    op.drop_table('response_tallies')
    op.drop_index('ix_score_tallies_cover', table_name='score_tallies')
    op.create_index('ix_score_tallies_cover', 'score_tallies', list(COVER))
