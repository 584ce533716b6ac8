"""The study design beside the level (issue 13 item 8): participant counts that are counts,
and `design_summary` as a pharmacist reads it."""

from __future__ import annotations

import pytest

from ldn_evidence.verification.modifiers import design_summary, duration_words, study_modifiers
from ldn_evidence.verification.population import participant_count

RCT = (
    "Thirty-one women with fibromyalgia took part in this randomized, double-blind, "
    "placebo-controlled, crossover trial of 10 weeks. Thirty-two percent of participants "
    "reported less pain on the drug."
)
PILOT = (
    "Ten women with fibromyalgia took part in a single-blind pilot trial; all received "
    "placebo first and the drug next, without randomisation."
)


@pytest.mark.parametrize(
    ("text", "n"),
    [
        (RCT, 31),  # not 32: "Thirty-two percent of participants" is a share
        ("Thirty-two percent of participants improved.", None),
        ("32 per cent of patients improved.", None),
        ("Twenty of the patients improved.", None),
        ("About 1 in 4 adults were deficient.", None),
        ("Ten women with fibromyalgia completed the study.", 10),
        ("We enrolled 28 adult patients.", 28),
        ("31 adult women took part.", 31),
    ],
)
def test_participant_count_is_a_count_of_people(text: str, n: int | None) -> None:
    assert participant_count(text) == n


def test_design_lines_of_a_trial_and_a_pilot() -> None:
    rct = study_modifiers("LDN for fibromyalgia", RCT)
    assert design_summary(rct, "rct") == (
        "RCT, crossover, double-blind, placebo-controlled, 31 women, 10 weeks"
    )
    pilot = study_modifiers("LDN for fibromyalgia: a pilot study", PILOT)
    assert design_summary(pilot, "controlled_trial") == (
        "pilot, single-blind, placebo-controlled, not randomised, 10 women"
    )


def test_design_line_of_reviews_and_bare_records() -> None:
    assert design_summary({}, "systematic_review", ["Meta-Analysis"]) == "meta-analysis"
    assert design_summary({}, "systematic_review", ["Systematic Review"]) == "systematic review"
    assert design_summary({}, "rct") == "RCT"  # the publication type says so
    assert design_summary({}, None) == ""
    mr = study_modifiers("A Mendelian randomization study", "Mendelian randomisation in adults.")
    assert mr["randomized"] is False and "RCT" not in design_summary(mr, "observational")


def test_duration_words() -> None:
    assert duration_words("8-week") == "8 weeks"
    assert duration_words("six months") == "6 months"
    assert duration_words("1 year") == "1 year"
    assert duration_words(None) is None
