"""survey titles per language: residents read the event's name in their own language

``titles`` holds {language: title}; each existing title becomes its Finnish entry, and
``title`` stays as the Finnish name used by exports and reports. A plain added column, not a
table rebuild: other tables reference ``surveys`` with cascades.

Revision ID: a8c2e4f6b1d3
Revises: f2a4c6e8b0d1
Create Date: 2026-12-02 00:30:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a8c2e4f6b1d3'
down_revision = 'f2a4c6e8b0d1'
branch_labels = None
depends_on = None


def upgrade():
    # NOT NULL needs a default for the rows already there; SQLite cannot drop it afterwards
    # without rebuilding the table, so only PostgreSQL does (the app always writes the column).
    op.add_column(
        'surveys',
        sa.Column('titles', sa.JSON(), nullable=False, server_default=sa.text("'{}'")),
    )
    surveys = sa.table(
        'surveys', sa.column('id', sa.Integer), sa.column('title'), sa.column('titles', sa.JSON)
    )
    connection = op.get_bind()
    for survey_id, title in connection.execute(sa.select(surveys.c.id, surveys.c.title)).all():
        connection.execute(
            surveys.update().where(surveys.c.id == survey_id).values(titles={'fi': title})
        )
    if connection.dialect.name == 'postgresql':
        op.alter_column('surveys', 'titles', server_default=None)


def downgrade():
    op.drop_column('surveys', 'titles')
