"""Claim ↔ study links with their verdicts, and the audit trail of verdict changes."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ldn_evidence.models.base import Base, UTCDateTime, one_of, utcnow
from ldn_evidence.vocab import (
    CITATION_ORIGINS,
    VERDICT_ORIGINS,
    VERDICTS,
    CitationOrigin,
    Verdict,
    VerdictOrigin,
)

if TYPE_CHECKING:
    from ldn_evidence.models.documents import Claim, Reference
    from ldn_evidence.models.studies import Study


class Citation(Base):
    __tablename__ = "citations"
    __table_args__ = (
        UniqueConstraint("claim_id", "study_id"),
        UniqueConstraint("claim_id", "reference_id"),
        one_of("verdict", VERDICTS, name="verdict"),
        one_of("origin", CITATION_ORIGINS, name="origin"),
        one_of("verdict_origin", VERDICT_ORIGINS, name="verdict_origin"),
        CheckConstraint("study_id IS NOT NULL OR reference_id IS NOT NULL", name="has_source"),
        Index("ix_citations_study_id", "study_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    study_id: Mapped[int | None] = mapped_column(ForeignKey("studies.id", ondelete="SET NULL"))
    reference_id: Mapped[int | None] = mapped_column(
        ForeignKey("references.id", ondelete="SET NULL"), index=True
    )
    origin: Mapped[str] = mapped_column(String(20), default=CitationOrigin.PAGE.value)
    verdict: Mapped[str] = mapped_column(String(30), default=Verdict.UNCHECKED.value)
    verdict_origin: Mapped[str] = mapped_column(String(20), default=VerdictOrigin.AUTOMATIC.value)
    study_figure: Mapped[str | None] = mapped_column(String(200))
    evidence_sentence: Mapped[str | None] = mapped_column(Text)
    # where the evidence sentence is when it is not the abstract's ("full text, Results, ¶4",
    # "Table 2"); NULL: the abstract
    evidence_location: Mapped[str | None] = mapped_column(String(300))
    reason: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    checked_by: Mapped[str | None] = mapped_column(String(200))
    # sha256 of the study record the verdict was reached against
    checked_record_sha256: Mapped[str | None] = mapped_column(String(64))
    # sha256 of what the automatic verdict was computed from (the claim as checked, the
    # study record, the full text when it was read, the engine's version): `verify` skips
    # a citation whose inputs are unchanged. NULL: never checked, or a reviewer's verdict
    checked_inputs_sha256: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    claim: Mapped[Claim] = relationship(back_populates="citations")
    study: Mapped[Study | None] = relationship(back_populates="citations")
    reference: Mapped[Reference | None] = relationship(back_populates="citations")
    events: Mapped[list[CitationEvent]] = relationship(
        back_populates="citation", cascade="all, delete-orphan", order_by="CitationEvent.id"
    )


class CitationEvent(Base):
    """Every verdict change: who, when, old, new, note."""

    __tablename__ = "citation_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    citation_id: Mapped[int] = mapped_column(
        ForeignKey("citations.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    by: Mapped[str | None] = mapped_column(String(200))
    origin: Mapped[str] = mapped_column(String(20))
    old_verdict: Mapped[str | None] = mapped_column(String(30))
    new_verdict: Mapped[str] = mapped_column(String(30))
    note: Mapped[str | None] = mapped_column(Text)
    record_sha256: Mapped[str | None] = mapped_column(String(64))

    citation: Mapped[Citation] = relationship(back_populates="events")
