"""Find the figures an abstract reports, what each measures and what kind of result it is.

Recognised forms (each figure keeps its sentence, exactly as written):
  percentages   "28.8%", "28.8 percent", "28.8 per cent", "28·8%", "Thirty-two percent",
                "≥30%", "greater than 30%", "nearly 30%", "−12%" (a fall)
  fractions     "one third of patients", "half of the women", "reduced pain by half"
  X of N        "18 of 31", "18 out of 31 women", "18/31 (58%)" → 58.1% with the counts
  ranges        "20-30%", "20–30%", "from 20% to 30%", "between 20% and 30%"
  fold changes  "2.5-fold", "twofold", "2.5 times higher"
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ldn_evidence.outcomes import OutcomeMention, find_outcomes
from ldn_evidence.sentences import ABSTRACT, sentence_spans
from ldn_evidence.verification import roles
from ldn_evidence.verification.directions import DECREASE, direction_near, directions_in
from ldn_evidence.verification.intervals import Interval, normalize_qualifier
from ldn_evidence.verification.number_scan import finditer_numbers
from ldn_evidence.verification.numbers import (
    FRACTION,
    NUMBER,
    TENS,
    UNITS,
    parse_fraction,
    parse_number,
)
from ldn_evidence.verification.word_patterns import lowered


@dataclass(frozen=True, slots=True)
class AbstractFigure:
    """One figure reported in an abstract.

    `value` is the magnitude (a written minus sign becomes `direction="decrease"`); for
    a range `value` is its low end and `high` its high end. `unit` is "%" or "fold".
    `outcome` comes from `outcomes.FIGURE_OUTCOMES`; `role` from `roles.ROLES`; `arm` is "drug",
    "placebo" or None. `start` / `end` are offsets of `text` in the abstract.
    """

    sentence: str
    text: str
    value: float
    unit: str
    outcome: str | None
    role: str
    arm: str | None = None
    high: float | None = None
    qualifier: str = "exact"
    direction: str | None = None
    numerator: int | None = None
    denominator: int | None = None
    start: int = 0
    end: int = 0

    @property
    def is_range(self) -> bool:
        return self.high is not None

    @property
    def interval(self) -> Interval:
        """The values the abstract states: a point, a range or a one-sided bound."""
        hi = self.value if self.high is None else self.high
        q = self.qualifier
        if q in ("over", "at least"):
            return Interval(self.value, float("inf"), low_open=q == "over", high_open=True)
        if q in ("up to", "less than"):
            return Interval(float("-inf"), hi, low_open=True, high_open=q == "less than")
        return Interval(self.value, hi)

    def describe(self) -> str:
        """ "28.8%", "20–30%", "18/31 (58.1%)", "2.5-fold"."""
        u = "%" if self.unit == "%" else "-fold"
        core = f"{_fmt(self.value)}{u}"
        if self.high is not None:
            core = f"{_fmt(self.value)}–{_fmt(self.high)}{u}"
        if self.numerator is not None and self.denominator is not None:
            return f"{self.numerator}/{self.denominator} ({core})"
        return core


def _fmt(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


_QUAL = (
    r"(?:(?P<qual>nearly|almost|approximately|approx\.?|about|around|roughly|~|≈|over"
    r"|more\s+than|greater\s+than|at\s+least|up\s+to|as\s+much\s+as|less\s+than|fewer\s+than"
    r"|under|>=|<=|≥|≤|>|<)\s*)?"
)
_PCT = r"\s*(?:%|percent\b|per\s+cent\b|percentage\s+points?\b)"
_SIGN = r"(?P<sign>[-−–](?=\d))?"
_DASH = r"\s*(?:-|–|—|to)\s*"
_WORD_FOLD = "|".join(sorted(list(UNITS) + list(TENS), key=len, reverse=True))

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "range",
        re.compile(
            rf"{_QUAL}(?:from\s+|between\s+)?(?P<a>{NUMBER})(?:{_PCT})?"
            rf"(?:{_DASH}|\s+and\s+)(?P<b>{NUMBER}){_PCT}",
            re.IGNORECASE,
        ),
    ),
    (
        "fold",
        re.compile(
            rf"{_QUAL}(?P<a>(?<![\d.])\d+(?:[.·]\d+)?|\b(?:{_WORD_FOLD}))"
            r"(?:\s*-?\s*fold\b|\s*(?:times|×)(?=\s*(?:higher|greater|more|increase|lower|as)))",
            re.IGNORECASE,
        ),
    ),
    (
        "of",
        re.compile(
            rf"(?P<a>{NUMBER})\s+(?:out\s+)?of\s+(?:the\s+|all\s+|these\s+)?(?P<b>{NUMBER})"
            rf"(?!\s*(?:%|percent|per\s+cent|mg|kg|weeks?|days?|months?|years?))"
            rf"(?P<who>\s+(?:[\w-]+\s+){{0,2}}?(?:{roles.PEOPLE}))?",
            re.IGNORECASE,
        ),
    ),
    (
        "slash",
        re.compile(
            rf"(?<![\d/.])(?P<a>\d+)\s*/\s*(?P<b>\d+)(?![\d/.])"
            rf"(?=\s*\(|\s+(?:[\w-]+\s+){{0,2}}?(?:{roles.PEOPLE})\b)",
            re.IGNORECASE,
        ),
    ),
    ("percent", re.compile(rf"{_QUAL}{_SIGN}(?P<a>{NUMBER}){_PCT}", re.IGNORECASE)),
    (
        "fraction",
        re.compile(
            rf"(?:(?P<by>by\s+)|\b)(?P<a>{FRACTION})(?!-?life)(?=\s+of\b|(?(by)|(?!)))",
            re.IGNORECASE,
        ),
    ),
]
"""Tried in this order; a later match overlapping an earlier one is skipped."""

# Text every match of a pattern holds (a "%", "percent" or "per cent" of _PCT,
# "fold"/"times"/"×", the "of" of "18 of 31", the slash, a fraction's word), searched under
# the pattern's own case rules: a sentence without it is not scanned by the pattern, whose
# optional qualifier and number words are tried at every position (most of the cost of
# reading an abstract's figures).
_PCT_HOLDS = re.compile(r"%|percent|per\s+cent", re.IGNORECASE)
_HOLDS: dict[str, re.Pattern[str]] = {
    "range": _PCT_HOLDS,
    "fold": re.compile(r"fold|times|×", re.IGNORECASE),
    "of": re.compile(r"of", re.IGNORECASE),
    "slash": re.compile(r"/"),
    "percent": _PCT_HOLDS,
    "fraction": re.compile(r"half|third|quarter|fourth|fifth|tenth", re.IGNORECASE),
}
# The same, on lowered ASCII text (where IGNORECASE is plain lowering): literals every
# match holds ("per\\s+cent" holds "cent"; "×" is not ASCII).
_HOLDS_WORDS: dict[str, tuple[str, ...]] = {
    "range": ("%", "cent"),
    "fold": ("fold", "times"),
    "of": ("of",),
    "slash": ("/",),
    "percent": ("%", "cent"),
    "fraction": ("half", "third", "quarter", "fourth", "fifth", "tenth"),
}


def _may_hold(kind: str, text: str, low: str | None) -> bool:
    """False when `text` lacks what every match of the `kind` pattern holds; `low` is the
    text lowered when it is ASCII, else None (then `_HOLDS` itself is searched)."""
    holds = _HOLDS.get(kind)
    if holds is None:
        return True
    if low is None:
        return holds.search(text) is not None
    for word in _HOLDS_WORDS[kind]:
        if word in low:
            return True
    return False


# The patterns whose every match starts with its NUMBER: tried at the numbers alone
# (`number_scan.finditer_numbers`, the same matches as `finditer`).
_FROM_NUMBER = frozenset({"of"})


@dataclass(slots=True)
class _Raw:
    kind: str
    start: int
    end: int
    value: float
    high: float | None = None
    qualifier: str = "exact"
    sign: bool = False
    numerator: int | None = None
    denominator: int | None = None
    proportion: bool = False


def _patterns_for(text: str, low: str | None) -> list[tuple[str, re.Pattern[str]]]:
    """`PATTERNS` less those whose text (`_HOLDS`) is nowhere in `text` (`low`: it lowered,
    if ASCII): none of its sentences can hold a match of them."""
    return [(kind, rx) for kind, rx in PATTERNS if _may_hold(kind, text, low)]


def _raw_figures(
    sentence: str, patterns: list[tuple[str, re.Pattern[str]]] = PATTERNS
) -> list[_Raw]:
    """The sentence's figures; `patterns`: `PATTERNS`, or `_patterns_for` its abstract."""
    taken: list[tuple[int, int]] = []
    found: list[_Raw] = []
    low = lowered(sentence)
    for kind, rx in patterns:
        if not _may_hold(kind, sentence, low):
            continue
        matches = finditer_numbers(rx, sentence) if kind in _FROM_NUMBER else rx.finditer(sentence)
        for m in matches:
            s, e = m.start(), m.end()
            if any(s < te and ts < e for ts, te in taken):
                continue
            raw = _make(kind, m)
            if raw is None:
                continue
            taken.append((s, e))
            found.append(raw)
    return sorted(found, key=lambda r: r.start)


