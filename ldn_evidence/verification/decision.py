"""The verdict for a claim against an abstract: `verify_text` reads the claim
(`engine.analyze_claim`), ranks the abstract's sentences (`engine.rank_sentences`) and asks
one small function per signal, in the order that decides (see `engine`'s docstring, step 3,
and `verify_text`'s)."""

from __future__ import annotations

from dataclasses import replace

from ldn_evidence.verification import cues
from ldn_evidence.verification.engine import (
    ADDRESSES,
    CLOSE,
    CLOSE_TO_LEAD,
    CONTRADICTS,
    DIRECTION_MIN,
    STATES,
    SUPPORTS,
    ClaimAnalysis,
    Sentence,
    abstract_sentences,
    analyze_claim,
    anchor_terms,
    asserts,
    comparison_conflict,
    direction_conflict,
    expansions_for,
    figure_matches,
    negated_in,
    predicate_light,
    rank_sentences,
    title_credit,
    topic_weighted,
)
from ldn_evidence.verification.quantities import comparable, find_quantities
from ldn_evidence.verification.results import (
    CONTRADICTED,
    NOT_IN_ABSTRACT,
    NOT_SUPPORTED,
    PARTIALLY_SUPPORTED,
    SUPPORTED,
    UNCHECKED,
    VerificationResult,
)
from ldn_evidence.verification.text import content_terms, stem, words


def _result(
    verdict: str, sentences: list[Sentence], reason: str, figure: str | None = None
) -> VerificationResult:
    return VerificationResult(verdict, [s.text for s in sentences], figure, reason)


def _surface(text: str, stems: list[str]) -> str:
    """The claim's own words for `stems` (heaviest first, at most five)."""
    out: list[str] = []
    for w in words(text):
        if stem(w) in stems and w not in out and stem(w) not in {stem(o) for o in out}:
            out.append(w)
    return ", ".join(out[:5]) or "none"


def _pct(x: float) -> str:
    return f"{round(100 * x)}%"


def verify_text(claim_text: str, title: str, abstract: str) -> VerificationResult:
    """The verdict for a claim (text) against a study (title and abstract).

    The order of the checks is the decision: a claim that asserts nothing is unchecked;
    an abstract that does not address it leaves it not_in_abstract; then a figure of the
    claim's own quantity decides; then, on each of the best finding sentences, a strong
    hedge, a negation or no-effect, a direction or word that says the opposite, the other
    side of a comparison; then a figure the claim gives and the abstract does not; last,
    how much of the claim the best finding carries."""
    claim = analyze_claim(claim_text)
    refused = _uncheckable(claim)
    if refused:
        return refused
    expansions = expansions_for(claim_text, title, abstract)
    if expansions:
        claim = replace(
            claim, terms=predicate_light(content_terms(claim_text, expansions), claim_text)
        )
    sentences = abstract_sentences(title, abstract, expansions)
    if not sentences:
        return VerificationResult(NOT_IN_ABSTRACT, [], None, "the study has no abstract")
    title_terms = content_terms(title, expansions)
    anchors = anchor_terms(claim)
    claim = replace(
        claim, terms=topic_weighted(claim.terms, sentences, title_terms), anchors=anchors
    )
    topic = title_credit(claim.terms, title_terms, sentences)
    ranked = rank_sentences(claim, sentences, anchors)
    candidates = [s for s in ranked if s.coverage >= ADDRESSES and s.finding][:3]
    unaddressed = _not_addressed(claim, ranked[0], candidates)
    if unaddressed:
        return unaddressed
    lead = candidates[0]
    figure = _figure_verdict(claim, ranked, topic)
    if figure:
        return figure
    for s in candidates:
        if s.coverage < max(CONTRADICTS, lead.coverage * CLOSE_TO_LEAD):
            continue
        found = _finding_verdict(s, claim, lead)
        if found:
            return found
    return _missing_figure_verdict(claim, lead) or _coverage_verdict(claim, lead)


