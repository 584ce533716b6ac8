"""Every figure a sentence states, typed by kind, so a claim's figure is only ever compared
with a figure of the same kind.

Kinds (`Quantity.kind`):
  percent  "43.2%", "12·4%", "10 to 30 percent", "76.3% to 85.4%", "one in five", "1/2000"
           (as a share), "493 per million", "8 of 10 patients", "half of", "a third of" —
           all as a percentage, so "one in five" meets "20%"
  ratio    "OR 1.86", "HR 0.74 (95% CI 0.61-0.90)", "relative risk of 2.1" (with the CI)
  fold     "3-fold", "twice as", "almost twice", "three times higher"
  measure  a number with a unit of measure: "10 mmHg", "4.5 days", "6 feet", "2.3 kg";
           `unit` says which (a claim's "4 to 4.5 days" is only compared with days)
  count    a plain count with a multiplier: "7 million cases", "400,000 deaths"
Never the claim's figure (kind "other", kept so they are not read as something else):
  doses ("4.5 mg", "atropine 0.5–1%"), p-values, confidence levels ("95% CI"), years,
  ages ("aged 50-59"), reference numbers.
Ranges keep both ends; a qualifier written before the figure ("nearly", "about", "over",
"up to", "at least", "less than") sets `qualifier`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from ldn_evidence.figures import QUALIFIER_PHRASES, number_word

PERCENT, RATIO, FOLD, MEASURE, COUNT, OTHER = (
    "percent",
    "ratio",
    "fold",
    "measure",
    "count",
    "other",
)

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:[.·]\d+)?|[.·]\d+"
_WORDNUM = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100, "thousand": 1000,
    "a": 1, "an": 1,
}  # fmt: skip
_WORDNUM_RE = r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty"
_FRACTIONS = {
    "half": 50.0, "a half": 50.0, "one half": 50.0, "one-half": 50.0, "a third": 100 / 3,
    "one third": 100 / 3, "one-third": 100 / 3, "two thirds": 200 / 3, "two-thirds": 200 / 3,
    "a quarter": 25.0, "one quarter": 25.0, "one-quarter": 25.0, "three quarters": 75.0,
    "three-quarters": 75.0, "a fifth": 20.0, "one fifth": 20.0, "one-fifth": 20.0,
    "a tenth": 10.0, "one tenth": 10.0,
}  # fmt: skip
_MULTIPLIERS = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "lakh": 1e5}
_PER = {
    "hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9, "100": 100,
    "1000": 1e3, "1,000": 1e3, "10,000": 1e4, "10000": 1e4, "100,000": 1e5, "100000": 1e5,
    "1,000,000": 1e6, "1000000": 1e6,
}  # fmt: skip
_UNITS = {
    # unit family -> spellings (lower case)
    "mmHg": ("mmhg", "mm hg"),
    "days": ("days", "day", "d"),
    "weeks": ("weeks", "week", "wk", "wks"),
    "months": ("months", "month", "mo"),
    "years": ("years", "year", "yr", "yrs", "y"),
    "hours": ("hours", "hour", "h", "hr", "hrs"),
    "minutes": ("minutes", "minute", "min", "mins"),
    "seconds": ("seconds", "second", "sec", "s"),
    "feet": ("feet", "foot", "ft"),
    "metres": ("metres", "meters", "metre", "meter", "m"),
    "cm": ("cm", "centimetres", "centimeters"),
    "mm": ("mm", "millimetres", "millimeters"),
    "kg": ("kg", "kilograms", "kilos"),
    "lb": ("lb", "lbs", "pounds"),
    "kg/m2": ("kg/m2", "kg/m²", "kg/m(2)"),
    "mg/dl": ("mg/dl",),
    "mmol/l": ("mmol/l", "mmol/mol"),
    "bpm": ("bpm", "beats per minute"),
    "points": ("points", "point", "percentage points", "percentage point"),
    "degrees": ("degrees", "°c", "°f", "°"),
    "diopters": ("diopters", "dioptres", "d"),
}
_DOSE_UNITS = r"mg|g|µg|μg|mcg|ug|ng|iu|ml|mL|units|mg/kg|mg/day|mg/d|g/day|iu/day|cc"
_UNIT_OF: dict[str, str] = {}
for _family, _spellings in _UNITS.items():
    for _s in _spellings:
        _UNIT_OF.setdefault(_s, _family)
_UNIT_RE = "|".join(
    re.escape(s).replace(r"\ ", r"\s+") for s in sorted(_UNIT_OF, key=len, reverse=True)
)
_QUALIFIER_OF = {p.lower(): q for q, ps in QUALIFIER_PHRASES.items() for p in ps}
_QUAL_BEFORE = re.compile(
    r"(?:"
    + "|".join(
        (r"\b" if p[0].isalpha() else "") + re.escape(p).replace(r"\ ", r"\s+")
        for p in sorted(_QUALIFIER_OF, key=len, reverse=True)
    )
    + r")\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Quantity:
    kind: str
    low: float
    high: float  # == low for a single value
    start: int
    end: int
    text: str
    unit: str = ""  # the unit family of a measure; "OR"/"HR"/"RR" for a ratio
    qualifier: str = "exact"
    ci: tuple[float, float] | None = None  # a ratio's confidence interval

    @property
    def value(self) -> float:
        return (self.low + self.high) / 2

    @property
    def is_range(self) -> bool:
        return self.high != self.low


def _num(text: str) -> float:
    return float(text.replace(",", "").replace("·", "."))


def _word_or_num(text: str) -> float:
    if any(c.isdigit() for c in text):
        return _num(text)
    return float(number_word(text, _WORDNUM))


_RANGE_SEP = r"\s*(?:%\s*)?(?:-|–|—|to|and)\s*"
_PERCENT = re.compile(
    rf"(?<![\w.·,])(?:between\s+)?(?P<a>{_NUM})(?:{_RANGE_SEP}(?P<b>{_NUM}))?\s*"
    r"(?:%|\s*percent(?:age)?\b|\s*per\s*cent\b)(?!\s*(?:CI|CrI|confidence|credible|UI|PI"
    r"|prediction|uncertainty)\b)(?P<points>\s*(?:-\s*)?points?\b)?",
    re.IGNORECASE,
)
_CONFIDENCE = re.compile(r"\b9[059](?:\.\d)?\s*%\s*(?:CI|CrI|UI|PI|confidence|credible)", re.I)
_RATIO = re.compile(
    r"\b(?P<name>(?-i:a?OR|a?HR|a?RR|IRR|sHR|RRR)|odds\s+ratios?|hazard\s+ratios?|risk\s+ratios?"
    r"|relative\s+risks?|rate\s+ratios?|incidence\s+rate\s+ratios?)\b"
    r"(?:\s*(?:\[[^\]]{0,12}\]|\([^)]{0,12}\)))?"
    r"(?:\s*(?:,|:|=|of|was|were|is|about|\()){0,3}\s*"
    rf"(?P<a>{_NUM})"
    r"(?:\s*[;,(\[]?\s*(?:95\s*%\s*)?(?:CI|confidence\s+interval|CrI)?\s*[,:=]?\s*"
    rf"(?P<lo>{_NUM})\s*(?:-|–|—|to|,)\s*(?P<hi>{_NUM}))?",
    re.IGNORECASE,
)
_FOLD = re.compile(
    rf"(?<![\w.])(?:(?P<a>{_NUM})|(?P<w>{_WORDNUM_RE}))\s*-?\s*fold\b"
    rf"|(?<![\w.])(?:(?P<a2>{_NUM})|(?P<w2>{_WORDNUM_RE}))\s+times\s+"
    r"(?=(?:higher|greater|more|larger|lower|less|smaller|as|the|likelier|faster|increased"
    r"|the\s+risk|risk)\b)"
    r"|\b(?P<twice>twice|double|doubled|triple|tripled|threefold|twofold|fourfold)\b",
    re.IGNORECASE,
)
_IN_N = re.compile(
    rf"(?<![\w.])(?P<x>{_NUM}|{_WORDNUM_RE}|a|an)\s+(?:in|out\s+of)\s+(?:every\s+)?"
    rf"(?P<n>{_NUM}|{_WORDNUM_RE})(?![\d.,]\d)(?!\s*(?:%|percent))",
    re.IGNORECASE,
)
# "3529/5237" is a count of a total only inside brackets, before a noun of people or events,
# or after "in"/"of": "10/66 dementia" is a name.
_SLASH = re.compile(
    r"(?:(?<=[(\[])|(?<=\bin\s)|(?<=\bof\s)|(?<=\baffects\s)|(?<=\baffected\s))"
    r"(?P<x>\d{1,7})\s*/\s*(?P<n>\d{1,7})(?![\w./])"
    r"|(?<![\w./])(?P<x2>\d{1,7})\s*/\s*(?P<n2>\d{1,7})(?=\s+(?:patients|participants|people"
    r"|subjects|adults|children|women|men|births|cases|infants|individuals|persons)\b)"
)
_PER_N = re.compile(
    rf"(?<![\w.])(?P<x>{_NUM})\s+(?:\w+\s+){{0,3}}?per\s+(?P<n>hundred|thousand|million|billion"
    r"|100|1,?000|10,?000|100,?000|1,?000,?000)\b",
    re.IGNORECASE,
)
_FRACTION = re.compile(
    r"\b(?P<f>"
    + "|".join(re.escape(f) for f in sorted(_FRACTIONS, key=len, reverse=True))
    + r")\s+(?=of\b)",
    re.IGNORECASE,
)
_MEASURE = re.compile(
    rf"(?<![\w.·])(?P<a>{_NUM})(?:{_RANGE_SEP}(?P<b>{_NUM}))?\s*(?P<unit>{_UNIT_RE})(?![\w/])",
    re.IGNORECASE,
)
_COUNT = re.compile(
    rf"(?<![\w.·])(?P<a>{_NUM})\s*(?P<mult>thousand|million|billion|lakh)\b", re.IGNORECASE
)
_EXCLUDED = re.compile(
    rf"(?<![\w.])(?:(?:{_NUM})(?:\s*(?:-|–|to)\s*(?:{_NUM}))?\s*(?:{_DOSE_UNITS})\b"
    r"|[pP]\s*[<>=≤≥]\s*[.\d]+"
    r"|(?<![/\d])(?:19|20)\d\d(?![\d.%])"
    r"|(?:aged?|ages)\s+(?:of\s+)?(?:between\s+)?\d+(?:\s*(?:-|–|to|and)\s*\d+)?"
    rf"|(?:{_NUM})\s*(?:-|–|to)?\s*(?:\d+\s*)?(?:years?|yr)\s*(?:old|of\s+age)"
    rf"|[\[(]\d+(?:[,–-]\s*\d+)*[\])])",
    re.IGNORECASE,
)
# A concentration written right after a substance: "atropine 0.5–1%", "LDN 4.5%": a dose.
_NOT_SUBSTANCES = frozenset(
    """about around approximately nearly almost only just over under than with were was
    from into onto were have been also rate rates risk were cases total overall some each
    those these that this then when while after before between among within reduced
    increased decreased fell rose dropped grew reached""".split()
)
_CONCENTRATION = re.compile(
    rf"\b([A-Za-z][a-z]{{3,}})(?:\s+(?:eye\s+)?(?:drops?|solution|cream|gel))?\s+"
    rf"(?:{_NUM})(?:\s*(?:-|–|to)\s*(?:{_NUM}))?\s*%\s*(?=$|[,;.)]|\s+(?:and|or|eye|drops?"
    r"|solution|cream|gel|ointment|once|twice|daily|nightly|for|in\s+(?:the|both|one))\b)",
)


def _qualifier(text: str, start: int) -> tuple[str, int]:
    m = _QUAL_BEFORE.search(text, max(0, start - 24), start)
    if not m:
        return "exact", start
    return _QUALIFIER_OF.get(" ".join(m.group(0).lower().split()), "exact"), m.start()


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


def find_quantities(text: str) -> list[Quantity]:
    """The figures of `text`, in order, each typed (see the module docstring)."""
    return list(_quantities(text))


@lru_cache(maxsize=20_000)
def _quantities(text: str) -> tuple[Quantity, ...]:
    """`find_quantities`, kept per text: a sentence is read once for every claim that
    cites its study (the quantities are frozen)."""
    return tuple(_find_quantities(text))


# What every figure `_find_quantities` reads holds: a digit (any the patterns' \d takes),
# a word of _FOLD or _FRACTION, "p <" (`_EXCLUDED`'s "p < .05" may be written "p < ."), or
# _IN_N's "in / out of (every) <number word>". Text with none of them holds no figure.
_MAY_HOLD_A_FIGURE = re.compile(
    rf"\d|fold|times|twice|double|triple|half|third|quarter|fifth|tenth|p\s*[<>=≤≥]"
    rf"|(?:in|of)\s+(?:every\s+)?(?:{_WORDNUM_RE})",
    re.IGNORECASE,
)


_DIGIT = re.compile(r"\d")
_P_VALUE = re.compile(r"[pP]\s*[<>=≤≥]")  # `_EXCLUDED`'s p-value, which may have no digit


def _holds(lowered: str | None, needed: tuple[str, ...]) -> bool:
    """False when ASCII text (`lowered`: its lower case; None for other text) holds none of
    `needed`: a pattern each of whose matches holds one of them cannot match it. Text that
    is not ASCII may: IGNORECASE also folds a few letters (the long ſ) that lower() keeps."""
    if lowered is None:
        return True
    for w in needed:  # a loop, not any(): it runs several times a text
        if w in lowered:
            return True
    return False


# What each pattern's every match holds besides a digit (`_NEEDS`; lower case). A pattern
# whose match needs a digit (every `_NUM`, `\d`) is not run on text without one.
_NEEDS_PERCENT = ("%", "per")  # "%", "percent", "per cent"
_NEEDS_FOLD = ("fold", "times", "twice", "doubl", "tripl")
_NEEDS_RATIO = ("ratio", "relative")  # and the upper-case names, read case-sensitively
_RATIO_NAMES = ("OR", "HR", "RR")  # every name of `(?-i:a?OR|a?HR|a?RR|IRR|sHR|RRR)` holds one
_NEEDS_PER_N = ("per",)
_NEEDS_FRACTION = ("half", "third", "quarter", "fifth", "tenth")
_NEEDS_COUNT = ("thousand", "million", "billion", "lakh")


def _find_quantities(text: str) -> list[Quantity]:
    digit = _DIGIT.search(text) is not None  # `_MAY_HOLD_A_FIGURE`'s first branch, alone
    if not digit and not _MAY_HOLD_A_FIGURE.search(text):
        return []
    lowered = text.lower() if text.isascii() else None
    percent_sign = "%" in text
    taken: list[tuple[int, int]] = []
    out: list[Quantity] = []

    def add(kind: str, low: float, high: float, m: re.Match[str] | tuple[int, int], **kw) -> None:
        begin, end = (m.start(), m.end()) if isinstance(m, re.Match) else m
        if not (math.isfinite(low) and math.isfinite(high)):
            return
        qualifier, start = _qualifier(text, begin)
        if kind == OTHER:
            qualifier, start = "exact", begin
        out.append(
            Quantity(
                kind=kind, low=min(low, high), high=max(low, high), start=start, end=end,
                text=" ".join(text[start:end].split())[:80], qualifier=qualifier, **kw,
            )
        )  # fmt: skip
        taken.append((begin, end))

    for m in _CONFIDENCE.finditer(text) if digit and percent_sign else ():
        taken.append((m.start(), m.end()))
    for m in _CONCENTRATION.finditer(text) if digit and percent_sign else ():
        if m.group(1).lower() in _NOT_SUBSTANCES:
            continue
        pm = _PERCENT.search(text, m.start(), m.end())
        if pm:
            add(OTHER, 0.0, 0.0, pm, unit="dose")
    for m in _EXCLUDED.finditer(text) if digit or _P_VALUE.search(text) else ():
        if not _overlaps(taken, m.start(), m.end()):
            add(OTHER, 0.0, 0.0, m)
    ratio = digit and (any(n in text for n in _RATIO_NAMES) or _holds(lowered, _NEEDS_RATIO))
    for m in _RATIO.finditer(text) if ratio else ():
        if _overlaps(taken, m.start("a"), m.end("a")):
            continue
        value = _num(m["a"])
        ci = (_num(m["lo"]), _num(m["hi"])) if m["lo"] else None
        raw = m["name"]
        name = raw.removeprefix("a") if len(raw) <= 4 else "".join(w[0] for w in raw.split())
        name = name.upper()
        add(RATIO, value, value, m, unit=name, ci=ci)
    for m in _PERCENT.finditer(text) if digit and _holds(lowered, _NEEDS_PERCENT) else ():
        if _overlaps(taken, m.start(), m.end()):
            continue
        a = _num(m["a"])
        b = _num(m["b"]) if m["b"] else a
        before = text[max(0, m.start() - 6) : m.start()].lower()
        if m["b"] and (b < a or "from" in before):  # "from 60% to 30%": a change, two values
            kind = MEASURE if m["points"] else PERCENT
            unit = "points" if m["points"] else ""
            add(kind, a, a, (m.start("a"), m.end("a")), unit=unit)
            add(kind, b, b, (m.start("b"), m.end()), unit=unit)
            continue
        if m["points"]:
            add(MEASURE, a, b, m, unit="points")
        else:
            add(PERCENT, a, b, m)
    for m in _FOLD.finditer(text) if _holds(lowered, _NEEDS_FOLD) else ():
        if _overlaps(taken, m.start(), m.end()):
            continue
        if m["twice"]:
            word = m["twice"].lower()
            value = 3.0 if word.startswith(("trip", "three")) else 4.0 if "four" in word else 2.0
        else:
            raw = m["a"] or m["w"] or m["a2"] or m["w2"]
            value = _word_or_num(raw)
        add(FOLD, value, value, m)
    for m in _PER_N.finditer(text) if digit and _holds(lowered, _NEEDS_PER_N) else ():
        if _overlaps(taken, m.start(), m.end()):
            continue
        per = _PER.get(m["n"].lower().replace(" ", ""), 0)
        if per:
            v = 100 * _num(m["x"]) / per
            add(PERCENT, v, v, m, unit="rate")
    for m in _IN_N.finditer(text):
        if _overlaps(taken, m.start(), m.end()):
            continue
        x, n = _word_or_num(m["x"]), _word_or_num(m["n"])
        if n > 0 and 0 < x <= n and not (1900 <= n <= 2099):
            add(PERCENT, 100 * x / n, 100 * x / n, m, unit="rate")
    for m in _SLASH.finditer(text) if digit and "/" in text else ():
        if _overlaps(taken, m.start(), m.end()):
            continue
        x, n = float(m["x"] or m["x2"]), float(m["n"] or m["n2"])
        if n > 0 and x <= n:
            add(PERCENT, 100 * x / n, 100 * x / n, m, unit="share")
    for m in _FRACTION.finditer(text) if _holds(lowered, _NEEDS_FRACTION) else ():
        if _overlaps(taken, m.start(), m.end()):
            continue
        v = _FRACTIONS[" ".join(m["f"].lower().split())]
        add(PERCENT, v, v, m, unit="share")
    for m in _MEASURE.finditer(text) if digit else ():
        if _overlaps(taken, m.start(), m.end()):
            continue
        unit = _UNIT_OF.get(" ".join(m["unit"].lower().split()), "")
        if len(m["unit"]) == 1 and unit in ("days", "years", "hours", "seconds", "metres"):
            # a bare letter is a unit only right after the number ("4 d", "12 h")
            if text[m.end("b") if m["b"] else m.end("a") : m.start("unit")].strip():
                continue
        a = _num(m["a"])
        b = _num(m["b"]) if m["b"] else a
        add(MEASURE, a, b, m, unit=unit)
    for m in _COUNT.finditer(text) if digit and _holds(lowered, _NEEDS_COUNT) else ():
        if _overlaps(taken, m.start(), m.end()):
            continue
        v = _num(m["a"]) * _MULTIPLIERS[m["mult"].lower()]
        add(COUNT, v, v, m)
    out.sort(key=lambda q: q.start)
    return out


def comparable(claim: Quantity, other: Quantity) -> bool:
    """Whether `other` is a figure of the same kind (and unit) as the claim's `claim`."""
    if claim.kind == OTHER or other.kind != claim.kind:
        return False
    if claim.kind == MEASURE:
        return claim.unit == other.unit
    return True


