"""A claim's figure: "nearly 30%", "60%", "over 2-fold" — value, unit and qualifier.

The `Figure` dataclass is shared by extraction (claims), the seed loader and
verification (which turns a figure into an interval).
"""

from __future__ import annotations

from dataclasses import dataclass

# Qualifier vocabulary stored in `claims.figure_qualifier`.
QUALIFIERS = ("exact", "nearly", "about", "over", "at least", "up to", "less than")


@dataclass(frozen=True, slots=True)
class Figure:
    value: float
    unit: str = "%"  # "%", "fold", "of N" (count), "points", "mg" …
    qualifier: str = "exact"
    text: str = ""  # the figure as written, e.g. "nearly 30%"
