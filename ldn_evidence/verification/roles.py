"""What kind of result a figure in an abstract is, and which arm it belongs to.

ROLES
=====
change_from_baseline  an arm's own reduction / improvement ("pain fell by 28.8% with LDN")
vs_placebo            a difference against placebo / control ("a 30% greater reduction
                      than placebo", "…reduction of symptoms over placebo")
arm_value             one arm's value reported beside the other arm's ("LDN: 28.8% vs
                      placebo: 18.0%"); `arm` says which ("drug" / "placebo")
responder_rate        a share of people ("57% of participants responded", "18 of 31
                      women had a ≥30% reduction")
other                 not an outcome figure: confidence levels and intervals, p-values,
                      thresholds ("defined as a ≥30% reduction"), baseline characteristics,
                      percent women, completion / adherence / power
"""

from __future__ import annotations

import re
from functools import lru_cache

CHANGE_FROM_BASELINE = "change_from_baseline"
VS_PLACEBO = "vs_placebo"
ARM_VALUE = "arm_value"
RESPONDER_RATE = "responder_rate"
OTHER = "other"
ROLES = (CHANGE_FROM_BASELINE, VS_PLACEBO, ARM_VALUE, RESPONDER_RATE, OTHER)

DRUG, PLACEBO = "drug", "placebo"

PLACEBO_WORDS = r"placebo|sham|controls?|usual\s+care|untreated|waitlist|wait-list"
DRUG_WORDS = (
    r"LDN|naltrexone|active\s+(?:drug|treatment|arm|phase|condition|group)|verum|drug"
    r"|treatment\s+(?:arm|group|phase)|intervention(?:\s+(?:arm|group|phase))?"
)
PEOPLE = (
    r"participants|patients|subjects|women|men|people|persons|individuals|responders"
    r"|children|adults|volunteers|cases|those|them|users|completers|respondents"
)

