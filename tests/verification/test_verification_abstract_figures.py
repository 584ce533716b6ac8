"""find_abstract_figures: forms of numbers, outcomes, roles and arms. All sentences are
written for these tests."""

from __future__ import annotations

import pytest

from ldn_evidence.outcomes import FIGURE_OUTCOMES, find_outcomes, normalize_outcome
from ldn_evidence.verification.abstract_figures import AbstractFigure, find_abstract_figures


def figure(abstract: str, text: str) -> AbstractFigure:
    found = [f for f in find_abstract_figures(abstract) if f.text == text]
    assert found, f"{text!r} not among {[f.text for f in find_abstract_figures(abstract)]}"
    return found[0]


# sentence, figure text, value, high, unit
FORMS = [
    ("Pain fell by 28.8% with LDN.", "28.8%", 28.8, None, "%"),
    ("Pain fell by 28.8 percent with LDN.", "28.8 percent", 28.8, None, "%"),
    ("Pain fell by 28.8 per cent with LDN.", "28.8 per cent", 28.8, None, "%"),
    ("Pain fell by 28·8% with LDN.", "28·8%", 28.8, None, "%"),
    ("Thirty-two percent reported improved mood.", "Thirty-two percent", 32.0, None, "%"),
    ("Twenty percent of patients reported less pain.", "Twenty percent", 20.0, None, "%"),
    ("One third of participants reported improved sleep.", "One third", 33.33, None, "%"),
    ("Half of the women reported less fatigue.", "Half", 50.0, None, "%"),
    ("Two-thirds of patients had improved symptoms.", "Two-thirds", 66.67, None, "%"),
    ("LDN reduced itching by half.", "half", 50.0, None, "%"),
    ("Pain scores fell by 20-30% with LDN.", "20-30%", 20.0, 30.0, "%"),
    ("Pain scores fell by 20–30% with LDN.", "20–30%", 20.0, 30.0, "%"),
    ("Pain fell from 20% to 30% with LDN.", "20% to 30%", 20.0, 30.0, "%"),
    ("Pain fell by between 20% and 30% with LDN.", "20% and 30%", 20.0, 30.0, "%"),
    ("Beta-endorphin rose 2.5-fold with LDN.", "2.5-fold", 2.5, None, "fold"),
    ("Beta-endorphin levels increased twofold.", "twofold", 2.0, None, "fold"),
    ("Beta-endorphin was 3 times higher with LDN.", "3 times", 3.0, None, "fold"),
    ("Pain scores decreased by −12.5% with LDN.", "−12.5%", 12.5, None, "%"),
    ("Pain improved in 18 of 31 patients.", "18 of 31 patients", 58.06, None, "%"),
    ("Pain improved in 18 out of 31 women.", "18 out of 31 women", 58.06, None, "%"),
    ("Eighteen of the 31 women reported less pain.", "Eighteen of the 31 women", 58.06, None, "%"),
]


@pytest.mark.parametrize(("sentence", "text", "value", "high", "unit"), FORMS)
def test_number_forms(
    sentence: str, text: str, value: float, high: float | None, unit: str
) -> None:
    f = figure(sentence, text)
    assert f.value == pytest.approx(value, abs=0.01)
    assert f.high == (pytest.approx(high) if high is not None else None)
    assert f.unit == unit
    assert f.sentence == sentence
    assert sentence[f.start : f.end] == f.text


def test_counts_are_kept_and_merged_with_their_percentage() -> None:
    s = "Eighteen of 31 women (58%) reported less pain with LDN."
    figs = find_abstract_figures(s)
    assert len(figs) == 1
    f = figs[0]
    assert (f.text, f.numerator, f.denominator, f.value) == ("58%", 18, 31, 58.0)
    assert f.role == "responder_rate" and f.outcome == "pain"

    f = figure("Adverse events occurred in 5/31 (16%) participants.", "16%")
    assert (f.numerator, f.denominator, f.outcome) == (5, 31, "side effects")
    f = figure("Pain improved in 18 of 31 patients.", "18 of 31 patients")
    assert (f.numerator, f.denominator, f.role) == (18, 31, "responder_rate")


def test_negative_sign_is_a_decrease() -> None:
    f = figure("Pain scores changed by −12.5% with LDN.", "−12.5%")
    assert f.direction == "decrease" and f.value == 12.5


