"""Full texts from PubMed Central: one per article (PMCID), linked to its study when the
study is stored, with its sections and passages in reading order (mapped onto
`tables.full_texts`, `tables.full_text_sections`, `tables.full_text_passages`).

An article PMC withholds is a row with status "not_open", the date it was asked for and
PMC's notice, and no sections or passages.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.orm import Mapped, relationship

from ldn_evidence.models import tables
from ldn_evidence.models.base import Base

if TYPE_CHECKING:
    from ldn_evidence.models.studies import Study


class FullText(Base):
    __table__ = tables.full_texts

    id: Mapped[int]
    study_id: Mapped[int | None]  # NULL until the study is stored; one full text a study
    pmcid: Mapped[str]
    pmid: Mapped[str | None]
    status: Mapped[str]
    origin: Mapped[str]  # "efetch" or "file", as for studies
    title: Mapped[str | None]
    article_type: Mapped[str | None]
    license_name: Mapped[str | None]
    license_url: Mapped[str | None]
    license_type: Mapped[str | None]
    license_text: Mapped[str | None]
    copyright: Mapped[str | None]
    notice: Mapped[str | None]
    fetched_at: Mapped[datetime]
    raw_xml: Mapped[str | None]
    raw_sha256: Mapped[str | None]

    study: Mapped[Study | None] = relationship()
    sections: Mapped[list[FullTextSection]] = relationship(
        back_populates="full_text",
        cascade="all, delete-orphan",
        order_by="FullTextSection.position",
    )
    passages: Mapped[list[FullTextPassage]] = relationship(
        back_populates="full_text",
        cascade="all, delete-orphan",
        order_by="FullTextPassage.position",
    )


class FullTextSection(Base):
    """A section: its title, kind (`vocab.SECTION_KINDS`), depth, and its parent's
    position among the full text's sections."""

    __table__ = tables.full_text_sections

    id: Mapped[int]
    full_text_id: Mapped[int]
    position: Mapped[int]
    parent_position: Mapped[int | None]
    depth: Mapped[int]
    title: Mapped[str]
    kind: Mapped[str]

    full_text: Mapped[FullText] = relationship(back_populates="sections")


class FullTextPassage(Base):
    """A paragraph, table, figure caption or footnote (`vocab.PASSAGE_KINDS`): `number`
    counts paragraphs within their section, the other kinds through the article."""

    __table__ = tables.full_text_passages

    id: Mapped[int]
    full_text_id: Mapped[int]
    section_id: Mapped[int | None]
    position: Mapped[int]
    number: Mapped[int]
    kind: Mapped[str]
    label: Mapped[str | None]
    cells: Mapped[int]
    text: Mapped[str]

    full_text: Mapped[FullText] = relationship(back_populates="passages")
    section: Mapped[FullTextSection | None] = relationship()