def tolerance(q: Quantity) -> float:
    """How far from the claim's value a figure may lie and still be the same figure:
    rounding for an exact figure, a few points (or a fraction, for small and large
    values) for "about" / "nearly" / a range."""
    v = abs(q.value)
    loose = q.qualifier in ("about", "nearly") or q.is_range
    if q.kind == PERCENT:
        if loose:
            return max(min(5.0, 0.25 * v + 0.5), 0.1 * v)
        exact = max(min(0.5, 0.1 * v), 0.02 * v)
        if v >= 10 and v == int(v) and v % 10 == 0:
            return max(exact, 2.5)  # "50%" is a round figure: anything that rounds to it
        if v >= 10 and v == int(v) and v % 5 == 0:
            return max(exact, 1.5)
        return exact
    if q.kind in (RATIO, FOLD):
        return max(0.1 * v, 0.05) if loose else max(0.03 * v, 0.005)
    return 0.15 * v if loose else max(0.05 * v, 0.5 * _last_digit(q))


def _last_digit(q: Quantity) -> float:
    m = re.search(r"[.·](\d+)", q.text)
    return 10.0 ** -len(m.group(1)) if m else 1.0


def claimed_interval(q: Quantity) -> tuple[float, float]:
    """The values that would support a claim's figure (open ends as ±inf)."""
    tol = tolerance(q)
    low, high = q.low, q.high
    if q.qualifier in ("over", "at least"):
        return low, math.inf
    if q.qualifier in ("up to", "less than"):
        return (0.0 if q.kind in (PERCENT, COUNT) else -math.inf), high
    if q.qualifier == "nearly":
        return max(0.0, low - tol), high + min(tol, 0.5)
    lo = low - tol
    if q.kind in (PERCENT, COUNT, FOLD, RATIO) and lo < 0:
        lo = 0.0  # never a negative bound for a positive quantity
    return lo, high + tol


def distance(q: Quantity, other: Quantity) -> float:
    """0 when `other` lies within (or overlaps) the claim's interval, else how far out,
    in units of the claim's tolerance (so 1 = one tolerance away)."""
    lo, hi = claimed_interval(q)
    if other.high >= lo and other.low <= hi:
        return 0.0
    gap = lo - other.high if other.high < lo else other.low - hi
    return gap / max(tolerance(q), 1e-9)
