"""The report's views of a claim, its citations, a cited study and a page (`ClaimEntry`,
`CitationEntry`, `StudyRecord`, `DocumentEntry` with its red flags), and `documents show`'s
`DocumentDetail`, built from rows read by attribute: mapped entities (`report.build_report`)
or Core rows shaped as them (`services.rows.Record`: the streamed export, the show
commands). Imports no ORM."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ldn_evidence.export.ama import ama_citation
from ldn_evidence.services.grading import level_rule
from ldn_evidence.services.red_flags import page_red_flags, skipped_sentences
from ldn_evidence.services.views import (
    citation_fields,
    claim_brief,
    claim_fields,
    document_brief,
    figure_label,
    reference_entry,
    reference_view,
    study_design,
    study_flags,
    study_modifiers,
)
from ldn_evidence.viewmodel import (
    Author,
    CitationEntry,
    ClaimEntry,
    DocumentDetail,
    DocumentEntry,
    DocumentReference,
    StrongerEvidence,
    StudyRecord,
    extend,
)
from ldn_evidence.vocab import StudyOrigin, citation_origin_label, pubmed_url

if TYPE_CHECKING:  # what the builders read: mapped entities, or rows shaped as them
    from ldn_evidence.models import Citation, Claim, SourceDocument, Study


def _pmid_of(citation: Citation) -> str | None:
    if citation.study is not None:
        return citation.study.pmid
    return citation.reference.pmid if citation.reference is not None else None


def _keep(citation: Citation, verdict: str | None, pmids: set[str] | None) -> bool:
    if verdict is not None and citation.verdict != verdict:
        return False
    return pmids is None or _pmid_of(citation) in pmids


def _order(citation: Citation) -> tuple[int, int]:
    ref = citation.reference
    position = ref.position if ref is not None and ref.position is not None else 10**9
    return (position, citation.id)


def claim_entry(
    claim: Claim,
    citations: list[Citation] | None = None,
    *,
    stronger: StrongerEvidence | None = None,
    records: dict[int, StudyRecord] | None = None,
    detail: bool = True,
) -> ClaimEntry:
    """The claim as the report shows it, with `citations` (default: all of them) and the
    claim's last `evidence` run (`evidence_runs.latest_evidence_for`), if any.
    `records`: study records already made, by study id (a study cited by several claims
    of a batch is made once). `detail`: see `study_record`."""
    if citations is None:
        citations = list(claim.citations)
    if records is None:
        records = {}
    return ClaimEntry(
        **claim_fields(claim),
        figure_label=figure_label(claim),
        citations=[
            _citation_entry(c, records, detail=detail) for c in sorted(citations, key=_order)
        ],
        stronger_evidence=stronger,
    )


def _citation_entry(
    citation: Citation, records: dict[int, StudyRecord], *, detail: bool = True
) -> CitationEntry:
    study = None
    if citation.study is not None:
        study = records.get(citation.study.id)
        if study is None:
            study = records[citation.study.id] = study_record(citation.study, detail=detail)
    return CitationEntry(
        **citation_fields(citation),
        origin_label=citation_origin_label(citation.origin),
        reference=reference_entry(citation.reference) if citation.reference else None,
        study=study,
    )


def document_entry(
    doc: SourceDocument, claims: list[ClaimEntry], *, whole_page: bool = True
) -> DocumentEntry:
    """The page with its selected `claims` and its red flags. `whole_page`: every claim
    of the page is selected, so the page's own flags (uncited references that do not
    resolve, sentences the extractor skipped) are listed too."""
    references = [reference_entry(r) for r in doc.references]
    skipped = skipped_sentences(doc.text, [c.text for c in doc.claims]) if whole_page else []
    return extend(
        document_brief(doc),
        DocumentEntry,
        references=references,
        claims=claims,
        red_flags=page_red_flags(claims, references, skipped, whole_page=whole_page),
    )


def record_version(study: Study) -> str:
    if study.raw_sha256:
        return study.raw_sha256[:12]
    return "curated" if study.origin == StudyOrigin.CURATED else "unrecorded"


def study_record(
    study: Study,
    *,
    detail: bool = True,
    derived: tuple[str, str, dict[str, Any]] | None = None,
) -> StudyRecord:
    """The study as the report shows it. `detail`: with its design, the modifiers it is
    read from and the rule that decided its level, the costliest fields (read off the
    title and abstract); without, those three are empty, for renderers that never show
    them (the bibliographies). `derived`: those three as made before (level rule, design,
    modifiers: `study_cells.stored_derived`), not read off the abstract again."""
    authors = [
        Author(
            family=a.last_name,
            given=a.fore_name,
            initials=a.initials,
            literal=a.collective_name,
            display=a.display_name,
        )
        for a in study.authors
    ]
    flags = study_flags(study)
    if derived is not None and detail:
        rule, design, modifiers = derived
    else:
        modifiers = study_modifiers(study) if detail else {}
        rule = level_rule(study) if detail else ""
        design = study_design(study, modifiers) if detail else ""
    return StudyRecord(
        pmid=study.pmid,
        doi=study.doi,
        pmcid=study.pmcid,
        title=study.title or "",
        authors=authors,
        journal=study.journal_title,
        journal_iso=study.journal_iso,
        issn=study.issn,
        year=study.pub_year,
        pub_date=study.pub_date,
        volume=study.volume,
        issue=study.issue,
        pages=study.pages,
        language=study.language,
        abstract=study.abstract,
        publication_types=[t.name for t in study.publication_types],
        evidence_level=study.evidence_level,
        retracted="retracted" in flags,
        flags=flags,
        origin=study.origin,
        record_sha256=study.raw_sha256,
        record_version=record_version(study),
        url=pubmed_url(study.pmid),
        citation=ama_citation(
            authors=authors,
            title=study.title,
            journal_iso=study.journal_iso,
            journal=study.journal_title,
            year=study.pub_year,
            volume=study.volume,
            issue=study.issue,
            pages=study.pages,
            doi=study.doi,
            pmid=study.pmid,
        ),
        level_rule=rule,
        design=design,
        modifiers=modifiers,
    )


def document_detail(doc: SourceDocument) -> DocumentDetail:
    """The document, its references (numbered from 1 in page order; kind, status,
    resolved PMID, error, candidates), its claims in page order (citation count,
    verdicts) and its red flags (as the report lists them)."""
    references = [
        extend(
            reference_view(ref),
            DocumentReference,
            position=number,
            resolved_pmid=ref.study.pmid if ref.study is not None else ref.pmid,
            study_stored=ref.study is not None,
        )
        for number, ref in enumerate(doc.references, start=1)
    ]
    claims = sorted(doc.claims, key=lambda c: (c.position is None, c.position or 0, c.id))
    briefs = [claim_brief(c) for c in claims]
    # the red flags read no study's design, modifiers or level rule (`detail`)
    entry = document_entry(doc, [claim_entry(c, detail=False) for c in claims])
    return extend(
        document_brief(doc),
        DocumentDetail,
        references=references,
        claims=briefs,
        unsourced_claims=sum(1 for b in briefs if b.unsourced),
        red_flags=entry.red_flags,
    )
