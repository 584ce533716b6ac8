"""The outcome vocabulary: one list of the outcomes a claim or a study may speak of, with
the words for each, read by extraction and verification alike.

Each `Outcome` has
- `name` (canonical) and `polarity`: which direction is an improvement (a fall in pain is
  good, a rise in quality of life is good, and a rise in beta-endorphin is what LDN claims
  assert);
- `synonyms`: what a study's sentence calls it (regular expressions, case-insensitive but
  for abbreviations), read by verification (`find_outcomes`, `normalize_outcome`) to tell
  what a figure measures and which way a finding goes;
- `page_names`: what extraction calls a claim's outcome (`PageName.label`, stored in
  `claims.outcome`), the words that mean it on a page, and its tier: when a page's sentence
  names several outcomes, the most specific tier wins (a biomarker before "pain" before
  "symptoms"), and inside a tier the first mentioned (ties to the name listed first).

An outcome a page may name but no figure is read on ("stiffness") has no synonyms and no
polarity; `normalize_outcome` of every page name is its outcome's name, or None for those
(`tests/test_outcomes.py` holds the two in step).

Extend the list here; nothing else in the package hard-codes these words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

LOWER_IS_BETTER = "lower"
HIGHER_IS_BETTER = "higher"

BIOMARKER, CLINICAL, GENERAL = 0, 1, 2
"""A page name's tier, most specific first."""


@dataclass(frozen=True, slots=True)
class PageName:
    label: str
    tier: int
    patterns: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Outcome:
    name: str
    polarity: str | None
    synonyms: tuple[str, ...]
    page_names: tuple[PageName, ...] = ()


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

OUTCOMES: tuple[Outcome, ...] = (
    Outcome("pain", LOWER_IS_BETTER, _PAIN, (PageName("pain", CLINICAL, (r"\bpain\b",)),)),
    Outcome(
        "symptoms",
        LOWER_IS_BETTER,
        _SYMPTOMS,
        (PageName("symptoms", GENERAL, (r"\bsymptoms?\b",)),),
    ),
    Outcome(
        "fatigue",
        LOWER_IS_BETTER,
        (r"fatigue", r"tiredness", r"exhaustion", r"FSS", r"MFIS"),
        (PageName("fatigue", CLINICAL, (r"\bfatigue\b", r"\benergy\s+levels?\b")),),
    ),
    Outcome(
        "mood",
        LOWER_IS_BETTER,
        (r"mood", r"depressi(?:on|ve(?:\s+symptoms)?)", r"anxiety", r"BDI", r"HADS", r"PHQ-?9"),
        (PageName("mood", CLINICAL, (r"\bmood\b",)),),
    ),
    Outcome(
        "sleep",
        HIGHER_IS_BETTER,
        (r"sleep(?:\s+quality)?", r"insomnia", r"PSQI"),
        (PageName("sleep quality", CLINICAL, (r"\bsleep\b",)),),
    ),
    Outcome(
        "quality of life",
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
        (PageName("quality of life", CLINICAL, (r"\bquality\s+of\s+life\b", r"(?-i:\bQoL\b)")),),
    ),
    Outcome(
        "response rate",
        HIGHER_IS_BETTER,
        (r"response(?:\s+rates?)?", r"responders?", r"responded", r"clinical\s+response"),
    ),
    Outcome("remission", HIGHER_IS_BETTER, (r"remission",)),
    Outcome(
        "disease activity",
        LOWER_IS_BETTER,
        (r"disease\s+activity", r"CDAI", r"EDSS", r"flares?", r"relapses?"),
        (
            PageName(
                "disease activity",
                CLINICAL,
                (r"\bdisease\s+activity\b", r"\bremission\b", r"\brelapses?\b"),
            ),
        ),
    ),
    Outcome(
        "inflammation",
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
        (
            PageName(
                "inflammatory markers",
                BIOMARKER,
                (
                    r"\bcytokines?\b",
                    r"\binflammatory\s+markers?\b",
                    r"(?-i:\bCRP\b)",
                    r"\bC[\s-]reactive\s+protein\b",
                ),
            ),
            PageName("inflammation", CLINICAL, (r"\binflammation\b",)),
        ),
    ),
    Outcome("itch", LOWER_IS_BETTER, (r"itch(?:ing|iness)?", r"pruritus")),
    Outcome(
        "side effects",
        LOWER_IS_BETTER,
        (
            r"side[\s-]+effects?",
            r"adverse\s+(?:events?|effects?|reactions?|drug\s+reactions?)",
            r"AEs?",
            r"tolerability",
            r"toxicity",
            r"vivid\s+dreams",
        ),
        (
            PageName(
                "side effects",
                GENERAL,
                (
                    r"\bside[\s-]+effects?\b",
                    r"\badverse\s+(?:events?|effects?|reactions?)\b",
                    r"\bwell[\s-]+tolerated\b",
                    r"\btolerability\b",
                ),
            ),
        ),
    ),
    Outcome(
        "beta-endorphin",
        HIGHER_IS_BETTER,
        (
            r"(?:beta|β|ß)[\s-]*endorphins?",
            r"endorphins?",
            r"OGF",
            r"opioid\s+growth\s+factor",
            r"met-?enkephalin",
        ),
        (
            PageName(
                "beta-endorphin levels",
                BIOMARKER,
                (r"\b(?:beta|β)[\s-]?endorphins?(?:\s+(?:blood\s+)?levels?)?",),
            ),
            # before "endorphins": the longer name wins where both start
            PageName(
                "endorphins and enkephalins", BIOMARKER, (r"\bendorphins?\s+and\s+enkephalins?\b",)
            ),
            PageName("endorphins", BIOMARKER, (r"\bendorphins?\b",)),
        ),
    ),
    # Named on pages only: no figure is read on these.
    Outcome("enkephalins", None, (), (PageName("enkephalins", BIOMARKER, (r"\benkephalins?\b",)),)),
    Outcome(
        "migraine days", None, (), (PageName("migraine days", CLINICAL, (r"\bmigraine\s+days\b",)),)
    ),
    Outcome(
        "migraine frequency",
        None,
        (),
        (PageName("migraine frequency", CLINICAL, (r"\bmigraine\s+(?:frequency|attacks)\b",)),),
    ),
    Outcome("stiffness", None, (), (PageName("stiffness", CLINICAL, (r"\bstiffness\b",)),)),
    Outcome(
        "physical function",
        None,
        (),
        (
            PageName(
                "physical function", CLINICAL, (r"\bphysical\s+function(?:ing)?\b", r"\bmobility\b")
            ),
        ),
    ),
    Outcome(
        "immune function",
        None,
        (),
        (
            PageName(
                "immune function", GENERAL, (r"\bimmune\s+(?:function|system|response|cells?)\b",)
            ),
        ),
    ),
)

