"""The one outcome vocabulary: extraction's page names and verification's synonyms agree."""

from __future__ import annotations

import pytest

from ldn_evidence.extract.vocabulary import outcome_in
from ldn_evidence.outcomes import (
    FIGURE_OUTCOMES,
    OUTCOMES,
    find_outcomes,
    normalize_outcome,
    page_name_tiers,
    polarity,
)


def test_every_page_name_reads_as_its_outcome() -> None:
    for outcome in OUTCOMES:
        expected = outcome.name if outcome.synonyms else None
        for page in outcome.page_names:
            assert normalize_outcome(page.label) == expected, page.label


def test_names_are_unique_and_page_only_outcomes_have_no_polarity() -> None:
    names = [o.name for o in OUTCOMES]
    labels = [p.label for o in OUTCOMES for p in o.page_names]
    assert len(set(names)) == len(names) and len(set(labels)) == len(labels)
    for outcome in OUTCOMES:
        assert (outcome.polarity is None) == (not outcome.synonyms), outcome.name
        assert outcome.synonyms or outcome.page_names, outcome.name
    assert polarity("stiffness") is None and polarity("pain") == "lower"
    assert "stiffness" not in FIGURE_OUTCOMES


def test_page_tiers_run_from_specific_to_general() -> None:
    tiers = page_name_tiers()
    assert [sorted({p.tier for p in tier}) for tier in tiers] == [[0], [1], [2]]
    biomarkers = [p.label for p in tiers[0]]
    assert biomarkers.index("endorphins and enkephalins") < biomarkers.index("endorphins")


@pytest.mark.parametrize(
    ("sentence", "page_name", "figure_outcome"),
    [
        ("LDN raised beta-endorphin levels and eased pain.", "beta-endorphin levels",
         "beta-endorphin"),
        ("It boosts endorphins and enkephalins.", "endorphins and enkephalins",
         "beta-endorphin"),
        ("LDN improved sleep and symptoms.", "sleep quality", "sleep"),
        ("Patients reported less stiffness.", "stiffness", None),
        ("It lowers CRP in most patients.", "inflammatory markers", "inflammation"),
        ("Few side effects and better immune function.", "side effects", "side effects"),
    ],
)  # fmt: skip
def test_one_sentence_read_by_both(
    sentence: str, page_name: str, figure_outcome: str | None
) -> None:
    assert outcome_in(sentence) == page_name
    mentions = find_outcomes(sentence)
    assert (mentions[0].outcome if mentions else None) == figure_outcome