def _uncheckable(claim: ClaimAnalysis) -> VerificationResult | None:
    """Unchecked: the claim has no content words, or says only that something was studied."""
    if claim.terms.total <= 0:
        return VerificationResult(
            UNCHECKED, [], None, "the claim states nothing that could be checked"
        )
    if not claim.asserts:
        return VerificationResult(
            UNCHECKED, [], None, "the claim reports that something was studied, not a finding "
            "that could be checked",
        )  # fmt: skip
    return None


def _not_addressed(
    claim: ClaimAnalysis, best: Sentence, candidates: list[Sentence]
) -> VerificationResult | None:
    """Not in the abstract: no sentence carries enough of the claim, or only sentences
    that are not findings (background, aims, methods) do."""
    if best.coverage < ADDRESSES:
        missing = _surface(claim.text, [t for t in claim.terms.weights if t not in best.matched])
        return _result(
            NOT_IN_ABSTRACT, [], f"no sentence of the abstract addresses the claim (at most "
            f"{_pct(best.coverage)} of its terms in one sentence; not found: {missing})",
        )  # fmt: skip
    if not candidates:
        return _result(
            NOT_IN_ABSTRACT, [], "only the background, aims or methods address the claim: "
            "the abstract reports no finding on it",
        )  # fmt: skip
    return None


def _figure_verdict(
    claim: ClaimAnalysis, ranked: list[Sentence], topic: frozenset[str]
) -> VerificationResult | None:
    """A figure of the claim's own quantity: equal supports (partially when the claim does
    not say what it measures, or the sentence also reports no effect), close is
    not_supported, far contradicts."""
    matches = figure_matches(claim, ranked) if claim.quantities else []
    if not matches:
        return None
    m = matches[0]
    written = m.study_figure.text
    if m.distance == 0:
        verdict = SUPPORTED
        reason = f"the abstract's {written!r} matches the claim's {m.claim_figure.text!r}"
        if not (m.shared - topic):
            verdict = PARTIALLY_SUPPORTED
            reason += ", but the claim does not say what its figure measures"
        neg = negated_in(m.sentence.text, claim)
        if neg and not claim.negated:
            verdict = PARTIALLY_SUPPORTED
            reason += f", but the sentence also reports no effect ({neg!r})"
        return _result(verdict, [m.sentence], reason, written)
    if m.distance <= CLOSE:
        return _result(
            NOT_SUPPORTED, [m.sentence], f"the abstract's {written!r} is close to but "
            f"outside the claim's {m.claim_figure.text!r}", written,
        )  # fmt: skip
    return _result(
        CONTRADICTED, [m.sentence], f"the abstract gives {written!r} for the same "
        f"quantity, not the claim's {m.claim_figure.text!r}", written,
    )  # fmt: skip


def _finding_verdict(
    s: Sentence, claim: ClaimAnalysis, lead: Sentence
) -> VerificationResult | None:
    """What one of the best finding sentences decides, signal by signal, or None."""
    neg = negated_in(s.text, claim)
    return (
        _hedge_verdict(s, claim)
        or _negation_verdict(s, claim, neg, lead)
        or _direction_verdict(s, claim, neg)
        or _comparison_verdict(s, claim)
    )


def _hedge_verdict(s: Sentence, claim: ClaimAnalysis) -> VerificationResult | None:
    """A finding worded as not established does not support a claim that asserts it."""
    if cues.hedge(s.text) == "strong" and not claim.negated:
        return _result(
            NOT_SUPPORTED, [s], "the abstract says this is not established "
            "(it is unclear, unknown or without evidence)",
        )  # fmt: skip
    return None