_PLACEBO_RE = re.compile(rf"\b(?:{PLACEBO_WORDS})\b", re.IGNORECASE)
_SEPARATORS = re.compile(
    r"\bvs\.?|\bversus\b|\bcompared\s+(?:with|to)\b|\bthan\b|\band\b|\bwhereas\b|\bwhile\b"
    r"|\bbut\b|[;,()\[\]:]",
    re.IGNORECASE,
)
_CI_BEFORE = re.compile(
    r"(?:\bCI\b|confidence\s+intervals?|credible\s+intervals?|\bIQR\b|\brange\b)[^);\]]*$",
    re.IGNORECASE,
)
_CI_AFTER = re.compile(r"\s*(?:CI\b|confidence|credible|prediction|power\b)", re.IGNORECASE)
_P_BEFORE = re.compile(r"\bp\s*(?:[<=>≤≥]|values?)\s*$", re.IGNORECASE)
_STAT_WORDS = re.compile(
    r"\b(?:power|sensitivity|specificity|accuracy|adheren\w+|complian\w+|retention|"
    r"complet(?:ed|ion)|dropp?ed\s+out|drop-?outs?|withdr[ae]w\w*|attrition|follow-up\s+rate|"
    r"response\s+rate\s+to\s+the\s+(?:survey|questionnaire)|prevalence|recruit\w*|"
    r"screen\w*|eligib\w+)\b",
    re.IGNORECASE,
)
_DEMOGRAPHIC_AFTER = re.compile(
    rf"\s*(?:of\s+(?:the\s+)?(?:{PEOPLE}|sample|cohort)\s+)?(?:were\s+|was\s+)?"
    r"(?:women|female|males?|men|white|caucasian|black|smokers?|married|employed"
    r"|postmenopausal|obese|aged|over\s+the\s+age)\b",
    re.IGNORECASE,
)
_DEMOGRAPHIC_SENTENCE = re.compile(
    r"\b(?:mean\s+age|median\s+age|aged\s+\d|BMI|body\s+mass|disease\s+duration|ethnicity)\b"
    r"|(?<!from\s)(?<!to\s)(?<!over\s)(?<!with\s)\bbaseline\b(?!\s+(?:to|and))",
    re.IGNORECASE,
)
_CHANGE_FROM_BASELINE = re.compile(
    r"(?:from|relative\s+to|compared\s+(?:with|to)|over|vs\.?|versus)\s+baseline",
    re.IGNORECASE,
)
_RESPONDER_AFTER = re.compile(
    rf"\s*(?:\(\s*\d+\s*/\s*\d+\s*\)\s*)?of\s+(?:the\s+|all\s+|these\s+)?(?:\d+\s+)?"
    rf"(?:[A-Za-z][\w-]*\s+){{0,4}}?(?:{PEOPLE}|(?:[\w-]+\s+)?(?:groups?|arms?))\b"
    r"|\s*(?:were\s+)?(?:responders?|responded|remitted|achieved|reported|experienced)\b",
    re.IGNORECASE,
)
_RESPONDER_BEFORE = re.compile(
    r"(?:response\s+rates?|responder\s+rates?|remission\s+rates?|proportion\s+of\s+\w+"
    r"|percentage\s+of\s+\w+|rates?)\s*(?:was|were|of|:|=)?\s*(?:\w+\s+){0,2}$",
    re.IGNORECASE,
)
_PROPORTION = re.compile(
    rf"\b(?:proportion|percentage|number|share)\s+of\s+(?:{PEOPLE})\b"
    r"|\b(?:response|responder|remission)\s+rates?\b",
    re.IGNORECASE,
)
_THRESHOLD_CONTEXT = re.compile(
    r"\b(?:defined|definition|criteri(?:on|a)|threshold|cut-?off|responders?|responded"
    r"|proportion|percentage\s+of|achiev\w+|reported|experienced"
    r"|who\s+(?:had|reported|experienced|showed))\b",
    re.IGNORECASE,
)
_CHANGE_NOUN = r"(?:reduction|improvement|decrease|drop|fall|decline|relief|change|increase)"
_THRESHOLD_AFTER = re.compile(
    rf"\s*(?:or\s+(?:more|greater)\s+)?(?:[A-Za-z][\w-]*\s+){{0,2}}?{_CHANGE_NOUN}",
    re.IGNORECASE,
)
_THRESHOLD_BEFORE = re.compile(rf"{_CHANGE_NOUN}s?\s+(?:of\s+|by\s+)?$", re.IGNORECASE)
_VS_PLACEBO_AFTER = re.compile(
    rf"^[^;]{{0,80}}?\b(?:over|than|relative\s+to|versus|vs\.?|compared\s+(?:with|to)"
    rf"|beyond|above)\s+(?:(?:that\s+)?(?:of|with|on|during|in|for)\s+)?(?:the\s+)?"
    rf"(?:{PLACEBO_WORDS})\b",
    re.IGNORECASE,
)
_VS_PLACEBO_ANY = re.compile(
    rf"\b(?:placebo-adjusted|between-group|between\s+groups|difference\s+(?:of|was)"
    rf"|(?:over|than|relative\s+to|versus|vs\.?|compared\s+(?:with|to))\s+(?:the\s+)?"
    rf"(?:{PLACEBO_WORDS}))\b",
    re.IGNORECASE,
)


def segment_bounds(sentence: str, start: int, end: int) -> tuple[int, int]:
    """The clause around [start, end): between the nearest separators ("vs", "and", ",")."""
    lo, hi = 0, len(sentence)
    for s, e in _separators(sentence):
        if e <= start:
            lo = e
        elif s >= end:
            hi = s
            break
    return lo, hi


@lru_cache(maxsize=4096)
def _separators(sentence: str) -> tuple[tuple[int, int], ...]:
    return tuple(m.span() for m in _SEPARATORS.finditer(sentence))


def arm_in(text: str, drug_words: re.Pattern[str]) -> str | None:
    """ "placebo" / "drug" when `text` names one arm only (placebo wins a tie)."""
    if _PLACEBO_RE.search(text):
        return PLACEBO
    if drug_words.search(text):
        return DRUG
    return None


def drug_pattern(intervention: str | None = None) -> re.Pattern[str]:
    """The drug-arm words, plus the claim's intervention ("naltrexone", "LDN") if given."""
    extra = ""
    if intervention:
        words = [re.escape(w) for w in re.findall(r"[A-Za-z][\w-]{2,}", intervention)]
        words = [w for w in words if w.lower() not in ("low", "dose", "low-dose", "the")]
        if words:
            extra = "|" + "|".join(words)
    return re.compile(rf"\b(?:{DRUG_WORDS}{extra})\b", re.IGNORECASE)


