"""A streamed report's claims read as plain rows: `claim_entries` builds the same
`ClaimEntry` views as `report.claim_entry`, from a few Core statements per batch of claims
(the claims, their citations, references and cited studies, the studies' authors,
publication types, links and Retraction Watch notices) instead of ORM entities, whose
loading cost more than anything else in an export.

The rows are shaped as the entities are (`_Record`: the same attribute names), so the views
are made by the one set of builders (`views.claim_fields`, `views.citation_fields`,
`views.reference_entry`, `report.study_record`) whichever way the rows were read; a test
holds the streamed report identical to `build_report`'s in every format.

A study's record is made once per export while it stays among the last `STUDY_CACHE` made
(`StudyRecords`): a study cited by many claims of a page is read and worked out once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import Select, bindparam, func, or_, select
from sqlalchemy.orm import Session

from ldn_evidence.models import Citation, Claim, PublicationTypeRow, Reference, Study
from ldn_evidence.models.documents import CLAIM_DATA_COLUMNS
from ldn_evidence.models.retractions import RetractionNotice
from ldn_evidence.models.studies import StudyAuthor, StudyLinkRow, study_publication_types
from ldn_evidence.services.evidence_runs import latest_evidence_for
from ldn_evidence.services.report import _keep, _order, study_record
from ldn_evidence.services.views import (
    citation_fields,
    claim_fields,
    figure_label,
    reference_entry,
)
from ldn_evidence.viewmodel import CitationEntry, ClaimEntry, ReferenceEntry, StudyRecord
from ldn_evidence.vocab import citation_origin_label

STUDY_CACHE = 1024  # study records kept between batches (a few KB each: ~4 MB in all)


class _Record:
    """A row read by attribute, as the entity of the same columns reads: what the view
    builders are given in place of a `Claim`, `Citation`, `Reference` or `Study`."""

    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)

    @classmethod
    def rows(cls, result: Any, **more: Any) -> Iterator[Any]:
        """A record of each row of `result`, with `more` (each a factory: list)."""
        keys = list(result.keys())
        new = cls.__new__
        for row in result:
            record = new(cls)
            record.__dict__ = dict(zip(keys, row, strict=True))
            for name, factory in more.items():
                record.__dict__[name] = factory()
            yield record

    def __getattr__(self, name: str) -> Any:  # only for a name never set: typed as Any
        raise AttributeError(name)


class _Author(_Record):
    display_name = StudyAuthor.display_name  # the entity's own rule, read off the row


def _columns(entity: Any, *names: str) -> list[Any]:
    """The entity's table columns (a Core select: rows, no ORM loading on the way)."""
    table = entity.__table__
    return [table.c[name] for name in names]


def _ids() -> Any:
    return bindparam("ids", expanding=True)  # a list of ids given at each execution


