"""`import-retractions`: Retraction Watch notices stored, matched to studies, as flags.

Notices are stored whether or not a stored study matches them yet: a study is matched by
PMID or DOI whenever it is read (`Study.retraction_notices`), so one fetched later is
flagged too. Importing is idempotent: a row already stored with the same values is left
alone, a changed row (same Record ID) is updated; each chunk of rows is one transaction,
so an interrupted import resumes when run again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session, selectinload

from ldn_evidence.models import RetractionNotice, Study, utcnow
from ldn_evidence.viewmodel import FlaggedStudy, RetractionImport, RetractionNoticeView
from ldn_evidence.vocab import RetractionNature

if TYPE_CHECKING:  # the CSV reader is imported by `import_retractions`, not by every view
    from ldn_evidence.services.retraction_csv import BadRow, NoticeRow

UnitOfWork = Callable[[], AbstractContextManager[Session]]
CHUNK = 1000

# A notice's flag on the study it names; a reinstatement lifts the retraction and the
# expression of concern dated before it.
_NATURE_FLAGS = {
    RetractionNature.RETRACTION.value: "retracted",
    RetractionNature.EXPRESSION_OF_CONCERN.value: "expression of concern",
    RetractionNature.CORRECTION.value: "correction",
    RetractionNature.REINSTATEMENT.value: "reinstated",
}
_LIFTED = ("retracted", "expression of concern")


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
    from ldn_evidence.services.views import study_flags

    return FlaggedStudy(
        pmid=study.pmid,
        title=study.title,
        flags=study_flags(study),
        notices=notice_views(study),
        cited_by_claims=sorted({c.claim_id for c in study.citations}),
    )


def notice_flags(natures: Iterable[tuple[str | None, int, str]]) -> list[str]:
    """The flags notices give a study: `natures` are (date, record id, nature). In date
    order a reinstatement lifts the retraction and expression of concern before it."""
    flags: list[str] = []
    for _date, _rid, nature in sorted(natures, key=lambda n: (n[0] or "", n[1])):
        flag = _NATURE_FLAGS.get(nature)
        if flag == "reinstated":
            flags = [f for f in flags if f not in _LIFTED]
        elif flag == "retracted" and "reinstated" in flags:
            flags.remove("reinstated")
        if flag and flag not in flags:
            flags.append(flag)
    return flags


def study_notice_flags(study: Study) -> list[str]:
    return notice_flags((n.notice_date, n.record_id, n.nature) for n in study.retraction_notices)


def notice_views(study: Study) -> list[RetractionNoticeView]:
    from ldn_evidence.services.views import iso

    return [
        RetractionNoticeView(
            record_id=n.record_id,
            nature=n.nature,
            date=n.notice_date,
            notice_doi=n.notice_doi,
            notice_pmid=n.notice_pmid,
            reasons=list(n.reasons or []),
            matched_by="pmid" if n.original_pmid == study.pmid else "doi",
            imported_at=iso(n.imported_at),
        )
        for n in study.retraction_notices
    ]
