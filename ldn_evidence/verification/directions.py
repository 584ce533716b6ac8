"""Which way a sentence says an outcome moved, and whether it says there was no effect.

DIRECTION_WORDS — raw direction of a change
  decrease: reduction, reduced, decrease(d), decline(d), fell, drop(ped), lower(ed),
            diminished, relief, relieved, alleviated, attenuated, cut, eased
  increase: increase(d), rise, rose, elevated, raised, higher, boosted, doubled
  improve:  improvement, improved, better, benefit(ed), ameliorated, resolved
  worsen:   worsened, worsening, worse, deteriorated, exacerbated, aggravated, flare(d)

Valence ("better" / "worse") combines a direction with the outcome's polarity
(`outcomes.FIGURE_OUTCOMES`): a decrease in pain is better, an increase in pain is worse,
an increase in beta-endorphin is better.

NO_EFFECT_PATTERNS — the abstract reports no effect (a claim of benefit is contradicted):
  "did not differ (significantly) from placebo", "no (statistically) significant
  difference(s)", "not significantly different / better / improved", "no significant
  effect / change / improvement / reduction / benefit", "did not (significantly) improve /
  reduce / change / decrease", "failed to improve / reduce / show", "no better than
  placebo", "similar to / comparable with placebo", "not statistically significant",
  "did not reach (statistical) significance", "was ineffective", "no evidence of benefit".

SAFETY_SUPPORT / SAFETY_AGAINST — tolerability statements for "no serious side effects".
"""

from __future__ import annotations

import re
from functools import lru_cache

from ldn_evidence.outcomes import HIGHER_IS_BETTER, LOWER_IS_BETTER, polarity

DECREASE, INCREASE, IMPROVE, WORSEN = "decrease", "increase", "improve", "worsen"

DIRECTION_WORDS: dict[str, tuple[str, ...]] = {
    DECREASE: (
        r"reduc(?:tion|tions|ed|es|ing)", r"decreas(?:e|ed|es|ing)", r"declin(?:e|ed|es|ing)",
        r"fell", r"fall(?:s|ing)?", r"drop(?:s|ped)?", r"lower(?:ed|ing)?", r"diminish(?:ed|es)?",
        r"reliev(?:e|ed|es)", r"relief", r"alleviat(?:e|ed|es|ion)", r"attenuat(?:e|ed|ion)",
        r"eas(?:e|ed)", r"cut(?!-)", r"less(?:ened)?\s+(?:severe|intense)",
    ),
    INCREASE: (
        r"increas(?:e|ed|es|ing)", r"ris(?:e|es|ing)", r"rose", r"elevat(?:ed|ion)",
        r"raised", r"higher", r"boost(?:ed|s)?", r"doubled", r"tripled",
    ),
    IMPROVE: (
        r"improv(?:e|ed|es|ing|ement|ements)", r"better", r"benefit(?:ed|s|ted)?",
        r"amelior(?:ated|ation)", r"resolv(?:ed|es)", r"resolution",
    ),
    WORSEN: (
        r"wors(?:e|ened|ening)", r"deteriorat(?:ed|ion)", r"exacerbat(?:ed|ion)",
        r"aggravat(?:ed|ion)", r"flared",
    ),
}  # fmt: skip

_DIRECTION_RES = [
    (d, re.compile(rf"\b(?:{'|'.join(words)})\b", re.IGNORECASE))
    for d, words in DIRECTION_WORDS.items()
]

_NEG = r"(?:not|no|n't|never|without|neither|nor)"
NO_EFFECT_PATTERNS: tuple[str, ...] = (
    r"did\s+not\s+(?:significantly\s+)?differ",
    r"(?:was|were)\s+not\s+(?:significantly\s+|statistically\s+)*(?:different|superior"
    r"|better|improved|reduced|effective|changed)",
    r"no\s+(?:statistically\s+)?significant(?:ly)?\s+(?:differences?|effects?|changes?"
    r"|improvements?|reductions?|benefits?|decreases?|increases?)",
    r"no\s+(?:differences?|effect|benefit|improvement|change)\b",
    r"not\s+(?:statistically\s+)?significant(?:ly)?(?:\s+different)?",
    r"(?:did|does|do)\s+not\s+(?:significantly\s+)?(?:improve|reduce|change|decrease"
    r"|alter|affect|lower|relieve|increase)",
    r"fail(?:ed|s)?\s+to\s+(?:significantly\s+)?(?:improve|reduce|show|demonstrate|decrease"
    r"|change|reach)",
    r"no\s+(?:better|more\s+effective)\s+than",
    r"(?:similar|comparable)\s+(?:to|with)\s+(?:the\s+)?(?:placebo|control|sham)",
    r"did\s+not\s+reach\s+(?:statistical\s+)?significance",
    r"\bineffective\b",
    r"no\s+(?:evidence|sign)\s+of\s+(?:benefit|efficacy|effect|improvement)",
    r"remained\s+(?:unchanged|stable)",
    r"\bunchanged\b",
)
_NO_EFFECT_RE = re.compile("|".join(NO_EFFECT_PATTERNS), re.IGNORECASE)

