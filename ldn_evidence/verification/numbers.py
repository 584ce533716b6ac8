"""Numbers as abstracts write them: "28.8", "28·8", "1,204", "Thirty-two", "one third".

`NUMBER` is a regular-expression fragment matching a digit number or a number written in
words; `parse_number` turns the matched text into a float. `FRACTION` / `parse_fraction`
do the same for "half", "one third", "two-thirds", "a quarter" (as a percentage).
"""

from __future__ import annotations

import re

UNITS = {
    "zero": 0, "no": 0, "one": 1, "a single": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19,
}  # fmt: skip
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
SCALES = {"hundred": 100, "thousand": 1000}

# Fractions of a group, as a percentage: "half of the patients" = 50%.
FRACTIONS = {
    "half": 50.0, "one half": 50.0, "a half": 50.0,
    "one third": 100 / 3, "a third": 100 / 3, "two thirds": 200 / 3,
    "one quarter": 25.0, "a quarter": 25.0, "one fourth": 25.0, "a fourth": 25.0,
    "three quarters": 75.0, "three fourths": 75.0,
    "one fifth": 20.0, "a fifth": 20.0, "two fifths": 40.0, "three fifths": 60.0,
    "four fifths": 80.0,
    "one tenth": 10.0, "a tenth": 10.0,
}  # fmt: skip

_UNIT_WORDS = sorted((w for w in UNITS if w not in ("no", "a single")), key=len, reverse=True)
_WORD = "(?:" + "|".join(list(TENS) + _UNIT_WORDS + list(SCALES)) + ")"
# At most five words ("one hundred and twenty-five"): bounded, so no runaway backtracking.
WORD_NUMBER = rf"\b{_WORD}(?:(?:[\s-]+|\s+and\s+){_WORD}){{0,4}}\b"
DIGIT_NUMBER = r"(?<![\d.,·])\d{1,3}(?:,\d{3})+(?![\d,])(?:\.\d+)?|(?<![\d.·])\d+(?:[.·]\d+)?"
NUMBER = rf"(?:{DIGIT_NUMBER}|{WORD_NUMBER})"

_FRACTION_KEYS = sorted(FRACTIONS, key=len, reverse=True)
FRACTION = (
    r"\b(?:"
    + "|".join(re.escape(k).replace(r"\ ", r"[\s-]+") + "s?" for k in _FRACTION_KEYS)
    + r")\b"
)

_WORD_RE = re.compile(_WORD, re.IGNORECASE)


def parse_words(text: str) -> float | None:
    """ "thirty-two" → 32, "one hundred and five" → 105; None when not a number."""
    total = 0
    current = 0
    seen = False
    for token in re.split(r"[\s-]+", text.lower().strip()):
        if not token or token == "and":
            continue
        if token in UNITS:
            current += UNITS[token]
        elif token in TENS:
            current += TENS[token]
        elif token in SCALES:
            current = max(current, 1) * SCALES[token]
            if SCALES[token] >= 1000:
                total += current
                current = 0
        else:
            return None
        seen = True
    return float(total + current) if seen else None


def parse_number(text: str) -> float | None:
    """A matched `NUMBER` as a float: "28·8" → 28.8, "1,204" → 1204, "Ten" → 10."""
    t = text.strip()
    if not t:
        return None
    if t[0].isdigit():
        t = t.replace("·", ".")
        if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", t):
            t = t.replace(",", "")
        try:
            return float(t)
        except ValueError:
            return None
    if not _WORD_RE.match(t):
        return None
    return parse_words(t)


def parse_fraction(text: str) -> float | None:
    """A matched `FRACTION` as a percentage: "two-thirds" → 66.67, "half" → 50."""
    key = " ".join(re.split(r"[\s-]+", text.lower().strip()))
    if key.endswith("s") and key not in FRACTIONS:
        key = key[:-1]
    return FRACTIONS.get(key)