def _make(kind: str, m: re.Match[str]) -> _Raw | None:
    groups = m.groupdict()
    qual = normalize_qualifier(groups.get("qual"))
    start = m.start("qual") if groups.get("qual") else m.start("a")
    if groups.get("sign"):
        start = min(start, m.start("sign"))
    end = m.end()
    if kind == "fraction":
        value = parse_fraction(m.group("a"))
        if value is None:
            return None
        return _Raw(kind, m.start("a"), m.end("a"), value, proportion=not groups.get("by"))
    a = parse_number(m.group("a"))
    if a is None:
        return None
    if kind == "range":
        b = parse_number(m.group("b"))
        if b is None or b <= a:
            return None
        return _Raw(kind, start, end, a, high=b, qualifier=qual)
    if kind in ("of", "slash"):
        b = parse_number(m.group("b"))
        if b is None or b < 2 or a > b or a != int(a) or b != int(b):
            return None
        if kind == "of" and not groups.get("who") and not m.group("b")[0].isdigit():
            return None
        return _Raw(kind, start, end, 100.0 * a / b, numerator=int(a), denominator=int(b),
                    proportion=True)  # fmt: skip
    return _Raw(kind, start, end, a, qualifier=qual, sign=bool(groups.get("sign")))


def _merge_counts(raws: list[_Raw], sentence: str) -> list[_Raw]:
    """ "18/31 (58%)" or "58% (18 of 31)": one figure, the percentage, with the counts."""
    counts = [r for r in raws if r.kind in ("of", "slash")]
    drop: set[int] = set()
    for c in counts:
        for r in raws:
            if r.kind != "percent" or abs(r.value - c.value) > 0.6:
                continue
            gap = sentence[min(c.end, r.end) : max(c.start, r.start)]
            if len(gap) <= 4 and re.fullmatch(r"[\s(\[,;]*", gap):
                r.numerator, r.denominator, r.proportion = c.numerator, c.denominator, True
                drop.add(id(c))
                break
    return [r for r in raws if id(r) not in drop]


