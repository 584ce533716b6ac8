"""What a claim asserts, read from its text and fields: outcome, direction, whether its
figure is a difference from placebo, and whether it is a share of people.

"60% of patients reported a reduction" is a *share of people* (a responder rate);
"reduced pain by 30%" is the *size* of a change; "30% more than placebo" is a
difference from placebo.
"""

from __future__ import annotations

import re

from ldn_evidence.figures import Figure
from ldn_evidence.outcomes import find_outcomes, normalize_outcome
from ldn_evidence.verification.directions import directions_in, valence
from ldn_evidence.verification.roles import PEOPLE, PLACEBO_WORDS

_VERSUS_PLACEBO = re.compile(
    rf"(?:than|over|versus|vs\.?|compared\s+(?:with|to)|relative\s+to|beyond)\s+"
    rf"(?:a\s+|the\s+|those\s+(?:on|taking|given)\s+)?(?:{PLACEBO_WORDS})\b"
    r"|placebo-adjusted|placebo-corrected",
    re.IGNORECASE,
)
_SHARE_OF_PEOPLE = re.compile(
    rf"(?:%|\bpercent|\bper\s+cent|\bhalf|\bthirds?|\bquarters?|\bmajority|\bmost)\s+of\s+"
    rf"(?:the\s+|all\s+|these\s+)?(?:[\w-]+\s+){{0,3}}?(?:{PEOPLE})\b"
    rf"|\b\d+\s+(?:in|out\s+of|of)\s+(?:every\s+)?\d+\s+(?:[\w-]+\s+){{0,2}}?(?:{PEOPLE})\b"
    r"|\bresponse\s+rate|\bresponders?\b|\bresponded\b",
    re.IGNORECASE,
)
_CLAIM_POPULATION = re.compile(
    r"\b(?:women|woman|men|man|female|male|children|adults|patients|people|participants"
    r"|veterans|subjects|individuals)\b",
    re.IGNORECASE,
)


def claim_outcome(outcome: str | None, text: str) -> str | None:
    """The claim's outcome as a canonical name: from the `outcome` field, else the text."""
    return normalize_outcome(outcome) or normalize_outcome(text)


def claim_valence(text: str, outcome: str | None) -> str | None:
    """ "better" / "worse": what the claim says happened to its outcome."""
    dirs = directions_in(text)
    if not dirs:
        return None
    mentions = [m for m in find_outcomes(text) if m.outcome == outcome] if outcome else []
    if mentions:
        at = mentions[0].start
        direction = min(dirs, key=lambda d: abs(d[0] - at))[1]
    else:
        direction = dirs[0][1]
    return valence(direction, outcome)


def claim_versus_placebo(versus_placebo: bool | None, text: str) -> bool | None:
    """The claim's own field, else True when its text compares with placebo."""
    if versus_placebo is not None:
        return versus_placebo
    return True if _VERSUS_PLACEBO.search(text or "") else None


def claim_is_share(text: str, figure: Figure | None) -> bool:
    """Whether the claim's figure is a share of people ("60% of patients …")."""
    if figure is not None and (figure.unit or "").strip().lower() in ("of n", "of"):
        return True
    return bool(_SHARE_OF_PEOPLE.search(text or ""))


def claim_population(population: str | None, text: str) -> str | None:
    """The claim's population field, else the first population word in its text."""
    if population and population.strip():
        return population
    m = _CLAIM_POPULATION.search(text or "")
    return m.group(0) if m else None
