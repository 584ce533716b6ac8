"""A claim's figure: "nearly 30%", "60%", "over 2-fold" — value, unit and qualifier.

The `Figure` dataclass is shared by extraction (claims), the seed loader and
verification (which turns a figure into an interval).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

# Qualifier vocabulary stored in `claims.figure_qualifier`.
QUALIFIERS = ("exact", "nearly", "about", "over", "at least", "up to", "less than")


@dataclass(frozen=True, slots=True)
class Figure:
    value: float
    unit: str = "%"  # "%", "fold", "of N" (count), "points", "mg" …
    qualifier: str = "exact"
    text: str = ""  # the figure as written, e.g. "nearly 30%"


# --- parse_claim_figure -------------------------------------------------------------------
#
# The first figure a claim states, read left to right:
#   "60%"  "60 percent"  "60 per cent"        -> Figure(60, "%", "exact")
#   "10 percentage points"                    -> unit "points"
#   "20-30%" / "20 to 30%"                    -> the midpoint, 25, qualifier "about"
#   "3-fold" "threefold" "three times higher" "twice as" -> unit "fold"
#   "8 of 10 patients" "8 out of 10" "one in five"        -> a percentage, 80 / 20, unit "%"
#   "half" "a third" "two-thirds" "a quarter" after "by" or before "of" -> a percentage
#   "p < 0.05"                                 -> unit "p", only when nothing else is stated
# A qualifier directly before the number (table below) sets `qualifier`. Doses ("4.5 mg")
# and years are never figures: a bare number is not a figure. The sign of "-30%" is
# dropped (the claim's verb says the direction). `text` is the figure as written.

QUALIFIER_PHRASES: dict[str, tuple[str, ...]] = {
    "nearly": ("nearly", "almost", "close to", "just under", "approaching", "not quite"),
    "about": (
        "about",
        "approximately",
        "approx.",
        "approx",
        "around",
        "roughly",
        "some",
        "an estimated",
        "circa",
        "ca.",
        "~",
        "≈",
        "∼",
    ),
    "over": (
        "over",
        "more than",
        "greater than",
        "above",
        "in excess of",
        "upwards of",
        "exceeding",
        "well over",
        "just over",
        ">",
    ),
    "at least": ("at least", "no less than", "no fewer than", "a minimum of", "≥", ">="),
    "up to": (
        "up to",
        "as much as",
        "as many as",
        "at most",
        "no more than",
        "a maximum of",
        "≤",
        "<=",
    ),
    "less than": ("less than", "fewer than", "under", "below", "lower than", "<"),
}

_WORD_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "hundred": 100,
}


def number_word(word: str, values: Mapping[str, int]) -> int:
    """The value of `word`, a number word a case-insensitive pattern matched: one of
    `values`' keys in any case, or spelled with letters `re.IGNORECASE` takes for its
    letters ("ſix" with the long s, "SİX", "nıne")."""
    found = values.get(word.lower())
    if found is not None:
        return found
    for key, value in values.items():
        if re.fullmatch(re.escape(key), word, re.IGNORECASE):
            return value
    raise KeyError(word)


_FRACTIONS = {
    "half": 50.0,
    "a half": 50.0,
    "one half": 50.0,
    "one-half": 50.0,
    "a third": 100 / 3,
    "one third": 100 / 3,
    "one-third": 100 / 3,
    "two thirds": 200 / 3,
    "two-thirds": 200 / 3,
    "a quarter": 25.0,
    "one quarter": 25.0,
    "one-quarter": 25.0,
    "three quarters": 75.0,
    "three-quarters": 75.0,
}
_QUALIFIER_OF = {
    phrase.lower(): qualifier
    for qualifier, phrases in QUALIFIER_PHRASES.items()
    for phrase in phrases
}


def _alternation(phrases) -> str:
    parts = []
    for phrase in sorted(phrases, key=len, reverse=True):
        escaped = re.escape(phrase).replace(r"\ ", r"\s+")
        parts.append(rf"\b{escaped}" if phrase[0].isalpha() else escaped)
    return "|".join(parts)


# The qualifier is looked for just before a figure (not scanned for everywhere): a suffix
# match on a short window keeps parsing linear in the length of the text.
_QUAL_BEFORE = re.compile(rf"(?:{_alternation(_QUALIFIER_OF)})\s*$", re.IGNORECASE)
_QUAL_WINDOW = 24
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_WORDNUM = "|".join(_WORD_NUMBERS)
_PERCENT_RE = re.compile(
    rf"(?<![\w.,])(?P<num>{_NUM})(?:\s*%?\s*(?:-|–|—|to)\s*(?P<num2>{_NUM}))?\s*"
    r"(?:%|\bpercent(?:age)?\b|\bper\s+cent\b)(?P<points>[\s-]+points?\b)?",
    re.IGNORECASE,
)
_FOLD_RE = re.compile(
    rf"(?:(?<![\w.,])(?P<num>{_NUM})|\b(?P<word>{_WORDNUM}))"
    r"(?:\s*-?\s*fold\b|\s+times\s+(?=(?:higher|greater|more|larger|lower|less|smaller|as|the"
    r"|likelier|faster|better|increased?)\b))"
    r"|\b(?P<twice>twice)\s+(?=(?:as|the)\b)",
    re.IGNORECASE,
)
_OF_RE = re.compile(
    rf"(?<![\w.,])(?:(?P<x>\d{{1,6}})\s+(?P<sep>out\s+of|of|in)"
    rf"|\b(?P<wx>{_WORDNUM})\s+(?P<wsep>out\s+of|in))\s+(?:every\s+|the\s+)?"
    rf"(?:(?P<n>\d{{1,6}})(?![\d.,]\d)|\b(?P<wn>{_WORDNUM})\b)"
    r"(?P<noun>\s+(?:patients|participants|people|women|men|subjects|adults|children|users|"
    r"volunteers|individuals|respondents)\b)?",
    re.IGNORECASE,
)
_FRACTION_RE = re.compile(
    rf"\b(?P<frac>{_alternation(_FRACTIONS)})\b(?![-\w])"
    r"(?=\s+of\b|\s*(?:[.,;:)!?]|$)|\s+(?:in|over|within|after|compared|versus|vs)\b)",
    re.IGNORECASE,
)
_P_VALUE_RE = re.compile(
    r"(?<![\w.])[pP]\s*(?P<op><=|>=|[<>=≤≥])\s*(?P<num>0?\.\d+|[01](?:\.\d+)?)(?![\d.])"
)
_P_QUALIFIER = {
    "<": "less than",
    "<=": "up to",
    "≤": "up to",
    ">": "over",
    ">=": "at least",
    "≥": "at least",
    "=": "exact",
}
_MAX_TEXT = 100


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _figure(value: float, unit: str, qualifier: str, text: str) -> Figure:
    return Figure(
        value=round(float(value), 4),
        unit=unit,
        qualifier=qualifier,
        text=" ".join(text.split())[:_MAX_TEXT],
    )


def _with_qualifier(match: re.Match[str]) -> tuple[int, str, str]:
    """(start, qualifier, text) of a figure, the qualifier written just before it included."""
    text = match.string
    window_start = max(0, match.start() - _QUAL_WINDOW)
    qualifier = _QUAL_BEFORE.search(text, window_start, match.start())
    if qualifier is None:
        return match.start(), "exact", match.group(0)
    name = _QUALIFIER_OF.get(" ".join(qualifier.group(0).lower().split()), "exact")
    return qualifier.start(), name, text[qualifier.start() : match.end()]


def _percent(match: re.Match[str]) -> tuple[int, Figure] | None:
    start, qualifier, written = _with_qualifier(match)
    value = _number(match["num"])
    unit = "points" if match["points"] else "%"
    if match["num2"]:
        high = _number(match["num2"])
        before = match.string[max(0, match.start() - 6) : match.start()].lower()
        if high <= value or "from" in before:  # "from 60% to 30%": a change, not a range
            written = written[: len(written) - (match.end() - match.end("num"))] + "%"
            return start, _figure(value, unit, qualifier, written)
        value = (value + high) / 2
        if qualifier == "exact":
            qualifier = "about"
    return start, _figure(value, unit, qualifier, written)


def _fold(match: re.Match[str]) -> tuple[int, Figure] | None:
    if match["twice"]:
        return match.start(), _figure(2, "fold", "exact", match["twice"])
    start, qualifier, written = _with_qualifier(match)
    value = _number(match["num"]) if match["num"] else number_word(match["word"], _WORD_NUMBERS)
    return start, _figure(value, "fold", qualifier, written)


def _of(match: re.Match[str]) -> tuple[int, Figure] | None:
    x = int(match["x"]) if match["x"] else number_word(match["wx"], _WORD_NUMBERS)
    n = int(match["n"]) if match["n"] else number_word(match["wn"], _WORD_NUMBERS)
    in_form = (match["sep"] or match["wsep"] or "").lower().startswith("in")
    if n <= 0 or x > n or (in_form and n > 1000) or (1900 <= n <= 2099 and not match["noun"]):
        return None
    start, qualifier, written = _with_qualifier(match)
    return start, _figure(100 * x / n, "%", qualifier, written)


def _fraction(match: re.Match[str]) -> tuple[int, Figure] | None:
    start, qualifier, written = _with_qualifier(match)
    value = _FRACTIONS[" ".join(match["frac"].lower().split())]
    return start, _figure(value, "%", qualifier, written)


_FINDERS = ((_PERCENT_RE, _percent), (_FOLD_RE, _fold), (_OF_RE, _of), (_FRACTION_RE, _fraction))


@lru_cache(maxsize=4096)
def parse_claim_figure(text: str) -> Figure | None:
    """The first figure a claim states ("nearly 30%", "3-fold", "8 of 10"), else None.
    (Kept per text, the Figure being frozen: `verify` reads a claim's for each study it
    cites, and again when the abstract supports it only in part.)"""
    if not text:
        return None
    found: list[tuple[int, Figure]] = []
    for pattern, build in _FINDERS:
        for match in pattern.finditer(text):
            result = build(match)
            # 400 digits overflow to inf: not a figure (and not valid JSON downstream)
            if result is not None and math.isfinite(result[1].value):
                found.append(result)
                break
    if found:
        return min(found, key=lambda item: item[0])[1]
    p_value = _P_VALUE_RE.search(text)
    if p_value:
        fig = _figure(_number(p_value["num"]), "p", _P_QUALIFIER[p_value["op"]], p_value.group(0))
        return fig if math.isfinite(fig.value) else None
    return None
