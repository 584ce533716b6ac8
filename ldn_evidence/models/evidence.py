"""`evidence`: each search for a claim's stronger evidence, and its ranked results (mapped
onto `tables.evidence_runs`, `tables.evidence_results`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Mapped, relationship

from ldn_evidence.models import tables
from ldn_evidence.models.base import Base


class EvidenceRun(Base):
    """One `evidence` run for a claim: the query, what PubMed found, the ranking. Nothing
    of it is linked to the claim (a reviewer cites a study with `claims cite`)."""

    __table__ = tables.evidence_runs

    id: Mapped[int]
    claim_id: Mapped[int]
    ran_at: Mapped[datetime]
    query: Mapped[str]
    query_source: Mapped[str]
    since_year: Mapped[int | None]
    max_results: Mapped[int]
    found: Mapped[int]  # PubMed's count for the query

    results: Mapped[list[EvidenceResult]] = relationship(
        back_populates="run", cascade="all, delete-orphan", order_by="EvidenceResult.rank"
    )


class EvidenceResult(Base):
    """A study in a run's ranking: a hit, or a study the claim cites; its level, size and
    flags then, and the claim verified against it (for a cited study: its citation's)."""

    __table__ = tables.evidence_results

    id: Mapped[int]
    run_id: Mapped[int]
    rank: Mapped[int]
    pmid: Mapped[str]
    study_id: Mapped[int | None]
    title: Mapped[str]
    year: Mapped[int | None]
    journal: Mapped[str | None]
    level: Mapped[str | None]
    participants: Mapped[int | None]
    flags: Mapped[list[str] | None]
    cited: Mapped[bool]
    stronger: Mapped[bool]
    verdict: Mapped[str]
    verdict_origin: Mapped[str | None]
    evidence_sentence: Mapped[str | None]
    reason: Mapped[str | None]

    run: Mapped[EvidenceRun] = relationship(back_populates="results")
