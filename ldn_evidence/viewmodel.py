"""The views: what every command shows and every export renders, as frozen dataclasses.

`services.views` and `services.report` build them from stored rows; `dataclasses.asdict`
of a view is its `--json` output, the terminal tables read their attributes, and the
export formats (`ldn_evidence.export`) render a `Report`. No ORM object escapes into a view,
so nothing that prints or renders touches the database.

Field names and order are the keys and key order of the JSON outputs: `claims list|show`,
`studies list|show`, `documents list|show`, `claims add|cite|check`, and the export's
documented `ldn-evidence/3` format (`export/schema.json`), which allows no other keys.
A view that shows more than another extends it (`extend`); where two outputs give a field
a different shape (a claim's `citations`: a count in lists, the citations in `show`) the
class is generic in that field.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from itertools import islice
from typing import Any, Generic, TypeVar, overload

from ldn_evidence.vocab import ReferenceKind, ResolutionStatus, pmc_article_url, pubmed_url

SCHEMA = "ldn-evidence/3"

_V = TypeVar("_V")
_A = TypeVar("_A")  # how a study view shows an author
_C = TypeVar("_C")  # how a claim view shows its citations


def extend(view: Any, cls: type[_V], **more: Any) -> _V:
    """`view` as `cls`, a view that extends its class: its fields, then `more` (which may
    also replace a field, as generic views do)."""
    return cls(**{**{f.name: getattr(view, f.name) for f in fields(view)}, **more})


# ---- shared by the commands and the report ----------------------------------------------------


@dataclass(frozen=True)
class Figure:
    value: float
    unit: str | None
    qualifier: str | None
    text: str | None


@dataclass(frozen=True)
class DocumentBrief:
    id: int
    title: str | None
    url: str | None
    version: int
    publisher: str | None
    retrieved_at: str | None
    content_sha256: str | None


@dataclass(frozen=True)
class ReferenceEntry:
    """A page's reference as written, and what it resolved to."""

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
class RedFlag:
    """Something on a page a pharmacist must see first (`vocab.RedFlagKind`), with the
    claims it concerns (page order; reports link to each) and what is wrong, in a line."""

    kind: str
    label: str
    claim_ids: list[int]
    detail: str
    text: str | None  # the claim, or the skipped sentence, it is about
    pmid: str | None
    reference_id: int | None


@dataclass(frozen=True)
class EventView:
    """One verdict change (`citation_events`)."""

    at: str | None
    by: str | None
    origin: str
    old_verdict: str | None
    new_verdict: str
    note: str | None
    record_sha256: str | None


# ---- the commands' views ----------------------------------------------------------------------


@dataclass(frozen=True)
class ReferenceView(ReferenceEntry):
    candidates: list[str] | None  # PMIDs an ambiguous reference may be


@dataclass(frozen=True)
class StudyView(Generic[_A]):
    """A stored study in brief; `studies list` (authors as names) and the base of
    `StudyDetail` (authors in full)."""

    pmid: str
    doi: str | None
    pmcid: str | None
    title: str
    authors: list[_A]
    journal: str | None
    journal_iso: str | None
    year: int | None
    volume: str | None
    issue: str | None
    pages: str | None
    publication_types: list[str]
    evidence_level: str | None
    retracted: bool
    flags: list[str]
    origin: str
    has_abstract: bool
    record_sha256: str | None


@dataclass(frozen=True)
class StudyWithDesign(StudyView[str]):
    """A study as `claims show` cites it: with its design modifiers (N, blinding, …)."""

    modifiers: dict[str, Any]
    design: str  # the modifiers in a line ("RCT, crossover, double-blind, 31 women")


@dataclass(frozen=True)
class AuthorDetail:
    name: str
    last_name: str | None
    fore_name: str | None
    initials: str | None
    collective_name: str | None
    orcid: str | None
    affiliations: list[str]


@dataclass(frozen=True)
class AbstractSectionView:
    label: str | None
    category: str | None
    text: str


@dataclass(frozen=True)
class MeshView:
    ui: str
    name: str
    major_topic: bool
    qualifiers: list[dict[str, object]]


@dataclass(frozen=True)
class LinkView:
    """A CommentsCorrections link: RetractionIn, ErratumIn, CommentIn, …"""

    ref_type: str
    pmid: str | None
    source: str | None


@dataclass(frozen=True)
class CitedBy:
    claim_id: int
    claim: str
    verdict: str
    origin: str


