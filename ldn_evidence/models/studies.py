"""Studies (PubMed records) and their parts (mapped onto the tables of `models.tables`)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import func, or_
from sqlalchemy.orm import Mapped, foreign, relationship

from ldn_evidence.models import tables
from ldn_evidence.models.base import Base
from ldn_evidence.models.retractions import RetractionNotice
from ldn_evidence.models.tables import author_name, study_publication_types

if TYPE_CHECKING:
    from ldn_evidence.models.citations import Citation

__all__ = [
    "AbstractSectionRow",
    "KeywordRow",
    "MeshTermRow",
    "PublicationTypeRow",
    "Study",
    "StudyAuthor",
    "StudyLinkRow",
    "StudyMeshTerm",
    "study_publication_types",
]


class Study(Base):
    __table__ = tables.studies

    id: Mapped[int]
    pmid: Mapped[str]
    pmid_version: Mapped[int]
    kind: Mapped[str]
    doi: Mapped[str | None]
    pmcid: Mapped[str | None]
    title: Mapped[str]
    abstract: Mapped[str | None]
    journal_title: Mapped[str | None]
    journal_iso: Mapped[str | None]
    issn: Mapped[str | None]
    volume: Mapped[str | None]
    issue: Mapped[str | None]
    pages: Mapped[str | None]
    pub_year: Mapped[int | None]
    pub_date: Mapped[str | None]
    article_date: Mapped[str | None]
    language: Mapped[str | None]
    publisher: Mapped[str | None]
    evidence_level: Mapped[str | None]
    retracted: Mapped[bool]
    fetched_at: Mapped[datetime | None]
    origin: Mapped[str]
    curation_note: Mapped[str | None]
    raw_xml: Mapped[str | None]
    raw_sha256: Mapped[str | None]

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
    __table__ = tables.abstract_sections

    id: Mapped[int]
    study_id: Mapped[int]
    position: Mapped[int]
    label: Mapped[str | None]
    category: Mapped[str | None]
    text: Mapped[str]

    study: Mapped[Study] = relationship(back_populates="abstract_sections")


class StudyAuthor(Base):
    __table__ = tables.study_authors

    id: Mapped[int]
    study_id: Mapped[int]
    position: Mapped[int]
    last_name: Mapped[str | None]
    fore_name: Mapped[str | None]
    initials: Mapped[str | None]
    collective_name: Mapped[str | None]
    orcid: Mapped[str | None]
    affiliations: Mapped[list[str] | None]

    study: Mapped[Study] = relationship(back_populates="authors")

    @property
    def display_name(self) -> str:
        return author_name(self.collective_name, self.last_name, self.initials, self.fore_name)


class PublicationTypeRow(Base):
    __table__ = tables.publication_types

    id: Mapped[int]
    name: Mapped[str]
    ui: Mapped[str | None]


class MeshTermRow(Base):
    __table__ = tables.mesh_terms

    id: Mapped[int]
    ui: Mapped[str]  # NLM descriptor UI (D012345); terms without a UI use their name
    name: Mapped[str]


class StudyMeshTerm(Base):
    """Association object: a study's MeSH heading, with its major flag and qualifiers."""

    __table__ = tables.study_mesh_terms

    id: Mapped[int]
    study_id: Mapped[int]
    mesh_term_id: Mapped[int]
    position: Mapped[int]
    major_topic: Mapped[bool]
    qualifiers: Mapped[list[dict[str, object]] | None]

    study: Mapped[Study] = relationship(back_populates="mesh")
    term: Mapped[MeshTermRow] = relationship()


class KeywordRow(Base):
    __table__ = tables.keywords

    id: Mapped[int]
    study_id: Mapped[int]
    position: Mapped[int]
    text: Mapped[str]
    major_topic: Mapped[bool]
    owner: Mapped[str | None]

    study: Mapped[Study] = relationship(back_populates="keywords")


class StudyLinkRow(Base):
    """CommentsCorrections: RetractionIn, ErratumIn, CommentIn, UpdateIn … and the other PMID."""

    __table__ = tables.study_links

    id: Mapped[int]
    study_id: Mapped[int]
    position: Mapped[int]
    ref_type: Mapped[str]
    pmid: Mapped[str | None]
    ref_source: Mapped[str | None]

    study: Mapped[Study] = relationship(back_populates="links")
