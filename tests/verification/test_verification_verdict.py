"""verify_claim: the table of claims × abstracts covering every verdict and qualifier."""

from __future__ import annotations

import pytest

from ldn_evidence.verification import VERDICTS, ClaimInput

from .verification_samples import (
    CROHN,
    CROSSOVER_31,
    ENDORPHIN,
    MIXED_60,
    NO_FIGURES,
    NULL_TRIAL,
    PILOT_10,
    RESPONDERS,
    WORSE,
    check,
    claim,
)

# claim, abstract, verdict, a fragment of a deciding sentence (None: no sentence)
CASES = [
    # --- supported: each qualifier, inside its interval
    (claim("LDN reduced pain by 35%", 35, outcome="pain"), MIXED_60, "supported", "fell by 35%"),
    (
        claim("LDN reduced pain by nearly 40%", 40, "nearly", outcome="pain"),
        MIXED_60,
        "supported",
        "35%",
    ),
    (claim("LDN cut pain by about 33%", 33, "about", outcome="pain"), MIXED_60, "supported", "35%"),
    (claim("LDN reduced pain by ~36%", 36, "~", outcome="pain"), MIXED_60, "supported", "35%"),
    (
        claim("LDN reduced fatigue by more than 35%", 35, "more than", outcome="fatigue"),
        RESPONDERS,
        "supported",
        "40%",
    ),
    (
        claim("LDN reduced fatigue by at least 40%", 40, "at least", outcome="fatigue"),
        RESPONDERS,
        "supported",
        "40%",
    ),
    (
        claim("LDN reduced fatigue by up to 45%", 45, "up to", outcome="fatigue"),
        RESPONDERS,
        "supported",
        "40%",
    ),
    (
        claim("LDN reduced fatigue by less than 50%", 50, "less than", outcome="fatigue"),
        RESPONDERS,
        "supported",
        "40%",
    ),
    # number words, responder claims, ranges, fold changes, counts
    (
        claim(
            "60% of patients reported a reduction in symptoms",
            60,
            outcome="symptoms",
            population="patients",
        ),
        RESPONDERS,
        "supported",
        "Sixty percent",
    ),
    (
        claim("LDN reduced pain by 25%", 25, outcome="pain"),
        RESPONDERS,
        "partially_supported",
        "20-30%",
    ),
    (
        claim("LDN reduced pain by about 25%", 25, "about", outcome="pain"),
        RESPONDERS,
        "supported",
        "20-30%",
    ),
    (
        claim("LDN doubled beta-endorphin", 2, unit="fold", outcome="beta-endorphin"),
        RESPONDERS,
        "supported",
        "2-fold",
    ),
    (
        claim("18 women responded with less pain", 18, outcome="pain", unit="of N"),
        CROSSOVER_31,
        "supported",
        "Eighteen of 31",
    ),
    (
        claim(
            "A quarter of children went into remission",
            25,
            outcome="remission",
            population="children",
        ),
        CROHN,
        "supported",
        "25% of patients",
    ),
    # --- partially supported
    (
        claim("LDN reduced pain by 40%", 40, outcome="pain"),
        MIXED_60,
        "partially_supported",
        "35%",
    ),  # close: 5 points
    (
        claim("LDN reduced pain 35% more than placebo", 35, outcome="pain"),
        MIXED_60,
        "partially_supported",
        "35%",
    ),  # drug arm only, claim implies vs placebo
    (
        claim("LDN reduced fatigue by 12%", 12, outcome="fatigue", versus_placebo=False),
        MIXED_60,
        "partially_supported",
        "Compared with placebo",
    ),  # vs placebo, claim: own change
    (
        claim("LDN reduced symptoms by 60%", 60, outcome="symptoms"),
        RESPONDERS,
        "partially_supported",
        "Sixty percent",
    ),  # share of patients vs size of the change
    (
        claim("60% of patients reported less fatigue", 40, outcome="fatigue"),
        RESPONDERS,
        "partially_supported",
        "40%",
    ),  # size of the change vs share of patients
    (
        claim("In women, LDN reduced pain by 35%", 35, outcome="pain", population="women"),
        MIXED_60,
        "partially_supported",
        "35%",
    ),  # population: men and women
    (
        claim(
            "In men, LDN reduced pain by about 30%", 30, "about", outcome="pain", population="men"
        ),
        CROSSOVER_31,
        "partially_supported",
        "28.8%",
    ),
    # --- not supported
    (claim("LDN reduced pain by 60%", 60, outcome="pain"), MIXED_60, "not_supported", "35%"),
    (
        claim("LDN reduced fatigue by over 70%", 70, "over", outcome="fatigue"),
        RESPONDERS,
        "not_supported",
        "40%",
    ),
    (
        claim("LDN reduced fatigue by less than 10%", 10, "less than", outcome="fatigue"),
        RESPONDERS,
        "not_supported",
        "40%",
    ),
    # --- contradicted
    (
        claim("LDN reduced pain by 30%", 30, outcome="pain"),
        NULL_TRIAL,
        "contradicted",
        "did not differ",
    ),
    (
        claim("LDN reduced pain by 12%", 12, outcome="pain"),
        WORSE,
        "contradicted",
        "increased by 12%",
    ),
    (
        claim("LDN improved quality of life by 20%", 20, outcome="quality of life"),
        NULL_TRIAL,
        "contradicted",
        "no significant difference",
    ),
    (
        claim("LDN reduced fatigue by nearly 30%", 30, "nearly", outcome="fatigue"),
        CROSSOVER_31,
        "contradicted",
        "did not differ from placebo",
    ),
    # --- not in abstract
    (
        claim("LDN reduced fatigue by 30%", 30, outcome="fatigue"),
        NULL_TRIAL,
        "not_in_abstract",
        None,
    ),
    (claim("LDN improved sleep by 50%", 50, outcome="sleep"), NO_FIGURES, "not_in_abstract", None),
    (claim("LDN reduced itching by 30%", 30, outcome="itch"), MIXED_60, "not_in_abstract", None),
    (claim("LDN reduced pain by 30%", 30, outcome="pain"), "", "not_in_abstract", None),
    (claim("LDN reduced pain by 30%", 30, outcome="pain"), "   ", "not_in_abstract", None),
    # --- claims without a figure
    (claim("LDN reduced symptoms"), PILOT_10, "supported", "reduced fibromyalgia symptoms"),
    (claim("LDN improved mood", outcome="mood"), CROSSOVER_31, "supported", "Mood"),
    (claim("LDN improved sleep", outcome="sleep"), CROSSOVER_31, "contradicted", "sleep did"),
    (claim("LDN reduced pain"), NULL_TRIAL, "contradicted", "did not differ"),
    (claim("LDN reduced pain"), WORSE, "contradicted", "increased"),
    (claim("LDN has no serious side effects"), CROSSOVER_31, "supported", "rare and mild"),
    (claim("LDN is well tolerated"), NULL_TRIAL, "supported", "well tolerated"),
    (claim("LDN has no serious side effects"), MIXED_60, "supported", "No serious adverse"),
    (claim("LDN has no serious side effects"), WORSE, "contradicted", "serious adverse events"),
    (claim("LDN has no serious side effects"), NO_FIGURES, "not_in_abstract", None),
    (
        claim("LDN causes an increase in beta-endorphin"),
        ENDORPHIN,
        "supported",
        "beta-endorphin rose",
    ),
    (claim("LDN reduced pain"), ENDORPHIN, "not_in_abstract", None),
    (claim("LDN reduced itching"), MIXED_60, "not_in_abstract", None),
    (  # a mechanism claim is checkable; this abstract touches it only in part
        claim("LDN blocks opioid receptors for a few hours, a rebound effect"),
        CROSSOVER_31,
        "not_supported",
        None,
    ),
    (claim("LDN was studied for pain"), CROSSOVER_31, "unchecked", None),
]


@pytest.mark.parametrize(("c", "abstract", "verdict", "fragment"), CASES)
def test_verdicts(c: ClaimInput, abstract: str, verdict: str, fragment: str | None) -> None:
    result = check(c, abstract)
    assert result.verdict == verdict, result
    assert result.reason
    if fragment is None:
        assert result.sentences == [] or verdict not in ("not_in_abstract", "unchecked")
    else:
        assert any(fragment in s for s in result.sentences), result


def test_every_verdict_is_covered() -> None:
    assert {v for *_, v, _ in CASES} == set(VERDICTS)
