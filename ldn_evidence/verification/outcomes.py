"""What a figure measures: a small vocabulary of outcomes with their synonyms.

OUTCOMES — canonical outcome -> (polarity, synonyms)
====================================================
==================  ==========  =========================================================
outcome             polarity    synonyms (regular expressions, case-insensitive)
==================  ==========  =========================================================
pain                lower       pain (scores, severity, intensity), BPI, VAS pain,
                                hyperalgesia, painful, analgesia
symptoms            lower       symptom(s) (severity, scores), FIQ / FIQR, Fibromyalgia
                                Impact Questionnaire, overall / fibromyalgia symptoms
fatigue             lower       fatigue, tiredness, exhaustion, FSS, MFIS
mood                lower       mood, depression / depressive symptoms, anxiety, BDI,
                                HADS, PHQ-9 (scores: lower is better)
sleep               higher      sleep (quality), insomnia, PSQI
quality of life     higher      quality of life, QoL, HRQoL, SF-36, well-being,
                                satisfaction with life
response rate       higher      response (rate), responder(s), responded, clinical response
remission           higher      remission
disease activity    lower       disease activity, CDAI, EDSS, flares, relapses
inflammation        lower       inflammation, inflammatory markers, cytokines, IL-6, TNF,
                                ESR, erythrocyte sedimentation rate, CRP
itch                lower       itch(ing), pruritus
side effects        lower       side effect(s), adverse event(s) / effect(s) / reaction(s),
                                AEs, tolerability, toxicity, vivid dreams
beta-endorphin      higher      beta-endorphin, β-endorphin, endorphins, OGF, met-enkephalin
==================  ==========  =========================================================

Polarity says which direction is an improvement: a fall in pain is good, a rise in
quality of life is good, and a rise in beta-endorphin is what LDN claims assert.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

LOWER_IS_BETTER = "lower"
HIGHER_IS_BETTER = "higher"

_PAIN = (
    r"pain(?:\s+(?:scores?|severity|intensity|ratings?|levels?))?",
    r"painful",
    r"BPI",
    r"brief pain inventory",
    r"hyperalgesia",
    r"analgesi[ac]",
)
_SYMPTOMS = (
    r"symptoms?(?:\s+(?:severity|scores?|burden))?",
    r"FIQR?",
    r"fibromyalgia impact questionnaire",
)
OUTCOMES: dict[str, tuple[str, tuple[str, ...]]] = {
    "pain": (LOWER_IS_BETTER, _PAIN),
    "symptoms": (LOWER_IS_BETTER, _SYMPTOMS),
    "fatigue": (LOWER_IS_BETTER, (r"fatigue", r"tiredness", r"exhaustion", r"FSS", r"MFIS")),
    "mood": (
        LOWER_IS_BETTER,
        (r"mood", r"depressi(?:on|ve(?:\s+symptoms)?)", r"anxiety", r"BDI", r"HADS", r"PHQ-?9"),
    ),
    "sleep": (HIGHER_IS_BETTER, (r"sleep(?:\s+quality)?", r"insomnia", r"PSQI")),
    "quality of life": (
        HIGHER_IS_BETTER,
        (
            r"(?:health-related\s+)?quality[\s-]+of[\s-]+life",
            r"HR-?QoL",
            r"QoL",
            r"SF-?36",
            r"well-?being",
            r"satisfaction\s+with\s+life",
            r"life\s+satisfaction",
        ),
    ),
    "response rate": (
        HIGHER_IS_BETTER,
        (r"response(?:\s+rates?)?", r"responders?", r"responded", r"clinical\s+response"),
    ),
    "remission": (HIGHER_IS_BETTER, (r"remission",)),
    "disease activity": (
        LOWER_IS_BETTER,
        (r"disease\s+activity", r"CDAI", r"EDSS", r"flares?", r"relapses?"),
    ),
    "inflammation": (
        LOWER_IS_BETTER,
        (
            r"inflammation",
            r"inflammatory\s+markers?",
            r"(?:pro-?inflammatory\s+)?cytokines?",
            r"IL-?6",
            r"TNF(?:-?α|-?alpha)?",
            r"ESR",
            r"erythrocyte\s+sedimentation\s+rate",
            r"CRP",
        ),
    ),
    "itch": (LOWER_IS_BETTER, (r"itch(?:ing|iness)?", r"pruritus")),
    "side effects": (
        LOWER_IS_BETTER,
        (
            r"side[\s-]+effects?",
            r"adverse\s+(?:events?|effects?|reactions?|drug\s+reactions?)",
            r"AEs?",
            r"tolerability",
            r"toxicity",
            r"vivid\s+dreams",
        ),
    ),
    "beta-endorphin": (
        HIGHER_IS_BETTER,
        (
            r"(?:beta|β|ß)[\s-]*endorphins?",
            r"endorphins?",
            r"OGF",
            r"opioid\s+growth\s+factor",
            r"met-?enkephalin",
        ),
    ),
}
"""The one outcome vocabulary; laid out as a table in the module docstring."""

# Abbreviations must match case-sensitively ("AE" but not "ae" inside a word).
_CASE_SENSITIVE = re.compile(r"^[A-Z][A-Z0-9-]*\??$")


def _compile(pattern: str) -> re.Pattern[str]:
    flags = 0 if _CASE_SENSITIVE.match(pattern.replace("?", "")) else re.IGNORECASE
    return re.compile(rf"(?<![\w-]){pattern}(?![\w-])", flags)


_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (name, _compile(p)) for name, (_, pats) in OUTCOMES.items() for p in pats
]


@dataclass(frozen=True, slots=True)
class OutcomeMention:
    outcome: str
    start: int
    end: int
    text: str


@lru_cache(maxsize=4096)
def find_outcomes(text: str) -> tuple[OutcomeMention, ...]:
    """Every outcome mention in `text`, in order; overlapping mentions keep the longest.
    (Cached: sentences are scanned once however many figures they hold.)"""
    found: list[OutcomeMention] = []
    for name, pat in _PATTERNS:
        for m in pat.finditer(text or ""):
            found.append(OutcomeMention(name, m.start(), m.end(), m.group(0)))
    found.sort(key=lambda o: (o.start, -(o.end - o.start)))
    kept: list[OutcomeMention] = []
    for o in found:
        if kept and o.start < kept[-1].end:
            continue
        kept.append(o)
    return tuple(kept)


def normalize_outcome(text: str | None) -> str | None:
    """A claim's outcome ("pain scored", "fibromyalgia symptoms", "FIQ") as a canonical
    outcome name, or None when the vocabulary does not know it."""
    if not text:
        return None
    key = " ".join(text.lower().split())
    if key in OUTCOMES:
        return key
    mentions = find_outcomes(text)
    return mentions[0].outcome if mentions else None


def polarity(outcome: str | None) -> str | None:
    """LOWER_IS_BETTER / HIGHER_IS_BETTER for a canonical outcome (None if unknown)."""
    entry = OUTCOMES.get(outcome or "")
    return entry[0] if entry else None
