"""Pages and what they say: source documents, claims, references as written (mapped onto
`tables.source_documents`, `tables.claims`, `tables.references`)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.orm import Mapped, relationship

from ldn_evidence.models import tables
from ldn_evidence.models.base import Base
from ldn_evidence.models.tables import CLAIM_DATA_COLUMNS

if TYPE_CHECKING:
    from ldn_evidence.models.citations import Citation
    from ldn_evidence.models.studies import Study

__all__ = ["CLAIM_DATA_COLUMNS", "Claim", "Reference", "SourceDocument"]


class SourceDocument(Base):
    """A page as retrieved. A changed page at the same URL is a new version."""

    __table__ = tables.source_documents

    id: Mapped[int]
    url: Mapped[str | None]
    version: Mapped[int]
    title: Mapped[str | None]
    publisher: Mapped[str | None]
    retrieved_at: Mapped[datetime | None]
    content_sha256: Mapped[str | None]
    text: Mapped[str | None]
    created_at: Mapped[datetime]

    claims: Mapped[list[Claim]] = relationship(
        back_populates="document", order_by="Claim.position", cascade="all, delete-orphan"
    )
    references: Mapped[list[Reference]] = relationship(
        back_populates="document", order_by="Reference.position", cascade="all, delete-orphan"
    )


class Claim(Base):
    __table__ = tables.claims

    id: Mapped[int]
    document_id: Mapped[int | None]
    text: Mapped[str]
    position: Mapped[int | None]
    kind: Mapped[str | None]
    condition: Mapped[str | None]
    intervention: Mapped[str | None]
    dose: Mapped[str | None]
    outcome: Mapped[str | None]
    population: Mapped[str | None]
    figure_value: Mapped[float | None]
    figure_unit: Mapped[str | None]
    figure_qualifier: Mapped[str | None]
    figure_text: Mapped[str | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    document: Mapped[SourceDocument | None] = relationship(back_populates="claims")
    citations: Mapped[list[Citation]] = relationship(
        back_populates="claim", cascade="all, delete-orphan", order_by="Citation.id"
    )


class Reference(Base):
    """A reference as the page writes it, and what it resolved to."""

    __table__ = tables.references

    id: Mapped[int]
    document_id: Mapped[int | None]
    position: Mapped[int | None]
    marker: Mapped[str | None]
    raw: Mapped[str]
    url: Mapped[str | None]
    title: Mapped[str | None]
    kind: Mapped[str]
    pmid: Mapped[str | None]
    doi: Mapped[str | None]
    pmcid: Mapped[str | None]
    study_id: Mapped[int | None]
    status: Mapped[str]
    error: Mapped[str | None]
    candidates: Mapped[list[str] | None]
    resolved_at: Mapped[datetime | None]

    document: Mapped[SourceDocument | None] = relationship(back_populates="references")
    study: Mapped[Study | None] = relationship()
    citations: Mapped[list[Citation]] = relationship(back_populates="reference")