@dataclass(frozen=True)
class RetractionNoticeView:
    """A Retraction Watch notice naming a study (`import-retractions`)."""

    record_id: int
    nature: str  # vocab.RetractionNature
    date: str | None
    notice_doi: str | None
    notice_pmid: str | None
    reasons: list[str]
    matched_by: str  # "pmid" or "doi"
    imported_at: str | None


@dataclass(frozen=True)
class FullTextSectionView:
    title: str
    kind: str
    depth: int
    passages: int  # paragraphs, tables, figure legends and footnotes directly in it


@dataclass(frozen=True)
class FullTextBrief:
    """A study's PubMed Central full text as `studies show` describes it."""

    pmcid: str
    status: str  # "open", or "not_open": PMC gave the front matter only
    license: str | None
    license_url: str | None
    copyright: str | None
    origin: str  # "efetch" or "file"
    fetched_at: str | None
    notice: str | None
    url: str
    counts: dict[str, int]  # passages by kind: paragraph, table, figure, footnote
    sections: list[FullTextSectionView]


@dataclass(frozen=True)
class PassageView:
    location: str  # "full text, Results › Pain, ¶4", "Table 2", "Figure 1 legend"
    kind: str
    text: str


@dataclass(frozen=True)
class FullTextView(FullTextBrief):
    """`studies show PMID --full-text`: the text itself, passage by passage."""

    title: str | None
    passages: list[PassageView]


@dataclass(frozen=True)
class StudyDetail(StudyView[AuthorDetail]):
    """`studies show`: every parsed field, the links, and the claims that cite it."""

    modifiers: dict[str, Any]
    design: str  # the modifiers in a line ("RCT, crossover, double-blind, 31 women")
    level_rule: str  # the design rule that decided evidence_level
    pmid_version: int
    kind: str
    abstract: str | None
    abstract_sections: list[AbstractSectionView]
    issn: str | None
    pub_date: str | None
    article_date: str | None
    language: str | None
    publisher: str | None
    mesh_terms: list[MeshView]
    keywords: list[str]
    links: list[LinkView]
    fetched_at: str | None
    curation_note: str | None
    cited_by: list[CitedBy]
    retraction_notices: list[RetractionNoticeView]
    full_text: FullTextBrief | None


@dataclass(frozen=True)
class CitationView:
    """A claim ↔ study (or unresolved reference) link and its verdict."""

    id: int
    origin: str
    source_kind: str
    verdict: str
    verdict_origin: str
    study_figure: str | None
    evidence_sentence: str | None
    evidence_source: str | None  # "abstract" or "full_text" (None: no sentence)
    evidence_location: str | None  # in the full text: "full text, Results, ¶4", "Table 2"
    reason: str | None
    note: str | None
    checked_at: str | None
    checked_by: str | None
    checked_record_sha256: str | None
    study: StudyView[str] | None
    reference: ReferenceView | None


@dataclass(frozen=True)
class CitationWithEvents(CitationView):
    events: list[EventView]


@dataclass(frozen=True)
class SourceView:
    """A stored study a claim cites, in a claims list row."""

    pmid: str
    level: str | None
    flags: list[str]
    verdict: str
    verdict_origin: str
    evidence_sentence: str | None
    origin: str


@dataclass(frozen=True)
class ClaimView(Generic[_C]):
    """A claim: `citations` is their number in lists (`ClaimBrief`), the citations
    themselves in `claims show` (`ClaimDetail`)."""

    id: int
    document_id: int | None
    position: int | None
    text: str
    kind: str | None
    figure: Figure | None
    condition: str | None
    intervention: str | None
    dose: str | None
    outcome: str | None
    population: str | None
    unsourced: bool
    citations: _C
    verdicts: list[str]
    sources: list[SourceView]


ClaimBrief = ClaimView[int]


@dataclass(frozen=True)
class ClaimDetail(ClaimView[list[CitationWithEvents]]):
    document: DocumentBrief | None
    created_at: str | None
    updated_at: str | None


@dataclass(frozen=True)
class DocumentRow:
    """`documents list`: a document and its numbers."""

    id: int
    title: str | None
    url: str | None
    version: int
    publisher: str | None
    retrieved_at: str | None
    claims: int
    references: int
    unsourced_claims: int


@dataclass(frozen=True)
class DocumentReference(ReferenceView):
    position: int  # numbered from 1 in page order
    resolved_pmid: str | None
    study_stored: bool


