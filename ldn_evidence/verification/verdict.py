"""Verify a claim against a study's abstract: the verdict and the sentence(s) deciding it.

Verdicts (`VERDICTS`): unchecked, supported, partially_supported, not_supported,
contradicted, not_in_abstract. Claims with a figure go through `figure_check`, claims
without one through `assertions`; both take the claim's outcome (`outcomes.OUTCOMES`)
and a note when the study's population differs from the claim's (`population`).
"""

from __future__ import annotations

from ldn_evidence.verification.assertions import check_assertion
from ldn_evidence.verification.claim_terms import claim_outcome, claim_population
from ldn_evidence.verification.figure_check import check_figure
from ldn_evidence.verification.population import population_mismatch, study_population
from ldn_evidence.verification.results import (
    NOT_IN_ABSTRACT,
    VERDICTS,
    ClaimInput,
    StudyInput,
    VerificationResult,
)

__all__ = ["VERDICTS", "ClaimInput", "StudyInput", "VerificationResult", "verify_claim"]


def verify_claim(claim: ClaimInput, study: StudyInput) -> VerificationResult:
    """Check `claim` against `study`'s abstract; never raises on odd text."""
    abstract = (study.abstract or "").strip()
    if not abstract:
        return VerificationResult(
            NOT_IN_ABSTRACT, [], None, "the study has no abstract to check the claim against"
        )
    outcome = claim_outcome(claim.outcome, claim.text or "")
    text = f"{study.title or ''}\n{abstract}"
    note = population_mismatch(
        claim_population(claim.population, claim.text or ""),
        study_population(study.title or "", abstract),
        text,
    )
    if claim.figure is None:
        return check_assertion(claim, abstract, outcome, note)
    return check_figure(claim, abstract, outcome, note)
