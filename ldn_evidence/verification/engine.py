"""The verification engine: any health claim against any abstract, with the deciding
sentence and a reason. No outcome list decides what can be checked.

1. Claim analysis (`analyze_claim`): the claim's content terms (weighted, stemmed),
   whether it negates its own assertion ("X does not reduce Y", "Y is independent of X"),
   hedges it, which way it says things move, which side of a comparison it favours, and
   its figures by kind (`quantities`).
2. Evidence selection (`rank_sentences`): every sentence of the abstract scored by the
   weighted share of the claim's terms it carries (abbreviations the abstract defines
   expanded), findings (RESULTS / CONCLUSIONS, or unlabelled sentences that are not aims,
   background or methods) preferred.
3. Decision (`decision.verify_text`, one function per signal), on the best sentences:
   - a figure of the claim's own kind on the claim's own quantity (the words around both
     figures agree): inside the claim's interval supports, far outside contradicts, close
     is not_supported;
   - polarity: a finding that negates what the claim asserts (or asserts what the claim
     negates) contradicts; a finding worded as not established ("it is unclear whether",
     "no evidence that") is not support; one that only suggests it ("may") supports it
     partially;
   - direction: the same term said to go the other way ("increased" vs "reduced") with
     nothing negated contradicts; the other arm favoured in a comparison contradicts;
   - enough of the claim found in a finding, with none of the above, supports.
   Too little of the claim anywhere in the abstract: not_in_abstract. A claim with no
   content words at all asserts nothing checkable: unchecked.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from ldn_evidence.sentences import ABSTRACT, sentence_texts
from ldn_evidence.verification import cues
from ldn_evidence.verification.quantities import (
    OTHER,
    Quantity,
    comparable,
    distance,
    find_quantities,
)
from ldn_evidence.verification.text import (
    BACKGROUND_LABELS,
    STOPWORDS,
    Terms,
    content_terms,
    defined_abbreviations,
    initialisms,
    section_label,
    stem,
    words,
)

# Thresholds on coverage, the weighted share of the claim's terms a sentence carries.
ADDRESSES = 0.35
"""A sentence carrying at least this share of the claim addresses it."""
SUPPORTS = 0.4
"""…and at least this share, with nothing against it, supports it."""
STATES = 0.62
"""…and at least this share makes it `supported` rather than `partially_supported`."""
CONTRADICTS = 0.35
"""A negation, opposite direction or other arm needs at least this share to contradict."""
SAME_QUANTITY = 0.5
"""Share of the words around the claim's figure that must stand around a study figure for
the two to be figures of the same quantity."""
DIRECTION_WEIGHT = 0.3
"""Share of its weight a direction word keeps in the coverage."""
DIRECTION_MIN = 0.5
"""A direction clash needs this share of the claim in the sentence: a direction word near one
shared term of a sentence about something else is no contradiction."""
CLOSE_TO_LEAD = 0.85
"""Only sentences about as close to the claim as the best one may decide against it."""
TOPIC_FLOOR = 0.5
TITLE_CREDIT = 0.5
"""Share of its weight a claim term in the title adds to a sentence that lacks it."""
"""What is left of a term's weight when every sentence of the abstract carries it."""
CLOSE = 2.0
"""A figure within this many tolerances outside the claim's interval is close: not_supported
rather than contradicted."""

_NOT_A_FINDING = (
    r"\b(?:we\s+(?:aimed|aim|sought|seek|hypothesi[sz]ed|propose|designed)"
    r"|the\s+(?:aims?|objectives?|purpose|goal)\s+(?:of|was|is|were)"
    r"|(?:this|the\s+present|our)\s+study\s+(?:aims|aimed|was\s+designed|investigates|examines)"
    r"|has\s+been\s+(?:suggested|proposed|hypothesi[sz]ed)"
    r"|(?:were|was)\s+(?:randomi[sz]ed|assigned|allocated|enrolled|recruited|included)\s+to"
    r"|we\s+(?:conducted|performed|carried\s+out|searched|recruited|enrolled))"
)


