"""The commands' views (`ldn_evidence.viewmodel`) built from stored rows.

`show`/`list` commands print these (a table, or `dataclasses.asdict` as `--json`);
`services.report` builds the export's report from the same helpers. A builder reads its
row by attribute: a mapped entity, or a Core row shaped as one (`services.rows.Record`:
the show commands, the streamed export); this module imports no ORM.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ldn_evidence.services.grading import level_rule
from ldn_evidence.viewmodel import (
    AbstractSectionView,
    AuthorDetail,
    CitationView,
    CitationWithEvents,
    CitedBy,
    ClaimBrief,
    ClaimDetail,
    ClaimView,
    DocumentBrief,
    EventView,
    Figure,
    FullTextBrief,
    LinkView,
    MeshView,
    ReferenceEntry,
    ReferenceView,
    RetractionNoticeView,
    SourceView,
    StudyDetail,
    StudyView,
    StudyWithDesign,
    extend,
)
from ldn_evidence.vocab import RetractionNature, StudyOrigin

if TYPE_CHECKING:  # what the builders read: mapped entities, or rows shaped as them
    from ldn_evidence.models import (
        Citation,
        CitationEvent,
        Claim,
        Reference,
        SourceDocument,
        Study,
    )


def iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def figure_view(claim: Claim) -> Figure | None:
    if claim.figure_value is None:
        return None
    return Figure(
        value=claim.figure_value,
        unit=claim.figure_unit,
        qualifier=claim.figure_qualifier,
        text=claim.figure_text,
    )


def figure_label(claim: Claim) -> str:
    if claim.figure_value is None:
        return ""
    if claim.figure_text:
        return claim.figure_text
    value = f"{claim.figure_value:g}{claim.figure_unit or ''}"
    q = claim.figure_qualifier
    return value if q in (None, "exact") else f"{q} {value}"


def document_brief(doc: SourceDocument) -> DocumentBrief:
    return DocumentBrief(
        id=doc.id,
        title=doc.title,
        url=doc.url,
        version=doc.version,
        publisher=doc.publisher,
        retrieved_at=iso(doc.retrieved_at),
        content_sha256=doc.content_sha256,
    )


def study_brief(study: Study) -> StudyView[str]:
    return StudyView(
        pmid=study.pmid,
        doi=study.doi,
        pmcid=study.pmcid,
        title=study.title,
        authors=[a.display_name for a in study.authors],
        journal=study.journal_title,
        journal_iso=study.journal_iso,
        year=study.pub_year,
        volume=study.volume,
        issue=study.issue,
        pages=study.pages,
        publication_types=[t.name for t in study.publication_types],
        evidence_level=study.evidence_level,
        retracted=study.retracted,
        flags=study_flags(study),
        origin=study.origin,
        has_abstract=bool(study.abstract),
        record_sha256=study.raw_sha256,
    )


def study_flags(study: Study) -> list[str]:
    """Retraction and correction flags a pharmacist must see wherever the study is shown."""
    flags = []
    types = {t.name for t in study.publication_types}
    links = {link.ref_type for link in study.links}
    if study.retracted or "Retracted Publication" in types or "RetractionIn" in links:
        flags.append("retracted")
    if "ExpressionOfConcernIn" in links:
        flags.append("expression of concern")
    if "ErratumIn" in links:
        flags.append("erratum")
    for flag in study_notice_flags(study):  # Retraction Watch
        if flag in flags:
            continue
        if flag == "retracted":
            flags.insert(0, flag)
        else:
            flags.append(flag)
    if study.origin == StudyOrigin.CURATED:
        flags.append("curated (not fetched)")
    return flags


def reference_entry(ref: Reference) -> ReferenceEntry:
    return ReferenceEntry(
        id=ref.id,
        raw=ref.raw,
        kind=ref.kind,
        url=ref.url,
        title=ref.title,
        pmid=ref.pmid,
        doi=ref.doi,
        status=ref.status,
        error=ref.error,
    )


def reference_view(ref: Reference) -> ReferenceView:
    return extend(reference_entry(ref), ReferenceView, candidates=ref.candidates)


def event_view(event: CitationEvent) -> EventView:
    return EventView(
        at=iso(event.at),
        by=event.by,
        origin=event.origin,
        old_verdict=event.old_verdict,
        new_verdict=event.new_verdict,
        note=event.note,
        record_sha256=event.record_sha256,
    )


def source_kind(citation: Citation) -> str:
    if citation.study is not None:
        return "study"
    if citation.reference is not None:
        return citation.reference.kind
    return "unknown"


def evidence_source(citation: Citation) -> str | None:
    """Where the evidence sentence comes from: "full_text" when it has a location there,
    "abstract" otherwise; None without a sentence."""
    if not citation.evidence_sentence:
        return None
    return "full_text" if citation.evidence_location else "abstract"


def citation_fields(citation: Citation) -> dict[str, Any]:
    """What every view of a citation shows (`CitationView`, the report's `CitationEntry`):
    where it comes from and its verdict, with who reached it, when and on what."""
    return {
        "id": citation.id,
        "origin": citation.origin,
        "source_kind": source_kind(citation),
        "verdict": citation.verdict,
        "verdict_origin": citation.verdict_origin,
        "study_figure": citation.study_figure,
        "evidence_sentence": citation.evidence_sentence,
        "evidence_source": evidence_source(citation),
        "evidence_location": citation.evidence_location,
        "reason": citation.reason,
        "note": citation.note,
        "checked_at": iso(citation.checked_at),
        "checked_by": citation.checked_by,
        "checked_record_sha256": citation.checked_record_sha256,
    }


def citation_view(citation: Citation) -> CitationView:
    return CitationView(
        **citation_fields(citation),
        study=study_brief(citation.study) if citation.study is not None else None,
        reference=reference_view(citation.reference) if citation.reference else None,
    )


def citation_history(citation: Citation, *, design: bool = False) -> CitationWithEvents:
    """The citation with its verdict history; `design`: its study with design modifiers."""
    view = citation_view(citation)
    more: dict[str, Any] = {"events": [event_view(e) for e in citation.events]}
    if design and view.study is not None and citation.study is not None:
        modifiers = study_modifiers(citation.study)
        more["study"] = extend(
            view.study,
            StudyWithDesign,
            modifiers=modifiers,
            design=study_design(citation.study, modifiers),
        )
    return extend(view, CitationWithEvents, **more)


def is_unsourced(claim: Claim) -> bool:
    """A claim with a figure and nothing cited for it (no reference, no study)."""
    return claim.figure_value is not None and not claim.citations


def claim_fields(claim: Claim) -> dict[str, Any]:
    """What every view of a claim shows (`ClaimView`, the report's `ClaimEntry`)."""
    return {
        "id": claim.id,
        "document_id": claim.document_id,
        "position": claim.position,
        "text": claim.text,
        "kind": claim.kind,
        "figure": figure_view(claim),
        "condition": claim.condition,
        "intervention": claim.intervention,
        "dose": claim.dose,
        "outcome": claim.outcome,
        "population": claim.population,
        "unsourced": is_unsourced(claim),
    }


def claim_brief(claim: Claim) -> ClaimBrief:
    return ClaimView(
        **claim_fields(claim),
        citations=len(claim.citations),
        verdicts=sorted({c.verdict for c in claim.citations}),
        sources=[
            SourceView(
                pmid=c.study.pmid,
                level=c.study.evidence_level,
                flags=study_flags(c.study),
                verdict=c.verdict,
                verdict_origin=c.verdict_origin,
                evidence_sentence=c.evidence_sentence,
                origin=c.origin,
            )
            for c in claim.citations
            if c.study is not None
        ],
    )


def claim_detail(claim: Claim) -> ClaimDetail:
    return extend(
        claim_brief(claim),
        ClaimDetail,
        citations=[citation_history(c, design=True) for c in claim.citations],
        document=document_brief(claim.document) if claim.document is not None else None,
        created_at=iso(claim.created_at),
        updated_at=iso(claim.updated_at),
    )


def study_modifiers(study: Study) -> dict[str, Any]:
    """What a pharmacist reads off the abstract: N, sex, pilot, crossover, randomized,
    blinding, placebo control, duration (computed from the stored title and abstract)."""
    from ldn_evidence.verification.modifiers import study_modifiers as read_modifiers

    return read_modifiers(study.title or "", study.abstract or "")


def study_design(study: Study, modifiers: dict[str, Any] | None = None) -> str:
    """The study's design in a line, beside its level: "RCT, crossover, double-blind,
    31 women, 10 weeks" (`verification.modifiers.design_summary`)."""
    from ldn_evidence.verification.modifiers import design_summary

    return design_summary(
        study_modifiers(study) if modifiers is None else modifiers,
        study.evidence_level,
        [t.name for t in study.publication_types],
    )


def study_detail(study: Study, full_text: FullTextBrief | None = None) -> StudyDetail:
    """Every parsed field, the correction/retraction links, the claims that cite it, and
    (`services.fulltext.full_text_brief`) its full text if one is stored."""
    return extend(
        study_brief(study),
        StudyDetail,
        modifiers=(modifiers := study_modifiers(study)),
        design=study_design(study, modifiers),
        level_rule=level_rule(study),
        pmid_version=study.pmid_version,
        kind=study.kind,
        abstract=study.abstract,
        abstract_sections=[
            AbstractSectionView(label=s.label, category=s.category, text=s.text)
            for s in study.abstract_sections
        ],
        authors=[
            AuthorDetail(
                name=a.display_name,
                last_name=a.last_name,
                fore_name=a.fore_name,
                initials=a.initials,
                collective_name=a.collective_name,
                orcid=a.orcid,
                affiliations=a.affiliations or [],
            )
            for a in study.authors
        ],
        issn=study.issn,
        pub_date=study.pub_date,
        article_date=study.article_date,
        language=study.language,
        publisher=study.publisher,
        mesh_terms=[
            MeshView(
                ui=m.term.ui,
                name=m.term.name,
                major_topic=m.major_topic,
                qualifiers=m.qualifiers or [],
            )
            for m in study.mesh
        ],
        keywords=[k.text for k in study.keywords],
        links=[
            LinkView(ref_type=link.ref_type, pmid=link.pmid, source=link.ref_source)
            for link in study.links
        ],
        fetched_at=iso(study.fetched_at),
        curation_note=study.curation_note,
        cited_by=[
            CitedBy(claim_id=c.claim_id, claim=c.claim.text, verdict=c.verdict, origin=c.origin)
            for c in study.citations
        ],
        retraction_notices=notice_views(study),
        full_text=full_text,
    )


# A notice's flag on the study it names; a reinstatement lifts the retraction and the
# expression of concern dated before it.
_NATURE_FLAGS = {
    RetractionNature.RETRACTION.value: "retracted",
    RetractionNature.EXPRESSION_OF_CONCERN.value: "expression of concern",
    RetractionNature.CORRECTION.value: "correction",
    RetractionNature.REINSTATEMENT.value: "reinstated",
}
_LIFTED = ("retracted", "expression of concern")


def notice_flags(natures: Iterable[tuple[str | None, int, str]]) -> list[str]:
    """The flags notices give a study: `natures` are (date, record id, nature). In date
    order a reinstatement lifts the retraction and expression of concern before it."""
    flags: list[str] = []
    for _date, _rid, nature in sorted(natures, key=lambda n: (n[0] or "", n[1])):
        flag = _NATURE_FLAGS.get(nature)
        if flag == "reinstated":
            flags = [f for f in flags if f not in _LIFTED]
        elif flag == "retracted" and "reinstated" in flags:
            flags.remove("reinstated")
        if flag and flag not in flags:
            flags.append(flag)
    return flags


def study_notice_flags(study: Study) -> list[str]:
    return notice_flags((n.notice_date, n.record_id, n.nature) for n in study.retraction_notices)


def notice_views(study: Study) -> list[RetractionNoticeView]:
    return [
        RetractionNoticeView(
            record_id=n.record_id,
            nature=n.nature,
            date=n.notice_date,
            notice_doi=n.notice_doi,
            notice_pmid=n.notice_pmid,
            reasons=list(n.reasons or []),
            matched_by="pmid" if n.original_pmid == study.pmid else "doi",
            imported_at=iso(n.imported_at),
        )
        for n in study.retraction_notices
    ]
