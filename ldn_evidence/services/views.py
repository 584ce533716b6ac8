"""Plain-data views of stored rows, shared by `show`/`list` commands and exports."""

from __future__ import annotations

from typing import Any

from ldn_evidence.models import Citation, CitationEvent, Claim, Reference, SourceDocument, Study


def iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def figure_view(claim: Claim) -> dict[str, Any] | None:
    if claim.figure_value is None:
        return None
    return {
        "value": claim.figure_value,
        "unit": claim.figure_unit,
        "qualifier": claim.figure_qualifier,
        "text": claim.figure_text,
    }


def figure_label(claim: Claim) -> str:
    if claim.figure_value is None:
        return ""
    if claim.figure_text:
        return claim.figure_text
    value = f"{claim.figure_value:g}{claim.figure_unit or ''}"
    q = claim.figure_qualifier
    return value if q in (None, "exact") else f"{q} {value}"


def document_brief(doc: SourceDocument | None) -> dict[str, Any] | None:
    if doc is None:
        return None
    return {
        "id": doc.id,
        "title": doc.title,
        "url": doc.url,
        "version": doc.version,
        "publisher": doc.publisher,
        "retrieved_at": iso(doc.retrieved_at),
        "content_sha256": doc.content_sha256,
    }


def study_brief(study: Study) -> dict[str, Any]:
    return {
        "pmid": study.pmid,
        "doi": study.doi,
        "pmcid": study.pmcid,
        "title": study.title,
        "authors": [a.display_name for a in study.authors],
        "journal": study.journal_title,
        "journal_iso": study.journal_iso,
        "year": study.pub_year,
        "volume": study.volume,
        "issue": study.issue,
        "pages": study.pages,
        "publication_types": [t.name for t in study.publication_types],
        "evidence_level": study.evidence_level,
        "retracted": study.retracted,
        "flags": study_flags(study),
        "origin": study.origin,
        "has_abstract": bool(study.abstract),
        "record_sha256": study.raw_sha256,
    }


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
    if study.origin == "curated":
        flags.append("curated (not fetched)")
    return flags


def reference_view(ref: Reference) -> dict[str, Any]:
    return {
        "id": ref.id,
        "raw": ref.raw,
        "kind": ref.kind,
        "url": ref.url,
        "title": ref.title,
        "pmid": ref.pmid,
        "doi": ref.doi,
        "status": ref.status,
        "error": ref.error,
        "candidates": ref.candidates,
    }


def event_view(event: CitationEvent) -> dict[str, Any]:
    return {
        "at": iso(event.at),
        "by": event.by,
        "origin": event.origin,
        "old_verdict": event.old_verdict,
        "new_verdict": event.new_verdict,
        "note": event.note,
        "record_sha256": event.record_sha256,
    }


def source_kind(citation: Citation) -> str:
    if citation.study is not None:
        return "study"
    if citation.reference is not None:
        return citation.reference.kind
    return "unknown"


def citation_view(citation: Citation, *, events: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": citation.id,
        "origin": citation.origin,
        "source_kind": source_kind(citation),
        "verdict": citation.verdict,
        "verdict_origin": citation.verdict_origin,
        "study_figure": citation.study_figure,
        "evidence_sentence": citation.evidence_sentence,
        "reason": citation.reason,
        "note": citation.note,
        "checked_at": iso(citation.checked_at),
        "checked_by": citation.checked_by,
        "checked_record_sha256": citation.checked_record_sha256,
        "study": study_brief(citation.study) if citation.study is not None else None,
        "reference": reference_view(citation.reference) if citation.reference else None,
    }
    if events:
        data["events"] = [event_view(e) for e in citation.events]
    return data


def is_unsourced(claim: Claim) -> bool:
    """A claim with a figure and nothing cited for it (no reference, no study)."""
    return claim.figure_value is not None and not claim.citations


def claim_brief(claim: Claim) -> dict[str, Any]:
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
        "citations": len(claim.citations),
        "verdicts": sorted({c.verdict for c in claim.citations}),
        "sources": [
            {
                "pmid": c.study.pmid,
                "level": c.study.evidence_level,
                "flags": study_flags(c.study),
                "verdict": c.verdict,
                "verdict_origin": c.verdict_origin,
                "evidence_sentence": c.evidence_sentence,
                "origin": c.origin,
            }
            for c in claim.citations
            if c.study is not None
        ],
    }


def claim_detail(claim: Claim) -> dict[str, Any]:
    data = claim_brief(claim)
    data["document"] = document_brief(claim.document)
    data["citations"] = [citation_view(c, events=True) for c in claim.citations]
    for view, citation in zip(data["citations"], claim.citations, strict=True):
        if citation.study is not None:
            view["study"]["modifiers"] = study_modifiers(citation.study)
    data["created_at"] = iso(claim.created_at)
    data["updated_at"] = iso(claim.updated_at)
    return data


def study_modifiers(study: Study) -> dict[str, Any]:
    """What a pharmacist reads off the abstract: N, sex, pilot, crossover, randomized,
    blinding, placebo control, duration (computed from the stored title and abstract)."""
    from ldn_evidence.verification.modifiers import study_modifiers as read_modifiers

    return read_modifiers(study.title or "", study.abstract or "")


def study_detail(study: Study) -> dict[str, Any]:
    """Every parsed field, the correction/retraction links, and the claims that cite it."""
    data = study_brief(study)
    data.update(
        {
            "modifiers": study_modifiers(study),
            "pmid_version": study.pmid_version,
            "kind": study.kind,
            "abstract": study.abstract,
            "abstract_sections": [
                {"label": s.label, "category": s.category, "text": s.text}
                for s in study.abstract_sections
            ],
            "authors": [
                {
                    "name": a.display_name,
                    "last_name": a.last_name,
                    "fore_name": a.fore_name,
                    "initials": a.initials,
                    "collective_name": a.collective_name,
                    "orcid": a.orcid,
                    "affiliations": a.affiliations or [],
                }
                for a in study.authors
            ],
            "issn": study.issn,
            "pub_date": study.pub_date,
            "article_date": study.article_date,
            "language": study.language,
            "publisher": study.publisher,
            "mesh_terms": [
                {
                    "ui": m.term.ui,
                    "name": m.term.name,
                    "major_topic": m.major_topic,
                    "qualifiers": m.qualifiers or [],
                }
                for m in study.mesh
            ],
            "keywords": [k.text for k in study.keywords],
            "links": [
                {"ref_type": link.ref_type, "pmid": link.pmid, "source": link.ref_source}
                for link in study.links
            ],
            "fetched_at": iso(study.fetched_at),
            "curation_note": study.curation_note,
            "cited_by": [
                {
                    "claim_id": c.claim_id,
                    "claim": c.claim.text,
                    "verdict": c.verdict,
                    "origin": c.origin,
                }
                for c in study.citations
            ],
        }
    )
    return data
