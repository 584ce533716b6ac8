"""verify_claim: the realistic cases of the brief and single behaviours, one per test."""

from __future__ import annotations

import pytest

from .verification_samples import (
    CROSSOVER_31,
    MIXED_60,
    PAIN_CLAIM,
    PILOT_10,
    SIXTY_CLAIM,
    check,
    claim,
)


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
    assert "does not say what its figure measures" in result.reason


def test_background_aims_are_not_findings() -> None:
    abstract = "We aimed to test whether LDN reduces pain. Forty patients took part."
    assert check(claim("LDN reduced pain"), abstract).verdict == "not_in_abstract"


def test_not_in_abstract_names_the_outcomes_that_are_there() -> None:
    result = check(claim("LDN reduced itching by 30%", 30, outcome="itch"), MIXED_60)
    assert result.verdict == "not_in_abstract"
    assert "itching" in result.reason  # what the abstract does not speak of


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
        result = check(claim("LDN reduced pain"), sentence, "Low-dose naltrexone for pain")
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
