"""A claim's figure: "nearly 30%", "60%", "over 2-fold" — value, unit and qualifier.

The `Figure` dataclass is shared by extraction (claims), the seed loader and
verification (which turns a figure into an interval).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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


_QUAL = rf"(?:(?P<qual>{_alternation(_QUALIFIER_OF)})\s*)?"
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_WORDNUM = "|".join(_WORD_NUMBERS)
_PERCENT_RE = re.compile(
    rf"{_QUAL}(?<![\w.,])(?P<num>{_NUM})(?:\s*%?\s*(?:-|–|—|to)\s*(?P<num2>{_NUM}))?\s*"
    r"(?:%|\bpercent(?:age)?\b|\bper\s+cent\b)(?P<points>[\s-]+points?\b)?",
    re.IGNORECASE,
)
_FOLD_RE = re.compile(
    rf"{_QUAL}(?:(?<![\w.,])(?P<num>{_NUM})|\b(?P<word>{_WORDNUM}))\s*-?\s*fold\b"
    rf"|{_QUAL.replace('qual', 'qual2')}(?:(?<![\w.,])(?P<num3>{_NUM})|\b(?P<word3>{_WORDNUM}))"
    r"\s+times\s+(?=(?:higher|greater|more|larger|lower|less|smaller|as|the|likelier|"
    r"faster|better|increased?|the\s+rate)\b)"
    r"|\b(?P<twice>twice)\s+(?=(?:as|the)\b)",
    re.IGNORECASE,
)
_OF_RE = re.compile(
    rf"{_QUAL}(?<![\w.,])(?:(?P<x>\d{{1,6}})\s+(?P<sep>out\s+of|of|in)"
    rf"|\b(?P<wx>{_WORDNUM})\s+(?P<wsep>out\s+of|in))\s+(?:every\s+|the\s+)?"
    rf"(?:(?P<n>\d{{1,6}})(?![\d.,]\d)|\b(?P<wn>{_WORDNUM})\b)"
    r"(?P<noun>\s+(?:patients|participants|people|women|men|subjects|adults|children|users|"
    r"volunteers|individuals|respondents)\b)?",
    re.IGNORECASE,
)
_FRACTION_RE = re.compile(
    rf"(?:(?P<by>\bby\s+|\bin\s+){_QUAL}|{_QUAL.replace('qual', 'qual2')})"
    rf"\b(?P<frac>{_alternation(_FRACTIONS)})\b(?![-\w])"
    r"(?P<after>\s+of\b|(?=\s*(?:[.,;:)!?]|$|\s+(?:in|over|within|after|compared|versus|vs)\b)))",
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


def _qualifier(match: re.Match[str], *names: str) -> str:
    for name in names:
        phrase = match.groupdict().get(name)
        if phrase:
            return _QUALIFIER_OF.get(" ".join(phrase.lower().split()), "exact")
    return "exact"


def _figure(value: float, unit: str, qualifier: str, text: str) -> Figure:
    return Figure(
        value=round(float(value), 4),
        unit=unit,
        qualifier=qualifier,
        text=" ".join(text.split())[:_MAX_TEXT],
    )


def _percent(match: re.Match[str]) -> Figure | None:
    value, qualifier = _number(match["num"]), _qualifier(match, "qual")
    unit = "points" if match["points"] else "%"
    if match["num2"]:
        high = _number(match["num2"])
        before = match.string[max(0, match.start() - 6) : match.start()].lower()
        if high <= value or "from" in before:  # "from 60% to 30%": a change, not a range
            prefix = match.group(0)[: match.end("num") - match.start()]
            return _figure(value, unit, qualifier, prefix + "%")
        value = (value + high) / 2
        if qualifier == "exact":
            qualifier = "about"
    return _figure(value, unit, qualifier, match.group(0))


def _fold(match: re.Match[str]) -> Figure | None:
    if match["twice"]:
        return _figure(2, "fold", "exact", match["twice"])
    number, word = match["num"] or match["num3"], match["word"] or match["word3"]
    value = _number(number) if number else _WORD_NUMBERS[word.lower()]
    return _figure(value, "fold", _qualifier(match, "qual", "qual2"), match.group(0))


def _of(match: re.Match[str]) -> Figure | None:
    x = int(match["x"]) if match["x"] else _WORD_NUMBERS[match["wx"].lower()]
    n = int(match["n"]) if match["n"] else _WORD_NUMBERS[match["wn"].lower()]
    in_form = (match["sep"] or match["wsep"] or "").lower().startswith("in")
    if n <= 0 or x > n or (in_form and n > 1000) or (1900 <= n <= 2099 and not match["noun"]):
        return None
    return _figure(100 * x / n, "%", _qualifier(match, "qual"), match.group(0))


def _fraction(match: re.Match[str]) -> Figure | None:
    value = _FRACTIONS[" ".join(match["frac"].lower().split())]
    text = match.group(0)
    if match["by"]:
        text = text[len(match["by"]) :]
    if match["after"].strip():
        text = text[: -len(match["after"])]
    return _figure(value, "%", _qualifier(match, "qual", "qual2"), text)


_FINDERS = ((_PERCENT_RE, _percent), (_FOLD_RE, _fold), (_OF_RE, _of), (_FRACTION_RE, _fraction))


def parse_claim_figure(text: str) -> Figure | None:
    """The first figure a claim states ("nearly 30%", "3-fold", "8 of 10"), else None."""
    if not text:
        return None
    found: list[tuple[int, Figure]] = []
    for pattern, build in _FINDERS:
        for match in pattern.finditer(text):
            figure = build(match)
            if figure is not None:
                found.append((match.start(), figure))
                break
    if found:
        return min(found, key=lambda item: item[0])[1]
    p_value = _P_VALUE_RE.search(text)
    if p_value:
        return _figure(_number(p_value["num"]), "p", _P_QUALIFIER[p_value["op"]], p_value.group(0))
    return None
