"""Claim ↔ study links with their verdicts, and the audit trail of verdict changes
(mapped onto `tables.citations`, `tables.citation_events`)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.orm import Mapped, relationship

from ldn_evidence.models import tables
from ldn_evidence.models.base import Base

if TYPE_CHECKING:
    from ldn_evidence.models.documents import Claim, Reference
    from ldn_evidence.models.studies import Study


class Citation(Base):
    __table__ = tables.citations

    id: Mapped[int]
    claim_id: Mapped[int]
    study_id: Mapped[int | None]
    reference_id: Mapped[int | None]
    origin: Mapped[str]
    verdict: Mapped[str]
    verdict_origin: Mapped[str]
    study_figure: Mapped[str | None]
    evidence_sentence: Mapped[str | None]
    evidence_location: Mapped[str | None]
    reason: Mapped[str | None]
    note: Mapped[str | None]
    checked_at: Mapped[datetime | None]
    checked_by: Mapped[str | None]
    checked_record_sha256: Mapped[str | None]
    checked_inputs_sha256: Mapped[str | None]
    created_at: Mapped[datetime]

    claim: Mapped[Claim] = relationship(back_populates="citations")
    study: Mapped[Study | None] = relationship(back_populates="citations")
    reference: Mapped[Reference | None] = relationship(back_populates="citations")
    events: Mapped[list[CitationEvent]] = relationship(
        back_populates="citation", cascade="all, delete-orphan", order_by="CitationEvent.id"
    )


class CitationEvent(Base):
    """Every verdict change: who, when, old, new, note."""

    __table__ = tables.citation_events

    id: Mapped[int]
    citation_id: Mapped[int]
    at: Mapped[datetime]
    by: Mapped[str | None]
    origin: Mapped[str]
    old_verdict: Mapped[str | None]
    new_verdict: Mapped[str]
    note: Mapped[str | None]
    record_sha256: Mapped[str | None]

    citation: Mapped[Citation] = relationship(back_populates="events")
