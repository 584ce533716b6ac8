"""A streamed report's claims read as plain rows: `claim_entries` builds the same
`ClaimEntry` views as `entries.claim_entry`, from a few Core statements per batch of claims
(the claims, their citations, references and cited studies, the studies' authors,
publication types, links and Retraction Watch notices) instead of ORM entities, whose
loading cost more than anything else in an export.

The rows are shaped as the entities are (`rows.Record`: the same attribute names), so the views
are made by the one set of builders (`views.claim_fields`, `views.citation_fields`,
`views.reference_entry`, `entries.study_record`) whichever way the rows were read; a test
holds the streamed report identical to `build_report`'s in every format.

A study's record is made once per export while it stays among the last `STUDY_CACHE` made
(`StudyRecords`): a study cited by many claims of a page is read and worked out once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import fields

from sqlalchemy import Connection, bindparam, select

from ldn_evidence.models import tables
from ldn_evidence.models.tables import CLAIM_DATA_COLUMNS
from ldn_evidence.services.entries import _keep, _order, study_record
from ldn_evidence.services.evidence_runs import latest_evidence_for
from ldn_evidence.services.rows import Record as _Record
from ldn_evidence.services.rows import cited_studies, columns
from ldn_evidence.services.rows import ids as _ids
from ldn_evidence.services.study_cells import stored_derived
from ldn_evidence.services.views import (
    citation_fields,
    claim_fields,
    figure_label,
    reference_entry,
)
from ldn_evidence.viewmodel import CitationEntry, ClaimEntry, ReferenceEntry, StudyRecord
from ldn_evidence.vocab import citation_origin_label

STUDY_CACHE = 1024  # study records kept between batches (a few KB each: ~4 MB in all)


_CLAIM = columns(tables.claims, "id", "document_id", "text", *CLAIM_DATA_COLUMNS)
_CITATION = columns(
    tables.citations,
    "id",
    "claim_id",
    "study_id",
    "reference_id",
    "origin",
    "verdict",
    "verdict_origin",
    "study_figure",
    "evidence_sentence",
    "evidence_location",
    "reason",
    "note",
    "checked_at",
    "checked_by",
    "checked_record_sha256",
)
_REFERENCE = columns(
    tables.references,
    "id",
    "position",
    "raw",
    "kind",
    "url",
    "title",
    "pmid",
    "doi",
    "status",
    "error",
)

# The statements, made once (their SQL is compiled once, and cached by SQLAlchemy).
_claims, _citations, _references_ = tables.claims.c, tables.citations.c, tables.references.c
_CLAIMS = select(*_CLAIM).where(_claims.id.in_(_ids()))
_CITATIONS = select(*_CITATION).where(_citations.claim_id.in_(_ids())).order_by(_citations.id)
_REFERENCES = select(*_REFERENCE).where(_references_.id.in_(_ids()))
_PAGE_REFERENCES = (  # `SourceDocument.references`: by position, as the relationship orders them;
    # `ReferenceEntry`'s fields in their order (`views.reference_entry` made from the row)
    select(*columns(tables.references, *(f.name for f in fields(ReferenceEntry))))
    .where(_references_.document_id == bindparam("document_id"))
    .order_by(_references_.position)
)


class StudyRecords:
    """Study records by study id, the last `size` made kept (oldest dropped first)."""

    def __init__(self, size: int = STUDY_CACHE) -> None:
        self.size = size
        self.records: dict[int, StudyRecord] = {}

    def get(self, study_id: int) -> StudyRecord | None:
        return self.records.get(study_id)

    def add(self, study_id: int, record: StudyRecord) -> None:
        records = self.records
        records[study_id] = record
        while len(records) > self.size:
            del records[next(iter(records))]


def claim_entries(
    *,
    conn: Connection,
    ids: Sequence[int],
    verdict: str | None,
    pmids: set[str] | None,
    records: StudyRecords,
    detail: bool = True,
    evidence: bool = True,
) -> list[ClaimEntry]:
    """The claims with these ids, in this order, as `entries.claim_entry` makes them with the
    citations `entries._keep` keeps (a claim left with none is dropped when `verdict` or
    `pmids` select claim–source pairs), each with its last `evidence` run. `evidence`:
    False when the database holds no evidence run at all (none is looked for)."""
    claims = list(_Record.rows(conn.execute(_CLAIMS, {"ids": list(ids)}), citations=list))
    by_id = {c.id: c for c in claims}
    citations = list(_Record.rows(conn.execute(_CITATIONS, {"ids": list(ids)})))
    references = _references(conn, {c.reference_id for c in citations} - {None})
    studies = study_records(
        conn=conn, ids={c.study_id for c in citations}, records=records, detail=detail
    )
    none = (None, None)
    for c in citations:
        values = c.__dict__
        values["study"] = studies.get(c.study_id)  # its record: `_keep` reads its PMID
        values["reference"], values["reference_view"] = references.get(c.reference_id, none)
        by_id[c.claim_id].citations.append(c)
    pair_filter = verdict is not None or pmids is not None
    selected = []
    for claim in (by_id[i] for i in ids if i in by_id):
        kept = [c for c in claim.citations if _keep(c, verdict, pmids)]  # type: ignore[arg-type]
        if not pair_filter or kept:
            selected.append((claim, kept))
    runs = latest_evidence_for(db=conn, claim_ids=[c.id for c, _ in selected]) if evidence else {}
    return [
        ClaimEntry(
            **claim_fields(claim),  # type: ignore[arg-type]  # a _Record shaped as a Claim
            figure_label=figure_label(claim),  # type: ignore[arg-type]
            citations=[_citation_entry(c) for c in sorted(kept, key=_order)],  # type: ignore[arg-type]
            stronger_evidence=runs.get(claim.id),
        )
        for claim, kept in selected
    ]


def _citation_entry(citation: _Record) -> CitationEntry:
    return CitationEntry(
        **citation_fields(citation),  # type: ignore[arg-type]  # a _Record shaped as a Citation
        origin_label=citation_origin_label(citation.origin),
        reference=citation.reference_view,
        study=citation.study,
    )


def document_references(*, conn: Connection, document_id: int) -> list[ReferenceEntry]:
    """`views.reference_entry` of each of the page's references, in `SourceDocument.references`
    order (by position, as the relationship loads them), each made from its row's values."""
    return [
        ReferenceEntry(*row) for row in conn.execute(_PAGE_REFERENCES, {"document_id": document_id})
    ]


