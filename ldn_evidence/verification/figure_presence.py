"""Does an abstract state a claim's figure at all? The red-flag question "is this figure in
any cited abstract", not the verdict's (which also asks whether the figure is on the
claim's outcome, arm and comparison).

A figure is present when the abstract states a value of the same kind inside the claim's
interval (`intervals.figure_interval`, the tolerances the verdict uses): percentages,
"X of N" shares and fractions for a "%" claim, fold changes for a "fold" claim, and any
number for a claim of another unit ("14,000 IU", "10 points"). Ranges count when they
overlap the interval. A p-value is not a figure a page invents, so it is never asked for.
"""

from __future__ import annotations

import re

from ldn_evidence.figures import Figure
from ldn_evidence.verification.abstract_figures import figure_values
from ldn_evidence.verification.intervals import figure_interval, normalize_unit
from ldn_evidence.verification.numbers import NUMBER, parse_number

_ANY_NUMBER = re.compile(NUMBER, re.IGNORECASE)


def is_checkable(figure: Figure) -> bool:
    """Whether `figure_in_abstract` can answer for this figure (not a p-value)."""
    return (figure.unit or "").strip().lower() not in ("p", "p-value")


def figure_in_abstract(figure: Figure, abstract: str | None) -> bool:
    """Whether `abstract` states a value of the figure's kind inside its interval."""
    if not abstract or not is_checkable(figure):
        return False
    interval = figure_interval(figure)
    unit = normalize_unit(figure.unit)
    if unit in ("%", "fold") and (figure.unit or "").strip().lower() not in ("points",):
        for fig_unit, low, high in figure_values(abstract):
            if fig_unit != unit:
                continue
            if interval.overlaps(low, low if high is None else high):
                return True
        return False
    for m in _ANY_NUMBER.finditer(abstract):
        value = parse_number(m.group(0))
        if value is not None and interval.contains(value):
            return True
    return False
