"""Evidence level of a study record, from the grading table (verification.grading)."""

from __future__ import annotations

from ldn_evidence.pubmed.records import ArticleRecord


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
