"""Store PubMed Central full texts and find a study's full text.

A full text is keyed by its PMCID and linked to its study when the study is stored (by
PMID, else PMCID). One imported before its study is found by `full_text_for` all the
same, by the PMID or PMCID it carries, so no command has to link it later.

PMC withholds some articles (their publisher allows no XML download): a `not_open` row
records that, with the date it was asked for and PMC's notice. It never replaces a full
text already stored (from an open-access package, say).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, defer, selectinload

from ldn_evidence.errors import InputError
from ldn_evidence.models import FullText, FullTextPassage, FullTextSection, Study
from ldn_evidence.vocab import FullTextStatus

if TYPE_CHECKING:  # the check's passages are only built for `verify` (imported there)
    from ldn_evidence.pubmed.jats_records import FullTextRecord
    from ldn_evidence.verification.full_text import Passage as CheckPassage

Outcome = Literal["new", "updated", "unchanged", "not_open"]

NO_BODY = "PMC sent the article's front matter only (no body)"
_LOAD = (
    selectinload(FullText.sections),
    selectinload(FullText.passages).selectinload(FullTextPassage.section),
)


def store_full_text(
    *, session: Session, record: FullTextRecord, origin: str, study: Study | None = None
) -> Outcome:
    """Insert or update the full text of `record` (which must have a PMCID).

    "unchanged": the same article (sha256) is stored already; "not_open": PMC withheld
    the body and nothing better is stored. `study` links it; else the stored study with
    its PMID or PMCID, if any.
    """
    if record.pmcid is None:
        raise InputError(f"article {record.title[:60]!r} has no PMCID: not stored")
    row = session.scalars(select(FullText).where(FullText.pmcid == record.pmcid)).first()
    study = study or _study_for(session, record)
    stored_open = row is not None and row.status == FullTextStatus.OPEN
    if row is not None and stored_open and (not record.is_open or row.raw_sha256 == record.sha256):
        _link(session, row, study)
        return "unchanged"
    outcome: Outcome = "updated" if stored_open else "new"
    if row is None:
        row = FullText(pmcid=record.pmcid)
        session.add(row)
    elif row.sections or row.passages:
        row.passages, row.sections = [], []
        session.flush()  # the old rows go before the new ones take their places
    row.pmid = record.pmid or (study.pmid if study is not None else None)
    row.origin = origin
    row.title = record.title or None
    row.article_type = record.article_type
    lic = record.license
    row.license_name = lic.name[:100] if lic is not None else None
    row.license_url = lic.url if lic is not None else None
    row.license_type = lic.type if lic is not None else None
    row.license_text = lic.text if lic is not None else None
    row.copyright = record.copyright
    row.fetched_at = datetime.now(UTC)
    row.raw_xml = record.raw_xml.decode("utf-8", errors="replace")
    row.raw_sha256 = record.sha256
    if not record.is_open:
        row.status, row.notice = FullTextStatus.NOT_OPEN, record.notice or NO_BODY
        _link(session, row, study)
        session.flush()
        return "not_open"
    row.status, row.notice = FullTextStatus.OPEN, None
    sections = [
        FullTextSection(
            position=i, parent_position=s.parent, depth=s.depth, title=s.title, kind=s.kind
        )
        for i, s in enumerate(record.sections)
    ]
    row.sections = sections
    row.passages = [
        FullTextPassage(
            position=i,
            number=p.number,
            kind=p.kind,
            label=p.label,
            cells=p.cells,
            text=p.text,
            section=sections[p.section] if p.section is not None else None,
        )
        for i, p in enumerate(record.passages)
    ]
    _link(session, row, study)
    session.flush()
    return outcome


def _study_for(session: Session, record: FullTextRecord) -> Study | None:
    if record.pmid:
        study = session.scalars(select(Study).where(Study.pmid == record.pmid)).first()
        if study is not None:
            return study
    return session.scalars(select(Study).where(Study.pmcid == record.pmcid)).first()


def _link(session: Session, row: FullText, study: Study | None) -> None:
    if study is None or row.study_id == study.id:
        return
    session.flush()
    other = session.scalars(
        select(FullText).where(FullText.study_id == study.id, FullText.id != row.id)
    ).first()
    if other is not None:  # the study's PMCID changed: the newer article is its full text
        other.study = None
        session.flush()
    row.study = study
    session.flush()


def full_text_for(*, session: Session, study: Study) -> FullText | None:
    """The study's full text (sections and passages loaded, the article's XML left
    unloaded): linked to it, or stored before it with its PMID or PMCID. None when there
    is none.

    `studies show` reads it as Core rows (`show_rows.read_full_text`); this ORM reading
    is their test oracle (tests/cli/test_show_core.py)."""
    unlinked = [FullText.pmid == study.pmid]
    if study.pmcid:
        unlinked.append(FullText.pmcid == study.pmcid)
    rows = session.scalars(
        select(FullText)
        .options(*_LOAD, defer(FullText.raw_xml))
        .where(
            or_(
                FullText.study_id == study.id,
                and_(FullText.study_id.is_(None), or_(*unlinked)),
            )
        )
        .order_by(FullText.study_id.is_(None), FullText.id.desc())
    ).all()
    return rows[0] if rows else None


def check_passages(row: FullText) -> list[CheckPassage]:
    """The stored passages as the full-text check reads them (`verification.full_text`):
    each with its location, its section's kind and its top-level section."""
    from ldn_evidence.services.fulltext_views import passage_location  # the views: not to store
    from ldn_evidence.verification.full_text import Passage as CheckPassage

    by_position = {s.position: s for s in row.sections}

    def top(section: FullTextSection) -> int:
        seen = 0
        while section.parent_position is not None and seen < len(by_position):
            parent = by_position.get(section.parent_position)
            if parent is None or parent.position >= section.position:
                break
            section, seen = parent, seen + 1
        return section.position

    return [
        CheckPassage(
            text=p.text,
            location=passage_location(row, p),
            kind=p.kind,
            section_kind=p.section.kind if p.section is not None else None,
            group=top(p.section) if p.section is not None else None,
        )
        for p in row.passages
    ]
