"""A streamed report's cited studies (`services.report_cited`, `ReportStream.cited`): the
studies and notes `Report.cited` finds in a report built whole, in the same order, read in
SQL a batch of studies at a time without building any claim's entry, so a bibliography
holds a batch of studies, not one per cited study."""

from __future__ import annotations

import random
import weakref
from typing import Any

import pytest
from sqlalchemy import Engine, select

from ldn_evidence.db import read_scope, session_scope
from ldn_evidence.export import EXPORT_FORMATS, render, render_chunks
from ldn_evidence.models import Citation, Claim, Reference, SourceDocument, Study, StudyAuthor
from ldn_evidence.services import report_rows
from ldn_evidence.services import report_stream as report_stream_module
from ldn_evidence.services.entries import study_record
from ldn_evidence.services.report import build_report
from ldn_evidence.services.report_cited import IdBits
from ldn_evidence.services.report_stream import report_stream
from ldn_evidence.viewmodel import StudyName, StudyRecord
from tests.export.hostile import GENERATED_AT

BIBLIOGRAPHIES = [f.name for f in EXPORT_FORMATS if f.bibliography]
VERDICTS = ["unchecked", "supported", "partially_supported", "not_supported", "contradicted"]


def _random_db(engine: Engine, seed: int = 15) -> tuple[list[int], list[int], list[str]]:
    """Pages citing a shared pool of studies in a tangle: studies cited by several claims
    of several pages, claims without a position or a page, citations with and without a
    reference (and references without a position), reviewer verdicts, and studies whose
    citation keys collide."""
    rng = random.Random(seed)
    with session_scope(engine) as session:
        studies = []
        for n in range(40):
            study = Study(
                pmid=str(30000000 + n),
                title=rng.choice(["Naltrexone for pain.", "The sleep trial", "Low-dose LDN"]),
                pub_year=rng.choice([2019, 2020, None]),
                journal_title="Pain",
                abstract=f"Abstract {n}.",
                origin="efetch",
            )
            study.authors = [
                StudyAuthor(position=0, last_name=rng.choice(["Younger", "Müller", "Ng"]))
            ]
            studies.append(study)
        session.add_all(studies)
        docs = [SourceDocument(title=f"Page {n}", url=f"https://example.org/{n}") for n in range(5)]
        session.add_all(docs)
        session.flush()
        for doc in [*docs, None]:
            references = [
                Reference(
                    document=doc,
                    position=rng.choice([None, *range(1, 9)]),
                    raw=f"ref {i}",
                    kind="pubmed",
                    status="resolved",
                )
                for i in range(6)
            ]
            session.add_all(references)
            for c in range(rng.randint(3, 9)):
                claim = Claim(
                    document=doc,
                    position=rng.choice([None, *range(1, 7)]),
                    text=f"Claim {c} of {doc.title if doc else 'no page'}: LDN helps",
                )
                session.add(claim)
                cited = rng.sample(studies, rng.randint(0, 4))
                refs = [rng.choice([None, r]) for r in rng.sample(references, len(cited))]
                for study, reference in zip(cited, refs, strict=True):
                    reviewer = rng.random() < 0.3
                    session.add(
                        Citation(
                            claim=claim,
                            study=study,
                            reference=reference,
                            origin="page",
                            verdict=rng.choice(VERDICTS),
                            verdict_origin="reviewer" if reviewer else "automatic",
                            checked_by=rng.choice([None, "A. Pharmacist"]) if reviewer else None,
                            reason=rng.choice([None, "the abstract says so"]),
                            note=rng.choice([None, "see table 2"]),
                        )
                    )
                session.flush()
        doc_ids = [d.id for d in docs]
        claim_ids = list(session.scalars(select(Claim.id)))
        pmids = [s.pmid for s in rng.sample(studies, 3)]
    return doc_ids, rng.sample(claim_ids, 7), pmids


def _filters(doc_ids: list[int], claim_ids: list[int], pmids: list[str]) -> list[dict[str, Any]]:
    return [
        {},
        {"verdict": "supported"},
        {"pmids": pmids},
        {"document_ids": doc_ids[::-1][:3]},  # not in id order: the given order
        {"document_ids": [doc_ids[4], doc_ids[0], doc_ids[2]], "verdict": "unchecked"},
        {"claim_ids": claim_ids[:4]},
        {"claim_ids": claim_ids[3:], "pmids": pmids},
    ]


@pytest.mark.slow
def test_streamed_cited_studies_are_the_reports(engine: Engine) -> None:
    """On SQLite and PostgreSQL (which sort a claim without a position apart)."""
    doc_ids, claim_ids, pmids = _random_db(engine)
    studies = []
    for filters in _filters(doc_ids, claim_ids, pmids):
        with session_scope(engine) as session:
            whole = build_report(session=session, generated_at=GENERATED_AT, **filters)
            expected = list(whole.cited())
            rendered = {fmt: render(whole, fmt) for fmt in BIBLIOGRAPHIES}
        studies.append(len(expected))
        for batch_size in (1, 3, 1000):
            with read_scope(engine) as conn:
                stream = report_stream(
                    conn=conn,
                    generated_at=GENERATED_AT,
                    batch_size=batch_size,
                    **filters,
                )
                assert list(stream.cited()) == expected, (filters, batch_size)
                names = [StudyName.of(c.study) for c in expected]
                assert list(stream.study_names()) == names
                for fmt in BIBLIOGRAPHIES:
                    streamed = b"".join(render_chunks(stream, fmt))
                    assert streamed == rendered[fmt], (fmt, filters, batch_size)
    assert studies[0] > 20 and sum(n > 0 for n in studies) >= 5, studies


@pytest.mark.slow
def test_a_bibliography_holds_a_batch_of_studies(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Written from a stream, a bibliography builds no claim entry, and while it is
    written no more than a batch or two of studies is alive, however many it cites."""
    _random_db(engine)
    alive: set[int] = set()
    most = 0

    def no_claims(*_: Any, **__: Any) -> Any:
        raise AssertionError("a bibliography read a claim's entry")

    def counted(study: Any, **kw: Any) -> StudyRecord:
        nonlocal most
        record = study_record(study, **kw)
        alive.add(id(record))
        weakref.finalize(record, alive.discard, id(record))
        most = max(most, len(alive))
        return record

    monkeypatch.setattr(report_stream_module, "claim_entries", no_claims)
    monkeypatch.setattr(report_rows, "study_record", counted)  # the cited studies' records
    for fmt in BIBLIOGRAPHIES:
        with read_scope(engine) as conn:
            stream = report_stream(conn=conn, generated_at=GENERATED_AT, batch_size=3, detail=False)
            chunks = sum(1 for _ in render_chunks(stream, fmt))
            assert stream.study_count > 20
        assert chunks >= stream.study_count
        assert 0 < most <= 2 * 3, fmt
        assert not alive


def test_id_bits_is_a_set_of_ids() -> None:
    rng = random.Random(15)
    bits, ids = IdBits(), set()
    for _ in range(5000):
        row_id = rng.choice([rng.randrange(64), rng.randrange(10**6)])
        assert bits.add(row_id) == (row_id not in ids)
        ids.add(row_id)
