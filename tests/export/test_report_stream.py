"""The streamed report (`services.report_stream`): the same bytes as the report built
whole (`build_report`) in every format and with every filter, read from the database a
batch at a time, never held as lists."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from ldn_evidence.db import read_scope, session_scope
from ldn_evidence.export import EXPORT_FORMATS, FORMATS, render, render_chunks, write_atomic_chunks
from ldn_evidence.export.markdown_out import _squeeze_blank_lines
from ldn_evidence.services.claims import claims_query, iter_claims
from ldn_evidence.services.report import build_report
from ldn_evidence.services.report_stream import report_stream
from ldn_evidence.viewmodel import Rows
from tests.export.flat_store import add_notice
from tests.export.hostile import GENERATED_AT, ExportDb
from tests.export.review_db import build_review_db

FILTERS: list[dict[str, Any]] = [
    {},
    {"verdict": "supported"},
    {"verdict": "unchecked"},
    {"pmids": ["23359310"]},
]


def _both(
    engine: Any,
    fmt: str,
    batch_size: int = 2,
    inline_flags: bool = True,
    detail: bool = True,
    **filters: Any,
) -> tuple[bytes, bytes]:
    with session_scope(engine) as session:
        whole = render(build_report(session=session, generated_at=GENERATED_AT, **filters), fmt)
    with read_scope(engine) as conn:
        stream = report_stream(
            conn=conn,
            generated_at=GENERATED_AT,
            batch_size=batch_size,
            inline_flags=inline_flags,
            detail=detail,
            **filters,
        )
        streamed = b"".join(render_chunks(stream, fmt))
    return whole, streamed


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.slow
def test_every_format_is_byte_identical_streamed(export_db: ExportDb, fmt: str) -> None:
    for filters in [
        *FILTERS,
        {"document_ids": [export_db.seed_document_id]},
        {"claim_ids": [export_db.loose_claim_id, export_db.formula_claim_id]},
        {"document_ids": [export_db.document_id], "verdict": "unchecked"},
    ]:
        whole, streamed = _both(export_db.engine, fmt, **filters)
        assert streamed == whole, (fmt, filters)


@pytest.mark.parametrize("fmt", [f.name for f in EXPORT_FORMATS if f.bibliography])
@pytest.mark.slow
def test_bibliographies_need_no_design(export_db: ExportDb, fmt: str) -> None:
    """The export reads a bibliography's studies without their design, modifiers and level
    rule (`detail=False`): the same bytes as the report built whole, with them."""
    for filters in [*FILTERS, {"document_ids": [export_db.seed_document_id]}]:
        whole, streamed = _both(export_db.engine, fmt, detail=False, **filters)
        assert streamed == whole, (fmt, filters)


def test_without_detail_the_study_has_no_design(export_db: ExportDb) -> None:
    with read_scope(export_db.engine) as conn:
        stream = report_stream(conn=conn, generated_at=GENERATED_AT, detail=False)
        plain = [c.study for e in stream.all_claims() for c in e.citations if c.study]
    with read_scope(export_db.engine) as conn:
        stream = report_stream(conn=conn, generated_at=GENERATED_AT)
        full = [c.study for e in stream.all_claims() for c in e.citations if c.study]
    assert plain and len(plain) == len(full)
    assert all(s.design == "" and s.modifiers == {} and s.level_rule == "" for s in plain)
    assert any(s.design for s in full) and all(s.level_rule for s in full)
    assert [(s.pmid, s.citation, s.flags) for s in plain] == [
        (s.pmid, s.citation, s.flags) for s in full
    ]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.slow
def test_red_flags_and_summary_streamed_as_built_whole(tmp_path: Path, fmt: str) -> None:
    """The review page has every red flag; its summary counts retracted sources."""
    db = build_review_db(tmp_path)
    for filters in [{}, {"verdict": "contradicted"}, {"document_ids": [db.document_id]}]:
        for inline in (True, False):  # red flags as the claims stream by, or a pass apart
            whole, streamed = _both(db.engine, fmt, batch_size=1, inline_flags=inline, **filters)
            assert streamed == whole, (fmt, filters, inline)


def test_summary_counted_in_sql_equals_the_report(export_db: ExportDb) -> None:
    for filters in FILTERS:
        with session_scope(export_db.engine) as session:
            whole = build_report(session=session, **filters).summary
        with read_scope(export_db.engine) as conn:
            assert report_stream(conn=conn, **filters).summary == whole


def test_claims_are_read_in_batches_not_all_at_once(export_db: ExportDb) -> None:
    """More claims than a batch: the claims are selected by id more than once, and the
    report holds its rows as `Rows` (read on iteration), never as lists."""
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    event.listen(export_db.engine, "before_cursor_execute", record)
    try:
        with read_scope(export_db.engine) as conn:
            stream = report_stream(conn=conn, batch_size=2)
            assert isinstance(stream.documents, Rows)
            assert isinstance(stream.claims_without_document, Rows)
            before = len(statements)
            claims = sum(1 for _ in stream.all_claims())
            batches = [
                s for s in statements[before:] if re.search(r"FROM claims\s+WHERE claims.id IN", s)
            ]
    finally:
        event.remove(export_db.engine, "before_cursor_execute", record)
    assert claims > 2
    documents = len(stream.documents) + 1
    assert len(batches) >= max(2, claims // 2 - documents)


def test_iter_claims_is_lazy(export_db: ExportDb) -> None:
    with session_scope(export_db.engine) as session:
        claims = iter_claims(session=session, query=claims_query())
        assert isinstance(claims, Iterator)
        first = next(claims)
        rest = list(claims)
        assert [first.id, *(c.id for c in rest)] == [
            c.id for c in iter_claims(session=session, query=claims_query(sort="position"))
        ]


def test_a_failing_render_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "report.csv"
    target.write_bytes(b"old")

    def chunks() -> Iterator[bytes]:
        yield b"half a file"
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        write_atomic_chunks(target, chunks())
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.csv"]
    assert write_atomic_chunks(target, iter([b"new ", b"file"])) == 8
    assert target.read_bytes() == b"new file"


def test_blank_lines_squeezed_across_pieces() -> None:
    rng = random.Random(15)
    for _ in range(300):
        text = "".join(rng.choice(["a", "\n", "\n\n", "\n\n\n", "b c"]) for _ in range(30))
        cuts = sorted(rng.sample(range(len(text) + 1), k=min(5, len(text) + 1)))
        parts = [text[i:j] for i, j in zip([0, *cuts], [*cuts, len(text)], strict=True)]
        assert "".join(_squeeze_blank_lines(iter(parts))) == re.sub(r"\n{3,}", "\n\n", text)


def test_a_study_cited_again_is_made_once(
    export_db: ExportDb, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A claim at a time (`batch_size=1`), a study cited by several claims is read and
    made once for the export, while it is among the last records made."""
    from ldn_evidence.services import report_rows

    made: list[str] = []
    real = report_rows.study_record

    def counting(study: Any, **options: Any) -> Any:
        made.append(study.pmid)
        return real(study, **options)

    monkeypatch.setattr(report_rows, "study_record", counting)
    with read_scope(export_db.engine) as conn:
        stream = report_stream(conn=conn, batch_size=1)
        cited = [c.study.pmid for e in stream.all_claims() for c in e.citations if c.study]
    assert len(cited) > len(set(cited))  # the database cites a study more than once
    assert sorted(made) == sorted(set(cited))


