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

from ldn_evidence.verification.number_scan import contains_any, finditer_numbers
from ldn_evidence.verification.numbers import NUMBER, parse_number
from ldn_evidence.verification.population import participant_count, study_sex

_PILOT = re.compile(r"\b(?:pilot|feasibility)\b", re.I)
_CROSSOVER = re.compile(r"\bcross[\s-]?over\b", re.I)
_NOT_RANDOMIZED = re.compile(
    r"\b(?:non-?|not\s+|un)randomi[sz]ed\b|\b(?:without|no)\s+randomi[sz]ation\b"
    r"|\bnot\s+randomly\b",
    re.I,
)
# "Mendelian randomisation" is genetic epidemiology, not a randomised trial.
_RANDOMIZED = re.compile(
    r"(?<!mendelian\s)\brandomi[sz](?:ed|ation)\b|\brandomly\s+(?:assigned|allocated)\b", re.I
)
_BLINDING: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("triple", re.compile(r"\btriple[\s-]+(?:blind|mask)", re.I)),
    ("double", re.compile(r"\bdouble[\s-]+(?:blind|mask|dummy)", re.I)),
    (
        "single",
        re.compile(
            r"\b(?:single|observer|assessor|rater|investigator)[\s-]+"
            r"(?:blind|mask)",
            re.I,
        ),
    ),  # fmt: skip
    ("open-label", re.compile(r"\bopen[\s-]+label\b|\bunblinded\b|\bnon-?blinded\b", re.I)),
)
_PLACEBO = re.compile(r"\b(?:placebo|sham)\b", re.I)
_NO_PLACEBO = re.compile(r"\b(?:without|no)\s+(?:a\s+)?(?:placebo|sham)\b", re.I)
_DURATION = re.compile(
    rf"(?P<n>{NUMBER})(?:\s*-\s*|\s+)(?P<unit>weeks?|wks?|months?|days?|years?)\b", re.I
)
_WEEKS = {"day": 1 / 7, "week": 1.0, "wk": 1.0, "month": 52 / 12, "year": 52.0}
_UNIT_STEMS = tuple(_WEEKS)  # every _DURATION match holds one
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
    for name, rx in _BLINDING:
        if contains_any(text, _BLINDING_STEMS[name]) and rx.search(text):
            return name
    return None


def duration(text: str) -> tuple[str | None, float | None]:
    """The longest study period stated ("12 weeks", "8-week") and its length in weeks."""
    best: tuple[float, str] | None = None
    if not contains_any(text, _UNIT_STEMS):
        return None, None
    for m in finditer_numbers(_DURATION, text):
        if _NOT_STUDY_DURATION.search(text[max(0, m.start() - 30) : m.start()]):
            continue
        after = text[m.end() : m.end() + 10]
        if re.match(r"\s*(?:old|of\s+age|or\s+older|and\s+older)\b", after, re.I):
            continue
        n = parse_number(m.group("n"))
        unit = m.group("unit").lower().rstrip("s")
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
    randomized = (
        contains_any(text, ("random",))
        and bool(_RANDOMIZED.search(text))
        and not _NOT_RANDOMIZED.search(text)
    )
    text_d, weeks = duration(text)
    placebo = contains_any(text, ("placebo", "sham")) and bool(_PLACEBO.search(text))
    return {
        "participants": participant_count(text),
        "sex": study_sex(text),
        "pilot": contains_any(text, ("pilot", "feasibility")) and bool(_PILOT.search(text)),
        "crossover": contains_any(text, ("cross",)) and bool(_CROSSOVER.search(text)),
        "randomized": randomized,
        "blinding": blinding(text),
        "placebo_controlled": placebo and not _NO_PLACEBO.search(text),
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
