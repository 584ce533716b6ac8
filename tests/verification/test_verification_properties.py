"""Hypothesis: the pure layer never crashes on arbitrary text, figures or type lists."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ldn_evidence.figures import QUALIFIERS, Figure
from ldn_evidence.sentences import ABSTRACT, sentence_texts
from ldn_evidence.verification import (
    LEVELS,
    VERDICTS,
    ClaimInput,
    StudyInput,
    figure_interval,
    find_abstract_figures,
    grade_study,
    verify_claim,
)
from ldn_evidence.verification.grading import PUBLICATION_TYPE_LEVELS
from ldn_evidence.verification.roles import ROLES

# Text biased towards the vocabulary the parsers look for, plus anything at all.
WORDS = [
    "pain", "symptoms", "fatigue", "placebo", "LDN", "vs.", "reduced", "increased",
    "did not differ", "of", "women", "patients", "%", "percent", "fold", "-", "–", "to",
    "from", "between", "and", "(", ")", "95% CI", "p < 0.05", "Thirty-two", "one third",
    "half", "over", "nearly", "≥", "respectively", "baseline", ".", ",", ";", "\n", "18",
    "31", "28.8", "2.5", "n =", "RESULTS:", "BACKGROUND:", "well tolerated", "no serious",
    "adverse events", "β-endorphin", "weeks", "8-week", "randomized", "double-blind",
    "ſix-fold", "SİX times", "nıne", "one in ſeven",  # letters re's IGNORECASE reads as s, i
]  # fmt: skip
texts = st.one_of(
    st.text(max_size=400),
    st.lists(st.sampled_from(WORDS) | st.text(max_size=6), max_size=60).map(" ".join),
)
finite = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6)
figures = st.builds(
    Figure,
    value=st.one_of(finite, st.floats()),
    unit=st.sampled_from(["%", "fold", "of N", "patients", "", "x", "mg"]) | st.text(max_size=5),
    qualifier=st.sampled_from(QUALIFIERS + ("almost", "~", "more than", "")) | st.text(max_size=8),
    text=st.text(max_size=10),
)
claims = st.builds(
    ClaimInput,
    text=texts,
    figure=st.none() | figures,
    outcome=st.none() | st.sampled_from(["pain", "symptoms", "FIQ", "side effects"]) | texts,
    population=st.none() | st.sampled_from(["patients", "women", "men", "children"]) | texts,
    condition=st.none() | texts,
    intervention=st.none() | st.sampled_from(["low-dose naltrexone", "LDN"]) | texts,
    versus_placebo=st.none() | st.booleans(),
)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(claim=claims, title=texts, abstract=texts)
@pytest.mark.slow
def test_verify_claim_never_crashes(claim: ClaimInput, title: str, abstract: str) -> None:
    result = verify_claim(claim, StudyInput(title, abstract, []))
    assert result.verdict in VERDICTS
    assert isinstance(result.reason, str) and result.reason
    for sentence in result.sentences:
        assert sentence in abstract


@SETTINGS
@given(abstract=texts)
def test_find_abstract_figures_never_crashes(abstract: str) -> None:
    for f in find_abstract_figures(abstract):
        assert f.role in ROLES
        assert abstract[f.start : f.end] == f.text
        assert f.sentence in abstract
        assert f.unit in ("%", "fold")
        assert not math.isnan(f.value)
        if f.high is not None:
            assert f.high > f.value


@SETTINGS
@given(text=texts)
def test_sentences_are_substrings(text: str) -> None:
    for s in sentence_texts(text, ABSTRACT):
        assert s and s in text and s == s.strip()


@SETTINGS
@given(fig=figures, x=finite)
def test_figure_interval_is_consistent(fig: Figure, x: float) -> None:
    interval = figure_interval(fig)
    if interval.contains(x):
        assert interval.distance(x) == 0.0
    else:
        assert interval.distance(x) >= 0.0 or math.isnan(interval.distance(x))


type_names = st.sampled_from(sorted(PUBLICATION_TYPE_LEVELS)) | st.text(max_size=30)
link_names = st.sampled_from(["RetractionIn", "ErratumIn", "ExpressionOfConcernIn", "CommentIn"])


@SETTINGS
@given(
    types=st.lists(type_names, max_size=8),
    title=texts,
    abstract=texts,
    links=st.lists(link_names | st.text(max_size=12), max_size=5),
)
@pytest.mark.slow
def test_grade_study_never_crashes(
    types: list[str], title: str, abstract: str, links: list[str]
) -> None:
    grade = grade_study(types, title, abstract, links)
    assert grade.level in {lv.key for lv in LEVELS}
    assert (grade.level == "retracted") == ("retracted" in grade.flags)


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("a ſix-fold rise", "fold", 6.0),  # ſ: the long s
        ("a SİX-fold rise", "fold", 6.0),  # İ: the dotted capital I
        ("nıne times higher", "fold", 9.0),  # ı: the dotless i
        ("one in ſix patients", "percent", 100 / 6),
    ],
)
def test_a_number_word_spelled_with_letters_re_reads_as_others(
    text: str, kind: str, value: float
) -> None:
    """The figure patterns match number words case-insensitively, so "ſix" is a "six"
    to them: its value is read as such instead of failing the check."""
    from ldn_evidence.verification.quantities import find_quantities

    (found,) = find_quantities(text)
    assert (found.kind, found.low) == (kind, pytest.approx(value))
    result = verify_claim(
        ClaimInput(text=f"Pain fell {text}"), StudyInput(title="T", abstract=text)
    )
    assert result.verdict in VERDICTS
