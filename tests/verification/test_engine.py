"""The outcome-agnostic engine, piece by piece, in small cases of our own."""

from __future__ import annotations

import pytest

from ldn_evidence.services.evaluation import label_of
from ldn_evidence.verification import cues
from ldn_evidence.verification.decision import verify_text
from ldn_evidence.verification.engine import (
    abstract_sentences,
    analyze_claim,
    anchor_terms,
    rank_sentences,
)
from ldn_evidence.verification.quantities import (
    FOLD,
    MEASURE,
    OTHER,
    PERCENT,
    RATIO,
    claimed_interval,
    distance,
    find_quantities,
)
from ldn_evidence.verification.text import (
    content_terms,
    defined_abbreviations,
    initialisms,
    section_label,
)

# --- claim analysis ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "negated"),
    [
        ("Hydroxychloroquine does not lower mortality.", True),
        ("Vitamin D has no effect on fracture risk.", True),
        ("Tamoxifen response is independent of CYP2D6 genotype.", True),
        ("There is no relation between erythromycin and pyloric stenosis.", True),
        ("Statins failed to reduce mortality.", True),
        ("Aspirin cannot prevent a second stroke.", True),
        ("Aspirin lowers the risk of a second stroke.", False),
        ("Only 12% of infected people have no symptoms.", False),  # a noun, not the finding
        ("Patients without diabetes were excluded.", False),
    ],
)
def test_claim_negation_is_a_negated_predicate(text: str, negated: bool) -> None:
    assert analyze_claim(text).negated is negated


def test_claim_directions_hedge_and_comparison() -> None:
    a = analyze_claim("Magnesium may reduce migraine days more than placebo.")
    assert a.hedge == "weak"
    assert ("down", a.text.index("reduce")) in a.directions
    c = analyze_claim("Exercise A is more effective than exercise B for neck pain.")
    assert c.comparison is not None
    assert "A" in c.comparison.favoured and "B" in c.comparison.other


def test_a_claim_that_only_says_something_was_studied_asserts_nothing() -> None:
    assert analyze_claim("LDN has been studied for fibromyalgia.").asserts is False
    assert analyze_claim("LDN reduced fibromyalgia pain.").asserts is True
    result = verify_text("LDN has been studied for fibromyalgia.", "", "LDN reduced pain.")
    assert result.verdict == "unchecked" and "studied" in result.reason


def test_empty_claim_is_unchecked() -> None:
    assert verify_text("the of and", "", "Pain fell.").verdict == "unchecked"


def test_anchor_terms_are_what_the_claim_says_something_about() -> None:
    a = analyze_claim("Zinc lozenges shorten the duration of colds.")
    assert {"durat", "cold"} <= anchor_terms(a)
    assert "zinc" not in anchor_terms(a)


# --- words, abbreviations, sections ----------------------------------------------------------


def test_stems_weights_and_aliases() -> None:
    t = content_terms("Reduced deaths among children with COVID-19")
    assert {"reduc", "mortal", "child", "covid"} <= set(t.weights)
    assert "among" not in t.weights
    (rare,) = content_terms("naltrexone").weights.values()
    (common,) = content_terms("children").weights.values()
    assert rare > common


def test_abbreviations_defined_and_written_out() -> None:
    defined = defined_abbreviations("We gave low-dose naltrexone (LDN) to ten women.")
    assert defined == {"ldn": ("low", "dose", "naltrexon")}
    assert initialisms("LDN eased pain", "Low dose naltrexone eased pain.") == {
        "ldn": ("low", "dose", "naltrexon")
    }
    # the long form in a sentence stands for the abbreviation: full coverage
    result = verify_text(
        "LDN reduced fibromyalgia symptoms.",
        "",
        "RESULTS: Low-dose naltrexone reduced fibromyalgia symptoms over placebo.",
    )
    assert result.verdict == "supported"


@pytest.mark.parametrize(
    ("sentence", "label"),
    [
        ("RESULTS: Pain fell.", "RESULTS"),
        ("Results: pain fell.", "RESULTS"),
        ("CONCLUSIONS A substantial reduction was seen.", "CONCLUSIONS"),
        ("METHODS AND RESULTS The roles were studied.", "METHODS AND RESULTS"),
        ("DESIGN, SETTING, AND PARTICIPANTS Adults took part.", "DESIGN SETTING AND PARTICIPANTS"),
        ("HIV is a virus.", None),
    ],
)
def test_section_labels(sentence: str, label: str | None) -> None:
    assert section_label(sentence) == label


