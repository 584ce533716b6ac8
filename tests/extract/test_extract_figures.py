"""parse_claim_figure: value, unit, qualifier and text of a claim's figure."""

from __future__ import annotations

import pytest

from ldn_evidence.figures import QUALIFIERS, Figure, parse_claim_figure


@pytest.mark.parametrize(
    ("text", "value", "unit", "qualifier"),
    [
        ("60%", 60, "%", "exact"),
        ("60 percent of patients", 60, "%", "exact"),
        ("60 per cent", 60, "%", "exact"),
        ("improved pain scored by nearly 30%.", 30, "%", "nearly"),
        ("almost 30 percent", 30, "%", "nearly"),
        ("about 40%", 40, "%", "about"),
        ("approximately 40%", 40, "%", "about"),
        ("~25%", 25, "%", "about"),
        ("around 25%", 25, "%", "about"),
        ("roughly 25%", 25, "%", "about"),
        ("over 50%", 50, "%", "over"),
        ("more than 50%", 50, "%", "over"),
        ("greater than 50%", 50, "%", "over"),
        ("above 50%", 50, "%", "over"),
        ("at least 10%", 10, "%", "at least"),
        ("up to 70%", 70, "%", "up to"),
        ("less than 5%", 5, "%", "less than"),
        ("under 5%", 5, "%", "less than"),
        ("fewer than 5%", 5, "%", "less than"),
        ("28.8%", 28.8, "%", "exact"),
        ("a 1,200% rise", 1200, "%", "exact"),
        ("3-fold", 3, "fold", "exact"),
        ("a 2.5-fold increase", 2.5, "fold", "exact"),
        ("threefold", 3, "fold", "exact"),
        ("three times higher", 3, "fold", "exact"),
        ("more than 2-fold", 2, "fold", "over"),
        ("twice as likely", 2, "fold", "exact"),
        ("8 of 10 patients", 80, "%", "exact"),
        ("8 out of 10", 80, "%", "exact"),
        ("one in five adults", 20, "%", "exact"),
        ("About 1 in 3 patients", 33.3333, "%", "about"),
        ("18 of 30 patients", 60, "%", "exact"),
        ("nearly half of patients", 50, "%", "nearly"),
        ("cut migraine days by nearly half", 50, "%", "nearly"),
        ("two-thirds of patients", 66.6667, "%", "exact"),
        ("20-30%", 25, "%", "about"),
        ("10 percentage points", 10, "points", "exact"),
        ("p < 0.05", 0.05, "p", "less than"),
        ("P = .03", 0.03, "p", "exact"),
    ],
)
def test_figures(text, value, unit, qualifier):
    figure = parse_claim_figure(text)
    assert figure is not None, text
    assert figure.value == pytest.approx(value, abs=1e-3)
    assert (figure.unit, figure.qualifier) == (unit, qualifier)
    assert figure.qualifier in QUALIFIERS


def test_figure_text_is_as_written():
    assert parse_claim_figure("by nearly 30%.") == Figure(30, "%", "nearly", "nearly 30%")
    assert parse_claim_figure("In one trial, 60% of patients") == Figure(60, "%", "exact", "60%")
    assert parse_claim_figure("8 of 10 patients improved").text == "8 of 10 patients"


@pytest.mark.parametrize(
    "text",
    [
        "4.5 mg each night",
        "in 2013",
        "60 patients took part",
        "taken three times a day",
        "half the dose",
        "half-life of 4 hours",
        "",
        "12 of 2013",
        "no numbers here",
    ],
)
def test_not_figures(text):
    assert parse_claim_figure(text) is None


def test_first_figure_wins_and_p_values_only_as_a_last_resort():
    assert parse_claim_figure("pain fell 30% (p<0.01), sleep 20%").value == 30
    assert parse_claim_figure("60% versus 20% with placebo").value == 60
    assert parse_claim_figure("reduced from 60% to 30%").value == 60
