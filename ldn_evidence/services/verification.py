"""`verify`: check each claim ↔ study citation against the study's fetched abstract, and
against its PubMed Central full text when the abstract does not settle it.

A citation whose abstract verdict is not_in_abstract, not_supported or unchecked (or
whose study has no abstract) is checked again on the stored full text
(`verification.full_text`): a verdict the full text settles replaces it, with the
location of its deciding sentence ("full text, Results, ¶4", "Table 2"); so does a
partial match where the abstract said nothing. So is a claim with a figure that the
abstract supports only in part for want of a figure ("60% of patients …" against an
abstract without figures): the full text's verdict replaces it when a figure decided
it. `abstract_only` keeps to the abstract.

A reviewer's verdict is never touched; automatic verdicts are recomputed (and recorded
in citation_events only when they change, e.g. after the abstract changed).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ldn_evidence.errors import NotFoundError
from ldn_evidence.figures import Figure, parse_claim_figure
from ldn_evidence.models import Citation, Claim, Reference, SourceDocument, Study
from ldn_evidence.services.fulltext import check_passages, full_text_for
from ldn_evidence.services.verdicts import set_verdict
from ldn_evidence.verification import ClaimInput, StudyInput, VerificationResult, verify_claim
from ldn_evidence.verification.full_text import DECISIVE, verify_full_text
from ldn_evidence.verification.full_text import Passage as CheckPassage
from ldn_evidence.vocab import (
    NOT_IN_ABSTRACT,
    NOT_SUPPORTED,
    PARTIALLY_SUPPORTED,
    UNCHECKED,
    FullTextStatus,
    ResolutionStatus,
)

RECHECK = (NOT_IN_ABSTRACT, NOT_SUPPORTED, UNCHECKED)
"""Abstract verdicts the full text is checked for."""


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
    evidence_location: str | None = None  # None: the abstract
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
    *,
    session: Session,
    claim_ids: Sequence[int] = (),
    document_id: int | None = None,
    abstract_only: bool = False,
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
    texts = _FullTexts(session, enabled=not abstract_only)
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
            summary.rows.append(_verify_one(session, claim, ci, citation, texts))
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


class _FullTexts:
    """Each study's stored full text, read once a run (None: none, not open, or
    `enabled` False for `--abstract-only`)."""

    def __init__(self, session: Session, *, enabled: bool) -> None:
        self.session, self.enabled = session, enabled
        self._seen: dict[int, tuple[str, list[CheckPassage]] | None] = {}

    def of(self, study: Study) -> tuple[str, list[CheckPassage]] | None:
        """(PMCID, passages) of the study's open full text."""
        if not self.enabled or study.origin == "curated":
            return None
        if study.id not in self._seen:
            row = full_text_for(session=self.session, study=study)
            if row is not None and row.status == FullTextStatus.OPEN:
                self._seen[study.id] = (row.pmcid, check_passages(row))
            else:
                self._seen[study.id] = None
        return self._seen[study.id]


def _verify_one(
    session: Session, claim: Claim, ci: ClaimInput, citation: Citation, texts: _FullTexts
) -> VerifyRow:
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
        evidence_location=citation.evidence_location,
    )
    if citation.verdict_origin == "reviewer":
        row.skipped = "decided by a reviewer"
        return row
    ref = citation.reference
    if ref is not None and ref.status == ResolutionStatus.NOT_FOUND:  # a curated study
        row.skipped = no_study_reason(ref)
        return row
    full_text = texts.of(study)
    if study.origin == "curated" or (not study.abstract and full_text is None):
        row.skipped = (
            "curated record, no abstract on file: run `ldn-evidence fetch --missing`"
            if study.origin == "curated"
            else "the PubMed record has no abstract"
        )
        return row
    result, location = _decide(ci, study, full_text)
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
        evidence_location=location,
    )
    row.verdict, row.origin = citation.verdict, citation.verdict_origin
    row.sentence, row.study_figure, row.reason, row.evidence_location = (
        citation.evidence_sentence,
        citation.study_figure,
        citation.reason,
        citation.evidence_location,
    )
    if citation.verdict_origin == "reviewer":  # a concurrent reviewer won the race
        row.skipped = "decided by a reviewer"
    return row


def _figure_wanting(ci: ClaimInput, abstract: VerificationResult) -> bool:
    """A claim with a figure that the abstract supports in part, with no figure of its own."""
    return (
        abstract.verdict == PARTIALLY_SUPPORTED
        and abstract.study_figure is None
        and (ci.figure is not None or parse_claim_figure(ci.text) is not None)
    )


def _decide(
    ci: ClaimInput, study: Study, full_text: tuple[str, list[CheckPassage]] | None
) -> tuple[VerificationResult, str | None]:
    """The verdict and, when the full text gave it, where its deciding sentence is."""
    abstract = verify_claim(ci, study_input(study)) if study.abstract else None
    no_figure = abstract is not None and _figure_wanting(ci, abstract)
    if full_text is None or (
        abstract is not None and abstract.verdict not in RECHECK and not no_figure
    ):
        assert abstract is not None  # a study with neither is skipped by the caller
        return abstract, None
    pmcid, passages = full_text
    found = verify_full_text(ci, study_input(study), passages, with_abstract=abstract is None)
    if no_figure:  # the full text counts only where a figure decides
        if found.result.verdict in DECISIVE and found.result.study_figure is not None:
            return found.result, found.location
        assert abstract is not None
        return abstract, None
    if abstract is None or found.result.verdict in DECISIVE:
        return found.result, found.location
    if abstract.verdict == NOT_IN_ABSTRACT and found.result.verdict == NOT_SUPPORTED:
        return found.result, found.location
    if abstract.verdict == NOT_IN_ABSTRACT and found.result.verdict == NOT_IN_ABSTRACT:
        reason = f"{abstract.reason}; nor does the full text ({pmcid})"
        return replace(abstract, reason=reason), None
    return abstract, None