@dataclass(frozen=True, slots=True)
class ClaimAnalysis:
    text: str
    terms: Terms
    negated: bool
    hedge: str | None
    directions: list[tuple[str, int]]
    quantities: list[Quantity]
    comparison: cues.Comparison | None
    asserts: bool = True  # False: it only says something was studied
    anchors: frozenset[str] = frozenset()  # `anchor_terms`, worked out once per claim


_STUDIED_ONLY = re.compile(
    r"^[^.;]*?\b(?:was|were|is|are|has\s+been|have\s+been|is\s+being|are\s+being)\s+"
    r"(?:\w+ly\s+)?(?:studied|investigated|tested|examined|explored|evaluated|assessed"
    r"|trialled|trialed|researched|used|prescribed|given|discussed|reviewed)"
    r"(?:\s+(?:for|in|as|with|by|among|on)\b[^.;]*)?[.!]?$",
    re.IGNORECASE,
)
_ASSERTING = re.compile(
    r"\b(?:associat\w*|correlat\w*|linked|relat(?:ed|ion\w*)|predict\w*|caus\w*|lead\w*\s+to"
    r"|led\s+to|result\w*\s+in|effect\w*|improv\w*|benefi\w*|protect\w*|risk|require\w*"
    r"|necessary|essential|sufficient|mediat\w*|regulat\w*|express\w*|bind\w*|contribut\w*"
    r"|respons\w*|depend\w*|promot\w*|show\w*|demonstrat\w*|reveal\w*|found|identif\w*"
    r"|confer\w*|play\w*|act\w*|function\w*|significant\w*|differ\w*)\b",
    re.IGNORECASE,
)


def asserts(sentence: str) -> bool:
    """Whether a sentence states a relation or an effect (not only who took part)."""
    return bool(_ASSERTING.search(sentence) or cues.directions(sentence))


@lru_cache(maxsize=4096)
def analyze_claim(text: str) -> ClaimAnalysis:
    """What the claim asserts, read from its text alone (see the module docstring). Kept
    per text, as a claim is checked against each study it cites: callers make changed
    copies (`dataclasses.replace`), never change the one returned."""
    quantities = [q for q in find_quantities(text) if q.kind != OTHER]
    analysis = ClaimAnalysis(
        text=text,
        terms=predicate_light(content_terms(text), text),
        negated=bool(cues.negations(text, claim=True)),
        hedge=cues.hedge(text),
        directions=[(d, at) for d, at in cues.directions(text) if text[:at].strip()],
        quantities=quantities,
        comparison=cues.comparison(text),
        asserts=not _STUDIED_ONLY.match(text.strip()),
    )
    return replace(analysis, anchors=anchor_terms(analysis))


@dataclass(slots=True)
class Sentence:
    index: int
    text: str
    section: str | None
    finding: bool
    terms: Terms
    coverage: float = 0.0
    matched: list[str] = field(default_factory=list)
    implied: float = 0.0  # coverage credited from the title (see `title_credit`)

    @property
    def score(self) -> float:
        return self.coverage * (1.0 if self.finding else 0.75)


_AIM = re.compile(_NOT_A_FINDING, re.IGNORECASE)
_AIM_WORDS = (
    "aim", "sought", "seek", "hypothesi", "propose", "designed", "objective", "purpose",
    "goal", "study", "suggested", "randomi", "assigned", "allocated", "enrolled", "recruited",
    "included", "conducted", "performed", "carried", "searched",
)  # fmt: skip
"""A word every match of `_AIM` holds (lower case): ASCII text with none is not searched
(only ASCII: IGNORECASE also folds a few letters, the dotless ı, that lower() keeps)."""


def _is_aim(text: str) -> bool:
    if text.isascii():
        lowered = text.lower()
        for w in _AIM_WORDS:  # a loop, not any(): this runs on every sentence
            if w in lowered:
                break
        else:
            return False
    return bool(_AIM.search(text))