@dataclass(frozen=True)
class DocumentDetail(DocumentBrief):
    """`documents show`: the references (kind, status, resolved PMID, error, candidates),
    the claims in page order, and the page's red flags."""

    references: list[DocumentReference]
    claims: list[ClaimBrief]
    unsourced_claims: int
    red_flags: list[RedFlag]


@dataclass(frozen=True)
class FlaggedStudy:
    """A stored study Retraction Watch names, and the claims citing it."""

    pmid: str
    title: str
    flags: list[str]
    notices: list[RetractionNoticeView]
    cited_by_claims: list[int]


@dataclass(frozen=True)
class RetractionImport:
    """`import-retractions`: rows read and stored, and every stored study flagged."""

    file: str
    rows: int
    new: int
    updated: int
    unchanged: int
    bad_rows: int
    flagged_studies: list[FlaggedStudy]


@dataclass(frozen=True)
class ChangeView:
    """One change `watch` found in a cited study."""

    kind: str  # vocab.ChangeKind
    label: str
    source: str  # vocab.ChangeSource
    detail: str | None


@dataclass(frozen=True)
class StudyCheckView:
    """A cited study as `watch` checked it: the outcome, what changed since its last
    check, and its flags now (PubMed's and Retraction Watch's)."""

    pmid: str
    title: str
    outcome: str  # vocab.CheckOutcome
    changes: list[ChangeView]
    flags: list[str]
    cited_by_claims: list[int]
    previous_check: str | None


@dataclass(frozen=True)
class WatchReport:
    """`watch`: every cited study re-fetched and compared; `alert` when one was newly
    retracted or put under an expression of concern (exit code 4)."""

    run_id: int
    started_at: str | None
    document_id: int | None
    requests: int
    alert: bool
    studies: list[StudyCheckView]
    curated: list[str]  # cited studies with no PubMed record to compare: not checked


@dataclass(frozen=True)
class EvidenceStudy:
    """A study in an `evidence` ranking: a PubMed hit or a study the claim cites."""

    rank: int
    pmid: str
    title: str
    year: int | None
    journal: str | None
    level: str | None
    level_label: str
    participants: int | None
    flags: list[str]
    cited: bool
    stronger: bool  # than the studies the claim cites (`verification.ranking`)
    verdict: str  # the claim verified against it; a cited study's is its citation's
    verdict_origin: str | None
    evidence_sentence: str | None
    reason: str | None

    @property
    def url(self) -> str:
        return pubmed_url(self.pmid)


@dataclass(frozen=True)
class EvidenceReport:
    """`evidence`: the query run, the cited studies' place in the ranking, the stronger
    studies with their verdicts, and a one-line summary. Nothing is linked to the claim."""

    run_id: int
    claim_id: int
    claim: str
    ran_at: str | None
    query: str
    query_source: str
    since: int | None
    limit: int
    found: int  # PubMed's count for the query
    ranked: int
    cited: list[EvidenceStudy]
    stronger: list[EvidenceStudy]
    ranking: list[EvidenceStudy]
    summary: str


@dataclass(frozen=True)
class StrongerEvidence:
    """A claim's last `evidence` run as the report shows it under the claim, "Stronger
    evidence on the same question": the cited studies' place in the ranking and the
    studies ranked above them, each with the claim verified against it. Nothing of it is
    cited by the page or linked to the claim (a reviewer cites a study with `claims cite`)."""

    run_id: int
    ran_at: str | None
    query: str
    query_source: str
    since: int | None
    found: int  # PubMed's count for the query
    ranked: int  # the ranking's length: the hits fetched and the cited studies
    summary: str  # "2 stronger studies: 1 supports, 1 contradicts"
    cited: list[EvidenceStudy]
    stronger: list[EvidenceStudy]


# ---- the report (`export`): the documented ldn-evidence/3 format ---------------------------------


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
    level_rule: str  # the design rule that decided evidence_level, in words
    design: str  # "RCT, crossover, double-blind, 31 women, 10 weeks" (may be empty)
    modifiers: dict[str, Any]  # what `design` is read from, as `studies show` gives it


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
    evidence_source: str | None  # "abstract" or "full_text" (None: no sentence)
    evidence_location: str | None  # in the full text: "full text, Results, ¶4", "Table 2"
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
    def full_text_url(self) -> str | None:
        """The PMC article, when the deciding sentence comes from its full text."""
        if self.evidence_source != "full_text" or self.study is None or not self.study.pmcid:
            return None
        return pmc_article_url(self.study.pmcid)

    @property
    def source_label(self) -> str:
        """A one-line name for a source that is not a stored study."""
        ref = self.reference
        if ref is None:
            return ""
        return ref.title or ref.url or ref.raw


