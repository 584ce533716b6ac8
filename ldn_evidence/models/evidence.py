"""`evidence`: each search for a claim's stronger evidence, and its ranked results."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ldn_evidence.models.base import Base, UTCDateTime, one_of, utcnow
from ldn_evidence.vocab import VERDICTS


class EvidenceRun(Base):
    """One `evidence` run for a claim: the query, what PubMed found, the ranking. Nothing
    of it is linked to the claim (a reviewer cites a study with `claims cite`)."""

    __tablename__ = "evidence_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    ran_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    query: Mapped[str] = mapped_column(Text)
    query_source: Mapped[str] = mapped_column(String(100))
    since_year: Mapped[int | None] = mapped_column(Integer)
    max_results: Mapped[int] = mapped_column(Integer)
    found: Mapped[int] = mapped_column(Integer)  # PubMed's count for the query

    results: Mapped[list[EvidenceResult]] = relationship(
        back_populates="run", cascade="all, delete-orphan", order_by="EvidenceResult.rank"
    )


class EvidenceResult(Base):
    """A study in a run's ranking: a hit, or a study the claim cites; its level, size and
    flags then, and the claim verified against it (for a cited study: its citation's)."""

    __tablename__ = "evidence_results"
    __table_args__ = (
        UniqueConstraint("run_id", "pmid"),
        one_of("verdict", VERDICTS, name="verdict"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(
        ForeignKey("evidence_runs.id", ondelete="CASCADE"), index=True
    )
    rank: Mapped[int] = mapped_column(Integer)
    pmid: Mapped[str] = mapped_column(String(16))
    study_id: Mapped[int | None] = mapped_column(
        ForeignKey("studies.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(Text, default="")
    year: Mapped[int | None] = mapped_column(Integer)
    journal: Mapped[str | None] = mapped_column(String(200))
    level: Mapped[str | None] = mapped_column(String(30))
    participants: Mapped[int | None] = mapped_column(Integer)
    flags: Mapped[list[str] | None] = mapped_column(JSON)
    cited: Mapped[bool] = mapped_column(Boolean, default=False)
    stronger: Mapped[bool] = mapped_column(Boolean, default=False)
    verdict: Mapped[str] = mapped_column(String(30))
    verdict_origin: Mapped[str | None] = mapped_column(String(20))
    evidence_sentence: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)

    run: Mapped[EvidenceRun] = relationship(back_populates="results")
