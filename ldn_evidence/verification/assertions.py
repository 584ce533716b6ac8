"""Claims without a figure: check the key assertion (outcome + direction) against the
abstract's findings.

"reduced symptoms"            → a finding that symptoms fell / improved: supported;
                                "did not differ from placebo" or "worsened": contradicted
"no serious side effects"     → "well tolerated", "no serious adverse events": supported;
                                "serious adverse events occurred", "poorly tolerated":
                                contradicted
"increase in beta-endorphin"  → "beta-endorphin levels rose": supported
no outcome / no direction     → unchecked, with the reason
Both supporting and contradicting findings → partially_supported (contradicted when the
claim is about a difference from placebo and a finding says there was none).
A study population that differs from the claim's turns supported into partially_supported.
"""

from __future__ import annotations

from ldn_evidence.verification.claim_terms import claim_valence, claim_versus_placebo
from ldn_evidence.verification.directions import is_safety_claim, safety_against, safety_support
from ldn_evidence.verification.results import (
    CONTRADICTED,
    NOT_IN_ABSTRACT,
    PARTIALLY_SUPPORTED,
    SUPPORTED,
    UNCHECKED,
    ClaimInput,
    VerificationResult,
)
from ldn_evidence.verification.statements import NO_EFFECT, finding_sentences, outcome_statements


def check_safety(abstract: str, population_note: str | None) -> VerificationResult:
    sentences = finding_sentences(abstract)
    support = [s for s in sentences if safety_support(s)]
    against = [s for s in sentences if safety_against(s)]
    if against and not support:
        return VerificationResult(
            CONTRADICTED, against, None, "the abstract reports serious or poorly tolerated "
            "adverse effects"
        )  # fmt: skip
    if support and against:
        return VerificationResult(
            PARTIALLY_SUPPORTED, support + [s for s in against if s not in support], None,
            "the abstract calls the drug well tolerated but also reports serious adverse "
            "effects",
        )  # fmt: skip
    if support:
        return _supported(support, "the abstract reports it was well tolerated / without "
                          "serious adverse effects", population_note)  # fmt: skip
    return VerificationResult(
        NOT_IN_ABSTRACT, [], None, "the abstract says nothing about tolerability or side effects"
    )


def _supported(sentences: list[str], reason: str, population_note: str | None):
    if population_note:
        return VerificationResult(
            PARTIALLY_SUPPORTED, sentences, None, f"{reason}; but {population_note}"
        )
    return VerificationResult(SUPPORTED, sentences, None, reason)


def check_assertion(
    claim: ClaimInput, abstract: str, outcome: str | None, population_note: str | None
) -> VerificationResult:
    """Verdict for a claim without a figure (see the module docstring)."""
    if is_safety_claim(claim.text) and outcome in (None, "side effects"):
        return check_safety(abstract, population_note)
    if outcome is None:
        return VerificationResult(
            UNCHECKED, [], None, "the claim names no outcome the abstract could be checked "
            "for (e.g. a mechanism or background statement)"
        )  # fmt: skip
    want = claim_valence(claim.text, outcome)
    if want is None:
        return VerificationResult(
            UNCHECKED, [], None, f"the claim names {outcome} but no direction (reduced, "
            "improved, increased …) to check"
        )  # fmt: skip
    statements = outcome_statements(abstract, outcome)
    support = [s for s in statements if s.kind == want]
    against = [s for s in statements if s.kind != want]
    vs = claim_versus_placebo(claim.versus_placebo, claim.text)
    what = f"{outcome} {_moved(outcome, want)}"
    if against and (not support or (vs and any(s.versus_placebo for s in against))):
        no_effect = [s for s in against if s.kind == NO_EFFECT]
        why = "a change in the opposite direction"
        if no_effect:
            vs_placebo = any(s.versus_placebo for s in no_effect)
            why = "no difference from placebo" if vs_placebo else "no effect"
        return VerificationResult(
            CONTRADICTED, _dedupe(s.sentence for s in against), None,
            f"the claim says {what}; the abstract reports {why} on {outcome}",
        )  # fmt: skip
    if support and against:
        return VerificationResult(
            PARTIALLY_SUPPORTED, _dedupe(s.sentence for s in support + against), None,
            f"the abstract reports {what} but also no effect or the opposite on {outcome}",
        )  # fmt: skip
    if support:
        return _supported(
            _dedupe(s.sentence for s in support), f"the abstract reports {what}", population_note
        )
    return VerificationResult(
        NOT_IN_ABSTRACT, [], None, f"the abstract reports no finding on {outcome}"
    )


def _moved(outcome: str, want: str) -> str:
    """ "improved" / "got worse"; "rose" / "fell" for a level that is not a symptom."""
    if outcome == "beta-endorphin":
        return "rose" if want == "better" else "fell"
    return "improved" if want == "better" else "got worse"


def _dedupe(sentences) -> list[str]:
    out: list[str] = []
    for s in sentences:
        if s not in out:
            out.append(s)
    return out
