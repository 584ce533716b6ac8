"""`import-retractions`: Retraction Watch notices stored, matched to studies, as flags.

Notices are stored whether or not a stored study matches them yet: a study is matched by
PMID or DOI whenever it is read (`Study.retraction_notices`), so one fetched later is
flagged too. Importing is idempotent: a row already stored with the same values is left
alone, a changed row (same Record ID) is updated; each chunk of rows is one transaction,
so an interrupted import resumes when run again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session, selectinload

from ldn_evidence.models import RetractionNotice, Study, utcnow
from ldn_evidence.services.views import notice_views, study_flags
from ldn_evidence.viewmodel import FlaggedStudy, RetractionImport

if TYPE_CHECKING:  # the CSV reader is imported by `import_retractions`, not by every view
    from ldn_evidence.services.retraction_csv import BadRow, NoticeRow

UnitOfWork = Callable[[], AbstractContextManager[Session]]
CHUNK = 1000


@dataclass
class _Counts:
    rows: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    bad: int = 0


def import_retractions(
    *,
    units: UnitOfWork,
    path: Path,
    on_bad_row: Callable[[BadRow], None] | None = None,
    chunk_size: int = CHUNK,
) -> RetractionImport:
    """Store the notices of the Retraction Watch CSV at `path`; `on_bad_row` hears of each
    row that cannot be read (it is skipped). Returns the counts and every stored study a
    notice names."""
    from ldn_evidence.services.retraction_csv import BadRow, read_notices

    counts = _Counts()
    chunk: dict[int, NoticeRow] = {}
    for item in read_notices(path):
        if isinstance(item, BadRow):
            counts.bad += 1
            if on_bad_row is not None:
                on_bad_row(item)
            continue
        counts.rows += 1
        if item.record_id in chunk:  # the same record twice: the later row wins
            _store(units, chunk, counts)
            chunk = {}
        chunk[item.record_id] = item
        if len(chunk) >= chunk_size:
            _store(units, chunk, counts)
            chunk = {}
    if chunk:
        _store(units, chunk, counts)
    with units() as session:
        flagged = [flagged_study(s) for s in flagged_studies(session=session)]
    return RetractionImport(
        file=str(path),
        rows=counts.rows,
        new=counts.new,
        updated=counts.updated,
        unchanged=counts.unchanged,
        bad_rows=counts.bad,
        flagged_studies=flagged,
    )


def _store(units: UnitOfWork, chunk: dict[int, NoticeRow], counts: _Counts) -> None:
    with units() as session:
        rows = session.execute(
            select(RetractionNotice.record_id, RetractionNotice.row_sha256).where(
                RetractionNotice.record_id.in_(list(chunk))
            )
        )
        stored = {rid: sha for rid, sha in rows}
        new = [_values(row) for rid, row in chunk.items() if rid not in stored]
        if new:
            session.execute(insert(RetractionNotice), new)
        counts.new += len(new)
        for rid, row in chunk.items():
            if rid not in stored:
                continue
            if stored[rid] == row.sha256:
                counts.unchanged += 1
                continue
            session.execute(
                update(RetractionNotice)
                .where(RetractionNotice.record_id == rid)
                .values(**_values(row), updated_at=utcnow())
            )
            counts.updated += 1


def _values(row: NoticeRow) -> dict[str, object]:
    return {**asdict(row), "row_sha256": row.sha256}


def flagged_studies(*, session: Session, pmids: Sequence[str] | None = None) -> list[Study]:
    """Stored studies a notice names (of `pmids`, when given), by PMID."""
    query = (
        select(Study)
        .options(
            selectinload(Study.retraction_notices),
            selectinload(Study.citations),
            selectinload(Study.publication_types),
            selectinload(Study.links),
        )
        .where(Study.retraction_notices.any())
    )
    if pmids is not None:
        query = query.where(Study.pmid.in_(list(pmids)))
    return sorted(session.scalars(query), key=lambda s: int(s.pmid))


def flagged_study(study: Study) -> FlaggedStudy:
    return FlaggedStudy(
        pmid=study.pmid,
        title=study.title,
        flags=study_flags(study),
        notices=notice_views(study),
        cited_by_claims=sorted({c.claim_id for c in study.citations}),
    )
