"""`watch`: each run over the cited studies, each study's check, and what changed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ldn_evidence.models.base import Base, UTCDateTime, one_of, utcnow
from ldn_evidence.vocab import CHANGE_KINDS, CHANGE_SOURCES, CHECK_OUTCOMES


class WatchRun(Base):
    """One `watch`: when, over which document's citations (all when NULL), and whether it
    got through (`finished_at`; a run PubMed broke off keeps the batches it checked)."""

    __tablename__ = "watch_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("source_documents.id", ondelete="SET NULL"), index=True
    )

    checks: Mapped[list[StudyCheck]] = relationship(
        back_populates="run", cascade="all, delete-orphan", order_by="StudyCheck.id"
    )


class StudyCheck(Base):
    """One cited study re-fetched by a run: the outcome and what the record looked like
    (`snapshot`: title, abstract digest, publication types, links), which the next check
    compares with."""

    __tablename__ = "study_checks"
    __table_args__ = (one_of("outcome", CHECK_OUTCOMES, name="outcome"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("watch_runs.id", ondelete="CASCADE"), index=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id", ondelete="CASCADE"), index=True)
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    outcome: Mapped[str] = mapped_column(String(20))
    record_sha256: Mapped[str | None] = mapped_column(String(64))
    snapshot: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    run: Mapped[WatchRun] = relationship(back_populates="checks")
    changes: Mapped[list[StudyChange]] = relationship(
        back_populates="check", cascade="all, delete-orphan", order_by="StudyChange.id"
    )


class StudyChange(Base):
    """One thing a check found changed: a new retraction, erratum, … (`vocab.ChangeKind`),
    from the PubMed record or from a Retraction Watch notice imported since."""

    __tablename__ = "study_changes"
    __table_args__ = (
        one_of("kind", CHANGE_KINDS, name="kind"),
        one_of("source", CHANGE_SOURCES, name="source"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    check_id: Mapped[int] = mapped_column(
        ForeignKey("study_checks.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(String(20))
    detail: Mapped[str | None] = mapped_column(Text)

    check: Mapped[StudyCheck] = relationship(back_populates="changes")
