"""drop the two single-column indexes of study_mesh_terms: one repeats the unique
(study_id, mesh_term_id) index's first column, and no query reads by the other

A study's headings are read by study_id, which the unique constraint's index serves (its
first column); MeSH terms are never deleted and no query looks headings up by term, so
ix_study_mesh_terms_mesh_term_id only cost writes: each heading an import stores went
into it at a scattered place. Together they were ~0.4 s of CPU of a 30,000-record
`import-xml` (288,000 headings) and ~7 MB of its file.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 22:00:00.000000

"""
from collections.abc import Sequence

from alembic import op


revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index('ix_study_mesh_terms_study_id', table_name='study_mesh_terms')
    op.drop_index('ix_study_mesh_terms_mesh_term_id', table_name='study_mesh_terms')


def downgrade() -> None:
    op.create_index(
        'ix_study_mesh_terms_mesh_term_id', 'study_mesh_terms', ['mesh_term_id'], unique=False
    )
    op.create_index('ix_study_mesh_terms_study_id', 'study_mesh_terms', ['study_id'], unique=False)
