"""Studies (PubMed records) and their parts."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
    or_,
)
from sqlalchemy.orm import Mapped, foreign, mapped_column, relationship

from ldn_evidence.models.base import Base, UTCDateTime
from ldn_evidence.models.retractions import RetractionNotice
from ldn_evidence.vocab import DOI_MAX, StudyOrigin

if TYPE_CHECKING:
    from ldn_evidence.models.citations import Citation

study_publication_types = Table(
    "study_publication_types",
    Base.metadata,
    Column("study_id", ForeignKey("studies.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "publication_type_id",
        ForeignKey("publication_types.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


class Study(Base):
    __tablename__ = "studies"

    id: Mapped[int] = mapped_column(primary_key=True)
    pmid: Mapped[str] = mapped_column(String(16), unique=True)
    pmid_version: Mapped[int] = mapped_column(Integer, default=1)
    kind: Mapped[str] = mapped_column(String(10), default="article")
    doi: Mapped[str | None] = mapped_column(String(DOI_MAX), index=True)
    pmcid: Mapped[str | None] = mapped_column(String(20), index=True)
    title: Mapped[str] = mapped_column(Text, default="")
    abstract: Mapped[str | None] = mapped_column(Text)
    journal_title: Mapped[str | None] = mapped_column(String(500))
    journal_iso: Mapped[str | None] = mapped_column(String(200))
    issn: Mapped[str | None] = mapped_column(String(20))
    volume: Mapped[str | None] = mapped_column(String(50))
    issue: Mapped[str | None] = mapped_column(String(50))
    pages: Mapped[str | None] = mapped_column(String(100))
    pub_year: Mapped[int | None] = mapped_column(Integer, index=True)
    pub_date: Mapped[str | None] = mapped_column(String(100))
    article_date: Mapped[str | None] = mapped_column(String(10))
    language: Mapped[str | None] = mapped_column(String(10))
    publisher: Mapped[str | None] = mapped_column(String(500))
    evidence_level: Mapped[str | None] = mapped_column(String(30))
    retracted: Mapped[bool] = mapped_column(Boolean, default=False)
    fetched_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    origin: Mapped[str] = mapped_column(String(10), default=StudyOrigin.EFETCH.value)
    curation_note: Mapped[str | None] = mapped_column(Text)
    raw_xml: Mapped[str | None] = mapped_column(Text)
    raw_sha256: Mapped[str | None] = mapped_column(String(64))

    abstract_sections: Mapped[list[AbstractSectionRow]] = relationship(
        back_populates="study", cascade="all, delete-orphan", order_by="AbstractSectionRow.position"
    )
    authors: Mapped[list[StudyAuthor]] = relationship(
        back_populates="study", cascade="all, delete-orphan", order_by="StudyAuthor.position"
    )
    publication_types: Mapped[list[PublicationTypeRow]] = relationship(
        secondary=study_publication_types, order_by="PublicationTypeRow.name"
    )
    mesh: Mapped[list[StudyMeshTerm]] = relationship(
        back_populates="study", cascade="all, delete-orphan", order_by="StudyMeshTerm.position"
    )
    keywords: Mapped[list[KeywordRow]] = relationship(
        back_populates="study", cascade="all, delete-orphan", order_by="KeywordRow.position"
    )
    links: Mapped[list[StudyLinkRow]] = relationship(
        back_populates="study", cascade="all, delete-orphan", order_by="StudyLinkRow.position"
    )
    citations: Mapped[list[Citation]] = relationship(back_populates="study")
    # Retraction Watch notices naming this study's PMID or DOI (read-only, matched on read)
    retraction_notices: Mapped[list[RetractionNotice]] = relationship(
        primaryjoin=lambda: or_(
            Study.pmid == foreign(RetractionNotice.original_pmid),
            func.lower(Study.doi) == foreign(RetractionNotice.original_doi),
        ),
        viewonly=True,
        order_by=lambda: (RetractionNotice.notice_date, RetractionNotice.record_id),
    )


class AbstractSectionRow(Base):
    __tablename__ = "abstract_sections"

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    label: Mapped[str | None] = mapped_column(String(200))
    category: Mapped[str | None] = mapped_column(String(30))
    text: Mapped[str] = mapped_column(Text)

    study: Mapped[Study] = relationship(back_populates="abstract_sections")


class StudyAuthor(Base):
    __tablename__ = "study_authors"

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    last_name: Mapped[str | None] = mapped_column(String(200))
    fore_name: Mapped[str | None] = mapped_column(String(200))
    initials: Mapped[str | None] = mapped_column(String(20))
    collective_name: Mapped[str | None] = mapped_column(Text)
    orcid: Mapped[str | None] = mapped_column(String(40))
    affiliations: Mapped[list[str] | None] = mapped_column(JSON)

    study: Mapped[Study] = relationship(back_populates="authors")

    @property
    def display_name(self) -> str:
        if self.collective_name:
            return self.collective_name
        return " ".join(p for p in (self.last_name, self.initials or self.fore_name) if p)


class PublicationTypeRow(Base):
    __tablename__ = "publication_types"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    ui: Mapped[str | None] = mapped_column(String(20))


class MeshTermRow(Base):
    __tablename__ = "mesh_terms"

    id: Mapped[int] = mapped_column(primary_key=True)
    # NLM descriptor UI (D012345) is the key; terms without a UI use their name.
    ui: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(500))


class StudyMeshTerm(Base):
    """Association object: a study's MeSH heading, with its major flag and qualifiers."""

    __tablename__ = "study_mesh_terms"
    __table_args__ = (UniqueConstraint("study_id", "mesh_term_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id", ondelete="CASCADE"), index=True)
    mesh_term_id: Mapped[int] = mapped_column(
        ForeignKey("mesh_terms.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    major_topic: Mapped[bool] = mapped_column(Boolean, default=False)
    # [{"ui": "Q000000", "name": "...", "major_topic": false}, ...]
    qualifiers: Mapped[list[dict[str, object]] | None] = mapped_column(JSON)

    study: Mapped[Study] = relationship(back_populates="mesh")
    term: Mapped[MeshTermRow] = relationship()


class KeywordRow(Base):
    __tablename__ = "keywords"

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    major_topic: Mapped[bool] = mapped_column(Boolean, default=False)
    owner: Mapped[str | None] = mapped_column(String(20))

    study: Mapped[Study] = relationship(back_populates="keywords")


class StudyLinkRow(Base):
    """CommentsCorrections: RetractionIn, ErratumIn, CommentIn, UpdateIn … and the other PMID."""

    __tablename__ = "study_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    ref_type: Mapped[str] = mapped_column(String(40))
    pmid: Mapped[str | None] = mapped_column(String(16), index=True)
    ref_source: Mapped[str | None] = mapped_column(Text)

    study: Mapped[Study] = relationship(back_populates="links")
