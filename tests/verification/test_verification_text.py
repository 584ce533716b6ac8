"""The sentence splitter and number words."""

from __future__ import annotations

import re

import pytest

from ldn_evidence.verification.numbers import (
    FRACTION,
    NUMBER,
    parse_fraction,
    parse_number,
    parse_words,
)
from ldn_evidence.verification.sentences import sentence_spans, split_sentences


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("Pain fell. Mood rose.", ["Pain fell.", "Mood rose."]),
        ("Pain fell by 28.8% with LDN. Mood rose.", ["Pain fell by 28.8% with LDN.", "Mood rose."]),
        ("LDN vs. placebo differed. Next.", ["LDN vs. placebo differed.", "Next."]),
        ("LDN vs. Placebo: 28% vs. 18%.", ["LDN vs. Placebo: 28% vs. 18%."]),
        ("As Smith et al. Reported, pain fell.", ["As Smith et al. Reported, pain fell."]),
        ("Pain fell (p < 0.05). Sleep did not.", ["Pain fell (p < 0.05).", "Sleep did not."]),
        ("Pain fell (p<.05). Sleep did not.", ["Pain fell (p<.05).", "Sleep did not."]),
        ("Doses, e.g. 4.5 mg, were used. Next.", ["Doses, e.g. 4.5 mg, were used.", "Next."]),
        ("Dose was 4.5 mg. Pain fell.", ["Dose was 4.5 mg.", "Pain fell."]),
        ("Approx. 30 women took part.", ["Approx. 30 women took part."]),
        ("Written by J. Doe. Then more.", ["Written by J. Doe.", "Then more."]),
        ("Did it work? Yes! It did.", ["Did it work?", "Yes!", "It did."]),
        ("BACKGROUND: One.\nRESULTS: Two", ["BACKGROUND: One.", "RESULTS: Two"]),
        ("Ends with 12. 31 women took part.", ["Ends with 12.", "31 women took part."]),
        ("", []),
        ("   \n  ", []),
    ],
)
def test_split_sentences(text: str, sentences: list[str]) -> None:
    assert split_sentences(text) == sentences


def test_sentences_are_exact_substrings() -> None:
    text = "  A first one.   A second (n = 10).\n\nA third vs. nothing.  "
    for start, end in sentence_spans(text):
        assert text[start:end] in split_sentences(text)
        assert text[start:end] == text[start:end].strip()


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("28.8", 28.8), ("28·8", 28.8), ("1,204", 1204.0), ("10", 10.0),
        ("Thirty-two", 32.0), ("thirty two", 32.0), ("ten", 10.0), ("Eighteen", 18.0),
        ("one hundred and five", 105.0), ("two thousand", 2000.0), ("ninety-nine", 99.0),
    ],
)  # fmt: skip
def test_parse_number(text: str, value: float) -> None:
    m = re.fullmatch(NUMBER, text, re.IGNORECASE)
    assert m is not None
    assert parse_number(m.group(0)) == pytest.approx(value)


def test_parse_number_rejects_non_numbers() -> None:
    assert parse_number("") is None
    assert parse_number("pain") is None
    assert parse_words("and") is None


@pytest.mark.parametrize(
    ("text", "value"),
    [("half", 50.0), ("one half", 50.0), ("one third", 33.333), ("a third", 33.333),
     ("two-thirds", 66.667), ("two thirds", 66.667), ("a quarter", 25.0),
     ("three quarters", 75.0), ("one fifth", 20.0)],
)  # fmt: skip
def test_parse_fraction(text: str, value: float) -> None:
    m = re.search(FRACTION, text, re.IGNORECASE)
    assert m is not None
    assert parse_fraction(m.group(0)) == pytest.approx(value, abs=0.01)
