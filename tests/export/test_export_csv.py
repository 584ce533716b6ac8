"""CSV: a row per claim–source pair, formula cells neutralised, read back with csv."""

from __future__ import annotations

import csv
import io
import random

from ldn_evidence.export import render
from ldn_evidence.export.csv_out import _FORMULA_START, COLUMNS, neutralise
from ldn_evidence.export.model import Report
from ldn_evidence.textsafe import strip_controls
from tests.export.hostile import (
    FORMULA_CLAIM,
    LOOSE_CLAIM,
    REVIEWER,
    SENTENCE,
    TAB_CLAIM,
    UNSOURCED_CLAIM,
)


def _rows(data: bytes) -> list[dict[str, str]]:
    text = data.decode("utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_header_and_one_row_per_pair(report: Report) -> None:
    data = render(report, "csv")
    assert not data.startswith(b"\xef\xbb\xbf")
    rows = _rows(data)
    assert tuple(rows[0].keys()) == COLUMNS
    expected = sum(max(1, len(c.citations)) for c in report.all_claims())
    assert len(rows) == expected == report.summary.citations + 1  # + the unsourced claim
    assert {r["claim_text"] for r in rows} == {neutralise(c.text) for c in report.all_claims()}


def test_formula_cells_are_neutralised(report: Report) -> None:
    rows = _rows(render(report, "csv"))
    texts = {r["claim_text"] for r in rows}
    assert "'" + FORMULA_CLAIM in texts
    assert "'" + TAB_CLAIM in texts
    assert "'" + UNSOURCED_CLAIM in texts
    assert "'" + LOOSE_CLAIM in texts
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
    contradicted = next(r for r in rows if r["verdict"] == "contradicted")
    assert contradicted["deciding_sentence"] == "'-10% versus placebo"


def test_neutralise() -> None:
    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("\r=x") == "'\n=x"  # carriage returns become newlines
    assert neutralise("a=b") == "a=b"
    assert neutralise(None) == ""
    assert neutralise(12) == "12"
    assert neutralise(-3) == "'-3"


def _neutralise_by_the_rule(value: object) -> str:
    """The rule, without `neutralise`'s fast path for plain ASCII text."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START):
        return "'" + strip_controls(text)
    text = strip_controls(text)
    return "'" + text if text.startswith(_FORMULA_START) else text


def test_neutralise_fast_path_keeps_the_rule() -> None:
    """Every cell, plain ASCII or not, comes out as the rule makes it."""
    pieces = ["a", "=", "+", "-", "@", "|", " ", "1", "\t", "\n", "\r", "\x1b", "\x7f", "\x0b"]
    pieces += ["\x85", "\x9b", "é", "＝", "－", "\u2028", "~", "\x00"]
    rng = random.Random(15)
    cells: list[object] = [None, 0, -1, 2.5, -0.5, True, "", *pieces]
    cells += ["".join(rng.choices(pieces, k=rng.randint(1, 6))) for _ in range(5000)]
    for cell in cells:
        assert neutralise(cell) == _neutralise_by_the_rule(cell), repr(cell)


def test_source_columns(report: Report) -> None:
    rows = _rows(render(report, "csv"))
    supported = next(r for r in rows if r["verdict"] == "supported")
    assert supported["pmid"] == "90000001"
    assert supported["citation_origin"] == "cited for this claim"
    assert supported["reviewer"] == REVIEWER
    assert supported["checked_at"] == "2026-01-05T14:03:00+00:00"
    assert supported["deciding_sentence"] == SENTENCE
    assert supported["level"] == "2 · Randomized controlled trial"
    assert supported["record_version"] == "aaaaaaaaaaaa"
    assert supported["citation"].startswith("Müller H, Ñúñez AM, Wójcik Ł, O'Brien S, Smith J,")
    assert ", et al. Effects of {braces}" in supported["citation"]
    retracted = next(r for r in rows if r["pmid"] == "90000002")
    assert retracted["flags"] == "retracted"
    page = next(r for r in rows if r["pmid"] == "23359310")
    assert page["citation_origin"] == "cited by the page"
    assert page["record_version"] == "curated"
    unsourced = next(r for r in rows if r["claim_text"] == "'" + UNSOURCED_CLAIM)
    assert unsourced["figure"] == "30%"
    for col in COLUMNS[5:]:
        assert unsourced[col] == "", col
    twin = next(r for r in rows if r["pmid"] == "90000003")
    assert twin["level"] == "ungraded"


def test_excel_adds_bom(report: Report) -> None:
    data = render(report, "csv", excel=True)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0]["document_id"]
    assert any("Ñúñez" in r["citation"] for r in rows)
