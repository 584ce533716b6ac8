"""The report read as it is rendered: `report_stream` gives a `viewmodel.ReportStream`
whose documents and claims are read from the database a batch at a time (`Rows`), so an
export of 100,000 claims holds one batch, not the whole report.

It shows exactly what `services.report.build_report` shows, with the same filters and
order: the summary comes from counts in SQL (`report_summary`), each document's red flags
from its claims as they stream by (`red_flags.PageFlags`), and the red flags section at
the top of the HTML and Markdown reports from a pass of its own.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select
from sqlalchemy.orm import Session, defer, selectinload

from ldn_evidence.errors import NotFoundError
from ldn_evidence.models import (
    Citation,
    Claim,
    PublicationTypeRow,
    Reference,
    SourceDocument,
    Study,
)
from ldn_evidence.models.retractions import RetractionNotice
from ldn_evidence.models.studies import StudyLinkRow
from ldn_evidence.services.claims import BATCH_SIZE
from ldn_evidence.services.red_flags import PageFlags, skipped_sentences
from ldn_evidence.services.report import _check_claims, _check_pmids, _unique
from ldn_evidence.services.report_cited import STUDY_BATCH, cited_studies, study_names
from ldn_evidence.services.report_rows import (
    StudyRecords,
    claim_entries,
    document_references,
    id_batches,
)
from ldn_evidence.services.verdicts import check_verdict
from ldn_evidence.services.views import document_brief, study_flags
from ldn_evidence.viewmodel import (
    SCHEMA,
    ClaimEntry,
    DocumentEntry,
    Filters,
    Later,
    RedFlag,
    ReportStream,
    Rows,
    Summary,
    extend,
)
from ldn_evidence.vocab import (
    NOT_IN_ABSTRACT,
    PARTIALLY_SUPPORTED,
    SUPPORTED,
    UNCHECKED,
    UNSUPPORTED_VERDICTS,
)

_ORDER = (Claim.position, Claim.id)  # a page's claims, as `claims list` sorts them


class _Selection:
    """The claims and claim–source pairs the filters select, as SQL conditions."""

    def __init__(
        self,
        doc_ids: list[int],
        claim_ids: list[int],
        verdict: str | None,
        pmids: set[str] | None,
    ) -> None:
        self.doc_ids = doc_ids
        self.claim_ids = claim_ids
        self.verdict = verdict
        self.pmids = pmids
        self.pair_filter = verdict is not None or pmids is not None
        self.narrowed = bool(claim_ids) or self.pair_filter
        pair: list[ColumnElement[bool]] = []
        if verdict is not None:
            pair.append(Citation.verdict == verdict)
        if pmids is not None:
            by_study = Citation.study_id.in_(select(Study.id).where(Study.pmid.in_(pmids)))
            by_reference = and_(
                Citation.study_id.is_(None),
                Citation.reference_id.in_(select(Reference.id).where(Reference.pmid.in_(pmids))),
            )
            pair.append(or_(by_study, by_reference))
        self.pair: list[ColumnElement[bool]] = pair
        claims: list[ColumnElement[bool]] = []
        if claim_ids:
            claims.append(Claim.id.in_(claim_ids))
        if self.pair_filter:
            claims.append(exists().where(Citation.claim_id == Claim.id, *pair))
        self.claims: list[ColumnElement[bool]] = claims

    def in_report(self) -> list[ColumnElement[bool]]:
        """Every claim the report holds: of the chosen documents, or of all and none."""
        if self.doc_ids:
            return [Claim.document_id.in_(self.doc_ids), *self.claims]
        return list(self.claims)

    def of_document(self, document_id: int | None) -> Select[int]:
        where = (
            Claim.document_id.is_(None) if document_id is None else Claim.document_id == document_id
        )
        return select(Claim.id).where(where, *self.claims).order_by(*_ORDER)


def report_stream(
    *,
    session: Session,
    document_ids: Sequence[int] | None = None,
    claim_ids: Sequence[int] | None = None,
    verdict: str | None = None,
    pmids: Sequence[str] | None = None,
    generated_at: datetime | None = None,
    batch_size: int = BATCH_SIZE,
    inline_flags: bool = True,
    detail: bool = True,
) -> ReportStream:
    """`build_report`'s report, streamed: the same arguments, checks and errors, read
    again on each pass and `batch_size` claims at a time. Valid while `session` is open.

    `inline_flags`: a document's red flags are worked out as its claims are read (the
    JSON export reads them after the claims); without, they cost nothing until read, and
    then a pass of their own (the CSV export and the bibliographies never read them).
    `detail`: each study's design, modifiers and level rule are worked out
    (`entries.study_record`); the bibliographies, which show none of them, pass False."""
    doc_ids = _unique(document_ids)
    wanted = _unique(claim_ids)
    pmid_set = _check_pmids(session, pmids)
    if verdict is not None:
        check_verdict(verdict)
    documents = _documents(session, doc_ids)
    if wanted:
        _check_claims(session, wanted)
    sel = _Selection(doc_ids, wanted, verdict, pmid_set)
    counts = _claim_counts(session, sel)
    if sel.narrowed and not doc_ids:
        documents = [d for d in documents if counts.get(d.id)]

    records = StudyRecords()  # a study cited again within the export is made once

    def claims_of(document_id: int | None) -> Iterator[ClaimEntry]:
        query = sel.of_document(document_id)
        for ids in id_batches(session=session, query=query, size=batch_size):
            yield from claim_entries(
                session=session,
                ids=ids,
                verdict=verdict,
                pmids=pmid_set,
                records=records,
                detail=detail,
            )

    def entries() -> Iterator[DocumentEntry]:
        for doc in documents:
            yield _document_entry(
                session,
                doc,
                counts.get(doc.id, 0),
                claims_of,
                whole_page=not sel.narrowed,
                inline_flags=inline_flags,
            )

    def flagged() -> list[DocumentEntry]:
        out = []
        for doc in entries():  # red_flags reads the page's claims, collecting
            flags = list(doc.red_flags)
            if flags:
                out.append(extend(doc, DocumentEntry, claims=[], red_flags=flags))
        return out

    loose = 0 if doc_ids else counts.get(None, 0)
    cited_from = [*(d.id for d in documents), *([None] if loose else [])]
    stamp = (generated_at or datetime.now(UTC)).astimezone(UTC)
    return ReportStream(
        schema=SCHEMA,
        generated_at=stamp.isoformat(timespec="seconds"),
        filters=Filters(
            document_ids=doc_ids or None,
            claim_ids=wanted or None,
            verdict=verdict,
            pmids=sorted(pmid_set) if pmid_set is not None else None,
        ),
        summary=report_summary(session, sel),
        documents=Rows(len(documents), entries),
        claims_without_document=Rows(loose, lambda: claims_of(None) if loose else iter(())),
        flagged=flagged,
        study_count=_study_count(session, sel),
        cited_studies=lambda: cited_studies(
            session=session,
            sel=sel,
            documents=cited_from,
            detail=detail,
            batch_size=min(batch_size, STUDY_BATCH),
        ),
        cited_names=lambda: study_names(
            session=session, sel=sel, documents=cited_from, batch_size=batch_size
        ),
    )


def _documents(session: Session, ids: list[int]) -> list[SourceDocument]:
    """The documents in report order (all by id, or the chosen ones in the order given;
    NotFoundError names any unknown id), without their page text or references (read one
    page at a time, `_document_entry`)."""
    query = select(SourceDocument).options(defer(SourceDocument.text))
    if not ids:
        return list(session.scalars(query.order_by(SourceDocument.id)))
    docs = {d.id: d for d in session.scalars(query.where(SourceDocument.id.in_(ids)))}
    missing = [str(i) for i in ids if i not in docs]
    if missing:
        raise NotFoundError(f"no document with id {', '.join(missing)}")
    return [docs[i] for i in ids]


def _claim_counts(session: Session, sel: _Selection) -> dict[int | None, int]:
    """Selected claims per document id (None: claims without a document)."""
    query = (
        select(Claim.document_id, func.count()).where(*sel.in_report()).group_by(Claim.document_id)
    )
    return {doc_id: n for doc_id, n in session.execute(query)}


def _document_entry(
    session: Session,
    doc: SourceDocument,
    count: int,
    claims_of: Any,
    *,
    whole_page: bool,
    inline_flags: bool = True,
) -> DocumentEntry:
    """The page with its claims as `Rows` and its red flags known once they are read."""
    references = document_references(session=session, document_id=doc.id)  # views, no rows
    collector: list[PageFlags] = []

    def claims(collect: bool = inline_flags) -> Iterator[ClaimEntry]:
        page = PageFlags()
        for claim in claims_of(doc.id):
            if collect:
                page.add(claim)
            yield claim
        if collect:
            collector[:] = [page]

    def red_flags() -> list[RedFlag]:
        if not collector:
            for _ in claims(collect=True):
                pass
        skipped = []
        if whole_page:
            texts = session.execute(
                select(Claim.text)
                .where(Claim.document_id == doc.id)
                .execution_options(yield_per=BATCH_SIZE)
            ).scalars()
            skipped = skipped_sentences(doc.text, texts)
            session.expire(doc, ["text"])
        return collector[0].flags(references, skipped, whole_page=whole_page)

    return extend(
        document_brief(doc),
        DocumentEntry,
        references=references,
        claims=Rows(count, claims),
        red_flags=Later(red_flags),
    )


def report_summary(session: Session, sel: _Selection) -> Summary:
    """`services.report.summarise` of the selected claims, counted in SQL."""
    selected = select(Claim.id).where(*sel.in_report())
    claims = session.scalar(select(func.count()).select_from(selected.subquery())) or 0
    pairs = (Citation.claim_id.in_(selected), *sel.pair)
    by_verdict = select(Citation.verdict, func.count()).where(*pairs).group_by(Citation.verdict)
    verdicts = {verdict: n for verdict, n in session.execute(by_verdict)}
    unsourced = (
        session.scalar(
            select(func.count()).where(
                Claim.id.in_(selected),
                Claim.figure_value.is_not(None),
                ~exists().where(Citation.claim_id == Claim.id),
            )
        )
        or 0
    )
    return Summary(
        claims=claims,
        citations=sum(verdicts.values()),
        supported=verdicts.get(SUPPORTED, 0),
        partially_supported=verdicts.get(PARTIALLY_SUPPORTED, 0),
        unsupported=sum(verdicts.get(v, 0) for v in UNSUPPORTED_VERDICTS),
        not_in_abstract=verdicts.get(NOT_IN_ABSTRACT, 0),
        unchecked=verdicts.get(UNCHECKED, 0),
        unsourced=unsourced,
        retracted_sources=_retracted_sources(session, pairs),
    )


def _study_count(session: Session, sel: _Selection) -> int:
    selected = select(Claim.id).where(*sel.in_report())
    query = select(func.count(func.distinct(Citation.study_id))).where(
        Citation.claim_id.in_(selected), *sel.pair
    )
    return session.scalar(query) or 0


def _retracted_sources(session: Session, pairs: tuple[ColumnElement[bool], ...]) -> int:
    """Distinct cited studies flagged retracted (`views.study_flags`): the few studies that
    may be are found in SQL, then flagged as every view flags them."""
    cited = select(Citation.study_id).where(*pairs, Citation.study_id.is_not(None))
    maybe = (
        select(Study)
        .options(
            defer(Study.raw_xml),
            defer(Study.abstract),
            selectinload(Study.publication_types),
            selectinload(Study.links),
            selectinload(Study.retraction_notices),
        )
        .where(
            Study.id.in_(cited),
            or_(
                Study.retracted.is_(True),
                Study.publication_types.any(PublicationTypeRow.name == "Retracted Publication"),
                Study.links.any(StudyLinkRow.ref_type == "RetractionIn"),
                Study.retraction_notices.any(RetractionNotice.id.is_not(None)),
            ),
        )
    )
    return sum(1 for study in session.scalars(maybe) if "retracted" in study_flags(study))
