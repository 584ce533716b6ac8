"""`watch`: each run over the cited studies, each study's check, and what changed (mapped
onto `tables.watch_runs`, `tables.study_checks`, `tables.study_changes`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Mapped, relationship

from ldn_evidence.models import tables
from ldn_evidence.models.base import Base


class WatchRun(Base):
    """One `watch`: when, over which document's citations (all when NULL), and whether it
    got through (`finished_at`; a run PubMed broke off keeps the batches it checked)."""

    __table__ = tables.watch_runs

    id: Mapped[int]
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    document_id: Mapped[int | None]

    checks: Mapped[list[StudyCheck]] = relationship(
        back_populates="run", cascade="all, delete-orphan", order_by="StudyCheck.id"
    )


class StudyCheck(Base):
    """One cited study re-fetched by a run: the outcome and what the record looked like
    (`snapshot`: title, abstract digest, publication types, links), which the next check
    compares with."""

    __table__ = tables.study_checks

    id: Mapped[int]
    run_id: Mapped[int]
    study_id: Mapped[int]
    checked_at: Mapped[datetime]
    outcome: Mapped[str]
    record_sha256: Mapped[str | None]
    snapshot: Mapped[dict[str, Any] | None]

    run: Mapped[WatchRun] = relationship(back_populates="checks")
    changes: Mapped[list[StudyChange]] = relationship(
        back_populates="check", cascade="all, delete-orphan", order_by="StudyChange.id"
    )


class StudyChange(Base):
    """One thing a check found changed: a new retraction, erratum, … (`vocab.ChangeKind`),
    from the PubMed record or from a Retraction Watch notice imported since."""

    __table__ = tables.study_changes

    id: Mapped[int]
    check_id: Mapped[int]
    kind: Mapped[str]
    source: Mapped[str]
    detail: Mapped[str | None]

    check: Mapped[StudyCheck] = relationship(back_populates="changes")
