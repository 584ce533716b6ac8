"""What changed between two versions of a PubMed record (pure: no database, no network).

A version is reduced to a snapshot (`study_snapshot` of a stored study,
`record_snapshot` of a parsed record): the title, a digest of the abstract, the
publication types and the CommentsCorrections links. `compare` lists the changes a
pharmacist needs to hear of (`vocab.ChangeKind`), each with a one-line detail.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from ldn_evidence.models import Study
from ldn_evidence.vocab import CHANGE_KINDS, ChangeKind

if TYPE_CHECKING:
    from ldn_evidence.pubmed.records import ArticleRecord

Snapshot = dict[str, Any]

LINK_CHANGES: dict[str, str] = {
    "RetractionIn": ChangeKind.RETRACTED.value,
    "RetractedandRepublishedIn": ChangeKind.RETRACTED.value,
    "ExpressionOfConcernIn": ChangeKind.EXPRESSION_OF_CONCERN.value,
    "ErratumIn": ChangeKind.ERRATUM.value,
    "CorrectedandRepublishedIn": ChangeKind.CORRECTION.value,
    "UpdateIn": ChangeKind.CORRECTION.value,
    "CommentIn": ChangeKind.COMMENT.value,
}
"""A new CommentsCorrections link of these types is a change of this kind."""
RETRACTED_TYPE = "Retracted Publication"
_SHOWN = 120  # characters of a title shown in a change's detail


def _snapshot(
    title: str, abstract: str, types: list[str], links: list[tuple[str, str, str]]
) -> Snapshot:
    return {
        "title": " ".join(title.split()),
        "abstract_sha256": hashlib.sha256(abstract.encode("utf-8")).hexdigest(),
        "abstract_chars": len(abstract),
        "publication_types": sorted(set(types)),
        "links": [list(link) for link in sorted(set(links))],
    }


def study_snapshot(study: Study) -> Snapshot:
    """The stored study's snapshot."""
    return _snapshot(
        study.title or "",
        study.abstract or "",
        [t.name for t in study.publication_types],
        [(x.ref_type, x.pmid or "", x.ref_source or "") for x in study.links],
    )


def record_snapshot(record: ArticleRecord) -> Snapshot:
    """A parsed record's snapshot (stored as `store_article` would store it)."""
    return _snapshot(
        record.title,
        record.abstract or "",
        [t.name for t in record.publication_types],
        [(x.ref_type, x.pmid or "", x.ref_source or "") for x in record.links],
    )


def compare(old: Snapshot, new: Snapshot) -> list[tuple[str, str]]:
    """The changes from `old` to `new`: (kind, detail). New links first, in the order of
    `vocab.CHANGE_KINDS` (retractions first), then publication types, title, abstract."""
    changes: list[tuple[str, str]] = []
    known = {(ref_type, pmid or source) for ref_type, pmid, source in old.get("links", [])}
    for ref_type, pmid, source in new.get("links", []):
        kind = LINK_CHANGES.get(ref_type)
        if kind is None or (ref_type, pmid or source) in known:
            continue
        where = f"PMID {pmid}" if pmid else "no PMID"
        changes.append((kind, f"{ref_type} {where}" + (f": {source}" if source else "")))
    changes.sort(key=lambda change: CHANGE_KINDS.index(change[0]))  # retractions first
    old_types, new_types = set(old.get("publication_types", [])), set(new["publication_types"])
    if RETRACTED_TYPE in new_types - old_types and not any(
        k == ChangeKind.RETRACTED for k, _ in changes
    ):
        changes.insert(0, (ChangeKind.RETRACTED.value, f"publication type {RETRACTED_TYPE}"))
    if old_types != new_types:
        parts = [f"added {t}" for t in sorted(new_types - old_types)]
        parts += [f"removed {t}" for t in sorted(old_types - new_types)]
        changes.append((ChangeKind.PUBLICATION_TYPES_CHANGED.value, "; ".join(parts)))
    if old.get("title") != new["title"]:
        changes.append(
            (
                ChangeKind.TITLE_CHANGED.value,
                f"{_short(old.get('title') or '')!r} → {_short(new['title'])!r}",
            )
        )
    if old.get("abstract_sha256") != new["abstract_sha256"]:
        changes.append(
            (
                ChangeKind.ABSTRACT_CHANGED.value,
                f"{old.get('abstract_chars', 0)} → {new['abstract_chars']} characters",
            )
        )
    return changes


def _short(text: str) -> str:
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"
