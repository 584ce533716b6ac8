"""Verify a claim against a study's abstract: the verdict and the sentence(s) deciding it.

Verdicts (`VERDICTS`): unchecked, supported, partially_supported, not_supported,
contradicted, not_in_abstract. Every claim goes through the outcome-agnostic `engine`.
Two refinements run first. A tolerability claim ("no serious side effects", "well
tolerated") is checked against what the abstract says of adverse events (`assertions`).
A claim that states a share or a change ("nearly 30%") on an outcome the trial vocabulary
knows (`outcomes.FIGURE_OUTCOMES`: pain, fatigue, sleep …) goes through `figure_check`, which
tells a placebo arm's figure, a difference from placebo and a responder rate apart; its
verdict stands when it found the outcome's figures. Otherwise (and for every other claim)
the engine decides; a supported claim about a population the study did not include ("in
men" against a trial of women only) is partially supported. The vocabulary only aligns
words there: it never decides whether a claim can be checked.
"""

from __future__ import annotations

from ldn_evidence.figures import parse_claim_figure
from ldn_evidence.verification.assertions import check_safety
from ldn_evidence.verification.claim_terms import claim_outcome, claim_population
from ldn_evidence.verification.decision import verify_text
from ldn_evidence.verification.directions import is_safety_claim
from ldn_evidence.verification.figure_check import check_figure
from ldn_evidence.verification.population import population_mismatch, study_population
from ldn_evidence.verification.results import (
    NOT_IN_ABSTRACT,
    PARTIALLY_SUPPORTED,
    SUPPORTED,
    VERDICTS,
    ClaimInput,
    StudyInput,
    VerificationResult,
)

__all__ = ["VERDICTS", "ClaimInput", "StudyInput", "VerificationResult", "verify_claim"]

_TRIAL_UNITS = ("%", "fold", "points", "of N", "count")


def verify_claim(claim: ClaimInput, study: StudyInput) -> VerificationResult:
    """Check `claim` against `study`'s abstract; never raises on odd text."""
    abstract = (study.abstract or "").strip()
    if not abstract:
        return VerificationResult(
            NOT_IN_ABSTRACT, [], None, "the study has no abstract to check the claim against"
        )
    text = claim.text or ""
    figure = claim.figure or parse_claim_figure(text)
    outcome = claim_outcome(claim.outcome, text)

    def note() -> str | None:
        who = claim_population(claim.population, text)
        if not (who or "").strip():  # no population named: no mismatch, the study unread
            return None
        return population_mismatch(
            who, study_population(study.title or "", abstract), f"{study.title or ''}\n{abstract}"
        )

    if figure is None and is_safety_claim(text) and outcome in (None, "side effects"):
        return check_safety(abstract, note())
    if figure is not None and outcome is not None and figure.unit in _TRIAL_UNITS:
        with_figure = ClaimInput(
            text=text, figure=figure, outcome=claim.outcome, population=claim.population,
            condition=claim.condition, intervention=claim.intervention,
            versus_placebo=claim.versus_placebo,
        )  # fmt: skip
        trial = check_figure(with_figure, abstract, outcome, note())
        if trial.verdict != NOT_IN_ABSTRACT:
            return trial
    result = verify_text(text, study.title or "", abstract)
    if result.verdict == SUPPORTED:
        mismatch = note()
        if mismatch:  # "in men" against a trial of women only
            return VerificationResult(
                PARTIALLY_SUPPORTED, result.sentences, result.study_figure,
                f"{result.reason}; but {mismatch}",
            )  # fmt: skip
    return result
