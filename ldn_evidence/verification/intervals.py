"""A claim's figure as an interval of values that would support it.

"nearly 30%" does not mean exactly 30: it means a value a few points below 30, up to 30.
`figure_interval` turns a `Figure` into an `Interval` using the one table below,
`TOLERANCES`, which also says how far outside the interval a value may lie and still be
"close" (a partially supported claim rather than an unsupported one).

TOLERANCES — (unit, qualifier) -> band around the claim's value v
=================================================================
Units: "%" (percentage points), "fold" (ratio), "count" (people, events, any other unit;
its widths are *relative*, a fraction of v). Qualifiers as in `figures.QUALIFIERS`;
aliases ("almost", "approximately", "~", "more than", ">=", …) in `QUALIFIER_ALIASES`.

=========  ==========  ==============  ===============  =========  ==================
unit       qualifier   interval        below / above    endpoints  close (outside by)
=========  ==========  ==============  ===============  =========  ==================
%          exact       v ± 0.5         0.5 / 0.5        closed     5 points
%          nearly      v−5 … v+0.5     5 / 0.5          closed     5 points
%          about       v ± 5           5 / 5            closed     5 points
%          over        v … ∞           0 / ∞            v excluded 5 points
%          at least    v … ∞           0 / ∞            closed     5 points
%          up to       −∞ … v          ∞ / 0            closed     5 points
%          less than   −∞ … v          ∞ / 0            v excluded 5 points
fold       exact       v ± 0.05        0.05 / 0.05      closed     0.5
fold       nearly      v−0.5 … v+0.05  0.5 / 0.05       closed     0.5
fold       about       v ± 0.5         0.5 / 0.5        closed     0.5
fold       over…       as for %        (open side ∞)    as for %   0.5
count      exact       v ± 0.5 (abs)   0.5 / 0.5 (abs)  closed     20% of v (min 2)
count      nearly      v−10% … v       10% / 0 (min 1)  closed     20% of v (min 2)
count      about       v ± 10%         10% / 10%        closed     20% of v (min 2)
count      over…       as for %        (open side ∞)    as for %   20% of v (min 2)
=========  ==========  ==============  ===============  =========  ==================

"close" is 2× the tolerance of the loose qualifiers (5 points for % = the "a few points"
of "nearly" / "about"), so an exact "60%" is close to 55–65% but not to 50%.
The "exact" ±0.5 is rounding: a page writing "29%" for an abstract's 28.8% is exact.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ldn_evidence.figures import Figure

INF = math.inf


@dataclass(frozen=True, slots=True)
class Tolerance:
    """One row of `TOLERANCES`: widths below / above the value, which ends are open."""

    below: float
    above: float
    low_open: bool = False  # the low endpoint itself is excluded ("over 30%")
    high_open: bool = False  # the high endpoint itself is excluded ("less than 30%")
    close: float = 5.0  # how far outside the interval still counts as "close"
    relative: bool = False  # widths are fractions of the value (counts)
    minimum: float = 0.0  # a floor for relative widths (absolute units)
    close_minimum: float = 0.0  # a floor for a relative `close`


# fmt: off
TOLERANCES: dict[str, dict[str, Tolerance]] = {
    "%": {
        #                      below  above  endpoints                 close
        "exact":     Tolerance(0.5,   0.5,                             close=5.0),
        "nearly":    Tolerance(5.0,   0.5,                             close=5.0),
        "about":     Tolerance(5.0,   5.0,                             close=5.0),
        "over":      Tolerance(0.0,   INF,   low_open=True,            close=5.0),
        "at least":  Tolerance(0.0,   INF,                             close=5.0),
        "up to":     Tolerance(INF,   0.0,                             close=5.0),
        "less than": Tolerance(INF,   0.0,   high_open=True,           close=5.0),
    },
    "fold": {
        "exact":     Tolerance(0.05,  0.05,                            close=0.5),
        "nearly":    Tolerance(0.5,   0.05,                            close=0.5),
        "about":     Tolerance(0.5,   0.5,                             close=0.5),
        "over":      Tolerance(0.0,   INF,   low_open=True,            close=0.5),
        "at least":  Tolerance(0.0,   INF,                             close=0.5),
        "up to":     Tolerance(INF,   0.0,                             close=0.5),
        "less than": Tolerance(INF,   0.0,   high_open=True,           close=0.5),
    },
    "count": {  # "exact" is absolute (±0.5 of a person); the rest are fractions of v
        "exact":     Tolerance(0.5, 0.5, close=0.2, close_minimum=2.0),
        "nearly":    Tolerance(0.1, 0.0, relative=True, minimum=1.0, close=0.2, close_minimum=2),
        "about":     Tolerance(0.1, 0.1, relative=True, minimum=1.0, close=0.2, close_minimum=2),
        "over":      Tolerance(0.0, INF, low_open=True, relative=True, close=0.2, close_minimum=2),
        "at least":  Tolerance(0.0, INF, relative=True, close=0.2, close_minimum=2.0),
        "up to":     Tolerance(INF, 0.0, relative=True, close=0.2, close_minimum=2.0),
        "less than": Tolerance(INF, 0.0, high_open=True, relative=True, close=0.2,
                               close_minimum=2.0),
    },
}
# fmt: on
"""The one tolerance table; see the module docstring for it laid out as a table."""

QUALIFIER_ALIASES: dict[str, str] = {
    "": "exact",
    "exact": "exact",
    "exactly": "exact",
    "nearly": "nearly",
    "almost": "nearly",
    "close to": "nearly",
    "just under": "nearly",
    "about": "about",
    "approximately": "about",
    "approx.": "about",
    "approx": "about",
    "around": "about",
    "roughly": "about",
    "some": "about",
    "~": "about",
    "≈": "about",
    "circa": "about",
    "over": "over",
    "more than": "over",
    "greater than": "over",
    "above": "over",
    "in excess of": "over",
    ">": "over",
    "at least": "at least",
    "no less than": "at least",
    ">=": "at least",
    "≥": "at least",
    "up to": "up to",
    "as much as": "up to",
    "as many as": "up to",
    "at most": "up to",
    "<=": "up to",
    "≤": "up to",
    "less than": "less than",
    "fewer than": "less than",
    "under": "less than",
    "below": "less than",
    "<": "less than",
}

UNIT_ALIASES: dict[str, str] = {
    "%": "%",
    "percent": "%",
    "per cent": "%",
    "percentage points": "%",
    "points": "%",
    "pct": "%",
    "fold": "fold",
    "-fold": "fold",
    "x": "fold",
    "×": "fold",
    "times": "fold",
}


def normalize_qualifier(qualifier: str | None) -> str:
    """Map "almost", "~", "more than", "≥" … onto the table's qualifiers (default exact)."""
    key = " ".join((qualifier or "").lower().split())
    return QUALIFIER_ALIASES.get(key, "exact")