def respectively_arms(sentence: str, drug_words: re.Pattern[str]) -> list[str]:
    """For "…45% and 20% in the LDN and placebo groups, respectively": [drug, placebo]."""
    if not re.search(r"\brespectively\b", sentence, re.IGNORECASE):
        return []
    arms: list[tuple[int, str]] = []
    arms += [(m.start(), PLACEBO) for m in _PLACEBO_RE.finditer(sentence)]
    arms += [(m.start(), DRUG) for m in drug_words.finditer(sentence)]
    return [a for _, a in sorted(arms)]


def classify(
    sentence: str,
    start: int,
    end: int,
    *,
    figure_spans: list[tuple[int, int]],
    qualifier: str = "exact",
    proportion: bool = False,
    has_outcome: bool = False,
    has_direction: bool = False,
    drug_words: re.Pattern[str] | None = None,
) -> tuple[str, str | None]:
    """(role, arm) of the figure at sentence[start:end]; see ROLES."""
    drug_words = drug_words or drug_pattern()
    before, after = sentence[:start], sentence[end:]
    seg_lo, seg_hi = segment_bounds(sentence, start, end)
    arm = arm_in(sentence[seg_lo:seg_hi], drug_words)

    if _is_statistic(before, after):
        return OTHER, None
    if _DEMOGRAPHIC_AFTER.match(after) or (
        _DEMOGRAPHIC_SENTENCE.search(sentence) and not has_direction
    ):
        return OTHER, None
    if _STAT_WORDS.search(sentence[max(0, start - 60) : end + 60]) and not has_direction:
        return OTHER, None
    if (
        qualifier in ("at least", "over")
        and (_THRESHOLD_AFTER.match(after) or _THRESHOLD_BEFORE.search(before))
        and _THRESHOLD_CONTEXT.search(sentence)
        and len(figure_spans) > 1
    ):
        return OTHER, None

    arms = respectively_arms(sentence, drug_words)
    ordered = sorted(figure_spans)
    if len(arms) == len(ordered) and (start, end) in ordered:
        arm = arms[ordered.index((start, end))]

    if proportion or _RESPONDER_AFTER.match(after) or _RESPONDER_BEFORE.search(before):
        if has_outcome or has_direction or re.search(r"respon|remi", sentence, re.I):
            return RESPONDER_RATE, arm
        return OTHER, None

    if not (has_outcome or has_direction):
        return OTHER, None

    others = [s for s in figure_spans if s != (start, end)]
    if _VS_PLACEBO_AFTER.match(after) and not _other_figure_between(others, end, sentence):
        if arm != PLACEBO:
            return VS_PLACEBO, None
    if (
        not others
        and _VS_PLACEBO_ANY.search(sentence)
        and not _CHANGE_FROM_BASELINE.search(sentence)
    ):
        return VS_PLACEBO, None
    if others and _PLACEBO_RE.search(sentence):
        if arm is None:
            arm = _default_arm(sentence, start, figure_spans, drug_words)
        return (RESPONDER_RATE if _PROPORTION.search(sentence) else ARM_VALUE), arm
    if arm is None and drug_words.search(sentence) and not _PLACEBO_RE.search(sentence):
        arm = DRUG
    return CHANGE_FROM_BASELINE, arm


def _is_statistic(before: str, after: str) -> bool:
    if _CI_AFTER.match(after) or _P_BEFORE.search(before):
        return True
    return bool(_CI_BEFORE.search(before[-80:]))


def _other_figure_between(others: list[tuple[int, int]], end: int, sentence: str) -> bool:
    """Whether another figure sits between this one and "placebo", or right after it
    ("LDN: 28.8% vs placebo: 18.0%" — the placebo arm's own figure)."""
    m = _VS_PLACEBO_AFTER.match(sentence[end:])
    stop = end + (m.end() if m else 0)
    return any(end <= s < stop + 25 for s, _ in others)


def _default_arm(
    sentence: str, start: int, spans: list[tuple[int, int]], drug_words: re.Pattern[str]
) -> str | None:
    """First figure of a comparison is the drug arm, the next the placebo arm — but only
    when the sentence names both."""
    if not (drug_words.search(sentence) and _PLACEBO_RE.search(sentence)):
        return None
    first = min(s for s, _ in spans)
    return DRUG if start == first else PLACEBO