# --- evidence selection ----------------------------------------------------------------------


def test_results_are_preferred_over_background() -> None:
    abstract = (
        "BACKGROUND: Zinc is thought to shorten colds.\n"
        "RESULTS: Zinc lozenges shortened colds by two days."
    )
    claim = analyze_claim("Zinc lozenges shorten colds.")
    ranked = rank_sentences(claim, abstract_sentences("", abstract))
    assert ranked[0].text.startswith("RESULTS")
    assert not [s for s in abstract_sentences("", abstract) if s.section == "BACKGROUND"][0].finding


def test_background_alone_is_not_in_abstract() -> None:
    abstract = "BACKGROUND: Zinc lozenges are said to shorten colds.\nMETHODS: 40 adults took part."
    assert verify_text("Zinc lozenges shorten colds.", "", abstract).verdict == "not_in_abstract"


def test_unrelated_abstract_is_not_in_abstract_and_names_what_is_missing() -> None:
    result = verify_text(
        "Melatonin improves sleep onset in children.",
        "Statins in older adults",
        "RESULTS: Statins lowered LDL cholesterol in adults over 75.",
    )
    assert result.verdict == "not_in_abstract"
    assert "melatonin" in result.reason and result.sentences == []


# --- negation and hedge scope ----------------------------------------------------------------


def test_negation_scope_is_its_clause() -> None:
    s = "Zinc shortened colds, although no change in sore throat was seen."
    claim = analyze_claim("Zinc shortens colds.")
    assert verify_text(claim.text, "Zinc for colds", s).verdict == "supported"
    claim2 = "Zinc relieves sore throat."
    assert verify_text(claim2, "Zinc for colds", s).verdict == "contradicted"


def test_qualifying_independent_of_is_not_a_negation() -> None:
    s = "Obesity was associated with mortality independent of age."
    assert not cues.negations(s)
    assert cues.negations("Mortality was independent of obesity.")


@pytest.mark.parametrize(
    ("sentence", "strength"),
    [
        ("It is unclear whether turmeric helps.", "strong"),
        ("We cannot say whether turmeric helps.", "strong"),
        ("There is no evidence that turmeric helps.", "strong"),
        ("Further studies are needed to confirm the effect.", "strong"),
        ("Turmeric may help.", "weak"),
        ("These results suggest a benefit.", "weak"),
        ("Turmeric reduced pain by 20%.", None),
    ],
)
def test_hedges(sentence: str, strength: str | None) -> None:
    assert cues.hedge(sentence) == strength


def test_claim_and_finding_both_negated_support() -> None:
    result = verify_text(
        "Vitamin E does not prevent prostate cancer.",
        "Vitamin E and prostate cancer",
        "RESULTS: Vitamin E did not prevent prostate cancer in healthy men.",
    )
    assert result.verdict == "supported"


# --- arms and directions ---------------------------------------------------------------------


def test_direction_conflict_on_the_same_term() -> None:
    result = verify_text(
        "Drug X lowers potassium.", "Drug X", "RESULTS: Potassium rose with drug X."
    )
    assert result.verdict == "contradicted" and "opposite direction" in result.reason


def test_comparison_favouring_the_other_arm() -> None:
    abstract = "RESULTS: Physiotherapy was superior to surgery for knee function at one year."
    assert (
        verify_text(
            "Surgery is superior to physiotherapy for knee function.", "Knee trial", abstract
        ).verdict
        == "contradicted"
    )
    assert (
        verify_text(
            "Physiotherapy is superior to surgery for knee function.", "Knee trial", abstract
        ).verdict
        == "supported"
    )


