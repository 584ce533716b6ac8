"""stored export values: the study's PMID with them, and a trigger that deletes them
when a value they were made with changes

Until now a stored row (study_cells, study_json) was checked at read time against the
study's own values (PMID, DOI, PMCID, year, level, retraction, origin, record hash), so an
export sought every cited study's row in `studies`. The database now deletes a study's
stored rows itself when one of those values (or its id) changes, whatever wrote it, and
the rows carry the study's PMID: their basis is the code version alone. The rows are
emptied here (each is remade with its PMID by `ldn-evidence db upgrade`, which runs after
this revision, or when a study is cited).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 18:00:00.000000

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_WATCHED = (
    'id', 'pmid', 'doi', 'pmcid', 'pub_year', 'evidence_level', 'retracted', 'origin',
    'raw_sha256',
)
_CHANGED = ' OR '.join(f'OLD.{name} IS DISTINCT FROM NEW.{name}' for name in _WATCHED)
_DELETE = (
    'DELETE FROM study_cells WHERE study_id = OLD.id; '
    'DELETE FROM study_json WHERE study_id = OLD.id;'
)
_TRIGGERS = {
    'sqlite': [
        'CREATE TRIGGER studies_store_stale AFTER UPDATE ON studies FOR EACH ROW WHEN '
        + _CHANGED.replace('IS DISTINCT FROM', 'IS NOT')
        + f' BEGIN {_DELETE} END'
    ],
    'postgresql': [
        'CREATE FUNCTION studies_store_stale() RETURNS trigger LANGUAGE plpgsql AS $$ '
        f'BEGIN {_DELETE} RETURN NULL; END $$',
        'CREATE TRIGGER studies_store_stale AFTER UPDATE ON studies FOR EACH ROW WHEN ('
        + _CHANGED
        + ') EXECUTE FUNCTION studies_store_stale()',
    ],
}
_DROP = {
    'sqlite': ['DROP TRIGGER studies_store_stale'],
    'postgresql': [
        'DROP TRIGGER studies_store_stale ON studies',
        'DROP FUNCTION studies_store_stale()',
    ],
}


def _tables(with_pmid: bool) -> None:
    """study_cells and study_json made again, empty, with or without `pmid`."""
    pmid = [sa.Column('pmid', sa.String(length=16), nullable=False)] if with_pmid else []
    for name, columns in (
        (
            'study_cells',
            [sa.Column('csv', sa.Text(), nullable=False),
             sa.Column('derived', sa.Text(), nullable=False)],
        ),
        (
            'study_json',
            [sa.Column('json', sa.Text(), nullable=False),
             sa.Column('marks', sa.Text(), nullable=False)],
        ),
    ):
        op.drop_table(name)
        op.create_table(
            name,
            sa.Column('study_id', sa.Integer(), nullable=False),
            sa.Column('basis', sa.String(length=64), nullable=False),
            *pmid,
            *columns,
            sa.ForeignKeyConstraint(
                ['study_id'],
                ['studies.id'],
                name=op.f(f'fk_{name}_study_id_studies'),
                ondelete='CASCADE',
            ),
            sa.PrimaryKeyConstraint('study_id', name=op.f(f'pk_{name}')),
        )


def upgrade() -> None:
    _tables(with_pmid=True)
    for statement in _TRIGGERS[op.get_bind().dialect.name]:
        op.execute(statement)


def downgrade() -> None:
    for statement in _DROP[op.get_bind().dialect.name]:
        op.execute(statement)
    _tables(with_pmid=False)
