"""Ranking studies on one question: evidence level first, then size, then date (pure).

A retracted study (PubMed's flag or a Retraction Watch notice) ranks after every other,
whatever its design. "Stronger" than the studies a claim cites means a stronger level, or
the same level and more participants, than the best-ranked cited study that is not
retracted; a newer date alone makes no study stronger. When a claim cites no study (or
only retracted ones) every study that is not retracted is stronger.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ldn_evidence.vocab import level_rank


@dataclass(frozen=True, slots=True)
class Candidate:
    pmid: str
    level: str | None  # a `vocab.LEVELS` key; None is ungraded
    participants: int | None
    year: int | None
    article_date: str | None  # "YYYY-MM-DD": orders studies of one year
    retracted: bool
    cited: bool


def _date(c: Candidate) -> int:
    digits = (c.article_date or "").replace("-", "")
    return int(digits) if digits.isdigit() else (c.year or 0) * 10_000


def strength(c: Candidate) -> tuple[int, int]:
    """Level rank (1 strongest), then more participants first; an unknown size is 0."""
    return (level_rank(c.level), -(c.participants or 0))


def rank(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Strongest first: not retracted, level, size, newest, then PMID for a fixed order."""
    return sorted(
        candidates,
        key=lambda c: (c.retracted, *strength(c), -(c.year or 0), -_date(c), int(c.pmid)),
    )


def stronger_than_cited(ranked: list[Candidate]) -> set[str]:
    """PMIDs of the studies not cited that are stronger than the cited ones (see above)."""
    best = next((c for c in ranked if c.cited and not c.retracted), None)
    return {
        c.pmid
        for c in ranked
        if not c.cited and not c.retracted and (best is None or strength(c) < strength(best))
    }
