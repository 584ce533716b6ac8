"""The csv written straight from SQL (`services.report_flat`, the studies' stored cells)
has the bytes of the csv written from the claims' views (`csv_out.rows` on the streamed
report, itself held to `build_report`'s): with the store empty, filled, stale, and with
every filter, verdict, reviewer and evidence-run state."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa

from ldn_evidence.db import read_scope, session_scope
from ldn_evidence.export import render_chunks
from ldn_evidence.services import study_cells
from ldn_evidence.services.report_stream import report_stream
from tests.export.flat_store import add_notice, fill, filter_cases, review_cases, store_states
from tests.export.hostile import GENERATED_AT, ExportDb
from tests.export.review_db import build_review_db
from tests.export.test_report_evidence import claims  # noqa: F401  (a fixture)


def csv_both(engine: sa.Engine, *, excel: bool = False, **filters: Any) -> tuple[bytes, bytes]:
    """(from the views, from SQL) of the same export."""
    out = []
    for flat in (False, True):
        with read_scope(engine) as conn:
            stream = report_stream(
                conn=conn, generated_at=GENERATED_AT, batch_size=2, flat=flat, **filters
            )
            assert (stream.table_lines() is not None) is flat
            out.append(b"".join(render_chunks(stream, "csv", excel=excel)))
    return out[0], out[1]


def assert_same(engine: sa.Engine, cases: list[dict[str, Any]]) -> None:
    for filters in cases:
        for excel in (False, True):
            views, flat = csv_both(engine, excel=excel, **filters)
            assert flat == views, (filters, excel)


def stored(engine: sa.Engine) -> dict[int, tuple[str, str]]:
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT study_id, basis, csv FROM study_cells"))
        return {r[0]: (r[1], r[2]) for r in rows}


def _states(engine: sa.Engine) -> Iterator[str]:
    """The store empty, then filled, then every row stale (another basis)."""
    return store_states(engine, ["UPDATE study_cells SET basis = 'stale', csv = 'poison\x1f'"])


def test_hostile_rows_whatever_the_store(export_db: ExportDb) -> None:
    for state in _states(export_db.engine):
        assert_same(export_db.engine, filter_cases(export_db))
        if state == "stale":
            views, flat = csv_both(export_db.engine)
            assert b"poison" not in flat


def test_every_verdict_and_reviewer_whatever_the_store(tmp_path: Any) -> None:
    db = build_review_db(tmp_path)
    for _state in _states(db.engine):
        assert_same(db.engine, review_cases(db))


def test_a_fresh_row_is_what_the_export_writes(export_db: ExportDb) -> None:
    """The stored cells are read, not worked out again: a fresh row with other cells (a
    write that bypassed the store's rules) shows them."""
    engine = export_db.engine
    fill(engine)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE study_cells SET csv = 'FROM-STORE' || csv"))
    views, flat = csv_both(engine)
    assert b"FROM-STORE" in flat and flat != views


def test_a_retraction_notice_is_matched_when_read(export_db: ExportDb) -> None:
    """A study named by a Retraction Watch notice is worked out, whatever its row says;
    the fill stores no row for it."""
    engine = export_db.engine
    fill(engine)
    with engine.begin() as conn:
        add_notice(conn, "23359310")
        study_id = conn.execute(
            sa.text("SELECT id FROM studies WHERE pmid = '23359310'")
        ).scalar_one()
    assert study_id in stored(engine)
    assert_same(engine, filter_cases(export_db))
    views, flat = csv_both(engine, pmids=["23359310"])
    assert b"retracted" in flat
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM study_cells"))
    fill(engine)
    assert study_id not in stored(engine)


@pytest.mark.parametrize(
    "column", ["evidence_level", "retracted", "raw_sha256", "doi", "pmid", "pub_year"]
)
def test_a_changed_study_value_makes_its_row_stale(export_db: ExportDb, column: str) -> None:
    """A study changed behind the store's back (no write path forgot its row) is worked out
    again when a value of its basis changed."""
    engine = export_db.engine
    fill(engine)
    value = {  # another value for every study
        "evidence_level": "CASE evidence_level WHEN 'rct' THEN 'case_report' ELSE 'rct' END",
        "retracted": "1 - retracted",
    }.get(column, f"COALESCE({column}, '') || 'x'")
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE study_cells SET csv = 'FROM-STORE' || csv"))
        conn.execute(sa.text(f"UPDATE studies SET {column} = {value}"))
    views, flat = csv_both(engine)
    assert flat == views and b"FROM-STORE" not in flat


def test_the_basis_follows_the_code(monkeypatch: pytest.MonkeyPatch) -> None:
    """Another version of the code that makes the cells: another basis."""
    before = study_cells.current_basis()
    monkeypatch.setattr(study_cells, "code_version", lambda: "another")
    assert study_cells.current_basis() != before
    assert len(study_cells.code_version()) and study_cells.source_files()
    assert all(path.is_file() for path in study_cells.source_files())


def test_evidence_runs_whatever_the_store(engine: sa.Engine, claims: tuple[int, int]) -> None:  # noqa: F811
    """A claim's last `evidence` run's three columns, and a claim never searched."""
    searched, never = claims
    for _state in _states(engine):
        assert_same(engine, [{}, {"claim_ids": [searched]}, {"claim_ids": [never]}])


@pytest.mark.parametrize("fmt", ["json", "html", "markdown"])
def test_views_from_stored_values_whatever_the_store(export_db: ExportDb, fmt: str) -> None:
    """The exports that build the views read a fresh row's level rule, design and
    modifiers instead of reading them off the abstract again: the bytes of the report
    built whole (`build_report`, which never reads the store), the store empty, filled or
    stale."""
    from ldn_evidence.export import render
    from ldn_evidence.services.report import build_report

    engine = export_db.engine
    for _state in _states(engine):
        for filters in filter_cases(export_db)[:5]:
            with session_scope(engine) as session:
                whole = render(
                    build_report(session=session, generated_at=GENERATED_AT, **filters), fmt
                )
            with read_scope(engine) as conn:
                stream = report_stream(
                    conn=conn, generated_at=GENERATED_AT, batch_size=2, **filters
                )
                streamed = b"".join(render_chunks(stream, fmt))
            assert streamed == whole, (fmt, filters)


def _json(engine: sa.Engine) -> bytes:
    with read_scope(engine) as conn:
        return b"".join(render_chunks(report_stream(conn=conn, generated_at=GENERATED_AT), "json"))


def test_stored_values_are_read(export_db: ExportDb) -> None:
    engine = export_db.engine
    fill(engine)
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "UPDATE study_cells SET derived ="
                """ '["FROM-STORE rule", "FROM-STORE design", {}]'"""
            )
        )
    data = _json(engine)
    assert b"FROM-STORE design" in data and b"FROM-STORE rule" in data
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE study_cells SET basis = 'stale'"))
    assert b"FROM-STORE" not in _json(engine)
