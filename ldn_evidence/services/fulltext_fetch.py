"""`fetch --full-text`: PubMed Central full texts of stored studies, one transaction per
efetch db=pmc batch.

Only a study with a PMCID can have one. PMC answers an open-access (or author manuscript)
article with its JATS XML, and an article whose publisher allows no XML download with its
front matter and a notice: the first is stored, the second recorded as not open with the
date. A failure mid-way keeps the batches stored and says which studies are left.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from ldn_evidence.errors import ParseError, PubMedError
from ldn_evidence.models import FullText, Study
from ldn_evidence.pubmed.client import PubMedClient
from ldn_evidence.pubmed.jats import iter_full_texts
from ldn_evidence.pubmed.jats_records import FullTextRecord
from ldn_evidence.services.fulltext import store_full_text
from ldn_evidence.vocab import StudyOrigin

UnitOfWork = Callable[[], AbstractContextManager[Session]]


@dataclass
class FullTextFetchSummary:
    """Per study (PMID): what PMC gave."""

    requested: int = 0
    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    not_open: list[str] = field(default_factory=list)
    not_in_pmc: list[str] = field(default_factory=list)  # PMC returned no article
    no_pmcid: list[str] = field(default_factory=list)  # the PubMed record names no PMCID
    not_stored: list[str] = field(default_factory=list)  # no PubMed record stored
    failed: list[str] = field(default_factory=list)
    requests: int = 0

    @property
    def full_texts(self) -> list[str]:
        return self.new + self.updated + self.unchanged

    def line(self) -> str:
        text = (
            f"{len(self.full_texts)} full texts, {len(self.not_open)} not open, "
            f"{len(self.failed)} failed"
        )
        extra = [
            f"{len(items)} {label}"
            for items, label in (
                (self.not_in_pmc, "not in PMC"),
                (self.no_pmcid, "without a PMCID"),
                (self.not_stored, "not stored (fetch them first)"),
            )
            if items
        ]
        return text + (f" ({', '.join(extra)})" if extra else "")

    def as_dict(self) -> dict[str, object]:
        return {
            "requested": self.requested,
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "not_open": self.not_open,
            "not_in_pmc": self.not_in_pmc,
            "no_pmcid": self.no_pmcid,
            "not_stored": self.not_stored,
            "failed": self.failed,
            "requests": self.requests,
        }


def full_text_targets(
    *, session: Session, pmids: Sequence[str], missing: bool, refresh: bool
) -> tuple[dict[str, str], FullTextFetchSummary]:
    """{PMCID: PMID} to ask PMC for, and a summary holding the PMIDs left out: `pmids`
    not stored or without a PMCID; with `missing`, every stored study with a PMCID and no
    full text yet (nor a not-open answer). Without `refresh`, studies whose full text is
    stored (or known not open) are left out as unchanged."""
    summary = FullTextFetchSummary(requested=len(pmids))
    studies = {
        s.pmid: s.pmcid
        for s in session.execute(
            select(Study.pmid, Study.pmcid).where(Study.pmid.in_(pmids), Study.origin != "curated")
        )
    }
    summary.not_stored = [p for p in pmids if p not in studies]
    summary.no_pmcid = [p for p in pmids if p in studies and not studies[p]]
    wanted = {pmcid: pmid for pmid, pmcid in studies.items() if pmcid}
    if missing:
        have = select(FullText.pmcid)
        rows = session.execute(
            select(Study.pmid, Study.pmcid)
            .where(Study.pmcid.is_not(None), Study.pmcid.not_in(have), Study.origin != "curated")
            .order_by(Study.id)
        )
        for pmid, pmcid in rows:
            wanted.setdefault(pmcid, pmid)
        summary.requested = len({*pmids, *wanted.values()})
    if not refresh and wanted:
        known = session.execute(
            select(FullText.pmcid, FullText.status).where(FullText.pmcid.in_(list(wanted)))
        ).all()
        for pmcid, status in known:
            pmid = wanted.pop(pmcid)
            (summary.not_open if status == "not_open" else summary.unchanged).append(pmid)
    return wanted, summary


def fetch_full_texts(
    *,
    units: UnitOfWork,
    client: PubMedClient,
    targets: dict[str, str],
    summary: FullTextFetchSummary,
    on_batch: Callable[[int], None] | None = None,
) -> FullTextFetchSummary:
    """Ask PMC for `targets` ({PMCID: PMID}) and store what it answers, batch by batch."""
    done: set[str] = set()
    try:
        for batch in client.efetch_pmc(list(targets)):
            summary.requests += 1
            records = _parse_batch(batch.xml, batch.pmcids_requested)
            with units() as session:
                outcomes: list[tuple[str, str]] = []
                for pmcid in batch.pmcids_requested:
                    record, pmid = records.get(pmcid), targets[pmcid]
                    if record is None:
                        outcomes.append(("not_in_pmc", pmid))
                        continue
                    study = session.scalars(select(Study).where(Study.pmid == pmid)).first()
                    stored = store_full_text(
                        session=session,
                        record=record,
                        origin=StudyOrigin.EFETCH.value,
                        study=study,
                    )
                    outcomes.append((stored, pmid))
            for outcome, pmid in outcomes:
                getattr(summary, outcome).append(pmid)
            done.update(batch.pmcids_requested)
            if on_batch:
                on_batch(len(batch.pmcids_requested))
    except PubMedError as exc:
        summary.failed = [pmid for pmcid, pmid in targets.items() if pmcid not in done]
        shown = ", ".join(summary.failed[:8]) + (" …" if len(summary.failed) > 8 else "")
        raise PubMedError(f"{exc}; {summary.line()}; not fetched: PMIDs {shown}") from None
    return summary


def _parse_batch(xml: bytes, requested: list[str]) -> dict[str, FullTextRecord]:
    wanted = set(requested)
    try:
        records = list(iter_full_texts(xml, name="efetch db=pmc reply"))
    except ParseError as exc:
        asked = ", ".join(requested[:5])
        raise PubMedError(f"efetch db=pmc reply for {asked} unreadable: {exc}") from None
    return {r.pmcid: r for r in records if r.pmcid in wanted}
