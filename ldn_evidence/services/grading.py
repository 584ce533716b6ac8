"""Evidence levels: a study record's (from the grading table, verification.grading), and
the level filters of `claims list` and `studies list`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ldn_evidence.errors import InputError
from ldn_evidence.vocab import LEVEL_KEYS, RETRACTED_LEVEL, levels_at_least

if TYPE_CHECKING:
    from ldn_evidence.models import Study
    from ldn_evidence.pubmed.records import ArticleRecord


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


def grade_record(record: ArticleRecord, *, abstract: str | None = None) -> str | None:
    """The evidence level stored with a record (`grade_study(...).level`, computed without
    the modifiers, which are read off the abstract when a study is shown). `abstract`:
    `record.abstract` when the caller has joined it already."""
    from ldn_evidence.verification.grading import grade_level

    return grade_level(
        [t.name for t in record.publication_types],
        record.title,
        record.abstract if abstract is None else abstract,
        [link.ref_type for link in record.links],
    )


def level_rule(study: Study) -> str:
    """The design rule that decided the study's stored evidence level, in words
    (`verification.grading.design_rule`). A level stored under older rules says so, with
    the level the current rules give and how to update it."""
    from ldn_evidence.verification.grading import grade_rule

    if study.evidence_level is None:
        return "not graded yet"
    level, rule = grade_rule(
        [t.name for t in study.publication_types],
        study.title or "",
        study.abstract or "",
        [link.ref_type for link in study.links],
    )
    if level == study.evidence_level:
        return rule
    return (
        f"graded {study.evidence_level} when stored; the current rules give {level} "
        f"({rule}): `ldn-evidence fetch --refresh {study.pmid}` updates it"
    )
