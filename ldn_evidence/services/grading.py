"""Evidence levels: a study record's (from the grading table, verification.grading), and
the level filters of `claims list` and `studies list`."""

from __future__ import annotations

from ldn_evidence.errors import InputError
from ldn_evidence.pubmed.records import ArticleRecord
from ldn_evidence.vocab import LEVEL_KEYS, RETRACTED_LEVEL, levels_at_least


def check_level(level: str) -> str:
    """`level` if it is an evidence level key, else InputError listing them."""
    if level not in LEVEL_KEYS:
        raise InputError(f"unknown level {level!r}; choose one of {', '.join(LEVEL_KEYS)}")
    return level


def levels_from(level: str) -> list[str]:
    """The levels "at `level` or stronger" selects; "retracted" selects retracted studies
    only (a retracted study counts as evidence at no level)."""
    if check_level(level) == RETRACTED_LEVEL:
        return [RETRACTED_LEVEL]
    return levels_at_least(level)


def grade_curated(publication_types: list[str], title: str) -> str:
    """Level of a curated study (no abstract): from its publication types and title."""
    from ldn_evidence.verification.grading import grade_study

    return grade_study(publication_types, title, "", []).level


def grade_record(record: ArticleRecord) -> str | None:
    from ldn_evidence.verification.grading import grade_study

    grade = grade_study(
        [t.name for t in record.publication_types],
        record.title,
        record.abstract,
        [link.ref_type for link in record.links],
    )
    return grade.level