FIGURE_OUTCOMES: dict[str, Outcome] = {o.name: o for o in OUTCOMES if o.synonyms}
"""The outcomes a study's figures and findings are read on (those with synonyms), by name."""


def page_name_tiers() -> tuple[tuple[PageName, ...], ...]:
    """Extraction's page names by tier (most specific first), in list order inside each."""
    names = [page for outcome in OUTCOMES for page in outcome.page_names]
    tiers = sorted({page.tier for page in names})
    return tuple(tuple(page for page in names if page.tier == tier) for tier in tiers)


# Abbreviations must match case-sensitively ("AE" but not "ae" inside a word).
_CASE_SENSITIVE = re.compile(r"^[A-Z][A-Z0-9-]*\??$")


def _compile(pattern: str) -> re.Pattern[str]:
    flags = 0 if _CASE_SENSITIVE.match(pattern.replace("?", "")) else re.IGNORECASE
    return re.compile(rf"(?<![\w-]){pattern}(?![\w-])", flags)


_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (o.name, _compile(p)) for o in FIGURE_OUTCOMES.values() for p in o.synonyms
]


_ANY_OUTCOME = re.compile(
    r"(?<![\w-])(?:"
    + "|".join(
        f"(?:{p})" if _CASE_SENSITIVE.match(p.replace("?", "")) else f"(?i:{p})"
        for o in FIGURE_OUTCOMES.values()
        for p in o.synonyms
    )
    + r")(?![\w-])"
)
"""Every pattern of `_PATTERNS` in one (each with its own case rule, the word edges
shared): a text it does not match holds no outcome mention, found in one pass."""


@dataclass(frozen=True, slots=True)
class OutcomeMention:
    outcome: str
    start: int
    end: int
    text: str


@lru_cache(maxsize=4096)
def find_outcomes(text: str) -> tuple[OutcomeMention, ...]:
    """Every outcome mention in `text` (by the synonyms), in order; overlapping mentions keep
    the longest. (Cached: sentences are scanned once however many figures they hold.)"""
    if not _ANY_OUTCOME.search(text or ""):
        return ()
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
    outcome name with synonyms, or None when the vocabulary does not know it."""
    if not text:
        return None
    key = " ".join(text.lower().split())
    if key in FIGURE_OUTCOMES:
        return key
    mentions = find_outcomes(text)
    return mentions[0].outcome if mentions else None


def polarity(outcome: str | None) -> str | None:
    """LOWER_IS_BETTER / HIGHER_IS_BETTER for a canonical outcome (None if unknown)."""
    entry = FIGURE_OUTCOMES.get(outcome or "")
    return entry.polarity if entry else None
