"""The json written straight from SQL (`services.report_flat_json`: the claims' rows, the
studies' stored json and red-flag marks) has the bytes of the json written from the claims'
views (`json_out` on the streamed report, itself held to `build_report`'s): with the store
empty, filled, stale, and with every filter, verdict, reviewer and evidence-run state."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa

from ldn_evidence.db import read_scope
from ldn_evidence.export import render_chunks
from ldn_evidence.figures import Figure
from ldn_evidence.services import study_cells
from ldn_evidence.services.figure_marks import figure_in_marks, marks_of, marks_text
from ldn_evidence.services.report_stream import report_stream
from ldn_evidence.verification.figure_presence import figure_in_abstract
from ldn_evidence.viewmodel import JsonText
from tests.export.flat_store import add_notice, fill, filter_cases, review_cases, store_states
from tests.export.hostile import GENERATED_AT, ExportDb
from tests.export.review_db import build_review_db
from tests.export.test_report_evidence import claims  # noqa: F401  (a fixture)


def json_both(engine: sa.Engine, **filters: Any) -> tuple[bytes, bytes]:
    """(from the views, from SQL) of the same export, as the CLI asks for it."""
    out = []
    for flat in (False, True):
        with read_scope(engine) as conn:
            stream = report_stream(
                conn=conn,
                generated_at=GENERATED_AT,
                batch_size=2,
                inline_flags=True,
                flat_json=flat,
                **filters,
            )
            out.append(b"".join(render_chunks(stream, "json")))
    return out[0], out[1]


def assert_same(engine: sa.Engine, cases: list[dict[str, Any]]) -> None:
    for filters in cases:
        views, flat = json_both(engine, **filters)
        assert flat == views, filters


def _states(engine: sa.Engine) -> Iterator[str]:
    """The store empty, then filled, then every row stale (another basis)."""
    return store_states(
        engine,
        [
            "UPDATE study_json SET basis = 'stale'",
            """UPDATE study_json SET json = '"poison"',"""
            """ marks = '[["retracted"], false, "poison", [], []]'""",
        ],
    )


def test_hostile_rows_whatever_the_store(export_db: ExportDb) -> None:
    for state in _states(export_db.engine):
        assert_same(export_db.engine, filter_cases(export_db))
        views, flat = json_both(export_db.engine)
        assert b'"red_flags": [\n' in flat  # the pages are flagged (and alike)
        if state == "stale":
            assert b"poison" not in flat


def test_the_claims_are_written_from_sql(export_db: ExportDb) -> None:
    """With `flat_json` a page's claims are `JsonText`: read from SQL, not built as views."""
    fill(export_db.engine)
    with read_scope(export_db.engine) as conn:
        stream = report_stream(conn=conn, generated_at=GENERATED_AT, flat_json=True)
        doc = next(iter(stream.documents))
        texts = list(doc.claims)
        loose = list(stream.claims_without_document)
    assert texts and all(type(t) is JsonText for t in texts)
    assert all(type(t) is JsonText for t in loose)
    assert json.loads(bytes(texts[0]))["id"] > 0


def test_every_verdict_and_reviewer_whatever_the_store(tmp_path: Any) -> None:
    db = build_review_db(tmp_path)
    for _state in _states(db.engine):
        assert_same(db.engine, review_cases(db))


def test_a_fresh_row_is_what_the_export_writes(export_db: ExportDb) -> None:
    """The stored study and marks are read, not worked out again: a fresh row with other
    values (a write that bypassed the store's rules) shows them."""
    engine = export_db.engine
    fill(engine)
    with engine.begin() as conn:
        conn.execute(sa.text("""UPDATE study_json SET json = '"FROM-STORE"'"""))
        conn.execute(
            sa.text("""UPDATE study_json SET marks = '[["retracted"], true, "MARKED", [], []]'""")
        )
    views, flat = json_both(engine)
    assert b'"study": "FROM-STORE"' in flat and flat != views
    assert b"is retracted: MARKED" in flat


def test_a_retraction_notice_is_matched_when_read(export_db: ExportDb) -> None:
    """A study named by a Retraction Watch notice is worked out, whatever its row says."""
    engine = export_db.engine
    fill(engine)
    with engine.begin() as conn:
        add_notice(conn, "23359310")
        conn.execute(sa.text("""UPDATE study_json SET json = '"FROM-STORE"'"""))
    views, flat = json_both(engine, pmids=["23359310"])
    assert flat == views and b"FROM-STORE" not in flat
    assert b'"kind": "retracted"' in flat