_GAP = re.compile(
    r"\b(?:remains?|is|are|was|were|still)\s+(?:largely\s+|poorly\s+|not\s+(?:well\s+)?)?"
    r"(?:unclear|unknown|understood|elusive|controversial|uncertain|undefined|unexplored"
    r"|not\s+known|debated)\b|\bhas\s+not\s+been\s+(?:\w+\s+)?(?:investigated|studied|examined"
    r"|explored|established|determined)|\blittle\s+is\s+known\b",
    re.IGNORECASE,
)


def _coverage(claim: Terms, terms: Terms) -> tuple[float, list[str]]:
    total = claim.total
    if total <= 0:
        return 0.0, []
    held = terms.weights  # `in` on the dict itself: no Terms.__contains__ call a term
    matched = [t for t in claim.weights if t in held]
    # fsum over a set: correctly rounded, so the result does not depend on the set's
    # iteration order (which varies with PYTHONHASHSEED) and equal sums compare equal
    return math.fsum(claim.weights[t] for t in matched) / total, matched


def abstract_sentences(
    title: str, abstract: str, expansions: dict[str, tuple[str, ...]] | None = None
) -> list[Sentence]:
    """The abstract's sentences with their section and whether each reports a finding."""
    if expansions is None:
        expansions = defined_abbreviations(f"{title}\n{abstract}")
    out: list[Sentence] = []
    section: str | None = None
    texts = sentence_texts(abstract, ABSTRACT)
    for i, text in enumerate(texts):
        label = section_label(text)
        if label:
            section = label
        finding = not (section in BACKGROUND_LABELS or _is_aim(text))
        if finding and section is None and i < len(texts) * 0.4 and _GAP.search(text):
            finding = False  # "… remains unclear": the gap an unlabelled abstract opens with
        out.append(Sentence(i, text, section, finding, content_terms(text, expansions)))
    return out


def topic_weighted(claim: Terms, sentences: list[Sentence], title: Terms) -> Terms:
    """The claim's terms re-weighted for one abstract: a term most sentences carry is the
    study's topic (its drug, its disease), not what a finding says about it, and counts
    less (down to TOPIC_FLOOR of its weight when every sentence and the title carry it)."""
    n = len(sentences) + 1
    if n < 3:
        return claim
    weights = {}
    held = [s.terms.weights for s in sentences]
    in_title = title.weights
    for term, w in claim.weights.items():
        df = sum(term in h for h in held) + (term in in_title)
        weights[term] = w * (1.0 - (1.0 - TOPIC_FLOOR) * df / n)
    return Terms(weights)


def predicate_light(terms: Terms, text: str) -> Terms:
    """Direction words ("reduced", "higher") weigh DIRECTION_WEIGHT of their weight: they
    say which way, which the direction check compares; the coverage is about *what*."""
    directional = _directional_stems(text)
    return Terms(
        {t: w * DIRECTION_WEIGHT if t in directional else w for t, w in terms.weights.items()}
    )


@lru_cache(maxsize=4096)
def _directional_stems(text: str) -> frozenset[str]:
    """The stems of `text`'s direction words (kept per claim: read twice a check)."""
    return frozenset(stem(w) for w in words(text) if cues.word_direction(w))


def rank_sentences(
    claim: ClaimAnalysis, sentences: list[Sentence], anchors: frozenset[str] = frozenset()
) -> list[Sentence]:
    """`sentences` scored against the claim (its terms as weighted for this abstract),
    best first. A sentence that carries none of the `anchors` (what the claim says about
    the study's topic) counts half: "LDN was well tolerated" does not address "LDN
    reduced pain"."""
    weights, total = claim.terms.weights, claim.terms.total  # `_coverage`, the claim's part once
    for s in sentences:
        if total <= 0:
            s.coverage, s.matched = 0.0, []
        else:
            held = s.terms.weights
            s.matched = [t for t in weights if t in held]
            s.coverage = math.fsum(weights[t] for t in s.matched) / total
        s.coverage += s.implied
        if anchors and not anchors.intersection(s.matched):
            s.coverage *= 0.5
    return sorted(sentences, key=lambda s: (-s.score, s.index))