# sentence, figure text, outcome, role, arm
ROLES = [
    ("LDN: 28.8% vs placebo: 18.0% reduction in pain.", "28.8%", "pain", "arm_value", "drug"),
    ("LDN: 28.8% vs placebo: 18.0% reduction in pain.", "18.0%", "pain", "arm_value", "placebo"),
    (
        "LDN was associated with a 28.8% reduction in pain compared with 18.0% during placebo.",
        "28.8%",
        "pain",
        "arm_value",
        "drug",
    ),
    (
        "LDN was associated with a 28.8% reduction in pain compared with 18.0% during placebo.",
        "18.0%",
        "pain",
        "arm_value",
        "placebo",
    ),
    (
        "Fatigue fell by 25% with naltrexone and by 10% with placebo.",
        "10%",
        "fatigue",
        "arm_value",
        "placebo",
    ),
    (
        "Response rates were 45% and 20% in the LDN and placebo groups, respectively.",
        "45%",
        "response rate",
        "responder_rate",
        "drug",
    ),
    (
        "Response rates were 45% and 20% in the LDN and placebo groups, respectively.",
        "20%",
        "response rate",
        "responder_rate",
        "placebo",
    ),
    (
        "Pain scores fell 28.8% from baseline with LDN.",
        "28.8%",
        "pain",
        "change_from_baseline",
        "drug",
    ),
    (
        "Symptom severity improved by 22% over the treatment period.",
        "22%",
        "symptoms",
        "change_from_baseline",
        None,
    ),
    ("FIQ scores fell by 15%.", "15%", "symptoms", "change_from_baseline", None),
    ("Pain severity decreased by 40%.", "40%", "pain", "change_from_baseline", None),
    (
        "There was a greater than 30% reduction of symptoms over placebo.",
        "greater than 30%",
        "symptoms",
        "vs_placebo",
        None,
    ),
    ("Pain fell 15% more than with placebo.", "15%", "pain", "vs_placebo", None),
    ("Compared with placebo, LDN reduced fatigue by 12%.", "12%", "fatigue", "vs_placebo", None),
    ("The placebo-adjusted reduction in pain was 11%.", "11%", "pain", "vs_placebo", None),
    (
        "57% of participants responded (had a ≥30% reduction in pain).",
        "57%",
        "pain",
        "responder_rate",
        None,
    ),
    ("57% of participants responded (had a ≥30% reduction in pain).", "≥30%", None, "other", None),
    (
        "A response, defined as a ≥30% reduction in pain, occurred in 40% of patients.",
        "≥30%",
        None,
        "other",
        None,
    ),
    (
        "A response, defined as a ≥30% reduction in pain, occurred in 40% of patients.",
        "40%",
        "pain",
        "responder_rate",
        None,
    ),
    (
        "Nearly 30% of patients reported improved sleep with LDN versus 10% with placebo.",
        "10%",
        "sleep",
        "responder_rate",
        "placebo",
    ),
    (
        "One third of participants reported vivid dreams.",
        "One third",
        "side effects",
        "responder_rate",
        None,
    ),
    ("Pain fell by 28.8% (95% CI 20.1%-35.2%).", "95%", None, "other", None),
    ("Pain fell by 28.8% (95% CI 20.1%-35.2%).", "20.1%-35.2%", None, "other", None),
    ("Pain fell by 28.8% (95% CI 20.1%-35.2%).", "28.8%", "pain", "change_from_baseline", None),
    ("Of the participants, 85% were women.", "85%", None, "other", None),
    ("Participants were 90% female with a mean age of 45 years.", "90%", None, "other", None),
    ("At baseline, 70% reported severe fatigue.", "70%", None, "other", None),
    ("Overall, 90% completed the study.", "90%", None, "other", None),
    ("Fibromyalgia affects 2-4% of adults.", "2-4%", None, "other", None),
    ("The dropout rate was 30%.", "30%", None, "other", None),
    (
        "The proportion of patients with at least 30% pain relief was 45.5% with LDN and 22.7% "
        "with placebo.",
        "at least 30%",
        None,
        "other",
        None,
    ),
    (
        "The proportion of patients with at least 30% pain relief was 45.5% with LDN and 22.7% "
        "with placebo.",
        "45.5%",
        "pain",
        "responder_rate",
        "drug",
    ),
    (
        "The proportion of patients with at least 30% pain relief was 45.5% with LDN and 22.7% "
        "with placebo.",
        "22.7%",
        "pain",
        "responder_rate",
        "placebo",
    ),
    (
        "Seventy-six percent of participants reported improvement of at least 20% in symptoms.",
        "at least 20%",
        None,
        "other",
        None,
    ),
    (
        "Seventy-six percent of participants reported improvement of at least 20% in symptoms.",
        "Seventy-six percent",
        "symptoms",
        "responder_rate",
        None,
    ),
    (
        "Pain thresholds increased by 15% in 8 of 10 women.",
        "15%",
        "pain",
        "change_from_baseline",
        None,
    ),
    ("Pain decreased by 30% in women.", "30%", "pain", "change_from_baseline", None),
    (
        "Mean FIQ scores improved 20.7% with LDN versus 9.1% with placebo (P = .04).",
        "9.1%",
        "symptoms",
        "arm_value",
        "placebo",
    ),
    (
        "LDN 4.5 mg daily reduced pain scores from 6.2 to 4.1 (a 34% reduction).",
        "34%",
        "pain",
        "change_from_baseline",
        "drug",
    ),
]


@pytest.mark.parametrize(("sentence", "text", "outcome", "role", "arm"), ROLES)
def test_roles(sentence: str, text: str, outcome: str | None, role: str, arm: str | None) -> None:
    f = figure(sentence, text)
    assert (f.outcome, f.role, f.arm) == (outcome, role, arm)


