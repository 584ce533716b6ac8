"""study_json: a cited study's json object and red-flag marks, stored with their basis

The json export's counterpart of study_cells (0007), in a table of its own so that the
csv's join reads narrow rows. A cache the export reads while `basis` matches; upgraded
databases start with it empty until `ldn-evidence db upgrade` (which runs after this
revision) or a citation stores a study's values.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 15:45:00.000000

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op



revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'study_json',
        sa.Column('study_id', sa.Integer(), nullable=False),
        sa.Column('basis', sa.String(length=64), nullable=False),
        sa.Column('json', sa.Text(), nullable=False),
        sa.Column('marks', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ['study_id'],
            ['studies.id'],
            name=op.f('fk_study_json_study_id_studies'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('study_id', name=op.f('pk_study_json')),
    )


def downgrade() -> None:
    op.drop_table('study_json')
