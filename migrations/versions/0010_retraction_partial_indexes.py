"""partial indexes of what may make a study retracted: studies flagged retracted, and
RetractionIn links

An export's summary counts the retracted among the cited studies. It probed every cited
study for its flag, its publication types and its links (0.4 s of a 100,000-claim json
export on a million studies); the candidates now come from these two small indexes and
the publication type's own.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 19:40:00.000000

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_RETRACTED = {'sqlite': 'retracted IS 1', 'postgresql': 'retracted IS true'}


def upgrade() -> None:
    retracted = sa.text(_RETRACTED[op.get_bind().dialect.name])
    link = sa.text("ref_type = 'RetractionIn'")
    op.create_index(
        'ix_studies_retracted',
        'studies',
        ['id'],
        sqlite_where=retracted,
        postgresql_where=retracted,
    )
    op.create_index(
        'ix_study_links_retraction',
        'study_links',
        ['study_id'],
        sqlite_where=link,
        postgresql_where=link,
    )


def downgrade() -> None:
    op.drop_index('ix_study_links_retraction', table_name='study_links')
    op.drop_index('ix_studies_retracted', table_name='studies')
