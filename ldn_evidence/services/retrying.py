"""`resolve`, and `extract` of a page stored already: references that could not be
resolved (a network failure, or never tried) are resolved again in place, and the studies
their resolved PMIDs name are fetched when they are not stored yet.

No new page version is made: each reference row is updated where it is, its error
cleared when it resolves, and the citations that point at it get its study.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ldn_evidence.errors import NotFoundError, PubMedError
from ldn_evidence.models import Reference, SourceDocument
from ldn_evidence.vocab import ResolutionStatus

if TYPE_CHECKING:  # what resolves and fetches is imported when something is pending
    from ldn_evidence.extract.model import JournalCitation
    from ldn_evidence.pubmed.client import PubMedClient
    from ldn_evidence.services.fetching import FetchSummary, UnitOfWork

RESOLVED = ResolutionStatus.RESOLVED.value

RETRIED_STATUSES = (ResolutionStatus.FAILED.value, ResolutionStatus.UNRESOLVED.value)
"""Resolved again: failed (the network, NCBI) and unresolved (never tried)."""


@dataclass(frozen=True)
class _Wanted:
    """What `resolution.resolve` reads of a stored reference."""

    kind: str
    pmid: str | None
    pmcid: str | None
    doi: str | None
    title: str | None
    citation: JournalCitation | None


@dataclass
class RetriedReference:
    id: int
    document_id: int | None
    position: int | None
    kind: str
    raw: str
    was: str  # the status before
    status: str
    pmid: str | None
    error: str | None


@dataclass
class RetrySummary:
    references: list[RetriedReference] = field(default_factory=list)
    fetched: FetchSummary | None = None
    fetch_error: str | None = None

    @property
    def resolved(self) -> list[RetriedReference]:
        return [r for r in self.references if r.status == RESOLVED]

    @property
    def failed(self) -> list[RetriedReference]:
        return [r for r in self.references if r.status == ResolutionStatus.FAILED]

    @property
    def did_anything(self) -> bool:
        return bool(self.references or self.fetched or self.fetch_error)

    def as_dict(self) -> dict[str, Any]:
        fetch: dict[str, object] | None = None
        if self.fetch_error:
            fetch = {"error": self.fetch_error}
        elif self.fetched:
            fetch = self.fetched.as_dict()
        return {
            "references": [dict(r.__dict__) for r in self.references],
            "resolved": len(self.resolved),
            "failed": len(self.failed),
            "fetch": fetch,
        }


def _wanted(ref: Reference) -> _Wanted:
    from ldn_evidence.extract.citations import parse_citation
    from ldn_evidence.extract.urls import URL_RE

    parsed = parse_citation(URL_RE.sub(" ", ref.raw)) if ref.kind == "citation" else None
    return _Wanted(
        kind=ref.kind,
        pmid=ref.pmid,
        pmcid=ref.pmcid,
        doi=ref.doi,
        title=ref.title,
        citation=parsed.citation if parsed else None,
    )


def pending(
    *, session: Session, document_id: int | None = None
) -> tuple[list[Reference], list[str]]:
    """The references to resolve again, and the PMIDs of resolved references whose study
    is not stored (a fetch that failed or was not asked for)."""
    where = [] if document_id is None else [Reference.document_id == document_id]
    refs = list(
        session.scalars(
            select(Reference)
            .where(Reference.status.in_(RETRIED_STATUSES), *where)
            .order_by(Reference.document_id, Reference.position, Reference.id)
        )
    )
    unfetched = session.scalars(
        select(Reference.pmid)
        .where(
            Reference.status == RESOLVED,
            Reference.study_id.is_(None),
            Reference.pmid.is_not(None),
            *where,
        )
        .distinct()
    ).all()
    return refs, sorted({p for p in unfetched if p}, key=int)


def retry_references(
    *,
    units: UnitOfWork,
    client_factory: Callable[[], PubMedClient],
    document_id: int | None = None,
    fetch: bool = True,
) -> RetrySummary:
    """Resolve again the pending references (of one document, or all) and fetch the
    studies they and the page's other resolved references name. Asks PubMed nothing when
    nothing is pending. Never raises for a remote failure: a reference that fails again
    keeps `failed` with the new reason; a fetch failure is in `fetch_error`."""
    with units() as session:
        if document_id is not None and session.get(SourceDocument, document_id) is None:
            raise NotFoundError(f"no document with id {document_id}")
        refs, unfetched = pending(session=session, document_id=document_id)
        snapshot = [(ref.id, ref.status, _wanted(ref)) for ref in refs]
    summary = RetrySummary()
    if not snapshot and not (unfetched and fetch):
        return summary
    from ldn_evidence.services.fetching import store_and_fetch
    from ldn_evidence.services.linking import attach_studies
    from ldn_evidence.services.resolution import resolve

    client = client_factory()
    try:
        run = resolve([wanted for _, _, wanted in snapshot], client)
        with units() as session:
            for (ref_id, was, _), res in zip(snapshot, run.resolutions, strict=True):
                ref = session.get(Reference, ref_id)
                if ref is None or ref.status not in RETRIED_STATUSES:
                    continue  # deleted or resolved meanwhile
                ref.status, ref.error = res.status, res.error
                ref.pmid = res.pmid or ref.pmid
                ref.candidates = res.candidates or None
                if res.status == RESOLVED:
                    ref.resolved_at = datetime.now(UTC)
                summary.references.append(
                    RetriedReference(
                        id=ref.id,
                        document_id=ref.document_id,
                        position=ref.position,
                        kind=ref.kind,
                        raw=ref.raw,
                        was=was,
                        status=ref.status,
                        pmid=ref.pmid,
                        error=ref.error,
                    )
                )
            session.flush()
            attach_studies(session=session, pmids=[r.pmid for r in summary.resolved if r.pmid])
        pmids = sorted({*unfetched, *(r.pmid for r in summary.resolved if r.pmid)}, key=int)
        if pmids and fetch:
            try:
                summary.fetched = store_and_fetch(
                    units=units, client=client, pmids=pmids, records=run.records
                )
            except PubMedError as exc:
                summary.fetch_error = str(exc)
            else:
                _not_in_pubmed(summary, summary.fetched.not_found)
    finally:
        client.close()
    return summary


def _not_in_pubmed(summary: RetrySummary, pmids: list[str]) -> None:
    from ldn_evidence.services.linking import not_in_pubmed

    for r in summary.resolved:
        if r.pmid in pmids:
            r.status, r.error = ResolutionStatus.NOT_FOUND.value, not_in_pubmed(r.pmid)
