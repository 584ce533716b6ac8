"""The report query: a `Report` (`ldn_evidence.viewmodel`) from the database, with the
export filters; `ldn_evidence.export` renders it in each format.

The rows are read through `services.claims.list_claims` (eager loads) and turned into
views with the builders of `services.entries` and `services.views`, so exports show what
`claims show` shows.
Each claim's last `evidence` run comes from `services.evidence_runs.latest_evidence_for`,
read for all the report's claims at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ldn_evidence.errors import NotFoundError
from ldn_evidence.models import Citation, Claim, SourceDocument
from ldn_evidence.services.checks import check_claims, check_pmids, check_verdict, unique
from ldn_evidence.services.claims import list_claims
from ldn_evidence.services.entries import _keep, claim_entry, document_entry
from ldn_evidence.services.evidence_runs import latest_evidence_for
from ldn_evidence.viewmodel import SCHEMA, ClaimEntry, Filters, Report, Summary
from ldn_evidence.vocab import (
    NOT_IN_ABSTRACT,
    PARTIALLY_SUPPORTED,
    SUPPORTED,
    UNCHECKED,
    UNSUPPORTED_VERDICTS,
)


def build_report(
    *,
    session: Session,
    document_ids: Sequence[int] | None = None,
    claim_ids: Sequence[int] | None = None,
    verdict: str | None = None,
    pmids: Sequence[str] | None = None,
    generated_at: datetime | None = None,
) -> Report:
    """The report over the selected claims. Empty filters (None or []) select everything.

    `verdict` and `pmids` select claim–source pairs; claims left with none are omitted.
    Unknown document or claim ids and PMIDs the database has never seen raise
    `NotFoundError`; a malformed verdict or PMID raises `InputError`.
    """
    doc_ids = unique(document_ids)
    wanted_claims = unique(claim_ids)
    pmid_set = check_pmids(session, pmids)
    if verdict is not None:
        check_verdict(verdict)

    documents = _documents(session, doc_ids)
    if doc_ids:
        claims = [c for d in doc_ids for c in list_claims(session=session, document_id=d)]
    else:
        claims = list_claims(session=session)
    if wanted_claims:
        check_claims(session, wanted_claims)
        claims = [c for c in claims if c.id in set(wanted_claims)]

    pair_filter = verdict is not None or pmid_set is not None
    selected: list[tuple[Claim, list[Citation]]] = []
    for claim in claims:
        kept = [c for c in claim.citations if _keep(c, verdict, pmid_set)]
        if pair_filter and not kept:
            continue
        selected.append((claim, kept))
    evidence = latest_evidence_for(db=session, claim_ids=[c.id for c, _ in selected])
    entries = [claim_entry(c, kept, stronger=evidence.get(c.id)) for c, kept in selected]

    by_doc: dict[int, list[ClaimEntry]] = {}
    loose: list[ClaimEntry] = []
    for entry in entries:
        if entry.document_id is None:
            loose.append(entry)
        else:
            by_doc.setdefault(entry.document_id, []).append(entry)
    narrowed = bool(wanted_claims) or pair_filter
    doc_entries = [
        document_entry(doc, by_doc.get(doc.id, []), whole_page=not narrowed)
        for doc in documents
        if doc.id in by_doc or doc_ids or not narrowed
    ]
    stamp = (generated_at or datetime.now(UTC)).astimezone(UTC)
    return Report(
        schema=SCHEMA,
        generated_at=stamp.isoformat(timespec="seconds"),
        filters=Filters(
            document_ids=doc_ids or None,
            claim_ids=wanted_claims or None,
            verdict=verdict,
            pmids=sorted(pmid_set) if pmid_set is not None else None,
        ),
        summary=summarise(entries),
        documents=doc_entries,
        claims_without_document=[] if doc_ids else loose,
    )


def summarise(claims: Iterable[ClaimEntry]) -> Summary:
    claims = list(claims)
    verdicts = [c.verdict for claim in claims for c in claim.citations]
    retracted = {
        c.study.pmid
        for claim in claims
        for c in claim.citations
        if c.study is not None and "retracted" in c.study.flags
    }
    return Summary(
        claims=len(claims),
        citations=len(verdicts),
        supported=verdicts.count(SUPPORTED),
        partially_supported=verdicts.count(PARTIALLY_SUPPORTED),
        unsupported=sum(verdicts.count(v) for v in UNSUPPORTED_VERDICTS),
        not_in_abstract=verdicts.count(NOT_IN_ABSTRACT),
        unchecked=verdicts.count(UNCHECKED),
        unsourced=sum(1 for c in claims if c.unsourced),
        retracted_sources=len(retracted),
    )


def _documents(session: Session, ids: list[int]) -> list[SourceDocument]:
    query = select(SourceDocument).options(selectinload(SourceDocument.references))
    if ids:
        docs = {d.id: d for d in session.scalars(query.where(SourceDocument.id.in_(ids)))}
        missing = [str(i) for i in ids if i not in docs]
        if missing:
            raise NotFoundError(f"no document with id {', '.join(missing)}")
        return [docs[i] for i in ids]
    return list(session.scalars(query.order_by(SourceDocument.id)))