class JsonText:
    """A claim already written as the json export writes it (`export.json_out.claim_text`:
    UTF-8, indent 2, its lines after the first indented `level` levels, where the file
    holds it), read so from SQL and the studies' stored values
    (`services.report_flat_json`): the bytes `data[start:end]`, which the writer writes as
    they stand, without a copy of its own (`view`)."""

    __slots__ = ("data", "level", "start", "end")

    def __init__(self, data: bytes, level: int, start: int = 0, end: int | None = None) -> None:
        self.data = data
        self.level = level
        self.start = start
        self.end = len(data) if end is None else end

    def view(self) -> memoryview:
        return memoryview(self.data)[self.start : self.end]

    def __bytes__(self) -> bytes:
        return self.data[self.start : self.end]


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
    stronger_evidence: StrongerEvidence | None = None  # the last `evidence` run, if any


_SETTLED = (ResolutionStatus.RESOLVED, ResolutionStatus.WEB)  # nothing left to resolve


class Rows(Sequence[_V]):
    """Rows read from the database again each time they are iterated, a batch at a time
    (`produce` makes a new iterator); their number is known beforehand. A streamed report
    (`ReportStream`) holds its documents and claims as `Rows`, never as lists."""

    def __init__(self, count: int, produce: Callable[[], Iterator[_V]]) -> None:
        self._count = count
        self._produce = produce

    def __iter__(self) -> Iterator[_V]:
        return self._produce()

    def __len__(self) -> int:
        return self._count

    def __bool__(self) -> bool:
        return self._count > 0

    @overload
    def __getitem__(self, index: int) -> _V: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[_V]: ...
    def __getitem__(self, index: int | slice) -> _V | Sequence[_V]:
        if isinstance(index, slice):
            return list(self)[index]
        if not 0 <= index < self._count:
            raise IndexError(index)
        return next(islice(iter(self), index, None))


class Later(Sequence[_V]):
    """A list worked out when first read (`produce`), then kept: a streamed document's red
    flags, known once its claims have been read."""

    def __init__(self, produce: Callable[[], list[_V]]) -> None:
        self._produce = produce
        self._items: list[_V] | None = None

    def _list(self) -> list[_V]:
        if self._items is None:
            self._items = self._produce()
        return self._items

    def __iter__(self) -> Iterator[_V]:
        return iter(self._list())

    def __len__(self) -> int:
        return len(self._list())

    @overload
    def __getitem__(self, index: int) -> _V: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[_V]: ...
    def __getitem__(self, index: int | slice) -> _V | Sequence[_V]:
        return self._list()[index]


@dataclass(frozen=True)
class DocumentEntry(DocumentBrief):
    references: list[ReferenceEntry]
    claims: Sequence[ClaimEntry]  # a list, or `Rows` in a streamed report
    red_flags: Sequence[RedFlag]  # what to see first, most serious first

    @property
    def unresolved_references(self) -> list[ReferenceEntry]:
        return [
            r for r in self.references if r.kind != ReferenceKind.WEB and r.status not in _SETTLED
        ]

    @property
    def web_references(self) -> list[ReferenceEntry]:
        return [
            r
            for r in self.references
            if r.status == ResolutionStatus.WEB or r.kind == ReferenceKind.WEB
        ]


@dataclass(frozen=True)
class Summary:
    """Counts at the top of a report. Verdicts are counted per claim–source pair."""

    claims: int
    citations: int
    supported: int
    partially_supported: int
    unsupported: int  # vocab.UNSUPPORTED_VERDICTS: not_supported + contradicted
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
class Citing:
    """A claim citing a study, as a bibliography's note on the study shows it."""

    claim_id: int
    document_id: int | None
    claim_text: str
    verdict: str
    verdict_origin: str
    checked_by: str | None
    reason: str | None
    note: str | None


@dataclass(frozen=True)
class StudyName:
    """What a study's citation key is made of: its first author's name, year and title."""

    pmid: str
    family: str | None  # the first author's
    literal: str | None  # the first author, a group
    year: int | None
    title: str

    @classmethod
    def of(cls, study: StudyRecord) -> StudyName:
        first = study.authors[0] if study.authors else None
        return cls(
            pmid=study.pmid,
            family=first.family if first else None,
            literal=first.literal if first else None,
            year=study.year,
            title=study.title,
        )


