"""Pages and what they say: source documents, claims, references as written."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ldn_evidence.models.base import Base, UTCDateTime, one_of, utcnow
from ldn_evidence.vocab import (
    DOI_MAX,
    REFERENCE_KINDS,
    RESOLUTION_STATUSES,
    URL_MAX,
    ResolutionStatus,
)

if TYPE_CHECKING:
    from ldn_evidence.models.citations import Citation
    from ldn_evidence.models.studies import Study


class SourceDocument(Base):
    """A page as retrieved. A changed page at the same URL is a new version."""

    __tablename__ = "source_documents"
    __table_args__ = (UniqueConstraint("url", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str | None] = mapped_column(String(URL_MAX))
    version: Mapped[int] = mapped_column(Integer, default=1)
    title: Mapped[str | None] = mapped_column(String(1000))
    publisher: Mapped[str | None] = mapped_column(String(500))
    retrieved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    content_sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    text: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    claims: Mapped[list[Claim]] = relationship(
        back_populates="document", order_by="Claim.position", cascade="all, delete-orphan"
    )
    references: Mapped[list[Reference]] = relationship(
        back_populates="document", order_by="Reference.position", cascade="all, delete-orphan"
    )


# A claim's own data beside its text and page: what a dataset gives, `load` stores and the
# report reads (services/bulk_load.py, services/report_rows.py).
CLAIM_DATA_COLUMNS = (
    "position",
    "kind",
    "condition",
    "intervention",
    "dose",
    "outcome",
    "population",
    "figure_value",
    "figure_unit",
    "figure_qualifier",
    "figure_text",
)


class Claim(Base):
    __tablename__ = "claims"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("source_documents.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    position: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[str | None] = mapped_column(String(20))  # figure, effect, mechanism, safety
    condition: Mapped[str | None] = mapped_column(String(200))
    intervention: Mapped[str | None] = mapped_column(String(200))
    dose: Mapped[str | None] = mapped_column(String(100))
    outcome: Mapped[str | None] = mapped_column(String(200))
    population: Mapped[str | None] = mapped_column(String(200))
    figure_value: Mapped[float | None] = mapped_column(Float)
    figure_unit: Mapped[str | None] = mapped_column(String(20))
    figure_qualifier: Mapped[str | None] = mapped_column(String(20))
    figure_text: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    document: Mapped[SourceDocument | None] = relationship(back_populates="claims")
    citations: Mapped[list[Citation]] = relationship(
        back_populates="claim", cascade="all, delete-orphan", order_by="Citation.id"
    )


class Reference(Base):
    """A reference as the page writes it, and what it resolved to."""

    __tablename__ = "references"
    __table_args__ = (
        one_of("kind", REFERENCE_KINDS, name="kind"),
        one_of("status", RESOLUTION_STATUSES, name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("source_documents.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int | None] = mapped_column(Integer)
    marker: Mapped[str | None] = mapped_column(String(20))
    raw: Mapped[str] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(String(URL_MAX))
    title: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20))
    pmid: Mapped[str | None] = mapped_column(String(16), index=True)
    doi: Mapped[str | None] = mapped_column(String(DOI_MAX))
    pmcid: Mapped[str | None] = mapped_column(String(20))
    study_id: Mapped[int | None] = mapped_column(
        ForeignKey("studies.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(20), default=ResolutionStatus.UNRESOLVED.value)
    error: Mapped[str | None] = mapped_column(Text)
    candidates: Mapped[list[str] | None] = mapped_column(JSON)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    document: Mapped[SourceDocument | None] = relationship(back_populates="references")
    study: Mapped[Study | None] = relationship()
    citations: Mapped[list[Citation]] = relationship(back_populates="reference")
