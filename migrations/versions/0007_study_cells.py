"""study_cells: a cited study's csv cells and derived values, stored with their basis

A cache the export reads while `basis` matches (the code that makes the cells and the
study's values); upgraded databases start with it empty (every study worked out as
before until it is cited or rewritten again).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 14:45:00.000000

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op



revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'study_cells',
        sa.Column('study_id', sa.Integer(), nullable=False),
        sa.Column('basis', sa.String(length=64), nullable=False),
        sa.Column('csv', sa.Text(), nullable=False),
        sa.Column('derived', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ['study_id'],
            ['studies.id'],
            name=op.f('fk_study_cells_study_id_studies'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('study_id', name=op.f('pk_study_cells')),
    )


def downgrade() -> None:
    op.drop_table('study_cells')