@dataclass(frozen=True)
class CitedStudy:
    """A study the report cites, with the claims that cite it (in report order): what a
    bibliography writes for each study."""

    study: StudyRecord
    citing: list[Citing]


def citing_of(claim: ClaimEntry, citation: CitationEntry) -> Citing:
    return Citing(
        claim_id=claim.id,
        document_id=claim.document_id,
        claim_text=claim.text,
        verdict=citation.verdict,
        verdict_origin=citation.verdict_origin,
        checked_by=citation.checked_by,
        reason=citation.reason,
        note=citation.note,
    )


@dataclass(frozen=True)
class Report:
    schema: str
    generated_at: str
    filters: Filters
    summary: Summary
    documents: Sequence[DocumentEntry]  # a list, or `Rows` in a streamed report
    claims_without_document: Sequence[ClaimEntry] = field(default_factory=list)

    def all_claims(self) -> Iterator[ClaimEntry]:
        for doc in self.documents:
            yield from doc.claims
        yield from self.claims_without_document

    @property
    def flagged_documents(self) -> list[DocumentEntry]:
        """The documents with red flags, for the reports' first section."""
        return [doc for doc in self.documents if doc.red_flags]

    def table_lines(self) -> Iterator[str] | None:
        """The csv's lines (its header aside) read straight from the database (a streamed
        report), or None: the csv is written from the claims."""
        return None

    def citing(self) -> dict[str, list[tuple[ClaimEntry, CitationEntry]]]:
        """PMID -> the claims that cite the study, with each claim's citation of it."""
        out: dict[str, list[tuple[ClaimEntry, CitationEntry]]] = {}
        for claim in self.all_claims():
            for citation in claim.citations:
                if citation.study is not None:
                    out.setdefault(citation.study.pmid, []).append((claim, citation))
        return out

    def studies(self) -> list[StudyRecord]:
        """The studies cited, deduplicated by PMID, in order of first citation."""
        seen: dict[str, StudyRecord] = {}
        for claim in self.all_claims():
            for citation in claim.citations:
                if citation.study is not None and citation.study.pmid not in seen:
                    seen[citation.study.pmid] = citation.study
        return list(seen.values())

    def cited(self) -> Iterator[CitedStudy]:
        """`studies()` one at a time, each with the claims that cite it, in order of
        first citation."""
        found: dict[str, CitedStudy] = {}
        for claim in self.all_claims():
            for citation in claim.citations:
                study = citation.study
                if study is None:
                    continue
                entry = found.get(study.pmid)
                if entry is None:
                    entry = found[study.pmid] = CitedStudy(study, [])
                entry.citing.append(citing_of(claim, citation))
        return iter(found.values())

    def study_names(self) -> Iterator[StudyName]:
        """`cited()`'s studies, only what their citation keys are made of."""
        return (StudyName.of(cited.study) for cited in self.cited())


@dataclass(frozen=True)
class ReportStream(Report):
    """A `Report` read from the database as it is rendered: `documents` and each
    document's `claims`, and `claims_without_document`, are `Rows` (read a batch at a
    time, again on each pass); `summary` comes from counts in SQL; `flagged` makes the
    red flags section (the documents with red flags, without their claims) in a pass of
    its own. Renderers read it as they read a `Report`."""

    flagged: Callable[[], list[DocumentEntry]] | None = None
    study_count: int = 0  # distinct studies cited: the bibliographies' entries
    # the cited studies read from the database a batch at a time (`Report.cited`,
    # `Report.study_names`)
    cited_studies: Callable[[], Iterator[CitedStudy]] | None = None
    cited_names: Callable[[], Iterator[StudyName]] | None = None
    # the csv's lines, read without the claims' views (`services.report_flat`)
    flat_lines: Callable[[], Iterator[str]] | None = None

    def table_lines(self) -> Iterator[str] | None:
        return None if self.flat_lines is None else self.flat_lines()

    @property
    def flagged_documents(self) -> list[DocumentEntry]:
        if self.flagged is None:
            return super().flagged_documents
        return self.flagged()

    def cited(self) -> Iterator[CitedStudy]:
        if self.cited_studies is None:
            return super().cited()
        return self.cited_studies()

    def study_names(self) -> Iterator[StudyName]:
        if self.cited_names is None:
            return super().study_names()
        return self.cited_names()
