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

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    and_,
    bindparam,
    exists,
    func,
    or_,
    select,
    union,
)

from ldn_evidence.errors import NotFoundError
from ldn_evidence.models import tables
from ldn_evidence.services.checks import check_claims, check_pmids, check_verdict, unique
from ldn_evidence.services.claim_query import BATCH_SIZE
from ldn_evidence.services.red_flags import PageFlags, skipped_sentences
from ldn_evidence.services.report_cited import STUDY_BATCH, cited_studies, study_names
from ldn_evidence.services.report_flat import flat_lines
from ldn_evidence.services.report_flat_json import FlatJson, present
from ldn_evidence.services.report_rows import StudyRecords, claim_entries, document_references
from ldn_evidence.services.rows import NOTICE_MATCH, Record, any_notice, id_batches
from ldn_evidence.services.rows import cited_studies as study_rows
from ldn_evidence.services.views import document_brief, study_flags
from ldn_evidence.viewmodel import (
    SCHEMA,
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

_citation, _claim, _reference = tables.citations.c, tables.claims.c, tables.references.c
_study, _document = tables.studies.c, tables.source_documents.c
_ORDER = (_claim.position, _claim.id)  # a page's claims, as `claims list` sorts them
_PAGE_TEXT = select(_document.text).where(_document.id == bindparam("id"))  # made once
_RETRACTED_CHUNK = 500  # studies read in one statement when counting the retracted


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
            pair.append(_citation.verdict == verdict)
        if pmids is not None:
            by_study = _citation.study_id.in_(select(_study.id).where(_study.pmid.in_(pmids)))
            by_reference = and_(
                _citation.study_id.is_(None),
                _citation.reference_id.in_(select(_reference.id).where(_reference.pmid.in_(pmids))),
            )
            pair.append(or_(by_study, by_reference))
        self.pair: list[ColumnElement[bool]] = pair
        claims: list[ColumnElement[bool]] = []
        if claim_ids:
            claims.append(_claim.id.in_(claim_ids))
        if self.pair_filter:
            claims.append(exists().where(_citation.claim_id == _claim.id, *pair))
        self.claims: list[ColumnElement[bool]] = claims
        self._page: Select[int] | None = None
        self._loose: Select[int] | None = None

    def in_report(self) -> list[ColumnElement[bool]]:
        """Every claim the report holds: of the chosen documents, or of all and none."""
        if self.doc_ids:
            return [_claim.document_id.in_(self.doc_ids), *self.claims]
        return list(self.claims)

    def citations(self) -> list[ColumnElement[bool]]:
        """The pairs the report holds: the selected pairs of its claims (of every claim, no
        condition: a citation's claim exists, a foreign key)."""
        in_report = self.in_report()
        if not in_report:
            return list(self.pair)
        return [_citation.claim_id.in_(select(_claim.id).where(*in_report)), *self.pair]

    def of_document(self, document_id: int | None) -> tuple[Select[int], dict[str, Any]]:
        """The statement of a page's selected claims in order (or of those without a page)
        and its parameters: two statements a selection, made once (a page's is run once
        for each page)."""
        if document_id is None:
            if self._loose is None:
                loose = _claim.document_id.is_(None)
                self._loose = select(_claim.id).where(loose, *self.claims).order_by(*_ORDER)
            return self._loose, {}
        if self._page is None:
            page = _claim.document_id == bindparam("document_id")
            self._page = select(_claim.id).where(page, *self.claims).order_by(*_ORDER)
        return self._page, {"document_id": document_id}


def report_stream(
    *,
    conn: Connection,
    document_ids: Sequence[int] | None = None,
    claim_ids: Sequence[int] | None = None,
    verdict: str | None = None,
    pmids: Sequence[str] | None = None,
    generated_at: datetime | None = None,
    batch_size: int = BATCH_SIZE,
    inline_flags: bool = True,
    detail: bool = True,
    flat: bool = False,
    flat_json: bool = False,
) -> ReportStream:
    """`build_report`'s report, streamed: the same arguments, checks and errors, read
    again on each pass and `batch_size` claims at a time, with Core statements on `conn` (a
    read-only `db.read_scope`: no ORM is imported). Valid while `conn` is open.

    `inline_flags`: a document's red flags are worked out as its claims are read (the
    JSON export reads them after the claims); without, they cost nothing until read, and
    then a pass of their own (the CSV export and the bibliographies never read them).
    `detail`: each study's design, modifiers and level rule are worked out
    (`entries.study_record`); the bibliographies, which show none of them, pass False.
    `flat`: the csv's lines are read straight from SQL (`report_flat`, the studies' stored
    cells), not made from the claims' views (`ReportStream.table_lines`).
    `flat_json`: the documents' claims are the json's, read straight from SQL
    (`report_flat_json`: `JsonText`, the page's red flags from the studies' stored marks),
    for the json export alone."""
    doc_ids = unique(document_ids)
    wanted = unique(claim_ids)
    pmid_set = check_pmids(conn, pmids)
    if verdict is not None:
        check_verdict(verdict)
    documents = _documents(conn, doc_ids)
    if wanted:
        check_claims(conn, wanted)
    sel = _Selection(doc_ids, wanted, verdict, pmid_set)
    counts = _claim_counts(conn, sel)
    if sel.narrowed and not doc_ids:
        documents = [d for d in documents if counts.get(d.id)]

    records = StudyRecords()  # a study cited again within the export is made once
    # no evidence run in the database: no batch of claims looks for one
    evidence = conn.scalar(select(tables.evidence_runs.c.id).limit(1)) is not None

    flat_claims = (
        FlatJson(conn, verdict=verdict, pmids=pmid_set, evidence=evidence) if flat_json else None
    )

    def claims_of(document_id: int | None) -> Iterator[Any]:
        """The claims' `ClaimEntry`, or with `flat_json` (`JsonText`, `FlagClaim`)."""
        query, params = sel.of_document(document_id)
        batches = id_batches(conn=conn, query=query, size=batch_size, params=params)
        if flat_claims is not None:
            yield from flat_claims.claims(batches)
            return
        for ids in batches:
            yield from claim_entries(
                conn=conn,
                ids=ids,
                verdict=verdict,
                pmids=pmid_set,
                records=records,
                detail=detail,
                evidence=evidence,
            )

    def loose_claims() -> Iterator[Any]:
        """The claims without a document (with `flat_json`, their `JsonText` alone)."""
        if not loose:
            return iter(())
        if flat_claims is not None:
            return (text for text, _ in claims_of(None))
        return claims_of(None)

    def batches() -> Iterator[list[int]]:
        """The claims' ids in report order (each document's, then those without one)."""
        for doc_id in [*(d.id for d in documents), *([None] if loose else [])]:
            query, params = sel.of_document(doc_id)
            yield from id_batches(conn=conn, query=query, size=batch_size, params=params)

    def entries() -> Iterator[DocumentEntry]:
        for doc in documents:
            yield _document_entry(
                conn,
                doc,
                counts.get(doc.id, 0),
                claims_of,
                whole_page=not sel.narrowed,
                inline_flags=inline_flags,
                flat=flat_json,
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
        summary=report_summary(conn, sel),
        documents=Rows(len(documents), entries),
        claims_without_document=Rows(loose, loose_claims),
        flagged=flagged,
        study_count=_study_count(conn, sel),
        cited_studies=lambda: cited_studies(
            conn=conn,
            sel=sel,
            documents=cited_from,
            detail=detail,
            batch_size=min(batch_size, STUDY_BATCH),
        ),
        cited_names=lambda: study_names(
            conn=conn, sel=sel, documents=cited_from, batch_size=batch_size
        ),
        flat_lines=(
            (lambda: flat_lines(conn, batches, verdict=verdict, pmids=pmid_set, evidence=evidence))
            if flat
            else None
        ),
    )


def _documents(conn: Connection, ids: list[int]) -> list[Any]:
    """The documents in report order (all by id, or the chosen ones in the order given;
    NotFoundError names any unknown id), as records without their page text or references
    (read one page at a time, `_document_entry`)."""
    query = select(*(c for c in tables.source_documents.c if c.name != "text"))
    if not ids:
        return list(Record.rows(conn.execute(query.order_by(_document.id))))
    docs = {d.id: d for d in Record.rows(conn.execute(query.where(_document.id.in_(ids))))}
    missing = [str(i) for i in ids if i not in docs]
    if missing:
        raise NotFoundError(f"no document with id {', '.join(missing)}")
    return [docs[i] for i in ids]


def _claim_counts(conn: Connection, sel: _Selection) -> dict[int | None, int]:
    """Selected claims per document id (None: claims without a document)."""
    query = (
        select(_claim.document_id, func.count())
        .where(*sel.in_report())
        .group_by(_claim.document_id)
    )
    return {doc_id: n for doc_id, n in conn.execute(query)}


def _document_entry(
    conn: Connection,
    doc: Any,
    count: int,
    claims_of: Any,
    *,
    whole_page: bool,
    inline_flags: bool = True,
    flat: bool = False,
) -> DocumentEntry:
    """The page with its claims as `Rows` and its red flags known once they are read.
    `flat`: `claims_of` gives each claim's (`JsonText`, `FlagClaim`)."""
    references = document_references(conn=conn, document_id=doc.id)  # views, no rows
    collector: list[PageFlags] = []

    def claims(collect: bool = inline_flags) -> Iterator[Any]:
        page = PageFlags(present) if flat else PageFlags()
        for claim in claims_of(doc.id):
            if flat:
                claim, flagged = claim
                if collect:
                    page.add(flagged)
            elif collect:
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

            def texts() -> Iterator[str]:  # read only if the page has sentences skipped
                yield from conn.execute(
                    select(_claim.text)
                    .where(_claim.document_id == doc.id)
                    .execution_options(yield_per=BATCH_SIZE)
                ).scalars()

            page = conn.scalar(_PAGE_TEXT, {"id": doc.id})
            skipped = skipped_sentences(page, texts())
        return collector[0].flags(references, skipped, whole_page=whole_page)

    return extend(
        document_brief(doc),
        DocumentEntry,
        references=references,
        claims=Rows(count, claims),
        red_flags=Later(red_flags),
    )


def report_summary(conn: Connection, sel: _Selection) -> Summary:
    """`services.report.summarise` of the selected claims, counted in SQL."""
    selected = select(_claim.id).where(*sel.in_report())
    claims = conn.scalar(select(func.count()).select_from(selected.subquery())) or 0
    pairs = tuple(sel.citations())
    by_verdict = select(_citation.verdict, func.count()).where(*pairs).group_by(_citation.verdict)
    verdicts = {verdict: n for verdict, n in conn.execute(by_verdict)}
    unsourced = (
        conn.scalar(
            select(func.count()).where(
                _claim.id.in_(selected),
                _claim.figure_value.is_not(None),
                ~exists().where(_citation.claim_id == _claim.id),
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
        retracted_sources=_retracted_sources(conn, pairs),
    )


def _study_count(conn: Connection, sel: _Selection) -> int:
    query = select(func.count(func.distinct(_citation.study_id))).where(*sel.citations())
    return conn.scalar(query) or 0


def _retracted_sources(conn: Connection, pairs: tuple[ColumnElement[bool], ...]) -> int:
    """Distinct cited studies flagged retracted (`views.study_flags`): the few studies that
    may be are found in SQL, then flagged as every view flags them. The candidates come
    from the few rows that can make a study retracted (the partial indexes
    `tables.RETRACTED_STUDY`, `tables.RETRACTION_LINK`, and the "Retracted Publication"
    type's study rows), not from a probe of every cited study; only with Retraction Watch
    notices in the database is each cited study matched against them."""
    types, kinds = tables.study_publication_types.c, tables.publication_types.c
    maybe = [
        select(_study.id).where(tables.RETRACTED_STUDY),
        select(types.study_id)
        .join_from(tables.study_publication_types, tables.publication_types)
        .where(kinds.name == "Retracted Publication"),
        select(tables.study_links.c.study_id).where(tables.RETRACTION_LINK),
    ]
    if any_notice(conn):
        cited = select(_citation.study_id).where(*pairs, _citation.study_id.is_not(None))
        maybe.append(select(_study.id).where(_study.id.in_(cited), exists().where(NOTICE_MATCH)))
    query = (
        select(_citation.study_id)
        .distinct()
        .where(*pairs, _citation.study_id.in_(union(*maybe)))
        .order_by(_citation.study_id)
    )
    ids = list(conn.scalars(query))
    retracted = 0
    for start in range(0, len(ids), _RETRACTED_CHUNK):
        studies = study_rows(conn, ids[start : start + _RETRACTED_CHUNK])
        retracted += sum(1 for study in studies.values() if "retracted" in study_flags(study))
    return retracted
