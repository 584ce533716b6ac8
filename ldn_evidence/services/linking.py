"""Keep references and citations pointing at the studies their PMIDs name."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from ldn_evidence.models import Citation, Claim, Reference, Study
from ldn_evidence.services import study_cells
from ldn_evidence.vocab import ResolutionStatus, StudyOrigin

RESOLVED = ResolutionStatus.RESOLVED.value
NOT_FOUND = ResolutionStatus.NOT_FOUND.value


def cite(
    *,
    session: Session,
    claim: Claim,
    reference: Reference | None = None,
    study: Study | None = None,
    origin: str = "page",
) -> tuple[Citation, bool]:
    """The citation of `claim` to `reference`/`study`, created when missing.

    Returns (citation, created). Unique per (claim, study) and per (claim, reference):
    a citation found by one of the two takes the other only when no other citation of
    the claim holds it (a claim citing two references that come to resolve to one study
    keeps two citations, one of them without the study).
    """
    study = study or (reference.study if reference is not None else None)
    for existing in claim.citations:
        same_ref = reference is not None and existing.reference_id == reference.id
        same_study = study is not None and existing.study_id == study.id
        if same_ref or same_study:
            others = [c for c in claim.citations if c is not existing]
            if (
                existing.reference is None
                and reference is not None
                and all(c.reference_id != reference.id for c in others)
            ):
                existing.reference = reference
            if (
                existing.study is None
                and study is not None
                and all(c.study_id != study.id for c in others)
            ):
                existing.study = study
            if origin == "claim" and existing.origin == "page":
                existing.origin = "claim"  # a per-claim marker is the stronger link
            if study is not None:  # cited now, if it was not: its export cells stored
                study_cells.fill(session, [study.id])
            return existing, False
    citation = Citation(claim=claim, reference=reference, study=study, origin=origin)
    session.add(citation)
    session.flush()
    if study is not None:  # cited now: its export cells stored
        study_cells.fill(session, [study.id])
    return citation, True


def not_in_pubmed(pmid: str) -> str:
    """The error of a reference whose PMID PubMed has no record of."""
    return f"PMID {pmid} is not in PubMed"


def mark_not_in_pubmed(*, session: Session, pmids: Sequence[str]) -> int:
    """References citing `pmids`, which PubMed answered with no record, become
    `not_found` ("PMID … is not in PubMed"), even when a curated study has that PMID.
    Returns the references changed."""
    if not pmids:
        return 0
    changed = 0
    for reference in session.scalars(select(Reference).where(Reference.pmid.in_(pmids))):
        error = not_in_pubmed(str(reference.pmid))
        if (reference.status, reference.error) != (NOT_FOUND, error):
            reference.status, reference.error = NOT_FOUND, error
            changed += 1
    session.flush()
    return changed


def attach_studies(*, session: Session, pmids: list[str] | None = None) -> int:
    """Point references and citations at stored studies by PMID; a reference pointed at
    a study PubMed gave is resolved, its error cleared. Returns links made."""
    query = (
        select(Reference, Study)
        .join(Study, Study.pmid == Reference.pmid)
        .where(
            (Reference.study_id.is_(None))
            | (Reference.study_id != Study.id)
            | (Reference.status != RESOLVED)
        )
    )
    if pmids is not None:
        query = query.where(Reference.pmid.in_(pmids))
    made = 0
    cited: set[int] = set()
    for reference, study in session.execute(query).all():
        reference.study = study
        # a curated study does not show that PubMed knows its PMID
        if study.origin != StudyOrigin.CURATED or reference.status != NOT_FOUND:
            reference.status, reference.error = RESOLVED, None
        for citation in reference.citations:
            if citation.study_id != study.id:
                clash = session.scalar(
                    select(Citation).where(
                        Citation.claim_id == citation.claim_id,
                        Citation.study_id == study.id,
                        Citation.id != citation.id,
                    )
                )
                if clash is None:
                    citation.study = study
                    made += 1
                    cited.add(study.id)
    session.flush()
    study_cells.fill(session, cited)  # cited now: their export cells stored
    return made