def test_study_records_keep_the_last_made() -> None:
    from ldn_evidence.services.report_rows import StudyRecords

    records = StudyRecords(size=2)
    for study_id in (1, 2, 3):
        records.add(study_id, object())  # type: ignore[arg-type]
    assert records.get(1) is None and records.get(2) is not None and records.get(3) is not None


def test_retracted_sources_found_every_way(export_db: ExportDb) -> None:
    """A cited study is retracted by its flag alone, by a Retraction Watch notice naming
    its PMID or its DOI (any case), as well as by its publication type and link (the
    hostile database's): the summary counts each once, as the built report does, and not
    a retracted study no claim cites."""
    engine = export_db.engine
    with engine.begin() as conn:
        cited = conn.execute(
            sa.text(
                "SELECT DISTINCT s.id, s.pmid FROM studies s JOIN citations c ON c.study_id = s.id"
                " WHERE NOT s.retracted ORDER BY s.id"
            )
        ).all()
        assert len(cited) >= 3
        (flagged, _), (_, by_pmid), (by_doi, _) = cited[:3]
        conn.execute(sa.text("UPDATE studies SET retracted = 1 WHERE id = :id"), {"id": flagged})
        conn.execute(
            sa.text("UPDATE studies SET doi = '10.1000/Retracted.X' WHERE id = :id"), {"id": by_doi}
        )
        add_notice(conn, by_pmid)
        conn.execute(
            sa.text(
                "INSERT INTO retraction_notices (record_id, nature, original_doi, row_sha256,"
                " imported_at, updated_at) VALUES (2, 'retraction', '10.1000/retracted.x', 'y',"
                " '2026-01-01', '2026-01-01')"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO studies (pmid, pmid_version, kind, title, retracted, origin)"
                " VALUES ('99999901', 1, 'article', 'Uncited', 1, 'efetch')"
            )
        )
    with read_scope(engine) as conn:
        assert report_stream(conn=conn).summary.retracted_sources == 4
    for filters in FILTERS:
        with session_scope(engine) as session:
            whole = build_report(session=session, **filters).summary
        with read_scope(engine) as conn:
            assert report_stream(conn=conn, **filters).summary == whole, filters


def test_retracted_candidates_come_from_partial_indexes(export_db: ExportDb) -> None:
    """The summary's retracted candidates are read from the partial indexes, not by a scan
    of the studies or their links."""
    from ldn_evidence.services import report_stream as module

    statements: list[tuple[str, Any]] = []

    def seen(conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if "RetractionIn" in statement:
            statements.append((statement, parameters))

    event.listen(export_db.engine, "before_cursor_execute", seen)
    try:
        with read_scope(export_db.engine) as conn:
            module.report_summary(conn, module._Selection([], [], None, None))
            ((sql, parameters),) = statements
            plan = [
                row[-1] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, parameters)
            ]
    finally:
        event.remove(export_db.engine, "before_cursor_execute", seen)
    scans = [step for step in plan if step.startswith("SCAN")]
    assert sorted(scans) == [
        "SCAN studies USING INDEX ix_studies_retracted",
        "SCAN study_links USING INDEX ix_study_links_retraction",
    ], plan
