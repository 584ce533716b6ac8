"""What a sentence does with the relation it states: negates it, hedges it, says there was no
effect, or gives it a direction — each with the span (scope) it applies to.

NEGATION — a negated predicate, not a negated noun: "did not reduce", "is not associated
  with", "cannot", "failed to", "has no effect on", "is independent of", "unrelated to".
  "patients without diabetes" and "12% had no symptoms" negate a noun: not a negation of
  the finding. The scope runs from the cue to the end of its clause (a comma, semicolon,
  "but", "whereas", "although" … ends it).
NO_EFFECT — a study's finding of no effect: "no significant difference", "did not differ",
  "was similar in both groups", "not statistically significant", "no association".
HEDGE — "strong": the sentence says the finding is not established ("it is unclear
  whether", "we cannot say whether", "there is no evidence/indication that", "remains to
  be determined", "insufficient evidence"); "weak": it only suggests it ("may", "might",
  "could", "suggests", "possibly", "potential").
DIRECTION — "up" (increase, higher, more, enhance, induce, activate …), "down" (reduce,
  lower, fewer, inhibit, suppress, impair, prevent …), with the token position, so a
  direction is tied to the words near it.
COMPARISON — "A is more effective than B", "A outperformed B", "B was inferior to A":
  which side is favoured.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

UP, DOWN = "up", "down"

_AUX = (
    r"(?:is|are|was|were|be|been|being|do|does|did|has|have|had|can|could|will|would|should"
    r"|may|might|must)"
)
NEGATION = re.compile(
    rf"\b{_AUX}\s+(?:also\s+|still\s+|therefore\s+)?not\b(?!\s+only\b)(?!\s+necessarily\b)"
    r"|\b(?:isn't|aren't|wasn't|weren't|doesn't|don't|didn't|hasn't|haven't|hadn't|can't"
    r"|cannot|couldn't|won't|wouldn't|shouldn't|mustn't|never)\b"
    r"|\bnot\s+(?:been\s+)?(?:associated|related|linked|correlated|significant\w*|different"
    r"|effective|beneficial|improved|reduced|increased|changed|affected|altered|superior"
    r"|better|worse|required|necessary|sufficient|due|caused|responsible|involved)\b"
    r"|\b(?:fail(?:s|ed)?|unable)\s+to\b|\b(?:incapable|devoid)\s+of\b"
    r"|\bno\s+(?:\w+\s+){0,2}?(?:effects?|impacts?|influence|benefits?|associations?|links?"
    r"|relationships?|relations?|connections?|correlations?|differences?|changes?|role|increases?|decreases?"
    r"|reductions?|improvements?|advantage|evidence|indication|sign|protection|efficacy"
    r"|difference)\b"
    r"|\b(?:independent(?:ly)?\s+of|unrelated\s+to|irrespective\s+of|regardless\s+of)\b"
    r"|\bneither\b|\bnor\b|\black(?:s|ed)?\s+(?:of\s+)?(?:effect|efficacy|benefit|evidence"
    r"|association)|\bin\s+the\s+absence\s+of\s+(?:any\s+)?(?:effect|benefit|association)",
    re.IGNORECASE,
)
# "independent of" in a finding usually qualifies an association ("associated with X
# independent of age"); it negates only as the main predicate ("was independent of").
_QUALIFYING_INDEPENDENT = re.compile(
    r"\b(?:independent(?:ly)?\s+of|irrespective\s+of|regardless\s+of)\b", re.IGNORECASE
)
_PREDICATE_INDEPENDENT = re.compile(
    r"\b(?:is|are|was|were|be|remained|appears?|seems?)\s+(?:\w+\s+)?"
    r"(?:independent\s+of|unrelated\s+to)\b",
    re.IGNORECASE,
)
NO_EFFECT = re.compile(
    r"\bno\s+(?:statistically\s+|clinically\s+)?(?:significant(?:ly)?\s+|meaningful\s+"
    r"|major\s+|substantial\s+|relevant\s+|apparent\s+|measurable\s+|detectable\s+|clear\s+)*"
    r"(?:differences?|effects?|changes?|associations?|correlations?|relationships?"
    r"|improvements?|reductions?|increases?|decreases?|benefits?|impact|influence|link)"
    r"|\b(?:did|does|do)\s+not\s+(?:significantly\s+)?(?:differ|change|affect|alter|improve"
    r"|reduce|increase|decrease|influence|impact|predict|correlate|modify|lower|raise)"
    r"|\bnot\s+(?:statistically\s+)?significant(?:ly)?\b|\bnon-?significant(?:ly)?\b"
    r"|\b(?:was|were|is|are)\s+(?:\w+\s+)?(?:similar|comparable|unchanged|unaffected"
    r"|unaltered|equivalent|not\s+different)\b|\bremained\s+(?:unchanged|stable|similar)\b"
    r"|\bfail(?:ed|s)?\s+to\s+(?:\w+\s+)?(?:improve|reduce|show|demonstrate|detect|find"
    r"|reach|prevent|affect|change|increase|decrease|alter)"
    r"|\bno\s+(?:better|more\s+effective|worse)\s+than\b|\bineffective\b"
    r"|\b(?:little|minimal|negligible|no\s+appreciable)\s+(?:or\s+no\s+)?(?:effect|benefit"
    r"|impact|influence|change|difference)s?\b"
    r"|\bdid\s+not\s+reach\s+(?:statistical\s+)?significance",
    re.IGNORECASE,
)
STRONG_HEDGE = re.compile(
    r"(?<!previously\s)\b(?:it\s+is\s+|remains?\s+|still\s+)?(?:unclear|unknown|uncertain|controversial"
    r"|inconclusive|not\s+(?:yet\s+)?(?:known|clear|established|certain))\b"
    r"|\b(?:cannot|can't|could\s+not|can\s+not)\s+(?:say|tell|conclude|determine|confirm"
    r"|establish|rule\s+out|be\s+(?:concluded|determined|confirmed))"
    r"|\bno\s+(?:\w+\s+){0,2}?(?:evidence|indication|proof|data)\s+(?:that|of|for|to)\b"
    r"|\b(?:insufficient|limited|weak|little|scarce|lacking|inadequate)\s+(?:\w+\s+)?"
    r"(?:evidence|data)\b"
    r"|\bremains?\s+to\s+be\s+(?:determined|established|shown|seen|confirmed|elucidated)"
    r"|\b(?:further|more|additional)\s+(?:\w+\s+){0,2}?(?:studies|research|trials|work|data)"
    r"\s+(?:is|are)\s+(?:needed|required|warranted)"
    r"|\bwe\s+(?:investigated|examined|tested|asked|assessed|studied|explored)\s+whether",
    re.IGNORECASE,
)
WEAK_HEDGE = re.compile(
    r"\b(?:may|might|could|possibly|possible|potential(?:ly)?|perhaps|suggests?|suggested"
    r"|suggesting|suggestive|appears?\s+to|seems?\s+to|likely|presumably|putative(?:ly)?"
    r"|hypothesi[sz]e[ds]?|speculate[ds]?|promising)\b",
    re.IGNORECASE,
)
CLAUSE_END = re.compile(
    r"[;:]|,\s|\s[-–—]\s|\((?!\s*\d)|\b(?:but|whereas|while|although|though|however|yet"
    r"|except|unlike)\b",
    re.IGNORECASE,
)
"""Where a cue's clause ends: a semicolon, colon, comma, dash, an opening bracket (not one
before a number: "(95% CI …"), or a contrasting conjunction ("but", "whereas" …); not
"and", so "fatigue and sleep did not differ" stays one clause."""

_UP_WORDS = (
    r"increas\w*|higher|elevat\w*|rais(?:e|ed|es|ing)|ris(?:e|es|ing)|rose|more|greater"
    r"|enhanc\w*|promot\w*|up-?regulat\w*|induc(?:e|es|ed|ing|tion)|activat\w*|stimulat\w*"
    r"|augment\w*|boost\w*|accelerat\w*|gains?|gained|positive(?:ly)?|longer|larger|exceed\w*"
    r"|amplif\w*|potentiat\w*|doubl\w*|tripl\w*|excess|greatest|highest|most|facilitat\w*"
    r"|lengthen\w*"
    r"|overexpress\w*|strengthen\w*|expand\w*|expansion|prolong\w*|upward"
    r"|wors(?:e|en|ened|ening|ens)|deteriorat\w*|exacerbat\w*|aggravat\w*|flared?"
)  # a symptom that worsens goes up
_DOWN_WORDS = (
    r"decreas\w*|reduc\w*|lower(?:ed|ing|s)?|declin\w*|fell|fall(?:s|ing)?|drop\w*|diminish\w*"
    r"|less|fewer|smaller|shorter|suppress\w*|inhibit\w*|down-?regulat\w*|attenuat\w*|impair\w*"
    r"|block\w*|prevent\w*|loss|los(?:e|es|ing)|lost|negative(?:ly)?|slow\w*|delay\w*|deplet\w*"
    r"|abolish\w*|abrogat\w*|alleviat\w*|relie(?:f|ve|ved|ves)|protect\w*|weaken\w*"
    r"|shorten\w*"
    r"|lowest|least|cut|cuts|decay\w*|shrink\w*|limit(?:s|ed|ing)?|restrict\w*|defect\w*"
    r"|deficien\w*|downward|blunt\w*|dampen\w*|eliminat\w*|halv\w*|mitigat\w*|minimi[sz]\w*"
)
_UP = re.compile(rf"^(?:{_UP_WORDS})$")
_DOWN = re.compile(rf"^(?:{_DOWN_WORDS})$")
_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9'-]*|\d+(?:[.,·]\d+)?")


@lru_cache(maxsize=100_000)
def word_direction(word: str) -> str | None:
    """ "up", "down" or None for one lower-case word."""
    if _UP.match(word):
        return UP
    if _DOWN.match(word):
        return DOWN
    return None


def opposite(direction: str) -> str:
    return DOWN if direction == UP else UP


@dataclass(frozen=True, slots=True)
class Token:
    text: str  # lower case
    start: int
    end: int


def tokens(sentence: str) -> list[Token]:
    return [Token(m.group(0).lower(), m.start(), m.end()) for m in _TOKEN.finditer(sentence)]


def clause_of(
    sentence: str, start: int, end: int, ends: re.Pattern[str] = CLAUSE_END
) -> tuple[int, int]:
    """The clause around [start, end): between the nearest matches of `ends` before and
    after it (`CLAUSE_END` unless told; `statements.OUTCOME_CLAUSE_END` cuts at every
    comma and bracket)."""
    lo, hi = 0, len(sentence)
    for m in ends.finditer(sentence):
        if m.end() <= start:
            lo = m.end()
        elif m.start() >= end:
            hi = m.start()
            break
    return lo, hi


# A word every match of NEGATION / NO_EFFECT holds (lower case; "no" is in "not", "nor",
# "cannot", "non-significant"): ASCII text with none of them is not searched.
_NEGATION_WORDS = (
    "no", "n't", "never", "fail", "unable", "incapable", "devoid", "independent",
    "unrelated", "irrespective", "regardless", "neither", "lack", "absence",
)  # fmt: skip
_NO_EFFECT_WORDS = (
    "no", "similar", "comparable", "unchanged", "unaffected", "unaltered", "equivalent",
    "remained", "fail", "ineffective", "little", "minimal", "negligible",
)  # fmt: skip


def _may_hold(sentence: str, needed: tuple[str, ...]) -> bool:
    """False when `sentence` is ASCII and holds none of `needed` (lower case): a pattern
    each of whose matches holds one cannot match it. Non-ASCII text may: IGNORECASE also
    folds a few letters (the dotless ı, the long ſ) that lower() keeps."""
    if not sentence.isascii():
        return True
    lowered = sentence.lower()
    for w in needed:  # a loop, not any(): it runs on every sentence checked
        if w in lowered:
            return True
    return False


def negations(sentence: str, *, claim: bool = False) -> list[tuple[int, int]]:
    """Spans (cue start, clause end) of the predicate negations in `sentence`.

    In a finding, "independent of" / "regardless of" qualifies an association unless it is
    the predicate itself; in a claim it negates ("… is independent of genetics")."""
    spans: list[tuple[int, int]] = []
    if not _may_hold(sentence, _NEGATION_WORDS):
        return spans
    for m in NEGATION.finditer(sentence):
        if (
            not claim
            and _QUALIFYING_INDEPENDENT.fullmatch(m.group(0))
            and not _PREDICATE_INDEPENDENT.search(sentence, max(0, m.start() - 30), m.end())
        ):
            continue
        # the negation reaches back over its own clause's subject ("X did not reduce Y")
        spans.append(clause_of(sentence, m.start(), m.end()))
    return spans


def no_effect_spans(sentence: str) -> list[tuple[int, int]]:
    """Clauses of `sentence` that report no effect / no difference."""
    if not _may_hold(sentence, _NO_EFFECT_WORDS):
        return []
    return [clause_of(sentence, m.start(), m.end()) for m in NO_EFFECT.finditer(sentence)]


# A word every match of STRONG_HEDGE / WEAK_HEDGE holds (lower case): ASCII text with
# none of them cannot match, and is not searched. (Only ASCII: IGNORECASE also folds a few
# other letters, such as the dotless ı and the long ſ, that lower() keeps.)
_STRONG_HEDGE_WORDS = (
    "unclear", "unknown", "uncertain", "controversial", "inconclusive", "not", "can",
    "could", "evidence", "indication", "proof", "data", "remain", "needed", "required",
    "warranted", "whether",
)  # fmt: skip
_WEAK_HEDGE_WORDS = (
    "may", "might", "could", "possib", "potential", "perhaps", "suggest", "appear", "seem",
    "likely", "presumably", "putative", "hypothesi", "speculate", "promising",
)  # fmt: skip


@lru_cache(maxsize=20_000)
def hedge(sentence: str) -> str | None:
    """ "strong" (not established), "weak" (suggested) or None."""
    if _may_hold(sentence, _STRONG_HEDGE_WORDS) and STRONG_HEDGE.search(sentence):
        return "strong"
    if _may_hold(sentence, _WEAK_HEDGE_WORDS) and WEAK_HEDGE.search(sentence):
        return "weak"
    return None


def directions(sentence: str) -> list[tuple[str, int]]:
    """(direction, character offset) of each direction word in `sentence`."""
    out = []
    for m in _TOKEN.finditer(sentence):  # `tokens`, without a Token for each
        d = word_direction(m.group(0).lower())
        if d:
            out.append((d, m.start()))
    return out


_COMPARATIVE = re.compile(
    r"\b(?P<pos>more\s+(?:effective|efficacious|beneficial|potent|successful|useful|likely)"
    r"|better|superior\s+to|outperform\w*|greater\s+(?:benefit|efficacy|effect|improvement"
    r"|reduction)|more\s+(?:improvement|benefit|reduction))"
    r"|\b(?P<neg>less\s+(?:effective|efficacious|beneficial|potent|successful|useful|likely)"
    r"|worse|inferior\s+to|underperform\w*|smaller\s+(?:benefit|effect|improvement))",
    re.IGNORECASE,
)
_VERSUS = re.compile(
    r"\b(?:than|compared\s+(?:with|to)|versus|vs\.?|relative\s+to|over|to)\b", re.IGNORECASE
)


_ARM_END = re.compile(
    r"\b(?:for|in|at|among|on|during|after|regarding|when|across|by|with\s+(?:regard|respect))\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Comparison:
    favoured: str  # the text of the side said to do better
    other: str  # the text of the side it is compared with


def comparison(sentence: str) -> Comparison | None:
    """Which side a comparative sentence favours: "A is more effective than B" -> (A, B);
    "A was inferior to B" -> (B, A). None when the sentence compares nothing."""
    m = _COMPARATIVE.search(sentence)
    if not m:
        return None
    if m.group(0).lower().endswith((" to", "outperformed", "outperforms", "outperform")):
        right_start = m.end()  # "superior to B", "outperformed B"
    else:
        vs = _VERSUS.search(sentence, m.end())
        if not vs:
            return None
        right_start = vs.end()
    lo, _ = clause_of(sentence, m.start(), m.end())
    left = sentence[lo : m.start()]
    right_end = clause_of(sentence, right_start, right_start)[1]
    right = sentence[right_start:right_end]
    cut = _ARM_END.search(right)
    if cut and cut.start() > 0:
        right = right[: cut.start()]  # "B for knee function": the arm is B
    if not left.strip() or not right.strip():
        return None
    if m.group("neg"):
        return Comparison(favoured=right, other=left)
    return Comparison(favoured=left, other=right)


# Words that say the opposite of each other without being a change up or down.
ANTONYMS: tuple[tuple[str, str], ...] = (
    ("same", "different"), ("similar", "different"), ("identical", "different"),
    ("safe", "unsafe"), ("safe", "dangerous"), ("safe", "harmful"), ("effective", "ineffective"),
    ("accurate", "inaccurate"), ("benign", "malignant"), ("rare", "common"),
    ("mild", "severe"), ("early", "late"), ("earlier", "later"), ("before", "after"),
    ("presence", "absence"), ("present", "absent"), ("positive", "negative"),
    ("sensitive", "resistant"), ("stable", "unstable"), ("necessary", "unnecessary"),
    ("sufficient", "insufficient"), ("adequate", "inadequate"), ("likely", "unlikely"),
    ("beneficial", "harmful"), ("protective", "harmful"), ("protects", "harms"),
    ("susceptible", "resistant"), ("active", "inactive"), ("dependent", "independent"),
    ("direct", "indirect"), ("directly", "indirectly"), ("inside", "outside"),
    ("gain", "loss"), ("activates", "inhibits"), ("activation", "inhibition"),
    ("agonist", "antagonist"), ("promotes", "inhibits"), ("promotes", "prevents"),
    ("causes", "prevents"), ("all", "none"), ("always", "never"), ("fight", "coexist"),
    ("fights", "coexists"), ("hydrophobic", "hydrophilic"), ("upstream", "downstream"),
    ("acute", "chronic"),
)  # fmt: skip
"""(Who was studied — men / women, adults / children — is a population difference, which
`population` reports, not a contradiction.)"""
_OPPOSITE: dict[str, set[str]] = {}
for _a, _b in ANTONYMS:
    _OPPOSITE.setdefault(_a, set()).add(_b)
    _OPPOSITE.setdefault(_b, set()).add(_a)


_FILLER = frozenset("a an the of to in on for with and or is are was were be been by as at".split())


def _neighbours(words: list[str], i: int) -> set[str]:
    """The content words just before and just after position i."""
    out = set()
    for step in (-1, 1):
        j = i + step
        while 0 <= j < len(words) and words[j] in _FILLER:
            j += step
        if 0 <= j < len(words):
            out.add(words[j][:5])
    return out


def antonym_conflict(claim: str, sentence: str) -> tuple[str, str] | None:
    """(claim word, sentence word) when the sentence says the opposite word where the claim
    says one, next to the same word ("the same entry point" / "a different entry point")."""
    claim_words = re.findall(r"[a-z]+", claim.lower())
    found = re.findall(r"[a-z]+", sentence.lower())
    for i, word in enumerate(claim_words):
        if word not in _OPPOSITE or word in found:
            continue
        around = _neighbours(claim_words, i)
        for j, other in enumerate(found):
            if other in _OPPOSITE[word] and other not in claim_words:
                if around & _neighbours(found, j):
                    return word, other
    return None
