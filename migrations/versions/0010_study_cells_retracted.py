"""study_cells: whether the study is flagged retracted

The report's count of retracted sources reads it for a study with a stored row instead of
seeking the study's flag, publication types and links. The rows are emptied here (remade
by `ldn-evidence db upgrade`, which runs after this revision, or when a study is cited);
the trigger of 0009 covers the new table as it did the old.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 18:00:00.000000

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _study_cells(with_retracted: bool) -> None:
    """study_cells made again, empty, with or without `retracted`; study_json emptied with
    it (the two are written together)."""
    op.execute('DELETE FROM study_json')
    op.drop_table('study_cells')
    retracted = [sa.Column('retracted', sa.Boolean(), nullable=False)] if with_retracted else []
    op.create_table(
        'study_cells',
        sa.Column('study_id', sa.Integer(), nullable=False),
        sa.Column('basis', sa.String(length=64), nullable=False),
        sa.Column('pmid', sa.String(length=16), nullable=False),
        *retracted,
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


def upgrade() -> None:
    _study_cells(with_retracted=True)


def downgrade() -> None:
    _study_cells(with_retracted=False)