def _nearest_outcome(sentence: str, start: int, end: int, seg: tuple[int, int]) -> str | None:
    mentions = find_outcomes(sentence)
    if not mentions:
        return None
    in_seg = [o for o in mentions if seg[0] <= o.start and o.end <= seg[1]]
    specific = [o for o in in_seg if o.outcome != "response rate"]
    specific = specific or [o for o in mentions if o.outcome != "response rate"] or list(mentions)

    def dist(o: OutcomeMention) -> int:
        return max(o.start - end, start - o.end, 0)

    return min(specific, key=dist).outcome


def figures_in_sentence(
    sentence: str,
    offset: int = 0,
    intervention: str | None = None,
    patterns: list[tuple[str, re.Pattern[str]]] = PATTERNS,
) -> list[AbstractFigure]:
    """The figures of one sentence; `offset` is the sentence's position in the abstract,
    `patterns` what `_raw_figures` tries (`_patterns_for` the abstract)."""
    raws = _merge_counts(_raw_figures(sentence, patterns), sentence)
    spans = [(r.start, r.end) for r in raws]
    drug_words = roles.drug_pattern(intervention)
    out: list[AbstractFigure] = []
    for r in raws:
        seg = roles.segment_bounds(sentence, r.start, r.end)
        outcome = _nearest_outcome(sentence, r.start, r.end, seg)
        seg_dirs = [d for pos, d in directions_in(sentence[seg[0] : seg[1]])]
        direction = seg_dirs[0] if len(set(seg_dirs)) == 1 else None
        direction = direction or direction_near(sentence, r.start)
        if r.sign and direction is None:
            direction = DECREASE
        role, arm = roles.classify(
            sentence,
            r.start,
            r.end,
            figure_spans=spans,
            qualifier=r.qualifier,
            proportion=r.proportion,
            has_outcome=outcome is not None,
            has_direction=direction is not None,
            drug_words=drug_words,
        )
        out.append(
            AbstractFigure(
                sentence=sentence,
                text=sentence[r.start : r.end],
                value=r.value,
                unit="fold" if r.kind == "fold" else "%",
                outcome=outcome if role != roles.OTHER else None,
                role=role,
                arm=arm,
                high=r.high,
                qualifier=r.qualifier,
                direction=direction,
                numerator=r.numerator,
                denominator=r.denominator,
                start=offset + r.start,
                end=offset + r.end,
            )
        )
    return _propagate_responders(out)


