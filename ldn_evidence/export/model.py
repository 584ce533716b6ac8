"""The report as plain data: what every output format renders. No ORM object escapes.

`dataclasses.asdict(report)` is the JSON export's shape (see `schema.json`), so field
names here are part of the documented `ldn-evidence/1` format.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

SCHEMA = "ldn-evidence/1"


@dataclass(frozen=True)
class Author:
    family: str | None
    given: str | None
    initials: str | None
    literal: str | None  # a collective (group) author
    display: str


@dataclass(frozen=True)
class StudyRecord:
    pmid: str
    doi: str | None
    pmcid: str | None
    title: str
    authors: list[Author]
    journal: str | None
    journal_iso: str | None
    issn: str | None
    year: int | None
    pub_date: str | None
    volume: str | None
    issue: str | None
    pages: str | None
    language: str | None
    abstract: str | None
    publication_types: list[str]
    evidence_level: str | None  # NULL until graded; reports show "ungraded"
    retracted: bool
    flags: list[str]
    origin: str
    record_sha256: str | None
    record_version: str  # short sha256, or "curated"
    url: str
    citation: str  # AMA-style reference string


@dataclass(frozen=True)
class ReferenceEntry:
    id: int
    raw: str
    kind: str
    url: str | None
    title: str | None
    pmid: str | None
    doi: str | None
    status: str
    error: str | None


@dataclass(frozen=True)
class CitationEntry:
    id: int
    origin: str
    origin_label: str
    source_kind: str
    verdict: str
    verdict_origin: str
    study_figure: str | None
    evidence_sentence: str | None
    reason: str | None
    note: str | None
    checked_at: str | None
    checked_by: str | None
    checked_record_sha256: str | None
    reference: ReferenceEntry | None
    study: StudyRecord | None

    @property
    def reviewer(self) -> str:
        if self.checked_by:
            return self.checked_by
        return "automatic" if self.checked_at else ""

    @property
    def source_label(self) -> str:
        """A one-line name for a source that is not a stored study."""
        ref = self.reference
        if ref is None:
            return ""
        return ref.title or ref.url or ref.raw


@dataclass(frozen=True)
class Figure:
    value: float
    unit: str | None
    qualifier: str | None
    text: str | None


@dataclass(frozen=True)
class ClaimEntry:
    id: int
    document_id: int | None
    position: int | None
    text: str
    kind: str | None
    figure: Figure | None
    figure_label: str
    condition: str | None
    intervention: str | None
    dose: str | None
    outcome: str | None
    population: str | None
    unsourced: bool
    citations: list[CitationEntry]


@dataclass(frozen=True)
class DocumentEntry:
    id: int
    title: str | None
    url: str | None
    version: int
    publisher: str | None
    retrieved_at: str | None
    content_sha256: str | None
    references: list[ReferenceEntry]
    claims: list[ClaimEntry]

    @property
    def unresolved_references(self) -> list[ReferenceEntry]:
        return [
            r for r in self.references if r.kind != "web" and r.status not in ("resolved", "web")
        ]

    @property
    def web_references(self) -> list[ReferenceEntry]:
        return [r for r in self.references if r.status == "web" or r.kind == "web"]


@dataclass(frozen=True)
class Summary:
    """Counts at the top of a report. Verdicts are counted per claim–source pair."""

    claims: int
    citations: int
    supported: int
    partially_supported: int
    unsupported: int  # not_supported + contradicted
    not_in_abstract: int
    unchecked: int
    unsourced: int  # claims with a figure and nothing cited
    retracted_sources: int  # distinct retracted studies cited


@dataclass(frozen=True)
class Filters:
    document_ids: list[int] | None
    claim_ids: list[int] | None
    verdict: str | None
    pmids: list[str] | None


@dataclass(frozen=True)
class Report:
    schema: str
    generated_at: str
    filters: Filters
    summary: Summary
    documents: list[DocumentEntry]
    claims_without_document: list[ClaimEntry] = field(default_factory=list)

    def all_claims(self) -> Iterator[ClaimEntry]:
        for doc in self.documents:
            yield from doc.claims
        yield from self.claims_without_document

    def studies(self) -> list[StudyRecord]:
        """The studies cited, deduplicated by PMID, in order of first citation."""
        seen: dict[str, StudyRecord] = {}
        for claim in self.all_claims():
            for citation in claim.citations:
                if citation.study is not None and citation.study.pmid not in seen:
                    seen[citation.study.pmid] = citation.study
        return list(seen.values())