SAFETY_SUPPORT: tuple[str, ...] = (
    r"well[\s-]+tolerated",
    r"no\s+(?:serious|severe|major|significant)\s+(?:side[\s-]+effects?|adverse)",
    r"no\s+(?:side[\s-]+effects?|adverse\s+(?:events?|effects?|reactions?))",
    r"(?:side[\s-]+effects?|adverse\s+(?:events?|effects?))\s+(?:were|was)\s+"
    r"(?:rare|mild|minor|infrequent|minimal|transient|few)",
    r"(?:mild|minor|few|minimal|transient)\s+(?:side[\s-]+effects?|adverse)",
    r"\bsafe\b",
    r"good\s+(?:safety|tolerability)",
    r"tolerability\s+was\s+(?:good|excellent)",
    r"no\s+(?:significant\s+)?difference\s+in\s+(?:side[\s-]+effects?|adverse)",
    r"without\s+(?:serious\s+)?(?:side[\s-]+effects?|adverse)",
)
SAFETY_AGAINST: tuple[str, ...] = (
    r"(?<!no\s)(?<!without\s)\bserious\s+(?:side[\s-]+effects?|adverse\s+(?:events?|effects?"
    r"|reactions?))\s+(?:occurred|were\s+(?:reported|observed|seen)|led)",
    r"poorly\s+tolerated",
    r"not\s+well[\s-]+tolerated",
    r"\bintolerable\b",
    r"\bunsafe\b",
)
_SAFETY_SUPPORT_RE = re.compile("|".join(SAFETY_SUPPORT), re.IGNORECASE)
_SAFETY_AGAINST_RE = re.compile("|".join(SAFETY_AGAINST), re.IGNORECASE)
# "did not reduce pain" is no effect; "did not worsen pain" is not.
_NEGATABLE = [w for d in (DECREASE, INCREASE, IMPROVE) for w in DIRECTION_WORDS[d]]
_NEGATED_DIRECTION = re.compile(
    rf"\b{_NEG}\s+(?:\w+\s+){{0,2}}?(?:{'|'.join(_NEGATABLE)})\b",
    re.IGNORECASE,
)
_CLAIM_SAFETY = re.compile(
    r"no\s+(?:serious\s+|severe\s+|major\s+|significant\s+)?(?:side[\s-]+effects?|adverse)"
    r"|few\s+(?:side[\s-]+effects?|adverse)|well[\s-]+tolerated|\bsafe(?:ly|ty)?\b"
    r"|mild\s+(?:side[\s-]+effects?|adverse)|without\s+(?:serious\s+)?(?:side|adverse)",
    re.IGNORECASE,
)


@lru_cache(maxsize=4096)
def directions_in(text: str) -> tuple[tuple[int, str], ...]:
    """(offset, direction) for every direction word in `text`, in order (cached)."""
    found = [(m.start(), d) for d, rx in _DIRECTION_RES for m in rx.finditer(text or "")]
    return tuple(sorted(found))


def direction_near(text: str, position: int, window: int = 60) -> str | None:
    """The direction word nearest `position` within `window` characters, if any."""
    best: tuple[int, str] | None = None
    for offset, d in directions_in(text):
        dist = abs(offset - position)
        if dist <= window and (best is None or dist < best[0]):
            best = (dist, d)
    return best[1] if best else None


def valence(direction: str | None, outcome: str | None) -> str | None:
    """ "better" / "worse" for a direction on an outcome; None when it cannot be told."""
    if direction == IMPROVE:
        return "better"
    if direction == WORSEN:
        return "worse"
    pol = polarity(outcome)
    if direction is None or pol is None:
        return None
    if direction == DECREASE:
        return "better" if pol == LOWER_IS_BETTER else "worse"
    if direction == INCREASE:
        return "better" if pol == HIGHER_IS_BETTER else "worse"
    return None


def says_no_effect(text: str) -> re.Match[str] | None:
    """The first no-effect phrase in `text` ("did not differ from placebo", …)."""
    m = _NO_EFFECT_RE.search(text or "")
    if m:
        return m
    return _NEGATED_DIRECTION.search(text or "")


def no_effect_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every no-effect phrase in `text`."""
    spans = [m.span() for m in _NO_EFFECT_RE.finditer(text or "")]
    spans += [m.span() for m in _NEGATED_DIRECTION.finditer(text or "")]
    return sorted(spans)


def safety_support(text: str) -> re.Match[str] | None:
    return _SAFETY_SUPPORT_RE.search(text or "")


def safety_against(text: str) -> re.Match[str] | None:
    return _SAFETY_AGAINST_RE.search(text or "")


def is_safety_claim(text: str) -> bool:
    """A claim that LDN is safe / well tolerated / has no serious side effects."""
    return bool(_CLAIM_SAFETY.search(text or ""))