# --- figures ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "low", "high", "unit"),
    [
        ("43.2% were asymptomatic", PERCENT, 43.2, 43.2, ""),
        ("a rate of 12·4%", PERCENT, 12.4, 12.4, ""),
        ("76.3% to 85.4% of patients", PERCENT, 76.3, 85.4, ""),
        ("10 to 30 percent of adults", PERCENT, 10, 30, ""),
        ("one in five adults", PERCENT, 20, 20, "rate"),
        ("1/2000 births", PERCENT, 0.05, 0.05, "share"),
        ("493 per million", PERCENT, 0.0493, 0.0493, "rate"),
        ("half of the patients", PERCENT, 50, 50, "share"),
        ("almost twice as likely", FOLD, 2, 2, ""),
        ("a 3-fold rise", FOLD, 3, 3, ""),
        ("OR 1.86", RATIO, 1.86, 1.86, "OR"),
        ("HR 0.74 (95% CI 0.61-0.90)", RATIO, 0.74, 0.74, "HR"),
        ("fell by 10 mmHg", MEASURE, 10, 10, "mmHg"),
        ("stay 6 feet apart", MEASURE, 6, 6, "feet"),
        ("4 to 4.5 days", MEASURE, 4, 4.5, "days"),
        ("7 million cases", "count", 7e6, 7e6, ""),
    ],
)
def test_figure_kinds(text: str, kind: str, low: float, high: float, unit: str) -> None:
    (q,) = [q for q in find_quantities(text) if q.kind != OTHER]
    assert (q.kind, q.unit) == (kind, unit)
    assert q.low == pytest.approx(low) and q.high == pytest.approx(high)


@pytest.mark.parametrize(
    "text",
    ["atropine 0.5–1% eye drops", "4.5 mg at night", "p < 0.05", "in 2019", "aged 50-59",
     "(95% CI 0.6-0.9)", "45 years old"],
)  # fmt: skip
def test_doses_p_values_years_ages_are_never_figures(text: str) -> None:
    assert all(q.kind == OTHER for q in find_quantities(text))


def test_ratio_abbreviations_are_case_sensitive() -> None:
    assert find_quantities("2 or 3 patients") == []


def test_from_x_to_y_is_two_values_not_a_range() -> None:
    qs = find_quantities("rose from 20% to 40%")
    assert [(q.low, q.high) for q in qs] == [(20, 20), (40, 40)]


def test_claimed_interval_keeps_a_range_and_never_goes_negative() -> None:
    (q,) = find_quantities("between about 10 to 20 percent")
    lo, hi = claimed_interval(q)
    assert lo <= 10 and hi >= 20
    (small,) = find_quantities("about 1%")
    assert claimed_interval(small)[0] >= 0


def test_round_figures_are_read_as_rounded() -> None:
    (claim,) = find_quantities("50%")
    (near,) = find_quantities("48%")
    (far,) = find_quantities("40%")
    assert distance(claim, near) == 0 and distance(claim, far) > 2


def test_a_figure_of_another_quantity_is_not_the_claims() -> None:
    result = verify_text(
        "22% of the population carry the variant.",
        "Variant carriers",
        "RESULTS: The variant was found in 20% of those hospitalised with pneumonia.",
    )
    assert label_of(result.verdict) == "NEI"


# --- the failure kinds of issue #11, as a regression suite -------------------------------------