_CLAIM = _columns(Claim, "id", "document_id", "text", *CLAIM_DATA_COLUMNS)
_CITATION = _columns(
    Citation,
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
_REFERENCE = _columns(
    Reference, "id", "position", "raw", "kind", "url", "title", "pmid", "doi", "status", "error"
)
_STUDY = _columns(
    Study,
    "id",
    "pmid",
    "doi",
    "pmcid",
    "title",
    "abstract",
    "journal_title",
    "journal_iso",
    "issn",
    "pub_year",
    "pub_date",
    "volume",
    "issue",
    "pages",
    "language",
    "evidence_level",
    "retracted",
    "origin",
    "raw_sha256",
)
_AUTHOR = _columns(StudyAuthor, "study_id", "last_name", "fore_name", "initials", "collective_name")

# The statements, made once (their SQL is compiled once, and cached by SQLAlchemy).
_claims, _citations, _references_, _studies_ = (
    Claim.__table__.c,
    Citation.__table__.c,
    Reference.__table__.c,
    Study.__table__.c,
)
_CLAIMS = select(*_CLAIM).where(_claims.id.in_(_ids()))
_CITATIONS = select(*_CITATION).where(_citations.claim_id.in_(_ids())).order_by(_citations.id)
_REFERENCES = select(*_REFERENCE).where(_references_.id.in_(_ids()))
_PAGE_REFERENCES = (  # `SourceDocument.references`: by position, as the relationship orders them
    select(*_REFERENCE)
    .where(_references_.document_id == bindparam("document_id"))
    .order_by(_references_.position)
)
_STUDIES = select(*_STUDY).where(_studies_.id.in_(_ids()))
_authors, _links, _types, _kinds, _notices = (
    StudyAuthor.__table__.c,
    StudyLinkRow.__table__.c,
    study_publication_types.c,
    PublicationTypeRow.__table__.c,
    RetractionNotice.__table__.c,
)
_AUTHORS = (
    select(*_AUTHOR)
    .where(_authors.study_id.in_(_ids()))
    .order_by(_authors.study_id, _authors.position)
)
_TYPES = (
    select(_types.study_id, _kinds.name)
    .join_from(
        study_publication_types,
        PublicationTypeRow.__table__,
        _kinds.id == _types.publication_type_id,
    )
    .where(_types.study_id.in_(_ids()))
    .order_by(_types.study_id, _kinds.name)
)
_LINKS = (
    select(_links.study_id, _links.ref_type)
    .where(_links.study_id.in_(_ids()))
    .order_by(_links.study_id, _links.position)
)
# `Study.retraction_notices`: matched by PMID or DOI, in the relationship's order
_NOTICES = (
    select(_studies_.id, _notices.notice_date, _notices.record_id, _notices.nature)
    .join_from(
        Study.__table__,
        RetractionNotice.__table__,
        or_(
            _studies_.pmid == _notices.original_pmid,
            func.lower(_studies_.doi) == _notices.original_doi,
        ),
    )
    .where(_studies_.id.in_(_ids()))
    .order_by(_studies_.id, _notices.notice_date, _notices.record_id)
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


def id_batches(*, session: Session, query: Select[Any], size: int) -> Iterator[Sequence[int]]:
    """The ids `query` selects (ordered), `size` at a time, read from one cursor."""
    result = session.execute(query.execution_options(yield_per=size))
    yield from result.scalars().partitions(size)


def claim_entries(
    *,
    session: Session,
    ids: Sequence[int],
    verdict: str | None,
    pmids: set[str] | None,
    records: StudyRecords,
    detail: bool = True,
) -> list[ClaimEntry]:
    """The claims with these ids, in this order, as `report.claim_entry` makes them with the
    citations `report._keep` keeps (a claim left with none is dropped when `verdict` or
    `pmids` select claim–source pairs), each with its last `evidence` run."""
    claims = list(_Record.rows(session.execute(_CLAIMS, {"ids": list(ids)}), citations=list))
    by_id = {c.id: c for c in claims}
    citations = list(_Record.rows(session.execute(_CITATIONS, {"ids": list(ids)})))
    references = _references(session, {c.reference_id for c in citations} - {None})
    studies = study_records(
        session=session, ids={c.study_id for c in citations}, records=records, detail=detail
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
    evidence = latest_evidence_for(session=session, claim_ids=[c.id for c, _ in selected])
    return [
        ClaimEntry(
            **claim_fields(claim),  # type: ignore[arg-type]  # a _Record shaped as a Claim
            figure_label=figure_label(claim),  # type: ignore[arg-type]
            citations=[_citation_entry(c) for c in sorted(kept, key=_order)],  # type: ignore[arg-type]
            stronger_evidence=evidence.get(claim.id),
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


def document_references(*, session: Session, document_id: int) -> list[ReferenceEntry]:
    """`views.reference_entry` of each of the page's references, in `SourceDocument.references`
    order (by position, as the relationship loads them)."""
    rows = session.execute(_PAGE_REFERENCES, {"document_id": document_id})
    return [reference_entry(ref) for ref in _Record.rows(rows)]


def _references(
    session: Session, ids: set[int | None]
) -> dict[int | None, tuple[_Record | None, ReferenceEntry | None]]:
    found: dict[int | None, tuple[_Record | None, ReferenceEntry | None]] = {}
    if not ids:
        return found
    for ref in _Record.rows(session.execute(_REFERENCES, {"ids": list(ids)})):
        found[ref.id] = (ref, reference_entry(ref))  # type: ignore[arg-type]
    return found


def study_records(
    *,
    session: Session,
    ids: Iterable[int | None],
    records: StudyRecords | None = None,
    detail: bool = True,
) -> dict[int | None, StudyRecord]:
    """Each study's record (`report.study_record`): from `records`, or read as rows (with
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
    each = {"ids": wanted}
    parts = {"authors": list, "publication_types": list, "links": list}
    studies = {
        s.id: s
        for s in _Record.rows(session.execute(_STUDIES, each), **parts, retraction_notices=list)
    }
    for author in _Author.rows(session.execute(_AUTHORS, each)):
        studies[author.study_id].authors.append(author)
    for study_id, name in session.execute(_TYPES, each):
        studies[study_id].publication_types.append(_Record(name=name))
    for study_id, ref_type in session.execute(_LINKS, each):
        studies[study_id].links.append(_Record(ref_type=ref_type))
    for study_id, notice_date, record_id, nature in session.execute(_NOTICES, each):
        studies[study_id].retraction_notices.append(
            _Record(notice_date=notice_date, record_id=record_id, nature=nature)
        )
    for study_id, study in studies.items():
        record = study_record(study, detail=detail)  # type: ignore[arg-type]  # shaped as a Study
        records.add(study_id, record)
        found[study_id] = record
    return found