@pytest.mark.parametrize("column", ["evidence_level", "retracted", "raw_sha256", "doi"])
def test_a_changed_study_value_makes_its_row_stale(export_db: ExportDb, column: str) -> None:
    engine = export_db.engine
    fill(engine)
    value = {
        "evidence_level": "CASE evidence_level WHEN 'rct' THEN 'case_report' ELSE 'rct' END",
        "retracted": "1 - retracted",
    }.get(column, f"COALESCE({column}, '') || 'x'")
    with engine.begin() as conn:
        conn.execute(sa.text("""UPDATE study_json SET json = '"FROM-STORE"'"""))
        conn.execute(sa.text(f"UPDATE studies SET {column} = {value}"))
    views, flat = json_both(engine)
    assert flat == views and b"FROM-STORE" not in flat


def test_evidence_runs_whatever_the_store(engine: sa.Engine, claims: tuple[int, int]) -> None:  # noqa: F811
    """A claim's last `evidence` run, and a claim never searched."""
    searched, never = claims
    for _state in _states(engine):
        assert_same(engine, [{}, {"claim_ids": [searched]}, {"claim_ids": [never]}])


def test_a_figure_json_writes_apart(export_db: ExportDb) -> None:
    """A figure orjson writes unlike json (1e-05, NaN) sends the claim to the indenting
    encoder, the stored studies read back: the same bytes."""
    engine = export_db.engine
    fill(engine)
    with engine.begin() as conn:
        ids = conn.execute(
            sa.text("SELECT id FROM claims WHERE figure_value IS NOT NULL ORDER BY id")
        ).scalars()
        ids = list(ids)
        assert len(ids) >= 2
        conn.execute(sa.text(f"UPDATE claims SET figure_value = 0.00001 WHERE id = {ids[0]}"))
        conn.execute(sa.text(f"UPDATE claims SET figure_value = 1e300 * 1e300 WHERE id = {ids[1]}"))
    views, flat = json_both(engine)
    assert flat == views and b"1e-05" in flat


_ABSTRACTS = [
    None,
    "",
    "Pain fell by 30% (95% CI 20-40%) in 12 of 40 women; p = 0.03.",
    "A 2.5-fold rise in IL-10 was seen, and 14,000 IU daily for 10 weeks.",
    "Scores improved by 10 points; half (50%) responded; one-third relapsed.",
    "No figures here at all.",
]
_FIGURES = [
    Figure(30.0, "%", "exact", "30%"),
    Figure(31.0, "%", "nearly", "nearly 31%"),
    Figure(2.5, "fold", "exact", "2.5-fold"),
    Figure(14000.0, "IU", "exact", "14,000 IU"),
    Figure(10.0, "points", "exact", "10 points"),
    Figure(0.03, "p", "exact", "p = 0.03"),
    Figure(33.0, "%", "about", "about a third"),
    Figure(7.0, "mg", "exact", "7 mg"),
]


def test_marks_read_as_the_record(export_db: ExportDb) -> None:
    """A study's marks give its record's flags, retraction, title and whether it has an
    abstract (read without parsing for a study with neither flags nor abstract)."""
    from ldn_evidence.viewmodel import StudyRecord

    fields: dict[str, Any] = {name: None for name in StudyRecord.__dataclass_fields__}
    for flags in ([], ["retracted"], ["erratum", "expression of concern"]):
        for abstract in (None, "", "Pain fell by 30%."):
            fields.update(pmid="7", title="A “title”", flags=flags, abstract=abstract)
            marks = marks_of("7", marks_text(StudyRecord(**fields)))
            assert marks.flags == flags and marks.retracted == ("retracted" in flags)
            assert marks.abstract == bool(abstract) and marks.title == "A “title”"


