"""What an abstract's sentences say about one outcome, figures aside: it improved, it got
worse, or there was no effect. Aims and hypotheses ("we tested whether LDN reduces
pain") are not findings and are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ldn_evidence.outcomes import find_outcomes
from ldn_evidence.sentences import ABSTRACT, sentence_texts
from ldn_evidence.verification.cues import clause_of
from ldn_evidence.verification.directions import direction_near, no_effect_spans, valence
from ldn_evidence.verification.roles import PLACEBO_WORDS

BETTER, WORSE, NO_EFFECT = "better", "worse", "no_effect"

_NOT_A_FINDING = re.compile(
    r"\b(?:we\s+(?:aimed|sought|hypothesi[sz]ed|tested|investigated|examined|assessed)"
    r"|the\s+(?:aim|objective|purpose|goal)\s+of|to\s+(?:determine|assess|evaluate|"
    r"investigate|examine|test|explore)\s+(?:whether|if|the)|is\s+thought\s+to"
    r"|has\s+been\s+(?:suggested|proposed|hypothesi[sz]ed|reported)"
    r"|previous(?:ly)?\s+(?:studies|reports|trials|work)|prior\s+(?:studies|trials)"
    r"|may\s+(?:reduce|improve|help))\b",
    re.IGNORECASE,
)
_LABEL = re.compile(r"^\s*([A-Z][A-Za-z /&-]{2,40}):\s")
NOT_FINDING_SECTIONS = frozenset(
    {"BACKGROUND", "INTRODUCTION", "OBJECTIVE", "OBJECTIVES", "AIM", "AIMS", "PURPOSE",
     "CONTEXT", "RATIONALE", "HYPOTHESIS", "IMPORTANCE"}
)  # fmt: skip
_BASELINE_ONLY = re.compile(
    r"(?<!from\s)(?<!over\s)(?<!with\s)(?<!to\s)(?<!vs\s)(?<!vs\.\s)\bbaseline\b"
    r"(?!\s+(?:to|and)\b)",
    re.IGNORECASE,
)
OUTCOME_CLAUSE_END = re.compile(
    r"[;,:()]|\b(?:but|whereas|while|however|although|though)\b", re.IGNORECASE
)
"""Where an outcome's clause ends (`cues.clause_of`): every comma and bracket, and fewer
conjunctions than `cues.CLAUSE_END` ("yet", "except", "unlike" do not end it); not "and",
so "fatigue and sleep did not differ" stays one clause."""
_PLACEBO = re.compile(rf"\b(?:{PLACEBO_WORDS})\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Statement:
    sentence: str
    kind: str  # BETTER / WORSE / NO_EFFECT
    versus_placebo: bool  # the sentence compares with placebo / control


def is_finding(sentence: str) -> bool:
    """Not an aim, a hypothesis or a report of earlier work, by its wording."""
    label = _LABEL.match(sentence)
    if label and label.group(1).strip().upper() in NOT_FINDING_SECTIONS:
        return False
    return not _NOT_A_FINDING.search(sentence)


def finding_sentences(abstract: str) -> list[str]:
    """The sentences of `abstract` that report findings: not in a BACKGROUND / OBJECTIVE
    (…) section, and not worded as an aim or hypothesis."""
    out: list[str] = []
    section = ""
    for sentence in sentence_texts(abstract, ABSTRACT):
        label = _LABEL.match(sentence)
        if label:
            section = label.group(1).strip().upper()
        if section not in NOT_FINDING_SECTIONS and is_finding(sentence):
            out.append(sentence)
    return out


def sentence_statement(sentence: str, outcome: str) -> Statement | None:
    """What `sentence` says about `outcome` (None when it says nothing about it)."""
    mentions = find_outcomes(sentence)
    ours = [m for m in mentions if m.outcome == outcome]
    if not ours:
        return None
    vs = bool(_PLACEBO.search(sentence))
    # "no significant difference in baseline pain" is about comparable groups, not an effect
    spans = [] if _BASELINE_ONLY.search(sentence) else no_effect_spans(sentence)
    for start, end in spans:
        lo, hi = clause_of(sentence, start, end, OUTCOME_CLAUSE_END)
        in_clause = [o for o in mentions if lo <= o.start and o.end <= hi]
        if in_clause:
            hit = any(o.outcome == outcome for o in in_clause)
        else:
            hit = min(mentions, key=lambda o: max(o.start - end, start - o.end, 0)) in ours
        if hit:
            return Statement(sentence, NO_EFFECT, vs)
    for mention in ours:
        lo, hi = clause_of(sentence, mention.start, mention.end, OUTCOME_CLAUSE_END)
        direction = direction_near(sentence[lo:hi], mention.start - lo, window=80)
        kind = valence(direction, outcome)
        if kind:
            return Statement(sentence, kind, vs)
    return None


def outcome_statements(abstract: str, outcome: str) -> list[Statement]:
    """Every finding in `abstract` about `outcome`, in order."""
    out = []
    for sentence in finding_sentences(abstract):
        st = sentence_statement(sentence, outcome)
        if st:
            out.append(st)
    return out