def anchor_terms(claim: ClaimAnalysis) -> frozenset[str]:
    """What the claim says something about: its terms after the first word that states a
    change or a relation ("LDN reduced *fatigue*", "X is associated with *Y*"), direction
    words left out. Empty when the claim has no such word."""
    stems = _anchor_stems(claim.text, tuple(at for _, at in claim.directions))
    if stems is None:
        return frozenset()
    return frozenset(t for t in claim.terms.weights if t in stems)


@lru_cache(maxsize=4096)
def _anchor_stems(text: str, direction_starts: tuple[int, ...]) -> frozenset[str] | None:
    """The stems after the first word of `text` that states a change (one of
    `direction_starts`) or a relation, direction words left out; None without such a word.
    (Kept per claim: `verify_text` asks again once the claim's terms are weighted.)"""
    first = min(direction_starts) if direction_starts else None
    m = _ASSERTING.search(text)
    if m and (first is None or m.start() < first):
        first = m.start()
    if first is None:
        return None
    found = [w for w in words(text[first:])[1:] if not cues.word_direction(w)]
    return frozenset(stem(w) for w in found)


def title_credit(claim: Terms, title: Terms, sentences: list[Sentence]) -> frozenset[str]:
    """A claim term the title (or 40% of the sentences) carries is the study's subject,
    implied in every sentence ("Pain did not differ from placebo" in a trial of LDN): a
    sentence without it still gets TITLE_CREDIT of its weight. Returns those terms."""
    n = len(sentences)
    held = [s.terms.weights for s in sentences]
    implied = [
        t
        for t in claim.weights
        if t in title.weights or (n >= 3 and sum(t in h for h in held) / n >= 0.4)
    ]
    if not implied:
        return frozenset()
    total = claim.total
    for s, h in zip(sentences, held, strict=True):
        missing = [t for t in implied if t not in h]
        if missing:
            s.implied = math.fsum(claim.weights[t] for t in missing) * TITLE_CREDIT / total
    return frozenset(implied)


def expansions_for(claim_text: str, title: str, abstract: str) -> dict[str, tuple[str, ...]]:
    """Abbreviations to expand, for the claim and the abstract alike: those the abstract
    defines, and those the claim uses that the abstract writes out."""
    text = f"{title}\n{abstract}"
    expansions = defined_abbreviations(text)
    for abbr, long_form in initialisms(claim_text, text).items():
        expansions.setdefault(abbr, long_form)
    return expansions


# --- signals on one sentence ---------------------------------------------------------------


def _claim_stems_in(span: str, claim: ClaimAnalysis) -> list[str]:
    held = claim.terms.weights
    return [s for s in {stem(w) for w in words(span)} if s in held]


def negated_in(sentence: str, claim: ClaimAnalysis) -> str | None:
    """The clause of `sentence` that negates or finds no effect on what the claim is about,
    if any: the negated clause must carry one of the claim's anchor terms (what the claim
    says something about), or any of its terms when it has none."""
    spans = cues.negations(sentence) + cues.no_effect_spans(sentence)
    anchors = claim.anchors
    for lo, hi in spans:
        clause = sentence[lo:hi]
        found = _claim_stems_in(clause, claim)
        if not found or (anchors and not anchors.intersection(found)):
            continue
        # the rest of the sentence may say it of the claim's subject more closely
        # ("no association with 8 cancers; … associated with prostate cancer")
        rest = _claim_stems_in(sentence[:lo] + " " + sentence[hi:], claim)
        weight = claim.terms.weights
        key = anchors or frozenset(weight)
        if math.fsum(weight[t] for t in key.intersection(rest)) > math.fsum(
            weight[t] for t in key.intersection(found)
        ):
            continue
        return clause.strip()
    return None


