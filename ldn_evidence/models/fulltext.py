"""Full texts from PubMed Central: one per article (PMCID), linked to its study when the
study is stored, with its sections and passages in reading order.

An article PMC withholds is a row with status "not_open", the date it was asked for and
PMC's notice, and no sections or passages.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ldn_evidence.models.base import Base, UTCDateTime, one_of, utcnow
from ldn_evidence.vocab import FULL_TEXT_STATUSES, PASSAGE_KINDS, SECTION_KINDS

if TYPE_CHECKING:
    from ldn_evidence.models.studies import Study


class FullText(Base):
    __tablename__ = "full_texts"
    __table_args__ = (one_of("status", FULL_TEXT_STATUSES, name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # NULL until the study is stored (a local file imported first); one full text a study
    study_id: Mapped[int | None] = mapped_column(
        ForeignKey("studies.id", ondelete="SET NULL"), unique=True
    )
    pmcid: Mapped[str] = mapped_column(String(20), unique=True)
    pmid: Mapped[str | None] = mapped_column(String(20), index=True)
    status: Mapped[str] = mapped_column(String(10))
    origin: Mapped[str] = mapped_column(String(10))  # "efetch" or "file", as for studies
    title: Mapped[str | None] = mapped_column(Text)
    article_type: Mapped[str | None] = mapped_column(String(100))
    license_name: Mapped[str | None] = mapped_column(String(100))
    license_url: Mapped[str | None] = mapped_column(String(500))
    license_type: Mapped[str | None] = mapped_column(String(100))
    license_text: Mapped[str | None] = mapped_column(Text)
    copyright: Mapped[str | None] = mapped_column(Text)
    notice: Mapped[str | None] = mapped_column(Text)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    raw_xml: Mapped[str | None] = mapped_column(Text)
    raw_sha256: Mapped[str | None] = mapped_column(String(64))

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

    __tablename__ = "full_text_sections"
    __table_args__ = (one_of("kind", SECTION_KINDS, name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    full_text_id: Mapped[int] = mapped_column(
        ForeignKey("full_texts.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    parent_position: Mapped[int | None] = mapped_column(Integer)
    depth: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(20))

    full_text: Mapped[FullText] = relationship(back_populates="sections")


class FullTextPassage(Base):
    """A paragraph, table, figure caption or footnote (`vocab.PASSAGE_KINDS`): `number`
    counts paragraphs within their section, the other kinds through the article."""

    __tablename__ = "full_text_passages"
    __table_args__ = (one_of("kind", PASSAGE_KINDS, name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    full_text_id: Mapped[int] = mapped_column(
        ForeignKey("full_texts.id", ondelete="CASCADE"), index=True
    )
    section_id: Mapped[int | None] = mapped_column(
        ForeignKey("full_text_sections.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    label: Mapped[str | None] = mapped_column(String(200))
    cells: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)

    full_text: Mapped[FullText] = relationship(back_populates="passages")
    section: Mapped[FullTextSection | None] = relationship()
