"""verify_claim: claims × abstract sentences, every verdict. Abstracts are written for
these tests (modelled loosely on small LDN trials), not copied from PubMed."""

from __future__ import annotations

import pytest

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
    (
        claim("LDN blocks opioid receptors for a few hours, a rebound effect"),
        CROSSOVER_31,
        "unchecked",
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


def test_small_crossover_trial_in_women_nearly_30_percent_pain() -> None:
    c = claim(PAIN_CLAIM, 30, "nearly", outcome="pain", population="women")
    result = check(c, CROSSOVER_31, "Low-dose naltrexone for fibromyalgia in women")
    assert result.verdict in ("supported", "partially_supported")
    assert result.study_figure == "28.8%"
    assert result.sentences == [
        "RESULTS: LDN was associated with a 28.8% reduction in pain compared with 18.0% "
        "during placebo (p = 0.016)."
    ]
    assert "25–30.5%" in result.reason


def test_same_claim_versus_placebo_is_only_partial() -> None:
    c = claim(PAIN_CLAIM, 30, "nearly", outcome="pain", population="women", versus_placebo=True)
    result = check(c, CROSSOVER_31)
    assert result.verdict == "partially_supported"
    assert "difference from placebo" in result.reason


def test_sixty_percent_of_patients_against_ten_women_pilot() -> None:
    c = claim(SIXTY_CLAIM, 60, outcome="symptoms", population="patients")
    result = check(c, PILOT_10)
    assert result.verdict in ("not_supported", "partially_supported")
    assert result.study_figure == "greater than 30%"
    assert any("greater than 30% reduction of symptoms over placebo" in s for s in result.sentences)
    assert "share of patients" in result.reason
    assert "women" in result.reason and "10" in result.reason


def test_population_mismatch_patients_vs_women_only() -> None:
    c = claim("LDN reduced pain by nearly 30% in patients", 30, "nearly", outcome="pain",
              population="patients")  # fmt: skip
    result = check(c, CROSSOVER_31)
    assert result.verdict == "partially_supported"
    assert "only women" in result.reason and "31" in result.reason


def test_population_from_claim_text_when_field_empty() -> None:
    c = claim("In men, LDN cut pain by nearly 30%", 30, "nearly", outcome="pain")
    assert check(c, CROSSOVER_31).verdict == "partially_supported"


def test_baseline_versus_placebo_distinction() -> None:
    own = claim("LDN improved sleep quality by 10%", 10, outcome="sleep", versus_placebo=False)
    assert check(own, MIXED_60).verdict == "supported"
    vs = claim("LDN improved sleep quality by 10% more than placebo", 10, outcome="sleep")
    result = check(vs, MIXED_60)
    assert result.verdict == "partially_supported"
    assert "difference from placebo" in result.reason


def test_placebo_arm_figure_never_supports() -> None:
    result = check(claim("LDN reduced pain by 20%", 20, outcome="pain"), MIXED_60)
    assert result.verdict != "supported"
    assert result.study_figure != "20%"


def test_no_effect_beside_a_matching_figure() -> None:
    abstract = (
        "Pain decreased by 28% with LDN and by 25% with placebo; the difference between "
        "groups was not significant."
    )
    plain = claim("LDN reduced pain by nearly 30%", 30, "nearly", outcome="pain")
    assert check(plain, abstract).verdict == "partially_supported"
    vs = claim("LDN reduced pain by nearly 30%", 30, "nearly", outcome="pain", versus_placebo=True)
    assert check(vs, abstract).verdict == "contradicted"


def test_claim_outcome_taken_from_text_when_field_empty() -> None:
    result = check(claim("LDN reduced pain severity by 35%", 35), MIXED_60)
    assert result.verdict == "supported"


def test_claim_without_outcome_is_compared_with_any_figure() -> None:
    result = check(claim("LDN helped by 35%", 35), MIXED_60)
    assert result.verdict == "partially_supported"
    assert "names no outcome" in result.reason


def test_background_aims_are_not_findings() -> None:
    abstract = "We aimed to test whether LDN reduces pain. Forty patients took part."
    assert check(claim("LDN reduced pain"), abstract).verdict == "not_in_abstract"


def test_not_in_abstract_names_the_outcomes_that_are_there() -> None:
    result = check(claim("LDN reduced itching by 30%", 30, outcome="itch"), MIXED_60)
    assert "pain" in result.reason


def test_contradiction_phrases() -> None:
    phrases = [
        "Pain did not differ from placebo.",
        "There was no significant difference in pain between groups.",
        "Pain was not significantly different between LDN and placebo.",
        "LDN did not significantly reduce pain.",
        "LDN failed to improve pain.",
        "Pain with LDN was no better than placebo.",
        "Pain scores were similar to placebo.",
        "The change in pain did not reach statistical significance.",
        "Pain worsened during LDN treatment.",
        "LDN increased pain.",
        "Pain remained unchanged.",
    ]
    for sentence in phrases:
        result = check(claim("LDN reduced pain"), sentence)
        assert result.verdict == "contradicted", sentence
        assert result.sentences == [sentence]


def test_general_response_rate_claim_matches_any_responder_figure() -> None:
    abstract = (
        "At 12 weeks, 89% of patients responded to therapy with a 70-point decline in CDAI, "
        "and 67% achieved remission (p<0.001)."
    )
    result = check(claim("89% of patients responded", 89, outcome="response rate"), abstract)
    assert result.verdict == "supported" and result.study_figure == "89%"


@pytest.mark.parametrize(
    "abstract",
    [
        "BACKGROUND: Earlier work found a 30% reduction in pain with LDN.\n"
        "RESULTS: Pain did not change.",
        "BACKGROUND: LDN is used off label. An open trial found a 30% reduction in pain.\n"
        "METHODS: Twenty patients took part.",
        "Previous studies reported a 30% reduction in pain. Twenty patients took part.",
    ],
)
def test_background_figures_do_not_count(abstract: str) -> None:
    result = check(claim("LDN reduced pain by 30%", 30, outcome="pain"), abstract)
    assert result.verdict in ("not_in_abstract", "contradicted")
    assert all("30%" not in s for s in result.sentences)


def test_baseline_comparability_is_not_a_contradiction() -> None:
    abstract = (
        "There was no significant difference in baseline pain scores between groups. "
        "Pain fell by 10% with LDN."
    )
    result = check(claim("LDN reduced pain by 30%", 30, outcome="pain"), abstract)
    assert result.verdict == "not_supported"
    assert result.sentences == ["Pain fell by 10% with LDN."]


def test_no_change_from_baseline_contradicts() -> None:
    result = check(claim("LDN reduced pain"), "Pain did not change from baseline with LDN.")
    assert result.verdict == "contradicted"
