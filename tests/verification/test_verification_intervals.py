"""figure_interval: every qualifier and unit of the TOLERANCES table, plus `close`."""

from __future__ import annotations

import math

import pytest

from ldn_evidence.figures import QUALIFIERS, Figure
from ldn_evidence.verification.intervals import (
    QUALIFIER_ALIASES,
    TOLERANCES,
    Interval,
    close_margin,
    figure_interval,
    normalize_qualifier,
    normalize_unit,
)

INF = math.inf


@pytest.mark.parametrize(
    ("figure", "expected"),
    [
        (Figure(60, "%"), Interval(59.5, 60.5)),
        (Figure(30, "%", "nearly"), Interval(25.0, 30.5)),
        (Figure(30, "%", "almost"), Interval(25.0, 30.5)),
        (Figure(30, "%", "about"), Interval(25.0, 35.0)),
        (Figure(30, "%", "~"), Interval(25.0, 35.0)),
        (Figure(30, "%", "approximately"), Interval(25.0, 35.0)),
        (Figure(30, "%", "over"), Interval(30.0, INF, low_open=True)),
        (Figure(30, "%", "more than"), Interval(30.0, INF, low_open=True)),
        (Figure(30, "%", "at least"), Interval(30.0, INF)),
        (Figure(30, "%", "up to"), Interval(-INF, 30.0)),
        (Figure(30, "%", "less than"), Interval(-INF, 30.0, high_open=True)),
        (Figure(30, "percent", "exact"), Interval(29.5, 30.5)),
        (Figure(2.5, "fold"), Interval(2.45, 2.55)),
        (Figure(2, "fold", "nearly"), Interval(1.5, 2.05)),
        (Figure(2, "fold", "over"), Interval(2.0, INF, low_open=True)),
        (Figure(30, "of N"), Interval(29.5, 30.5)),
        (Figure(30, "patients", "nearly"), Interval(27.0, 30.0)),
        (Figure(100, "patients", "about"), Interval(90.0, 110.0)),
        (Figure(5, "patients", "about"), Interval(4.0, 6.0)),  # min width 1 person
        (Figure(30, "patients", "less than"), Interval(-INF, 30.0, high_open=True)),
    ],
)
def test_figure_interval(figure: Figure, expected: Interval) -> None:
    got = figure_interval(figure)
    assert got.low == pytest.approx(expected.low)
    assert got.high == pytest.approx(expected.high)
    assert (got.low_open, got.high_open) == (expected.low_open, expected.high_open)


@pytest.mark.parametrize(
    ("figure", "inside", "outside"),
    [
        (Figure(60, "%"), [59.5, 60.0, 60.5], [59.4, 61.0, 28.8]),
        (Figure(30, "%", "nearly"), [25.0, 28.8, 30.0, 30.5], [24.9, 31.0]),
        (Figure(30, "%", "about"), [25.0, 34.9], [24.0, 36.0]),
        (Figure(30, "%", "over"), [30.1, 99.0], [30.0, 29.0]),
        (Figure(30, "%", "at least"), [30.0, 80.0], [29.9]),
        (Figure(30, "%", "up to"), [0.0, 30.0], [30.1]),
        (Figure(30, "%", "less than"), [0.0, 29.9], [30.0, 31.0]),
        (Figure(2.5, "fold"), [2.5], [2.0, 3.0]),
    ],
)
def test_contains(figure: Figure, inside: list[float], outside: list[float]) -> None:
    interval = figure_interval(figure)
    for x in inside:
        assert interval.contains(x), x
        assert interval.distance(x) == 0.0
    for x in outside:
        assert not interval.contains(x), x


@pytest.mark.parametrize(
    ("figure", "x", "distance"),
    [
        (Figure(60, "%"), 50.0, 9.5),
        (Figure(60, "%"), 62.0, 1.5),
        (Figure(30, "%", "nearly"), 18.0, 7.0),
        (Figure(30, "%", "over"), 20.0, 10.0),
        (Figure(30, "%", "up to"), 45.0, 15.0),
        (Figure(60, "%"), float("nan"), INF),
    ],
)
def test_distance(figure: Figure, x: float, distance: float) -> None:
    assert figure_interval(figure).distance(x) == pytest.approx(distance)


@pytest.mark.parametrize(
    ("figure", "margin"),
    [
        (Figure(60, "%"), 5.0),
        (Figure(30, "%", "nearly"), 5.0),
        (Figure(2, "fold"), 0.5),
        (Figure(100, "patients"), 20.0),
        (Figure(5, "patients"), 2.0),
    ],
)
def test_close_margin(figure: Figure, margin: float) -> None:
    assert close_margin(figure) == pytest.approx(margin)


def test_every_unit_has_every_qualifier() -> None:
    for unit, rows in TOLERANCES.items():
        assert set(rows) == set(QUALIFIERS), unit


def test_every_shared_qualifier_and_alias_is_known() -> None:
    for q in QUALIFIERS:
        assert normalize_qualifier(q) == q
    for alias, q in QUALIFIER_ALIASES.items():
        assert q in QUALIFIERS, alias
    assert normalize_qualifier("Almost") == "nearly"
    assert normalize_qualifier("something odd") == "exact"
    assert normalize_qualifier(None) == "exact"


@pytest.mark.parametrize(
    ("unit", "normal"),
    [("%", "%"), ("percent", "%"), ("per cent", "%"), ("fold", "fold"), ("x", "fold"),
     ("of N", "count"), ("patients", "count"), ("", "count"), (None, "count")],
)  # fmt: skip
def test_normalize_unit(unit: str | None, normal: str) -> None:
    assert normalize_unit(unit) == normal


def test_overlaps_and_includes() -> None:
    about = Interval(25.0, 35.0)
    assert about.overlaps(20, 30) and about.overlaps(35, 40) and not about.overlaps(36, 40)
    assert not Interval(30, INF, low_open=True).overlaps(20, 30)
    assert about.includes(Interval(26, 30)) and not about.includes(Interval(20, 30))
    over = Interval(30, INF, low_open=True)
    assert over.includes(Interval(30, INF, low_open=True))
    assert not over.includes(Interval(30, INF))


@pytest.mark.parametrize(
    ("interval", "text"),
    [
        (Interval(25, 30.5), "25–30.5%"),
        (Interval(30, INF, low_open=True), "> 30%"),
        (Interval(30, INF), "≥ 30%"),
        (Interval(-INF, 30, high_open=True), "< 30%"),
    ],
)
def test_describe(interval: Interval, text: str) -> None:
    assert interval.describe("%") == text