def normalize_unit(unit: str | None) -> str:
    """ "%", "percent" → "%"; "fold", "x" → "fold"; anything else (people, "of N") → "count"."""
    key = " ".join((unit or "").lower().split())
    return UNIT_ALIASES.get(key, "count")


@dataclass(frozen=True, slots=True)
class Interval:
    """Values from `low` to `high`; an open end excludes that endpoint."""

    low: float
    high: float
    low_open: bool = False
    high_open: bool = False

    def contains(self, x: float) -> bool:
        if math.isnan(x):
            return False
        above_low = x > self.low if self.low_open else x >= self.low
        below_high = x < self.high if self.high_open else x <= self.high
        return above_low and below_high

    def distance(self, x: float) -> float:
        """0 inside (or on an open endpoint); otherwise how far `x` is from the interval."""
        if math.isnan(x):
            return INF
        if x < self.low:
            return self.low - x
        if x > self.high:
            return x - self.high
        return 0.0

    def overlaps(self, low: float, high: float) -> bool:
        """Whether any value of the closed range [low, high] lies inside."""
        if low > high:
            low, high = high, low
        lo, hi = max(low, self.low), min(high, self.high)
        if lo < hi:
            return True
        return lo == hi and self.contains(lo)

    def includes(self, other: Interval) -> bool:
        """Whether all of `other` lies inside this interval."""
        low_ok = other.low > self.low or (
            other.low == self.low and (other.low_open or not self.low_open)
        )
        high_ok = other.high < self.high or (
            other.high == self.high and (other.high_open or not self.high_open)
        )
        return low_ok and high_ok

    def describe(self, unit: str = "") -> str:
        """ "25–30.5%", "> 30%", "≤ 30%" for reasons shown to the pharmacist."""
        u = "%" if unit == "%" else (f" {unit}" if unit else "")
        if self.high == INF:
            return f"{'>' if self.low_open else '≥'} {_fmt(self.low)}{u}"
        if self.low == -INF:
            return f"{'<' if self.high_open else '≤'} {_fmt(self.high)}{u}"
        return f"{_fmt(self.low)}–{_fmt(self.high)}{u}"


def _fmt(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


def tolerance_for(fig: Figure) -> Tolerance:
    """The `TOLERANCES` row for a figure's unit and qualifier."""
    return TOLERANCES[normalize_unit(fig.unit)][normalize_qualifier(fig.qualifier)]


def _width(w: float, tol: Tolerance, value: float) -> float:
    if w == INF or not tol.relative:
        return w
    return max(w * abs(value), tol.minimum) if w else 0.0


def figure_interval(fig: Figure) -> Interval:
    """The interval of values that support `fig`, per `TOLERANCES`.

    >>> figure_interval(Figure(30, "%", "nearly"))
    Interval(low=25.0, high=30.5, low_open=False, high_open=False)
    """
    tol = tolerance_for(fig)
    v = float(fig.value)
    return Interval(
        low=v - _width(tol.below, tol, v),
        high=v + _width(tol.above, tol, v),
        low_open=tol.low_open,
        high_open=tol.high_open,
    )


def close_margin(fig: Figure) -> float:
    """How far outside `figure_interval(fig)` a value may be and still be "close"."""
    tol = tolerance_for(fig)
    if tol.relative or normalize_unit(fig.unit) == "count":
        return max(tol.close * abs(float(fig.value)), tol.close_minimum)
    return tol.close
