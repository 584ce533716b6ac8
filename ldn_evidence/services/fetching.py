"""`fetch`: PubMed records by PMID, one transaction per efetch batch.

A failure mid-way keeps the batches already stored, writes nothing of the failing batch,
and says which PMIDs are stored and which are not. A PMID PubMed answers with no record
makes the references citing it `not_found`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from ldn_evidence.errors import ParseError, PubMedError
from ldn_evidence.models import Reference, Study
from ldn_evidence.pubmed.client import PubMedClient
from ldn_evidence.pubmed.parser import iter_articles
from ldn_evidence.pubmed.records import ArticleRecord
from ldn_evidence.services.linking import attach_studies, mark_not_in_pubmed
from ldn_evidence.services.studies import store_article

UnitOfWork = Callable[[], AbstractContextManager[Session]]


@dataclass
class FetchSummary:
    requested: int = 0
    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # already stored, not refreshed
    not_found: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    requests: int = 0

    @property
    def stored(self) -> list[str]:
        return self.new + self.updated + self.unchanged

    def line(self) -> str:
        return (
            f"{len(self.new)} new, {len(self.updated)} updated, {len(self.unchanged)} unchanged, "
            f"{len(self.not_found)} not found, {len(self.failed)} failed"
            + (f", {len(self.skipped)} already stored" if self.skipped else "")
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "requested": self.requested,
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "already_stored": self.skipped,
            "not_found": self.not_found,
            "failed": self.failed,
            "requests": self.requests,
        }


def missing_pmids(*, session: Session) -> list[str]:
    """PMIDs that references cite but the database lacks, or holds only as curated facts."""
    have = select(Study.pmid).where(Study.origin != "curated")
    rows = session.scalars(
        select(Reference.pmid)
        .where(Reference.pmid.is_not(None), Reference.pmid.not_in(have))
        .distinct()
    ).all()
    curated = session.scalars(select(Study.pmid).where(Study.origin == "curated")).all()
    return sorted({p for p in (*rows, *curated) if p}, key=int)


def stored_pmids(*, session: Session, pmids: Sequence[str]) -> set[str]:
    if not pmids:
        return set()
    return set(
        session.scalars(select(Study.pmid).where(Study.pmid.in_(pmids), Study.origin != "curated"))
    )


def fetch(
    *,
    units: UnitOfWork,
    client: PubMedClient,
    pmids: Sequence[str],
    refresh: bool = False,
    on_batch: Callable[[int], None] | None = None,
) -> FetchSummary:
    """Fetch `pmids` (validated by the caller) and store them, batch by batch."""
    summary = FetchSummary(requested=len(pmids))
    todo = list(pmids)
    if not refresh:
        with units() as session:
            present = stored_pmids(session=session, pmids=todo)
        summary.skipped = [p for p in todo if p in present]
        todo = [p for p in todo if p not in present]
    if not todo:
        return summary
    done: set[str] = set()
    try:
        for batch in client.efetch(todo):
            summary.requests += 1
            records = parse_batch(batch.xml, batch.pmids_requested)
            returned = {r.pmid for r in records}
            unknown = [p for p in batch.pmids_requested if p not in returned]
            with units() as session:
                for rec in records:
                    outcome = store_article(session=session, record=rec, origin="efetch")
                    getattr(summary, outcome).append(rec.pmid)
                attach_studies(session=session, pmids=[r.pmid for r in records])
                mark_not_in_pubmed(session=session, pmids=unknown)
            summary.not_found += unknown
            done.update(batch.pmids_requested)
            if on_batch:
                on_batch(len(batch.pmids_requested))
    except PubMedError as exc:
        summary.failed = [p for p in todo if p not in done]
        raise PubMedError(
            f"{exc}; stored {len(summary.stored)} of {summary.requested} PMIDs "
            f"({summary.line()}); not stored: {_abbreviate(summary.failed)}"
        ) from None
    return summary


def parse_batch(xml: bytes, requested: list[str]) -> list[ArticleRecord]:
    """The article records of an efetch reply that were asked for (`PubMedError` when the
    reply cannot be read)."""
    wanted = set(requested)
    try:
        records = [
            r for r in iter_articles(xml, name="efetch reply") if isinstance(r, ArticleRecord)
        ]
    except ParseError as exc:
        raise PubMedError(f"efetch reply for {_abbreviate(requested)} unreadable: {exc}") from None
    return [r for r in records if r.pmid in wanted]


def _abbreviate(items: Sequence[str], shown: int = 8) -> str:
    if len(items) <= shown:
        return ", ".join(items) or "none"
    return ", ".join(items[:shown]) + f" … ({len(items)} in all)"


def store_and_fetch(
    *,
    units: UnitOfWork,
    client: PubMedClient,
    pmids: Sequence[str],
    records: dict[str, ArticleRecord],
) -> FetchSummary:
    """Store `pmids`: those in `records` (fetched already, e.g. while checking titles) at
    once, the rest by `fetch`. Stored studies that are up to date count as already stored."""
    summary = FetchSummary(requested=len(pmids))
    have = [p for p in pmids if p in records]
    if have:
        with units() as session:
            for pmid in have:
                outcome = store_article(session=session, record=records[pmid], origin="efetch")
                getattr(summary, outcome).append(pmid)
            attach_studies(session=session, pmids=have)
    rest = [p for p in pmids if p not in records]
    if rest:
        more = fetch(units=units, client=client, pmids=rest)
        for name in ("new", "updated", "unchanged", "skipped", "not_found", "failed"):
            getattr(summary, name).extend(getattr(more, name))
        summary.requests += more.requests
    return summary
