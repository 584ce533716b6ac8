"""Alembic: upgrade → downgrade → upgrade on both engines; models equal the migrated schema."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from ldn_evidence.db import current_revision, downgrade, head_revision, make_engine, upgrade
from ldn_evidence.models import all_tables

TABLES = {
    "source_documents",
    "claims",
    "references",
    "citations",
    "citation_events",
    "studies",
    "abstract_sections",
    "study_authors",
    "publication_types",
    "study_publication_types",
    "mesh_terms",
    "study_mesh_terms",
    "keywords",
    "study_links",
    "retraction_notices",
    "watch_runs",
    "study_checks",
    "study_changes",
    "evidence_runs",
    "evidence_results",
    "full_texts",
    "full_text_sections",
    "full_text_passages",
    "study_cells",
    "study_json",
}


def _tables(engine: sa.Engine) -> set[str]:
    with engine.connect() as conn:
        return set(sa.inspect(conn).get_table_names()) - {"alembic_version"}


def test_upgrade_downgrade_upgrade(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine)
    assert _tables(engine) == TABLES
    assert current_revision(engine) == head_revision()
    downgrade(engine, "base")
    assert _tables(engine) == set()
    assert current_revision(engine) is None
    upgrade(engine)
    assert _tables(engine) == TABLES
    engine.dispose()


def test_models_match_migrations(engine: sa.Engine) -> None:
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, all_tables())
    assert diff == []


def test_constraint_names_come_from_the_naming_convention(engine: sa.Engine) -> None:
    with engine.connect() as conn:
        insp = sa.inspect(conn)
        fks = insp.get_foreign_keys("citations")
        uqs = insp.get_unique_constraints("citations")
    assert {fk["name"] for fk in fks} >= {"fk_citations_claim_id_claims"}
    assert "uq_citations_claim_id_study_id" in {u["name"] for u in uqs}


def test_indexes_on_what_queries_use(engine: sa.Engine) -> None:
    with engine.connect() as conn:
        insp = sa.inspect(conn)
        study_idx = {tuple(i["column_names"]) for i in insp.get_indexes("studies")}
        study_uq = {tuple(u["column_names"]) for u in insp.get_unique_constraints("studies")}
        cit_idx = {tuple(i["column_names"]) for i in insp.get_indexes("citations")}
    assert ("doi",) in study_idx
    assert ("pmid",) in study_uq
    assert ("claim_id",) in cit_idx and ("study_id",) in cit_idx


def test_headings_are_read_through_their_unique_index(engine: sa.Engine) -> None:
    """study_mesh_terms has no single-column index (revision 0011): its unique
    (study_id, mesh_term_id) index serves reading a study's headings and deleting them."""
    with engine.connect() as conn:
        insp = sa.inspect(conn)
        indexes = {tuple(i["column_names"]) for i in insp.get_indexes("study_mesh_terms")}
        unique = {tuple(u["column_names"]) for u in insp.get_unique_constraints("study_mesh_terms")}
        assert ("study_id", "mesh_term_id") in unique
        assert not {("study_id",), ("mesh_term_id",)} & indexes
        if engine.dialect.name != "sqlite":  # a planner's choice on a tiny table says little
            return
        reads = (
            "SELECT * FROM study_mesh_terms WHERE study_id = 1 ORDER BY position",
            "DELETE FROM study_mesh_terms WHERE study_id IN (1, 2)",
        )
        for sql in reads:
            plan = [row[-1] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql)]
            assert any(
                s.startswith("SEARCH study_mesh_terms USING ")
                and "INDEX sqlite_autoindex_study_mesh_terms_1 (study_id=?)" in s
                for s in plan
            ), plan
            assert not any(s.startswith("SCAN study_mesh_terms") for s in plan), plan


def test_foreign_keys_enforced(engine: sa.Engine) -> None:
    import pytest

    with pytest.raises(sa.exc.IntegrityError):
        with engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO claims (document_id, text, created_at, updated_at) "
                    "VALUES (9999, 'x', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                )
            )


def test_sqlite_pragmas(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(f"sqlite:///{tmp_path / 'p.db'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
    engine.dispose()


@pytest.mark.slow  # subprocess
def test_alembic_command_line_from_repo_root(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]  # the repository: tests/db/ is two down
    db = tmp_path / "cli-alembic.db"
    env = {**__import__("os").environ, "LDN_EVIDENCE_DB": str(db)}
    alembic = [sys.executable, "-m", "alembic"]
    for args in (["upgrade", "head"], ["check"], ["downgrade", "base"], ["upgrade", "head"]):
        proc = subprocess.run(alembic + args, cwd=root, env=env, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
    engine = make_engine(f"sqlite:///{db}")
    assert current_revision(engine) == head_revision()
    engine.dispose()