def _propagate_responders(figs: list[AbstractFigure]) -> list[AbstractFigure]:
    """ "30% of patients on LDN versus 10% with placebo": both are responder rates."""
    if not any(f.role == roles.RESPONDER_RATE and f.arm for f in figs):
        return figs
    return [replace(f, role=roles.RESPONDER_RATE) if f.role == roles.ARM_VALUE else f for f in figs]


def find_abstract_figures(abstract: str, intervention: str | None = None) -> list[AbstractFigure]:
    """Every figure in `abstract`, in order, with sentence, outcome, role and arm.

    Figures with role "other" (CIs, p-values, thresholds, baseline characteristics) are
    included so callers can show them, but they are never outcome figures.
    """
    text = abstract or ""
    out: list[AbstractFigure] = []
    patterns = _patterns_for(text, lowered(text))
    for s, e in sentence_spans(text, ABSTRACT):
        out.extend(figures_in_sentence(text[s:e], s, intervention, patterns))
    return out


def figure_values(abstract: str) -> list[tuple[str, float, float | None]]:
    """(unit, value, high) of each figure `find_abstract_figures(abstract)` gives, in
    order, without what places a figure in its sentence (outcome, role, arm, direction):
    what `figure_presence` asks of an abstract."""
    text = abstract or ""
    out: list[tuple[str, float, float | None]] = []
    patterns = _patterns_for(text, lowered(text))
    for s, e in sentence_spans(text, ABSTRACT):
        sentence = text[s:e]
        for r in _merge_counts(_raw_figures(sentence, patterns), sentence):
            out.append(("fold" if r.kind == "fold" else "%", r.value, r.high))
    return out