def _direction_terms(text: str, claim: ClaimAnalysis, window: int = 5) -> dict[str, str]:
    """claim term -> the direction said of it in `text` (the direction word nearest to it
    within `window` tokens)."""
    # distance counts content words only: "reduction in the incidence of TB" is two apart
    toks = [t for t in cues.tokens(text) if t.text not in STOPWORDS or cues.word_direction(t.text)]
    stems = [stem(t.text) for t in toks]
    dirs = [cues.word_direction(t.text) for t in toks]
    out: dict[str, str] = {}
    for i, s in enumerate(stems):
        if s not in claim.terms.weights or dirs[i]:
            continue
        best: tuple[int, str] | None = None
        for j in range(max(0, i - window), min(len(toks), i + window + 1)):
            if dirs[j] and (best is None or abs(j - i) < best[0]):
                best = (abs(j - i), dirs[j])  # type: ignore[assignment]
        if best:
            out.setdefault(s, best[1])
    return out


def direction_conflict(sentence: str, claim: ClaimAnalysis) -> str | None:
    """A term the claim moves one way and `sentence` the other (a direction word within
    three words of it), if any: only what the claim says something about (its anchors)
    counts, and any agreement on another term outweighs the clash."""
    if not claim.directions:
        return None
    anchors = claim.anchors
    claimed = {
        t: d for t, d in _direction_terms(claim.text, claim).items() if not anchors or t in anchors
    }
    found = _direction_terms(sentence, claim, window=3)
    agree = [t for t, d in claimed.items() if found.get(t) == d]
    clash = [t for t, d in claimed.items() if t in found and found[t] != d]
    if clash and not agree:
        return max(clash, key=lambda t: claim.terms.weights[t])
    return None


def comparison_conflict(sentence: str, claim: ClaimAnalysis) -> bool:
    """The claim favours one side of a comparison and `sentence` the other."""
    if claim.comparison is None:
        return False
    found = cues.comparison(sentence)
    if found is None:
        return False
    fav = content_terms(claim.comparison.favoured).weights.keys()
    oth = content_terms(claim.comparison.other).weights.keys()
    got_fav = content_terms(found.favoured).weights.keys()
    got_oth = content_terms(found.other).weights.keys()
    same = len(fav & got_fav) + len(oth & got_oth)
    swapped = len(fav & got_oth) + len(oth & got_fav)
    return swapped > same


# --- figures -------------------------------------------------------------------------------


def _context(text: str, q: Quantity, span: int = 60, weights: Terms | None = None) -> Terms:
    """The terms around a figure (its clause, at most `span` characters each side),
    direction words left out: "reduced" says which way, not what was measured. With
    `weights`, each term weighs what it weighs in the claim as weighted for the abstract."""
    lo, hi = cues.clause_of(text, q.start, q.end)
    lo = max(lo, q.start - span)
    hi = min(hi, q.end + span)
    near = text[lo : q.start] + " " + text[q.end : hi]
    kept = {stem(w) for w in words(near) if not cues.word_direction(w)}
    terms = content_terms(near)
    out = {t: w for t, w in terms.weights.items() if t in kept}
    if weights is not None:
        out = {t: weights.weights.get(t, w) for t, w in out.items()}
    return Terms(out)


@dataclass(frozen=True, slots=True)
class FigureMatch:
    claim_figure: Quantity
    study_figure: Quantity
    sentence: Sentence
    distance: float
    overlap: float
    shared: frozenset[str]  # the terms around both figures


def figure_matches(claim: ClaimAnalysis, ranked: list[Sentence]) -> list[FigureMatch]:
    """Study figures of the claim's kind on the claim's quantity, nearest first."""
    out: list[FigureMatch] = []
    for cq in claim.quantities:
        around = _context(claim.text, cq, weights=claim.terms)
        if around.total <= 0:
            around = claim.terms
        for s in ranked:
            if s.coverage < ADDRESSES * 0.6 or not s.finding:
                continue
            for q in find_quantities(s.text):
                if not comparable(cq, q):
                    continue
                overlap, shared = _coverage(around, _context(s.text, q, 120))
                if overlap < SAME_QUANTITY:
                    continue
                out.append(FigureMatch(cq, q, s, distance(cq, q), overlap, frozenset(shared)))
    out.sort(key=lambda m: (m.distance, -m.overlap, -m.sentence.coverage))
    return out