def test_marks_answer_as_the_abstract_does(export_db: ExportDb) -> None:
    """`figure_in_marks` on a study's stored marks says what `figure_in_abstract` says on
    its abstract: for these figures on these abstracts, and every claim's figure on every
    stored study of the hostile database."""
    from ldn_evidence.viewmodel import StudyRecord

    def record(abstract: str | None) -> Any:
        fields = {name: None for name in StudyRecord.__dataclass_fields__}
        fields.update(pmid="1", title="t", flags=[], abstract=abstract)
        return StudyRecord(**fields)

    for abstract in _ABSTRACTS:
        marks = marks_of("1", marks_text(record(abstract)))
        assert (marks.flags, marks.retracted, marks.abstract) == ([], False, bool(abstract))
        for figure in _FIGURES:
            assert figure_in_marks(figure, marks) == figure_in_abstract(figure, abstract)
    engine = export_db.engine
    fill(engine)
    with engine.connect() as conn:
        studies = conn.execute(
            sa.text(
                "SELECT s.pmid, s.abstract, c.marks FROM studies s"
                " JOIN study_json c ON c.study_id = s.id"
            )
        ).all()
        figures = conn.execute(
            sa.text(
                "SELECT figure_value, figure_unit, figure_qualifier, figure_text FROM claims"
                " WHERE figure_value IS NOT NULL"
            )
        ).all()
    assert studies and figures
    for pmid, abstract, text in studies:
        marks = marks_of(pmid, text)
        for value, unit, qualifier, label in figures:
            figure = Figure(value, unit or "%", qualifier or "exact", label or "")
            assert figure_in_marks(figure, marks) == figure_in_abstract(figure, abstract)


def test_the_json_rows_go_with_the_cells(export_db: ExportDb) -> None:
    """`study_json` holds a row for each `study_cells` row, forgotten with it; a study whose
    json row is missing (its cells fresh) is worked out."""
    engine = export_db.engine
    fill(engine)
    count = "SELECT (SELECT count(*) FROM study_cells), (SELECT count(*) FROM study_json)"
    with engine.connect() as conn:
        cells, texts = conn.execute(sa.text(count)).one()
        ids = list(conn.execute(sa.text("SELECT study_id FROM study_json")).scalars())
    assert cells == texts > 0
    with engine.begin() as conn:
        study_cells.forget(conn, ids[:1])
        assert conn.execute(sa.text(count)).one() == (cells - 1, texts - 1)
        conn.execute(sa.text("UPDATE study_json SET json = '\"FROM-STORE\"'"))
        conn.execute(sa.text(f"DELETE FROM study_json WHERE study_id = {ids[1]}"))
    views, flat = json_both(engine)
    assert flat != views and b'"study": "FROM-STORE"' in flat
    assert b'"study": {' in flat  # the two studies without both rows, worked out
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM study_json"))
    assert_same(engine, filter_cases(export_db))


@pytest.mark.parametrize("figure", [None, 30.0, 0.00001])
def test_a_claim_without_a_page_citing_a_study(export_db: ExportDb, figure: float | None) -> None:
    """A claim without a page is written at its own level, its cited study's stored text
    (written for a page's claim) indented to it: by orjson, and by the indenting encoder
    (a figure orjson writes unlike json): the same bytes, whatever the store."""
    engine = export_db.engine
    with engine.begin() as conn:
        loose = conn.execute(
            sa.text("SELECT id FROM claims WHERE document_id IS NULL")
        ).scalar_one()
        conn.execute(
            sa.text(
                "INSERT INTO citations (claim_id, study_id, origin, verdict, verdict_origin,"
                " created_at) SELECT :claim, study_id, 'page', 'unchecked', 'automatic',"
                " created_at FROM citations"
                " WHERE study_id IS NOT NULL ORDER BY id LIMIT 1"
            ),
            {"claim": loose},
        )
        conn.execute(
            sa.text("UPDATE claims SET figure_value = :v, figure_unit = '%' WHERE id = :id"),
            {"v": figure, "id": loose},
        )
    for state in _states(engine):
        views, flat = json_both(engine)
        assert flat == views, state
        (claim,) = json.loads(flat)["claims_without_document"]
        assert claim["citations"][0]["study"]["pmid"], state


def test_utf8_bytes_reads_a_text_as_its_utf8(engine: sa.Engine) -> None:
    """`flat_rows.utf8_bytes`: a stored text read as its UTF-8 bytes, on either engine."""
    from ldn_evidence.services.flat_rows import utf8_bytes

    text = 'Ñúñez — 50% of 12 µg "x"\\n ✓'
    table = sa.Table("texts", sa.MetaData(), sa.Column("body", sa.Text))
    with engine.begin() as conn:
        table.create(conn)
        conn.execute(table.insert(), [{"body": text}, {"body": None}])
        read = conn.execute(sa.select(utf8_bytes(table.c.body))).scalars().all()
    assert sorted(read, key=lambda v: v is None) == [text.encode("utf-8"), None]
