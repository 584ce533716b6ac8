"""A study's full text as `studies show` shows it (`FullTextBrief`, and `FullTextView` with
`--full-text`), built from rows read by attribute: mapped entities (`services.fulltext`)
or Core rows shaped as them (`services.show_rows`). Imports no ORM."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from ldn_evidence.viewmodel import (
    FullTextBrief,
    FullTextSectionView,
    FullTextView,
    PassageView,
    extend,
)
from ldn_evidence.vocab import PASSAGE_KINDS, pmc_article_url

if TYPE_CHECKING:  # what the builders read: mapped entities, or rows shaped as them
    from ldn_evidence.models import FullText, FullTextPassage


def passage_location(row: FullText, passage: FullTextPassage) -> str:
    """Where a stored passage is: "full text, Results › Pain, ¶4", "Table 2" …"""
    from ldn_evidence.pubmed.jats_records import location, section_path

    sections = [(s.title, s.parent_position) for s in row.sections]
    at = passage.section.position if passage.section is not None else None
    return location(passage.kind, passage.number, passage.label, section_path(sections, at))


def full_text_brief(row: FullText) -> FullTextBrief:
    counts = Counter(p.kind for p in row.passages)
    per_section = Counter(p.section.position for p in row.passages if p.section is not None)
    return brief_of(row, counts, per_section)


def brief_of(row: FullText, counts: Counter[str], per_section: Counter[int]) -> FullTextBrief:
    return FullTextBrief(
        pmcid=row.pmcid,
        status=row.status,
        license=row.license_name,
        license_url=row.license_url,
        copyright=row.copyright,
        origin=row.origin,
        fetched_at=row.fetched_at.isoformat() if row.fetched_at else None,
        notice=row.notice,
        url=pmc_article_url(row.pmcid),
        counts={kind: counts[kind] for kind in PASSAGE_KINDS if counts[kind]},
        sections=[
            FullTextSectionView(
                title=s.title, kind=s.kind, depth=s.depth, passages=per_section[s.position]
            )
            for s in row.sections
        ],
    )


def full_text_view(row: FullText) -> FullTextView:
    return extend(
        full_text_brief(row),
        FullTextView,
        title=row.title,
        passages=[
            PassageView(location=passage_location(row, p), kind=p.kind, text=p.text)
            for p in row.passages
        ],
    )
