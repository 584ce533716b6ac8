"""Retraction Watch notices, as Crossref publishes the database (one CSV row each; mapped
onto `tables.retraction_notices`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Mapped

from ldn_evidence.models import tables
from ldn_evidence.models.base import Base


class RetractionNotice(Base):
    """A retraction, correction, expression of concern or reinstatement of a paper.

    Studies are matched by PMID or DOI when they are read (`Study.retraction_notices`),
    so a study fetched after the import is flagged too. DOIs are kept lower-case.
    """

    __table__ = tables.retraction_notices

    id: Mapped[int]
    record_id: Mapped[int]  # Retraction Watch's
    nature: Mapped[str]
    notice_date: Mapped[str | None]  # ISO date
    notice_doi: Mapped[str | None]
    notice_pmid: Mapped[str | None]
    original_date: Mapped[str | None]
    original_doi: Mapped[str | None]
    original_pmid: Mapped[str | None]
    title: Mapped[str | None]
    journal: Mapped[str | None]
    publisher: Mapped[str | None]
    article_type: Mapped[str | None]
    reasons: Mapped[list[str] | None]
    urls: Mapped[list[str] | None]
    notes: Mapped[str | None]
    row_sha256: Mapped[str]  # the row's values: unchanged rows skip
    imported_at: Mapped[datetime]
    updated_at: Mapped[datetime]
