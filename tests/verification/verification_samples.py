"""Abstracts and claim helpers shared by the verdict tests. The abstracts are written for
these tests (modelled loosely on small LDN trials), not copied from PubMed."""

from __future__ import annotations

from ldn_evidence.figures import Figure
from ldn_evidence.verification import (
    VERDICTS,
    ClaimInput,
    StudyInput,
    VerificationResult,
    verify_claim,
)

CROSSOVER_31 = (
    "BACKGROUND: Low-dose naltrexone (LDN) has been proposed as a treatment for "
    "fibromyalgia.\n"
    "METHODS: Thirty-one women with fibromyalgia took part in a randomized, double-blind, "
    "placebo-controlled, counterbalanced crossover trial (12 weeks of LDN, 4 weeks of "
    "placebo).\n"
    "RESULTS: LDN was associated with a 28.8% reduction in pain compared with 18.0% during "
    "placebo (p = 0.016). Eighteen of 31 women (58%) responded, defined as a ≥30% reduction "
    "in pain. Mood and general satisfaction with life improved with LDN, but fatigue and "
    "sleep did not differ from placebo. Side effects were rare and mild.\n"
    "CONCLUSIONS: LDN may be an effective, well tolerated treatment for fibromyalgia."
)
PILOT_10 = (
    "OBJECTIVE: To test whether low-dose naltrexone reduces fibromyalgia symptoms. "
    "METHODS: Ten women with fibromyalgia completed a single-blind, placebo-controlled "
    "crossover pilot study. RESULTS: Low-dose naltrexone reduced fibromyalgia symptoms in "
    "the entire cohort, with a greater than 30% reduction of symptoms over placebo. "
    "Vivid dreams and headache were reported."
)
MIXED_60 = (
    "We randomized 60 adults (28 men and 32 women) with chronic low back pain to LDN or "
    "placebo for 8 weeks. Pain scores fell by 35% with LDN and by 20% with placebo. "
    "Compared with placebo, LDN reduced fatigue by 12%. Sleep quality improved by 10% from "
    "baseline with LDN. No serious adverse events occurred."
)
NULL_TRIAL = (
    "Forty-two patients with chronic pain were randomized to LDN or placebo. Pain did not "
    "differ from placebo at 12 weeks. There was no significant difference in quality of life. "
    "LDN was well tolerated."
)
WORSE = (
    "Twenty patients with fibromyalgia received LDN for 8 weeks. Pain increased by 12% "
    "during LDN treatment. Two serious adverse events occurred and led to withdrawal."
)
RESPONDERS = (
    "Fifty patients with fibromyalgia received LDN in an open-label study. Sixty percent of "
    "patients reported a reduction in symptoms. Fatigue scores fell by 40% from baseline. "
    "Beta-endorphin levels increased 2-fold. Pain fell by 20-30% across visits."
)
CROHN = (
    "In this open-label study of 12 children with Crohn's disease, remission was reached by "
    "25% of patients and disease activity fell by 40%."
)
ENDORPHIN = (
    "In 24 patients, serum beta-endorphin rose significantly after 8 weeks of LDN. Pain was "
    "not measured."
)
NO_FIGURES = (
    "This review discusses the pharmacology of naltrexone at low doses and its action on "
    "glial cells."
)

PAIN_CLAIM = (
    "Another small study in women found that low dose naltrexone improved pain scored by nearly 30%"  # noqa: E501
)
SIXTY_CLAIM = "In one trial, 60% of patients reported a reduction in fibromyalgia symptoms"


def claim(
    text: str,
    value: float | None = None,
    qualifier: str = "exact",
    outcome: str | None = None,
    population: str | None = None,
    versus_placebo: bool | None = None,
    unit: str = "%",
) -> ClaimInput:
    fig = None
    if value is not None:
        written = f"{'' if qualifier == 'exact' else qualifier + ' '}{value:g}{unit}"
        fig = Figure(value, unit, qualifier, written)
    return ClaimInput(
        text=text,
        figure=fig,
        outcome=outcome,
        population=population,
        intervention="low-dose naltrexone",
        versus_placebo=versus_placebo,
    )


def check(c: ClaimInput, abstract: str, title: str = "") -> VerificationResult:
    result = verify_claim(c, StudyInput(title, abstract, ["Journal Article"]))
    assert result.verdict in VERDICTS
    for sentence in result.sentences:
        assert sentence in abstract, sentence
    return result