@pytest.mark.parametrize(
    ("sentence", "text", "outcome"),
    [
        ("Fatigue improved by 20% and pain by 15%.", "20%", "fatigue"),
        ("Fatigue improved by 20% and pain by 15%.", "15%", "pain"),
        ("Pain scores fell by 10%.", "10%", "pain"),
        ("Pain intensity fell by 10%.", "10%", "pain"),
        ("Depressive symptoms fell by 10%.", "10%", "mood"),
        ("Sleep quality improved by 10%.", "10%", "sleep"),
        ("Quality of life improved by 10%.", "10%", "quality of life"),
        ("Adverse events fell by 10%.", "10%", "side effects"),
        ("β-endorphin rose by 10%.", "10%", "beta-endorphin"),
        ("Pruritus decreased by 10%.", "10%", "itch"),
        ("Remission was reached by 10% of patients.", "10%", "remission"),
        ("CRP fell by 10%.", "10%", "inflammation"),
        ("CDAI fell by 10%.", "10%", "disease activity"),
    ],
)
def test_outcome_vocabulary(sentence: str, text: str, outcome: str) -> None:
    assert figure(sentence, text).outcome == outcome


def test_figures_keep_their_own_sentence() -> None:
    abstract = (
        "BACKGROUND: Fibromyalgia is common. RESULTS: Pain fell by 28.8% (p = 0.01) vs. "
        "baseline. Et al. style text. Sleep improved by 10%."
    )
    figs = find_abstract_figures(abstract)
    assert [f.sentence for f in figs] == [
        "RESULTS: Pain fell by 28.8% (p = 0.01) vs. baseline.",
        "Sleep improved by 10%.",
    ]
    for f in figs:
        assert abstract[f.start : f.end] == f.text


def test_figure_describe_and_interval() -> None:
    f = figure("Pain scores fell by 20-30% with LDN.", "20-30%")
    assert f.is_range and f.describe() == "20–30%"
    assert f.interval.contains(25) and not f.interval.contains(31)
    s = "There was a greater than 30% reduction of symptoms over placebo."
    f = figure(s, "greater than 30%")
    assert f.qualifier == "over" and f.interval.contains(31) and not f.interval.contains(30)
    f = figure("Eighteen of 31 women (58%) reported less pain with LDN.", "58%")
    assert f.describe() == "18/31 (58%)"


def test_no_figures() -> None:
    assert find_abstract_figures("") == []
    assert find_abstract_figures("LDN is an opioid antagonist (p < 0.05).") == []


@pytest.mark.parametrize(
    ("text", "outcome"),
    [("pain", "pain"), ("pain scored", "pain"), ("pain scores", "pain"),
     ("pain severity", "pain"), ("symptom severity", "symptoms"), ("FIQ", "symptoms"),
     ("fibromyalgia symptoms", "symptoms"), ("side effects", "side effects"),
     ("adverse events", "side effects"), ("beta-endorphin", "beta-endorphin"),
     ("quality of life", "quality of life"), ("cognition", None), (None, None)],
)  # fmt: skip
def test_normalize_outcome(text: str | None, outcome: str | None) -> None:
    assert normalize_outcome(text) == outcome


def test_every_outcome_has_a_matching_synonym() -> None:
    for name in FIGURE_OUTCOMES:
        mentions = find_outcomes(f"the {name} changed")
        assert [m.outcome for m in mentions] == [name], name


def test_a_pattern_skipped_for_lacking_its_text_could_not_have_matched() -> None:
    """`_raw_figures` skips a pattern on a sentence without the text every match of it
    holds (`_HOLDS`, and on ASCII text `_HOLDS_WORDS` in the lowered text): each match, of
    random sentences made of figure words, holds it."""
    import random

    from ldn_evidence.verification.abstract_figures import _HOLDS, _HOLDS_WORDS, PATTERNS

    words = [
        "12", "18", "31", "2.5", "28·8", "twenty", "Thirty-two", "one third", "half", "of",
        "OF", "out", "the", "patients", "women", "%", "percent", "PER CENT", "per\ncent",
        "percentage points", "fold", "FOLD", "-fold", "twofold", "times", "TİMES", "tımes",
        "×", "higher", "/", "18/31", "(", "to", "–", "-", "and", "between", "from", "about",
        ">=", "≥", "nearly", "by", "reduced", "ſ", "Kelvin K", "a quarter", "Three Fourths",
        "two-fifths", "one tenth", "HALF", "per  cent", "percentage point", "TIMES",
    ]  # fmt: skip
    rng = random.Random(15)
    matched = 0
    for _ in range(4000):
        sentence = " ".join(rng.choice(words) for _ in range(rng.randint(2, 12)))
        for kind, rx in PATTERNS:
            holds = _HOLDS.get(kind)
            for m in rx.finditer(sentence):
                matched += 1
                assert holds is None or holds.search(m.group(0)), (kind, m.group(0))
                low = m.group(0).lower()
                if holds is not None and low.isascii():
                    assert any(w in low for w in _HOLDS_WORDS[kind]), (kind, m.group(0))
    assert matched > 1000
