"""Study features a pharmacist reads off the title and abstract to weigh a study.

MODIFIERS (keys of the dict `study_modifiers` returns)
======================================================
participants        int | None   "31 women", "n = 10", "ten participants", "enrolled 28"
sex                 str | None   "female" / "male" / "mixed" (see `population.py`)
pilot               bool         "pilot", "feasibility"
crossover           bool         "crossover", "cross-over"
randomized          bool         "randomized", "randomised", "randomly assigned" — False for
                                 "non-randomized", "not randomized"
blinding            str | None   "triple" / "double" / "single" (-blind, -masked) /
                                 "open-label" ("open label", "unblinded")
placebo_controlled  bool         "placebo" or "sham" (not "without placebo", "no placebo")
duration            str | None   the longest stated period: "12 weeks", "8-week", "6 months"
duration_weeks      float | None the same in weeks
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from ldn_evidence.verification.number_scan import finditer_numbers
from ldn_evidence.verification.numbers import NUMBER, parse_number
from ldn_evidence.verification.population import participant_count, study_sex
from ldn_evidence.verification.word_patterns import WordPattern, holds_any, lowered

# The words each modifier reads (case-insensitive, `\b` + lead + rest: see word_patterns).
_PILOT = WordPattern(("pilot", r"\b"), ("feasibility", r"\b"))
_CROSSOVER = WordPattern(("cross", r"[\s-]?over\b"))
_NOT_RANDOMIZED = WordPattern(
    ("non", r"-?randomi[sz]ed\b"), ("not", r"\s+randomi[sz]ed\b"), ("unrandomi", r"[sz]ed\b"),
    ("without", r"\s+randomi[sz]ation\b"), ("no", r"\s+randomi[sz]ation\b"),
    ("not", r"\s+randomly\b"),
)  # fmt: skip
# "Mendelian randomisation" is genetic epidemiology, not a randomised trial.
_RANDOMIZED = re.compile(
    r"(?<!mendelian\s)\brandomi[sz](?:ed|ation)\b|\brandomly\s+(?:assigned|allocated)\b", re.I
)
_BLIND = r"[\s-]+(?:blind|mask)"
_BLINDING: tuple[tuple[str, WordPattern], ...] = (
    ("triple", WordPattern(("triple", _BLIND))),
    ("double", WordPattern(("double", r"[\s-]+(?:blind|mask|dummy)"))),
    (
        "single",
        WordPattern(
            ("single", _BLIND),
            ("observer", _BLIND),
            ("assessor", _BLIND),
            ("rater", _BLIND),
            ("investigator", _BLIND),
        ),
    ),  # fmt: skip
    (
        "open-label",
        WordPattern(("open", r"[\s-]+label\b"), ("unblinded", r"\b"), ("non", r"-?blinded\b")),
    ),
)
_PLACEBO = WordPattern(("placebo", r"\b"), ("sham", r"\b"))
_NO_PLACEBO = WordPattern(
    ("without", r"\s+(?:a\s+)?(?:placebo|sham)\b"), ("no", r"\s+(?:a\s+)?(?:placebo|sham)\b")
)
_DURATION = re.compile(
    rf"(?P<n>{NUMBER})(?:\s*-\s*|\s+)(?P<unit>weeks?|wks?|months?|days?|years?)\b", re.I
)
_WEEKS = {"day": 1 / 7, "week": 1.0, "wk": 1.0, "month": 52 / 12, "year": 52.0}
# What every _DURATION match holds, lowered: its unit after a space or a hyphen.
_UNIT_AFTER = re.compile(r"[\s-](?:weeks?|wks?|months?|days?|years?)\b")
# Durations that describe the illness or the people, not the study.
_NOT_STUDY_DURATION = re.compile(
    r"\b(?:history|duration|diagnosed|aged?|age|old|at\s+least|since|longer\s+than"
    r"|more\s+than|over\s+the\s+(?:past|last)|ill(?:ness)?|for\s+up\s+to)\b[^.;]*$",
    re.I,
)


# What every match of each _BLINDING pattern holds (lowered).
_BLINDING_STEMS = {
    "triple": ("triple",),
    "double": ("double",),
    "single": ("blind", "mask"),
    "open-label": ("label", "blinded"),
}


def blinding(text: str) -> str | None:
    low = lowered(text)
    for name, words in _BLINDING:
        if low is not None and not holds_any(low, _BLINDING_STEMS[name]):
            continue
        if words.found(text, low):
            return name
    return None


def duration(text: str) -> tuple[str | None, float | None]:
    """The longest study period stated ("12 weeks", "8-week") and its length in weeks."""
    best: tuple[float, str] | None = None
    low = lowered(text)
    if low is not None and _UNIT_AFTER.search(low) is None:
        return None, None
    for m in finditer_numbers(_DURATION, text):
        if _NOT_STUDY_DURATION.search(text[max(0, m.start() - 30) : m.start()]):
            continue
        after = text[m.end() : m.end() + 10]
        if re.match(r"\s*(?:old|of\s+age|or\s+older|and\s+older)\b", after, re.I):
            continue
        n = parse_number(m.group("n"))
        # casefold: the pattern is IGNORECASE, so "weekſ" (long s) is a unit too
        unit = m.group("unit").casefold().rstrip("s")
        if n is None or n <= 0:
            continue
        weeks = n * _WEEKS[unit]
        if best is None or weeks > best[0]:
            best = (weeks, m.group(0))
    if best is None:
        return None, None
    return best[1], round(best[0], 2)


def study_modifiers(title: str, abstract: str) -> dict[str, object]:
    """The MODIFIERS table's values for one study (see the module docstring)."""
    text = f"{title or ''}\n{abstract or ''}"
    low = lowered(text)
    randomized = (
        (low is None or "random" in low)
        and _RANDOMIZED.search(text) is not None
        and not _NOT_RANDOMIZED.found(text, low)
    )
    text_d, weeks = duration(text)
    return {
        "participants": participant_count(text),
        "sex": study_sex(text),
        "pilot": _PILOT.found(text, low),
        "crossover": _CROSSOVER.found(text, low),
        "randomized": randomized,
        "blinding": blinding(text),
        "placebo_controlled": _PLACEBO.found(text, low) and not _NO_PLACEBO.found(text, low),
        "duration": text_d,
        "duration_weeks": weeks,
    }