def _negation_verdict(
    s: Sentence, claim: ClaimAnalysis, neg: str | None, lead: Sentence
) -> VerificationResult | None:
    """Polarity: the sentence negates (or finds no effect on) what the claim asserts, or
    asserts what the claim denies; both deny it."""
    if neg and not claim.negated:
        return _result(
            CONTRADICTED, [s], f"the claim asserts an effect; the abstract reports none "
            f"({neg!r})",
        )  # fmt: skip
    if (
        claim.negated
        and not neg
        and cues.hedge(s.text) != "strong"
        and s is lead
        and asserts(s.text)
        and s.coverage >= SUPPORTS
    ):
        return _result(CONTRADICTED, [s], "the claim denies what the abstract reports as a finding")
    if claim.negated and neg:
        return _result(SUPPORTED, [s], f"the abstract, like the claim, reports no effect ({neg!r})")
    return None


def _direction_verdict(
    s: Sentence, claim: ClaimAnalysis, neg: str | None
) -> VerificationResult | None:
    """A claim term said to move the other way, or a word that says the opposite of the
    claim's ("safe" / "toxic"), in a sentence that negates nothing and carries enough of
    the claim (DIRECTION_MIN)."""
    if neg or s.coverage < DIRECTION_MIN:
        return None
    clash = direction_conflict(s.text, claim)
    if clash:
        return _result(
            CONTRADICTED, [s], f"the abstract reports a change in the opposite direction "
            f"({clash!r})",
        )  # fmt: skip
    opposite = cues.antonym_conflict(claim.text, s.text)
    if opposite:
        return _result(
            CONTRADICTED, [s], f"the abstract says {opposite[1]!r} where the claim says "
            f"{opposite[0]!r}",
        )  # fmt: skip
    return None


def _comparison_verdict(s: Sentence, claim: ClaimAnalysis) -> VerificationResult | None:
    """The sentence favours the other side of the claim's comparison."""
    if comparison_conflict(s.text, claim):
        return _result(CONTRADICTED, [s], "the abstract favours the other side of the comparison")
    return None


def _missing_figure_verdict(claim: ClaimAnalysis, lead: Sentence) -> VerificationResult | None:
    """The claim gives a figure no study figure matched: the best finding's figures are on
    other quantities (not_supported), or it has none (partially supported)."""
    if not claim.quantities or lead.coverage < SUPPORTS:
        return None
    figure_missing = claim.quantities[0].text
    others = [
        q.text for q in find_quantities(lead.text)
        if any(comparable(cq, q) for cq in claim.quantities)
    ]  # fmt: skip
    if others:
        return _result(
            NOT_SUPPORTED, [lead], f"the abstract's figures ({', '.join(others[:3])}) are "
            f"on other quantities than the claim's {figure_missing!r}",
        )  # fmt: skip
    return _result(
        PARTIALLY_SUPPORTED, [lead], f"a finding of the abstract states it, without a "
        f"figure for the claim's {figure_missing!r}",
    )  # fmt: skip


def _coverage_verdict(claim: ClaimAnalysis, lead: Sentence) -> VerificationResult:
    """Nothing against it: the share of the claim the best finding carries decides (a weak
    hedge in the abstract that the claim does not share makes it partial)."""
    if lead.coverage < SUPPORTS:
        return _result(
            NOT_SUPPORTED, [lead], f"the abstract addresses the claim only in part "
            f"({_pct(lead.coverage)} of its terms in the closest finding)",
        )  # fmt: skip
    if cues.hedge(lead.text) == "weak" and not claim.hedge:
        return _result(
            PARTIALLY_SUPPORTED, [lead], f"the abstract only suggests it (hedged finding; "
            f"{_pct(lead.coverage)} of the claim's terms)",
        )  # fmt: skip
    if lead.coverage >= STATES:
        return _result(
            SUPPORTED, [lead], f"a finding of the abstract states it "
            f"({_pct(lead.coverage)} of the claim's terms)",
        )  # fmt: skip
    return _result(
        PARTIALLY_SUPPORTED, [lead], f"a finding of the abstract states part of it "
        f"({_pct(lead.coverage)} of the claim's terms)",
    )  # fmt: skip