def _references(
    conn: Connection, ids: set[int | None]
) -> dict[int | None, tuple[_Record | None, ReferenceEntry | None]]:
    found: dict[int | None, tuple[_Record | None, ReferenceEntry | None]] = {}
    if not ids:
        return found
    for ref in _Record.rows(conn.execute(_REFERENCES, {"ids": list(ids)})):
        found[ref.id] = (ref, reference_entry(ref))  # type: ignore[arg-type]
    return found


def study_records(
    *,
    conn: Connection,
    ids: Iterable[int | None],
    records: StudyRecords | None = None,
    detail: bool = True,
) -> dict[int | None, StudyRecord]:
    """Each study's record (`entries.study_record`): from `records`, or read as rows (with
    its authors, publication types, links and notices) and made, and kept in `records`."""
    if records is None:
        records = StudyRecords(size=0)
    found: dict[int | None, StudyRecord] = {}
    wanted: list[int] = []
    for study_id in ids:
        if study_id is None:
            continue
        record = records.get(study_id)
        if record is None:
            wanted.append(study_id)
        else:
            found[study_id] = record
    if not wanted:
        return found
    studies = cited_studies(conn, wanted)
    derived = stored_derived(conn, studies) if detail else {}  # made when it was cited
    for study_id, study in studies.items():
        record = study_record(study, detail=detail, derived=derived.get(study_id))  # type: ignore[arg-type]  # shaped as a Study
        records.add(study_id, record)
        found[study_id] = record
    return found