_DURATION_PARTS = re.compile(
    rf"(?P<n>{NUMBER})(?:\s*-\s*|\s+)(?P<unit>weeks?|wks?|months?|days?|years?)", re.I
)
_UNIT_WORDS = {"wk": "week"}
_BLINDING_WORDS = {
    "triple": "triple-blind",
    "double": "double-blind",
    "single": "single-blind",
    "open-label": "open-label",
}


def duration_words(text: str | None) -> str | None:
    """A stated duration as a reader says it: "8-week" → "8 weeks", "six months" → "6 months"."""
    m = _DURATION_PARTS.search(text or "")
    if m is None:
        return text or None
    n = parse_number(m.group("n"))
    if n is None:
        return text
    unit = m.group("unit").lower().rstrip("s")
    unit = _UNIT_WORDS.get(unit, unit)
    count = f"{n:g}"
    return f"{count} {unit}" + ("" if n == 1 else "s")


def design_summary(
    modifiers: Mapping[str, Any], level: str | None = None, publication_types: Sequence[str] = ()
) -> str:
    """A study's design in a line, as a pharmacist reads it beside the evidence level:
    "RCT, crossover, double-blind, placebo-controlled, 31 women, 10 weeks" or "pilot,
    single-blind, not randomised, 10 women". `level` (a `vocab.LEVELS` key) and the
    publication types name the design where the abstract does not; a review is named as
    one ("meta-analysis"), without a trial's participants or blinding."""
    types = {" ".join(t.lower().split()) for t in publication_types}
    if level == "systematic_review":
        return "meta-analysis" if any("meta-analysis" in t for t in types) else "systematic review"
    parts: list[str] = []
    randomized = bool(modifiers.get("randomized")) or level == "rct"
    if randomized:
        parts.append("pilot RCT" if modifiers.get("pilot") else "RCT")
    elif modifiers.get("pilot"):
        parts.append("pilot")
    if modifiers.get("crossover"):
        parts.append("crossover")
    blind = _BLINDING_WORDS.get(str(modifiers.get("blinding") or ""))
    if blind:
        parts.append(blind)
    if modifiers.get("placebo_controlled"):
        parts.append("placebo-controlled")
    if not randomized and (modifiers.get("pilot") or level == "controlled_trial"):
        parts.append("not randomised")
    n = modifiers.get("participants")
    if n:
        who = {"female": "women", "male": "men"}.get(str(modifiers.get("sex")), "participants")
        parts.append(f"{n} {who}")
    weeks = duration_words(modifiers.get("duration"))
    if weeks:
        parts.append(weeks)
    return ", ".join(parts)