REGRESSIONS = [
    # negated or hedged findings are not support
    ("Pine wood furniture improves sleep.", "Pine wood and sleep",
     "We compared bedrooms furnished with pine wood and with other materials. There is no "
     "indication that the pine wood improves sleep quality in adults.", "NEI"),
    ("Turmeric can alleviate arthritis pain.", "Turmeric for arthritis",
     "We reviewed eight small trials of turmeric in arthritis. Because the trials were small, "
     "we cannot say whether turmeric can alleviate arthritis pain.", "NEI"),
    ("Air purifiers improve allergy symptoms.", "Air purifiers and allergy",
     "Forty households received an air purifier or a sham device. Air purifiers did not "
     "improve allergy symptoms compared with sham devices.", "CONTRADICT"),
    ("Vitamin C shortens colds.", "Vitamin C and colds",
     "RESULTS: It is unclear whether vitamin C shortens colds in the general population.",
     "NEI"),
    # a wrong figure on the claim's own quantity, whatever the outcome
    ("The secondary attack rate of COVID-19 in households is 80%.", "Household transmission",
     "RESULTS: The secondary attack rate among household contacts was 12.4% (95% CI "
     "9.8-15.4).", "CONTRADICT"),
    ("The secondary attack rate of COVID-19 in households is between about 10 to 20 percent.",
     "Household transmission", "RESULTS: The secondary attack rate among household contacts "
     "was 12.4% (95% CI 9.8-15.4).", "SUPPORT"),
    ("Only 12% of infected people have no symptoms.", "Asymptomatic infection",
     "RESULTS: Of 1,000 people who tested positive, 43.2% were asymptomatic throughout "
     "follow-up.", "CONTRADICT"),
    ("43% of infected people have no symptoms.", "Asymptomatic infection",
     "RESULTS: Of 1,000 people who tested positive, 43.2% were asymptomatic throughout "
     "follow-up.", "SUPPORT"),
    # a dose is not an effect size; a neighbouring figure is not the claim's
    ("Atropine slows myopia progression by 50%.", "Atropine for myopia",
     "Children received atropine 0.5–1% eye drops or placebo. RESULTS: Atropine slowed "
     "myopia progression by 48% compared with placebo.", "SUPPORT"),
    ("Aspirin lowers systolic blood pressure by 10 mmHg.", "Aspirin and blood pressure",
     "RESULTS: Aspirin lowered systolic blood pressure by 2 mmHg (95% CI 1-3).", "CONTRADICT"),
    ("Smokers are almost twice as likely to develop the disease.", "Smoking and disease",
     "RESULTS: Smokers were 1.9 times more likely to develop the disease than non-smokers "
     "(OR 1.86, 95% CI 1.4-2.5).", "SUPPORT"),
    ("The condition affects 1 in 2000 births.", "Birth prevalence",
     "RESULTS: The condition affected 493 per million births.", "SUPPORT"),
    # which way, and which arm
    ("Drug X reduces mortality.", "Drug X in sepsis",
     "RESULTS: Mortality was higher with drug X than with placebo (HR 1.4).", "CONTRADICT"),
    ("General exercise is more effective than rotator cuff exercise for shoulder pain.",
     "Exercise for shoulder pain", "RESULTS: Rotator cuff exercise was more effective than "
     "general exercise for shoulder pain at 12 weeks.", "CONTRADICT"),
    ("Hydroxychloroquine does not lower the risk of mortality in patients with COVID-19.",
     "HCQ in COVID", "RESULTS: Hydroxychloroquine did not reduce mortality in hospitalised "
     "patients with COVID-19 (HR 1.02).", "SUPPORT"),
    ("Hydroxychloroquine lowers the risk of mortality in patients with COVID-19.",
     "HCQ in COVID", "RESULTS: Hydroxychloroquine did not reduce mortality in hospitalised "
     "patients with COVID-19 (HR 1.02).", "CONTRADICT"),
    ("The serial interval of COVID-19 is 4 to 4.5 days.", "Serial interval",
     "Results: we estimated the median serial interval at 4.0 days (95% CrI: 3.1, 4.9).",
     "SUPPORT"),
]  # fmt: skip


@pytest.mark.parametrize(("claim", "title", "abstract", "label"), REGRESSIONS)
def test_failure_kinds_of_the_old_engine(claim: str, title: str, abstract: str, label: str) -> None:
    result = verify_text(claim, title, abstract)
    assert label_of(result.verdict) == label, result
    assert result.reason
    if result.verdict != "not_in_abstract":
        assert result.sentences and all(s in abstract for s in result.sentences)


def test_hedged_finding_is_only_partial_support() -> None:
    result = verify_text(
        "Masks reduce transmission.", "Masks",
        "Masks may reduce transmission of respiratory viruses in households.",
    )  # fmt: skip
    assert result.verdict == "partially_supported" and "suggests" in result.reason


def test_an_opposite_word_next_to_the_same_word_contradicts() -> None:
    abstract = "RESULTS: Most transmission happened before symptom onset in household pairs."
    result = verify_text("Transmission occurs only after symptom onset.", "Transmission", abstract)
    assert result.verdict == "contradicted" and "'before'" in result.reason
    # an opposite word elsewhere in the sentence is not the claim's
    other = "RESULTS: Transmission after symptom onset was seen in two different cities."
    assert verify_text("The same households had transmission after symptom onset.", "T",
                       other).verdict != "contradicted"  # fmt: skip


def test_a_population_the_study_did_not_include_makes_support_partial() -> None:
    from ldn_evidence.verification import ClaimInput, StudyInput, verify_claim

    study = StudyInput(
        "Zinc for colds in women", "RESULTS: In 40 women, zinc lozenges shortened colds."
    )
    result = verify_claim(ClaimInput("In men, zinc lozenges shorten colds."), study)
    assert result.verdict == "partially_supported" and "women" in result.reason
    plain = verify_claim(ClaimInput("Zinc lozenges shorten colds."), study)
    assert plain.verdict == "supported"
