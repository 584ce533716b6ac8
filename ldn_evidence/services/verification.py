"""`verify`: check each claim ↔ study citation against the study's fetched abstract.

A reviewer's verdict is never touched; automatic verdicts are recomputed (and recorded
in citation_events only when they change, e.g. after the abstract changed).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ldn_evidence.errors import NotFoundError
from ldn_evidence.figures import Figure
from ldn_evidence.models import Citation, Claim, Reference, SourceDocument, Study
from ldn_evidence.services.verdicts import set_verdict
from ldn_evidence.verification import ClaimInput, StudyInput, verify_claim
from ldn_evidence.vocab import ResolutionStatus


@dataclass
class VerifyRow:
    claim_id: int
    claim: str
    pmid: str | None
    verdict: str
    origin: str
    sentence: str | None
    study_figure: str | None
    reason: str | None
    changed: bool = False
    skipped: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class NotChecked:
    """A claim's source with no study to check it against, and why."""

    claim_id: int
    claim: str
    reference: str | None  # the reference as the page writes it
    pmid: str | None
    status: str | None  # the reference's resolution status
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class VerifySummary:
    rows: list[VerifyRow] = field(default_factory=list)
    no_source: list[int] = field(default_factory=list)  # claims with no study to check
    not_checked: list[NotChecked] = field(default_factory=list)  # sources without a study

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for r in self.rows:
            key = "skipped" if r.skipped else r.verdict
            out[key] = out.get(key, 0) + 1
        return out


def claim_input(claim: Claim) -> ClaimInput:
    figure = None
    if claim.figure_value is not None:
        figure = Figure(
            value=claim.figure_value,
            unit=claim.figure_unit or "%",
            qualifier=claim.figure_qualifier or "exact",
            text=claim.figure_text or "",
        )
    # Whether the figure is a difference from placebo is read from the text by the engine
    # (`claim_terms.claim_versus_placebo`): "compared with duloxetine" is not placebo.
    return ClaimInput(
        text=claim.text,
        figure=figure,
        outcome=claim.outcome,
        population=claim.population,
        condition=claim.condition,
        intervention=claim.intervention,
    )


def study_input(study: Study) -> StudyInput:
    return StudyInput(
        title=study.title or "",
        abstract=study.abstract or "",
        publication_types=[t.name for t in study.publication_types],
    )


def verify(
    *, session: Session, claim_ids: Sequence[int] = (), document_id: int | None = None
) -> VerifySummary:
    query = (
        select(Claim)
        .options(
            selectinload(Claim.citations)
            .selectinload(Citation.study)
            .selectinload(Study.publication_types),
            selectinload(Claim.citations).selectinload(Citation.reference),
        )
        .order_by(Claim.document_id, Claim.position, Claim.id)
    )
    if claim_ids:
        query = query.where(Claim.id.in_(claim_ids))
    if document_id is not None:
        if session.get(SourceDocument, document_id) is None:
            raise NotFoundError(f"no document with id {document_id}")
        query = query.where(Claim.document_id == document_id)
    claims = list(session.scalars(query))
    if claim_ids:
        missing = sorted(set(claim_ids) - {c.id for c in claims})
        if missing:
            raise NotFoundError(f"no claim with id {', '.join(map(str, missing))}")
    summary = VerifySummary()
    for claim in claims:
        studied = [c for c in claim.citations if c.study is not None]
        summary.not_checked += [
            NotChecked(
                claim_id=claim.id,
                claim=claim.text,
                reference=c.reference.raw if c.reference else None,
                pmid=c.reference.pmid if c.reference else None,
                status=c.reference.status if c.reference else None,
                reason=no_study_reason(c.reference),
            )
            for c in claim.citations
            if c.study is None
        ]
        if not studied:
            summary.no_source.append(claim.id)
            continue
        ci = claim_input(claim)
        for citation in studied:
            summary.rows.append(_verify_one(session, claim, ci, citation))
    session.flush()
    return summary


def no_study_reason(reference: Reference | None) -> str:
    """Why a cited reference gives no study to check: "PMID 99999991 is not in PubMed",
    the resolution's error, a PMID not fetched yet, a web page."""
    if reference is None:
        return "no reference"
    if reference.status == ResolutionStatus.WEB:
        return "a web page, not a study"
    if reference.status == ResolutionStatus.RESOLVED and reference.pmid:
        return f"PMID {reference.pmid} is not stored: run `ldn-evidence fetch --missing`"
    return reference.error or f"reference {reference.status}"


def _verify_one(session: Session, claim: Claim, ci: ClaimInput, citation: Citation) -> VerifyRow:
    study = citation.study
    assert study is not None
    row = VerifyRow(
        claim_id=claim.id,
        claim=claim.text,
        pmid=study.pmid,
        verdict=citation.verdict,
        origin=citation.verdict_origin,
        sentence=citation.evidence_sentence,
        study_figure=citation.study_figure,
        reason=citation.reason,
    )
    if citation.verdict_origin == "reviewer":
        row.skipped = "decided by a reviewer"
        return row
    ref = citation.reference
    if ref is not None and ref.status == ResolutionStatus.NOT_FOUND:  # a curated study
        row.skipped = no_study_reason(ref)
        return row
    if study.origin == "curated" or not study.abstract:
        row.skipped = (
            "curated record, no abstract on file: run `ldn-evidence fetch --missing`"
            if study.origin == "curated"
            else "the PubMed record has no abstract"
        )
        return row
    result = verify_claim(ci, study_input(study))
    sentence = " … ".join(result.sentences) if result.sentences else None
    row.changed = set_verdict(
        session=session,
        citation=citation,
        verdict=result.verdict,
        origin="automatic",
        by="ldn-evidence verify",
        evidence_sentence=sentence,
        study_figure=result.study_figure,
        reason=result.reason,
    )
    row.verdict, row.origin = citation.verdict, citation.verdict_origin
    row.sentence, row.study_figure, row.reason = (
        citation.evidence_sentence,
        citation.study_figure,
        citation.reason,
    )
    if citation.verdict_origin == "reviewer":  # a concurrent reviewer won the race
        row.skipped = "decided by a reviewer"
    return row
