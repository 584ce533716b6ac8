"""What the tests of the exports written from SQL (`test_flat_csv`, `test_flat_json`)
share: the store filled as `db upgrade` fills it, the store's three states, the filter
sets of the hostile export database and of the review database, and a Retraction Watch
notice naming a study."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa

from ldn_evidence.db import session_scope
from ldn_evidence.services import study_cells
from tests.export.hostile import ExportDb
from tests.export.review_db import ReviewDb


def fill(engine: sa.Engine) -> int:
    """Store every cited study's values (`study_cells.fill_cited`); the rows stored."""
    with session_scope(engine) as session:
        return study_cells.fill_cited(session)


def store_states(engine: sa.Engine, spoil: Sequence[str]) -> Iterator[str]:
    """The store empty, then filled, then every row stale (`spoil`: the statements that
    give the rows another basis and values an export must never write)."""
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM study_cells"))
        conn.execute(sa.text("DELETE FROM study_json"))
    yield "empty"
    assert fill(engine) > 0
    yield "filled"
    with engine.begin() as conn:
        for statement in spoil:
            conn.execute(sa.text(statement))
    yield "stale"


def filter_cases(db: ExportDb) -> list[dict[str, Any]]:
    """Every filter of `export`, alone and together, on the hostile database."""
    return [
        {},
        {"verdict": "supported"},
        {"verdict": "unchecked"},
        {"pmids": ["23359310"]},
        {"document_ids": [db.seed_document_id]},
        {"document_ids": [db.document_id, db.seed_document_id]},
        {"claim_ids": [db.loose_claim_id, db.formula_claim_id, db.script_claim_id]},
        {"claim_ids": [db.unsourced_claim_id]},
        {"document_ids": [db.document_id], "verdict": "unchecked"},
    ]


def review_cases(db: ReviewDb) -> list[dict[str, Any]]:
    """Every verdict, the page, a PMID and some claims, on the review database."""
    cases: list[dict[str, Any]] = [{}, {"document_ids": [db.document_id]}]
    cases += [{"verdict": v} for v in ("supported", "contradicted", "not_supported", "unchecked")]
    cases += [{"pmids": ["91000001"]}, {"claim_ids": list(db.claim_ids.values())[:3]}]
    return cases


def add_notice(conn: sa.Connection, pmid: str) -> None:
    """A Retraction Watch notice retracting the study with this PMID."""
    conn.execute(
        sa.text(
            "INSERT INTO retraction_notices (record_id, nature, original_pmid, row_sha256,"
            " imported_at, updated_at) VALUES (1, 'retraction', :pmid, 'x',"
            " '2026-01-01', '2026-01-01')"
        ),
        {"pmid": pmid},
    )
