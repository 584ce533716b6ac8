"""`fetch`: PubMed records by PMID, one transaction per efetch batch.

A failure mid-way keeps the batches already stored, writes nothing of the failing batch,
and says which PMIDs are stored and which are not. A PMID PubMed answers with no record
makes the references citing it `not_found`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from ldn_evidence.errors import DatabaseError, ParseError, PubMedError
from ldn_evidence.models import Reference, Study
from ldn_evidence.services.linking import attach_studies, mark_not_in_pubmed
from ldn_evidence.services.studies import store_article

if TYPE_CHECKING:  # the client (requests), parser (lxml) and records load with a batch
    from ldn_evidence.pubmed.client import PubMedClient
    from ldn_evidence.pubmed.records import ArticleRecord

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
    refused: list[str] = field(default_factory=list)  # why each refused record was
    requests: int = 0

    @property
    def stored(self) -> list[str]:
        return self.new + self.updated + self.unchanged

    def line(self) -> str:
        return (
            f"{len(self.new)} new, {len(self.updated)} updated, {len(self.unchanged)} unchanged, "
            f"{len(self.not_found)} not found, {len(self.failed)} failed"
            + (f", {len(self.refused)} refused" if self.refused else "")
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
            "refused": self.refused,
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
            records, refused = parse_batch(batch.xml, batch.pmids_requested)
            outcomes = []
            with units() as session:
                for rec in records:
                    outcome = store_article(session=session, record=rec, origin="efetch")
                    outcomes.append((outcome, rec.pmid))
                attach_studies(session=session, pmids=[r.pmid for r in records])
                returned = {r.pmid for r in records} | set(refused)
                unknown = [p for p in batch.pmids_requested if p not in returned]
                mark_not_in_pubmed(session=session, pmids=unknown)
            for outcome, pmid in outcomes:  # counted once the batch is committed
                getattr(summary, outcome).append(pmid)
            summary.refused += refused.values()
            summary.not_found += unknown
            done.update(batch.pmids_requested)
            if on_batch:
                on_batch(len(batch.pmids_requested))
    except (PubMedError, DatabaseError) as exc:  # a failing server, a full disk …
        summary.failed = [p for p in todo if p not in done]
        raise type(exc)(
            f"{exc}; stored {len(summary.stored)} of {summary.requested} PMIDs "
            f"({summary.line()}); not stored: {_abbreviate(summary.failed)}"
        ) from None
    _fail_on_refused(summary)
    return summary


def _fail_on_refused(summary: FetchSummary) -> None:
    """The others are stored; the command still fails, naming the first refusal."""
    if summary.refused:
        first, more = summary.refused[0], len(summary.refused) - 1
        raise PubMedError(
            f"{first} (refused{f' and {more} more' if more else ''}); stored "
            f"{len(summary.stored)} of {summary.requested} PMIDs ({summary.line()})"
        )


def parse_batch(
    xml: bytes, requested: list[str]
) -> tuple[list[ArticleRecord], dict[str | None, str]]:
    """The requested records of a reply, and {PMID: why} for those refused (a record
    with no valid PMID, too many elements, a field longer than the database keeps)."""
    from ldn_evidence.pubmed.parser import iter_articles
    from ldn_evidence.pubmed.records import ArticleRecord, RejectedRecord
    from ldn_evidence.services.bulk import prepare, too_long

    wanted = set(requested)
    label = "efetch reply"
    records: list[ArticleRecord] = []
    refused: dict[str | None, str] = {}
    try:
        for r in iter_articles(xml, name=label):
            if isinstance(r, RejectedRecord):
                refused[r.pmid] = r.describe(label)
            elif isinstance(r, ArticleRecord) and r.pmid in wanted:
                problem = too_long(prepare(r, origin="efetch"))
                if problem is None:
                    records.append(r)
                else:
                    refused[r.pmid] = f"{label}: PMID {r.pmid}: {problem}"
    except ParseError as exc:
        raise PubMedError(f"efetch reply for {_abbreviate(requested)} unreadable: {exc}") from None
    return records, refused


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
    from ldn_evidence.services.bulk import prepare, too_long

    summary = FetchSummary(requested=len(pmids))
    have = []
    for pmid in (p for p in pmids if p in records):
        problem = too_long(prepare(records[pmid], origin="efetch"))
        if problem is None:
            have.append(pmid)
        else:
            summary.refused.append(f"efetch reply: PMID {pmid}: {problem}")
    if have:
        with units() as session:
            for pmid in have:
                outcome = store_article(session=session, record=records[pmid], origin="efetch")
                getattr(summary, outcome).append(pmid)
            attach_studies(session=session, pmids=have)
    rest = [p for p in pmids if p not in records]
    if rest:
        more = fetch(units=units, client=client, pmids=rest)
        for name in ("new", "updated", "unchanged", "skipped", "not_found", "failed", "refused"):
            getattr(summary, name).extend(getattr(more, name))
        summary.requests += more.requests
    _fail_on_refused(summary)
    return summary
