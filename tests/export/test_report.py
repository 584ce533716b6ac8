"""build_report: filters, page order, summary counts, plain data only."""

from __future__ import annotations

import dataclasses

import pytest

from ldn_evidence.db import session_scope
from ldn_evidence.errors import InputError, NotFoundError
from ldn_evidence.export import FORMATS, render
from ldn_evidence.export.model import Report
from ldn_evidence.services.report import build_report
from tests.export.hostile import GENERATED_AT, LOOSE_CLAIM, SCRIPT_CLAIM, ExportDb


def _build(db: ExportDb, **filters: object) -> Report:
    with session_scope(db.engine) as session:
        return build_report(session=session, generated_at=GENERATED_AT, **filters)


def _plain(value: object, path: str = "report") -> None:
    """Only dataclasses, lists, dicts and scalars: no ORM object escapes the report."""
    if dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            _plain(getattr(value, f.name), f"{path}.{f.name}")
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            _plain(item, f"{path}[{i}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            _plain(item, f"{path}[{key!r}]")
    else:
        assert value is None or isinstance(value, str | int | float | bool), (path, value)


def test_report_is_plain_data(report: Report) -> None:
    _plain(report)
    assert report.schema == "ldn-evidence/3"
    assert report.generated_at == "2026-02-01T09:30:00+00:00"


def test_seed_document_claims_in_page_order(report: Report, export_db: ExportDb) -> None:
    seed = next(d for d in report.documents if d.id == export_db.seed_document_id)
    assert [c.position for c in seed.claims] == [1, 2, 3, 4, 5]
    assert seed.claims[4].figure_label == "nearly 30%"
    for claim in seed.claims:
        # every page reference cites every claim, in the page's reference order
        assert [c.origin for c in claim.citations] == ["page"] * 3
        assert [c.study.pmid if c.study else None for c in claim.citations] == [
            "23359310",
            "19453963",
            None,
        ]
        assert claim.citations[2].source_kind == "web"
    study = seed.claims[0].citations[0].study
    assert study is not None
    assert study.citation == (
        "Younger J, Noor N, McCue R, Mackey S. Low-dose naltrexone for the treatment of "
        "fibromyalgia: findings of a small, randomized, double-blind, placebo-controlled, "
        "counterbalanced, crossover trial assessing daily pain levels. Arthritis Rheum. "
        "2013;65(2):529-38. doi:10.1002/art.37734. PMID: 23359310"
    )
    assert study.record_version == "curated"
    assert study.url == "https://pubmed.ncbi.nlm.nih.gov/23359310/"


def test_summary_counts(report: Report) -> None:
    s = report.summary
    assert s.claims == 10  # 5 seed + 4 hostile page + 1 without a document
    assert s.citations == 15 + 6
    assert (s.supported, s.unsupported) == (1, 1)
    assert s.unchecked == 15 + 4
    assert s.unsourced == 1
    assert s.retracted_sources == 1


def test_ungraded_study_has_no_level(report: Report) -> None:
    twin = next(s for s in report.studies() if s.pmid == "90000003")
    assert twin.evidence_level is None


def test_retracted_study_flagged(report: Report, export_db: ExportDb) -> None:
    hostile = next(d for d in report.documents if d.id == export_db.document_id)
    script_claim = next(c for c in hostile.claims if c.text == SCRIPT_CLAIM)
    study = script_claim.citations[0].study
    assert study is not None and study.retracted and study.flags[0] == "retracted"


def test_unresolved_and_web_references(report: Report, export_db: ExportDb) -> None:
    hostile = next(d for d in report.documents if d.id == export_db.document_id)
    assert [r.status for r in hostile.unresolved_references] == ["not_found"]
    assert [r.kind for r in hostile.web_references] == ["web"]


def test_claims_without_document(report: Report) -> None:
    assert [c.text for c in report.claims_without_document] == [LOOSE_CLAIM]
    assert len(report.studies()) == 5  # deduplicated by PMID


def test_filter_document(export_db: ExportDb) -> None:
    report = _build(export_db, document_ids=[export_db.seed_document_id])
    assert [d.id for d in report.documents] == [export_db.seed_document_id]
    assert report.claims_without_document == []
    assert report.summary.claims == 5
    assert report.filters.document_ids == [export_db.seed_document_id]


def test_filter_claims(export_db: ExportDb) -> None:
    ids = [export_db.formula_claim_id, export_db.loose_claim_id]
    report = _build(export_db, claim_ids=ids)
    assert sorted(c.id for c in report.all_claims()) == sorted(ids)
    assert [d.id for d in report.documents] == [export_db.document_id]


def test_filter_verdict_keeps_only_matching_pairs(export_db: ExportDb) -> None:
    report = _build(export_db, verdict="supported")
    claims = list(report.all_claims())
    assert [c.id for c in claims] == [export_db.formula_claim_id]
    assert [c.verdict for c in claims[0].citations] == ["supported"]
    assert report.summary.citations == 1


def test_filter_pmids(export_db: ExportDb) -> None:
    report = _build(export_db, pmids=["19453963"])
    claims = list(report.all_claims())
    assert len(claims) == 5
    assert {c.study.pmid for claim in claims for c in claim.citations if c.study} == {"19453963"}
    assert [s.pmid for s in report.studies()] == ["19453963"]


@pytest.mark.parametrize(
    ("filters", "error", "message"),
    [
        ({"document_ids": [999]}, NotFoundError, "no document with id 999"),
        ({"claim_ids": [1, 998, 999]}, NotFoundError, "no claim with id 998, 999"),
        ({"pmids": ["12345"]}, NotFoundError, "no study or reference with PMID 12345"),
        ({"pmids": ["PMC123"]}, InputError, "not a PMID"),
        ({"verdict": "maybe"}, InputError, "unknown verdict 'maybe'"),
    ],
)
def test_bad_filters(
    export_db: ExportDb, filters: dict[str, object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        _build(export_db, **filters)


def test_empty_database(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from ldn_evidence.db import ensure_schema, make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    ensure_schema(engine)
    with session_scope(engine) as session:
        report = build_report(session=session)
    assert report.documents == [] and report.claims_without_document == []
    assert report.summary.claims == 0
    for fmt in FORMATS:
        assert isinstance(render(report, fmt), bytes), fmt
    assert render(report, "ris") == b""
    with pytest.raises(InputError, match="unknown export format 'pdf'"):
        render(report, "pdf")
    engine.dispose()
