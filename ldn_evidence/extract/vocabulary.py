"""The small vocabulary claims are described with: interventions, conditions, populations,
dose units. One table each: (canonical name, regular expressions that mean it). Outcomes
are named from the one outcome vocabulary, `ldn_evidence.outcomes` (its page names).

Outcomes and POPULATIONS come in tiers: when a sentence names several, the most specific
tier wins (a biomarker before "pain" before "symptoms"; "women" before "patients"), and
inside a tier the first mentioned. For INTERVENTIONS and CONDITIONS the first one
mentioned in the sentence wins; where patterns overlap ("low dose naltrexone" contains
"naltrexone") the earlier start wins, ties go to the entry listed first.

Extend the tables here; nothing else in the package hard-codes these words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ldn_evidence.outcomes import page_name_tiers

LDN = "low-dose naltrexone"
# "naltrexone" alone is low-dose naltrexone on a page about LDN, or at a dose ≤ this (mg).
LDN_MAX_DOSE_MG = 5.0

INTERVENTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (LDN, (r"low[\s-]+dose\s+naltrexone", r"(?-i:\bLDN\b)")),
    ("naltrexone", (r"\bnaltrexone\b",)),
    ("low-dose ketamine", (r"low[\s-]+dose\s+ketamine",)),
    ("ketamine", (r"\bketamine\b",)),
    ("magnesium", (r"\bmagnesium\b",)),
    ("vitamin D", (r"\bvitamin\s+D3?\b", r"\bcholecalciferol\b")),
    ("melatonin", (r"\bmelatonin\b",)),
    ("curcumin", (r"\bcurcumin\b", r"\bturmeric\b")),
    ("omega-3 fatty acids", (r"\bomega[\s-]?3s?\b", r"\bfish\s+oil\b")),
    ("probiotics", (r"\bprobiotics?\b",)),
    ("cannabidiol", (r"\bcannabidiol\b", r"(?-i:\bCBD\b)")),
    ("duloxetine", (r"\bduloxetine\b",)),
    ("pregabalin", (r"\bpregabalin\b",)),
    ("amitriptyline", (r"\bamitriptyline\b",)),
    ("naloxone", (r"\bnaloxone\b",)),
)

CONDITIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("fibromyalgia", (r"\bfibromyalgia\b", r"(?-i:\bFMS?\b)")),
    ("multiple sclerosis", (r"\bmultiple\s+sclerosis\b",)),
    ("Crohn's disease", (r"\bcrohn['’]?s(?:\s+disease)?\b",)),
    ("ulcerative colitis", (r"\bulcerative\s+colitis\b",)),
    ("inflammatory bowel disease", (r"\binflammatory\s+bowel\s+disease\b", r"(?-i:\bIBD\b)")),
    ("irritable bowel syndrome", (r"\birritable\s+bowel\s+syndrome\b", r"(?-i:\bIBS\b)")),
    (
        "complex regional pain syndrome",
        (r"\bcomplex\s+regional\s+pain\s+syndrome\b", r"(?-i:\bCRPS\b)"),
    ),
    (
        "chronic fatigue syndrome",
        (r"\bchronic\s+fatigue\s+syndrome\b", r"(?-i:\bME/CFS\b)", r"(?-i:\bCFS\b)"),
    ),
    ("rheumatoid arthritis", (r"\brheumatoid\s+arthritis\b",)),
    ("osteoarthritis", (r"\bosteoarthritis\b",)),
    ("diabetic neuropathy", (r"\bdiabetic\s+(?:peripheral\s+)?neuropathy\b",)),
    ("Hashimoto's thyroiditis", (r"\bhashimoto['’]?s(?:\s+thyroiditis|\s+disease)?\b",)),
    ("long COVID", (r"\blong[\s-]+covid\b", r"\bpost[\s-]+covid\b")),
    ("autoimmune disease", (r"\bautoimmune\s+(?:diseases?|disorders?|conditions?)\b",)),
    ("HIV/AIDS", (r"(?-i:\bHIV\b)", r"(?-i:\bAIDS\b)")),
    ("cancer", (r"\bcancers?\b",)),
    ("psoriasis", (r"\bpsoriasis\b",)),
    ("lupus", (r"\blupus\b",)),
    ("migraine", (r"\bmigraines?\b",)),
    ("chronic pain", (r"\bchronic\s+pain\b",)),
    ("depression", (r"\bdepression\b", r"\bdepressive\s+disorder\b")),
    ("anxiety", (r"\banxiety\s+disorders?\b",)),
    ("insomnia", (r"\binsomnia\b",)),
    ("autism", (r"\bautism\b", r"(?-i:\bASD\b)")),
    ("Parkinson's disease", (r"\bparkinson['’]?s(?:\s+disease)?\b",)),
    ("alcohol use disorder", (r"\balcohol\s+(?:use\s+disorder|dependence|addiction)\b",)),
    ("opioid use disorder", (r"\bopioid\s+(?:use\s+disorder|dependence|addiction)\b",)),
)

POPULATIONS: tuple[tuple[tuple[str, tuple[str, ...]], ...], ...] = (
    (  # who was studied
        ("normal volunteers", (r"\bnormal\s+volunteers?\b",)),
        ("healthy volunteers", (r"\bhealthy\s+(?:volunteers?|subjects|adults|controls)\b",)),
        ("pregnant women", (r"\bpregnant\s+women\b",)),
        ("older adults", (r"\bolder\s+adults\b", r"\belderly\b", r"\bseniors\b")),
        ("children", (r"\bchildren\b", r"\bpediatric\b", r"\bpaediatric\b", r"\badolescents\b")),
        ("veterans", (r"\bveterans\b",)),
        ("women", (r"\bwomen\b", r"\bfemales?\b")),
        ("men", (r"\bmen\b", r"\bmales?\b")),
        ("adults", (r"\badults\b",)),
    ),
    (  # generic
        ("patients", (r"\bpatients?\b",)),
        ("participants", (r"\bparticipants?\b", r"\bsubjects\b", r"\bvolunteers\b")),
        ("people", (r"\bpeople\b", r"\bindividuals\b", r"\busers\b")),
    ),
)

# Dose: a number and a unit; the unit is normalised (µg/mcg → mcg) and a thousands
# separator dropped ("14,000 IU" → "14000 IU").
DOSE_RE = re.compile(
    r"(?<![\w.,])(?P<amount>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*"
    r"(?P<unit>mg|mcg|µg|μg|g|mL|ml|IU|units?)\b"
    r"(?P<per>\s*/\s*(?:day|d|kg))?",
    re.IGNORECASE,
)
_UNIT_NAMES = {"µg": "mcg", "μg": "mcg", "ml": "mL", "iu": "IU", "unit": "units"}


@dataclass(frozen=True, slots=True)
class Term:
    name: str
    start: int


def _compile(table):
    return tuple(
        (name, re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE))
        for name, patterns in table
    )


_INTERVENTIONS = _compile(INTERVENTIONS)
_CONDITIONS = _compile(CONDITIONS)
_OUTCOMES = tuple(_compile((n.label, n.patterns) for n in tier) for tier in page_name_tiers())
_POPULATIONS = tuple(_compile(tier) for tier in POPULATIONS)


def _mentions(compiled, text: str) -> list[Term]:
    """The first mention of each entry that occurs in `text`, in table order."""
    found = []
    for name, pattern in compiled:
        match = pattern.search(text)
        if match:
            found.append(Term(name, match.start()))
    return found


def interventions_in(text: str) -> list[Term]:
    """Every intervention named in `text`, in order of first mention."""
    return sorted(_mentions(_INTERVENTIONS, text), key=lambda term: term.start)


def conditions_in(text: str) -> list[Term]:
    return sorted(_mentions(_CONDITIONS, text), key=lambda term: term.start)


def _first_by_tier(tiers, text: str) -> str | None:
    for tier in tiers:
        found = _mentions(tier, text)
        if found:
            return min(found, key=lambda term: term.start).name
    return None


def outcome_in(text: str) -> str | None:
    """The outcome a sentence measures: the most specific tier, then the first mentioned."""
    return _first_by_tier(_OUTCOMES, text)


def population_in(text: str) -> str | None:
    return _first_by_tier(_POPULATIONS, text)


def count_mentions(compiled_name: str, text: str) -> dict[str, int]:
    """How often each intervention ("interventions") or condition ("conditions") occurs."""
    compiled = _INTERVENTIONS if compiled_name == "interventions" else _CONDITIONS
    return {name: len(pattern.findall(text)) for name, pattern in compiled}


def dose_in(text: str) -> str | None:
    """The first dose in `text`, normalised: "4.5mg" → "4.5 mg"."""
    match = DOSE_RE.search(text)
    if not match:
        return None
    unit = match["unit"]
    unit = _UNIT_NAMES.get(
        unit.lower(), unit.lower() if unit.lower() in ("mg", "g", "mcg") else unit
    )
    per = "".join(match["per"].split()) if match["per"] else ""
    return f"{match['amount'].replace(',', '')} {unit}{per}"


def dose_mg(dose: str | None) -> float | None:
    if not dose:
        return None
    match = re.match(r"(\d+(?:\.\d+)?) (mg|mcg|g)\b", dose)
    if not match:
        return None
    factor = {"mg": 1.0, "mcg": 0.001, "g": 1000.0}[match[2]]
    return float(match[1]) * factor
