"""Number words."""

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
