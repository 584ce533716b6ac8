"""Retraction Watch notices, as Crossref publishes the database (one CSV row each)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ldn_evidence.models.base import Base, UTCDateTime, one_of, utcnow
from ldn_evidence.vocab import RETRACTION_NATURES


class RetractionNotice(Base):
    """A retraction, correction, expression of concern or reinstatement of a paper.

    Studies are matched by PMID or DOI when they are read (`Study.retraction_notices`),
    so a study fetched after the import is flagged too. DOIs are kept lower-case.
    """

    __tablename__ = "retraction_notices"
    __table_args__ = (one_of("nature", RETRACTION_NATURES, name="nature"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(BigInteger, unique=True)  # Retraction Watch's
    nature: Mapped[str] = mapped_column(String(30))
    notice_date: Mapped[str | None] = mapped_column(String(10))  # ISO date
    notice_doi: Mapped[str | None] = mapped_column(String(255))
    notice_pmid: Mapped[str | None] = mapped_column(String(16))
    original_date: Mapped[str | None] = mapped_column(String(10))
    original_doi: Mapped[str | None] = mapped_column(String(255), index=True)
    original_pmid: Mapped[str | None] = mapped_column(String(16), index=True)
    title: Mapped[str | None] = mapped_column(Text)
    journal: Mapped[str | None] = mapped_column(String(500))
    publisher: Mapped[str | None] = mapped_column(String(500))
    article_type: Mapped[str | None] = mapped_column(String(500))
    reasons: Mapped[list[str] | None] = mapped_column(JSON)
    urls: Mapped[list[str] | None] = mapped_column(JSON)
    notes: Mapped[str | None] = mapped_column(Text)
    row_sha256: Mapped[str] = mapped_column(String(64))  # the row's values: unchanged rows skip
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
