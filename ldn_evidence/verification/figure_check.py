"""Claims with a figure: compare the claim's interval with the abstract's figures on the
same outcome.

Order of decision (first that applies):
1. a figure on the outcome inside the interval, the right kind (share of people vs size
   of a change) and comparison (vs placebo vs an arm's own change), right direction →
   supported; partially_supported when the study population differs, or when the abstract
   also says there was no difference from placebo (contradicted if the claim is itself
   about a difference from placebo);
2. inside the interval but the wrong kind or comparison → partially_supported;
3. a figure in the opposite direction, or a finding of no effect / the opposite on the
   outcome → contradicted;
4. a figure outside the interval but "close" (`intervals.TOLERANCES`) → partially_supported;
5. a figure on the outcome, far outside → not_supported;
6. no figure on the outcome → not_in_abstract.
The placebo arm's own figures never support a claim about the drug.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ldn_evidence.figures import Figure
from ldn_evidence.verification import roles
from ldn_evidence.verification.abstract_figures import AbstractFigure, find_abstract_figures
from ldn_evidence.verification.claim_terms import (
    claim_is_share,
    claim_valence,
    claim_versus_placebo,
)
from ldn_evidence.verification.directions import valence
from ldn_evidence.verification.intervals import (
    Interval,
    close_margin,
    figure_interval,
    normalize_unit,
)
from ldn_evidence.verification.results import (
    CONTRADICTED,
    NOT_IN_ABSTRACT,
    NOT_SUPPORTED,
    PARTIALLY_SUPPORTED,
    SUPPORTED,
    ClaimInput,
    VerificationResult,
)
from ldn_evidence.verification.statements import (
    BETTER,
    NO_EFFECT,
    WORSE,
    finding_sentences,
    outcome_statements,
)

_RESPONSE = re.compile(r"\brespon(?:se|ded|ders?)\b", re.IGNORECASE)
RANGE_OVERLAP = "the abstract gives a range and the claim picks one value within it"


@dataclass(slots=True)
class _Assessment:
    fig: AbstractFigure
    inside: bool
    distance: float
    issues: list[str] = field(default_factory=list)
    opposite: bool = False


def _value(fig: AbstractFigure, unit: str) -> float:
    return float(fig.numerator) if unit == "count" and fig.numerator is not None else fig.value


def _place(interval: Interval, fig: AbstractFigure, unit: str) -> tuple[bool, float, str | None]:
    """(inside, distance, issue) of an abstract figure relative to the claim's interval."""
    v = _value(fig, unit)
    if fig.high is not None and unit != "count":
        lo, hi = fig.value, fig.high
        if interval.includes(Interval(lo, hi)):
            return True, 0.0, None
        if interval.overlaps(lo, hi):
            return True, 0.0, RANGE_OVERLAP
        return False, min(interval.distance(lo), interval.distance(hi)), None
    if fig.qualifier in ("over", "at least", "up to", "less than") and unit != "count":
        if interval.includes(fig.interval):
            return True, 0.0, None
        return False, interval.distance(v), None  # a bound, not the claim's value
    if interval.contains(v):
        return True, 0.0, None
    return False, interval.distance(v), None


def _issues(fig: AbstractFigure, share: bool, vs: bool | None, outcome: str | None) -> list[str]:
    issues: list[str] = []
    if vs is True and fig.role in (roles.CHANGE_FROM_BASELINE, roles.ARM_VALUE):
        issues.append("the study's figure is the LDN arm's own change, while the claim "
                      "implies a difference from placebo")  # fmt: skip
    if vs is True and fig.role == roles.RESPONDER_RATE and fig.arm == roles.DRUG:
        issues.append("the study's figure is the LDN arm's responder rate, while the claim "
                      "implies a difference from placebo")  # fmt: skip
    if vs is False and fig.role == roles.VS_PLACEBO:
        issues.append("the study's figure is a difference from placebo, while the claim "
                      "states the change with the drug")  # fmt: skip
    if share and fig.role != roles.RESPONDER_RATE:
        issues.append("the study's figure is the size of the change, while the claim is a "
                      "share of patients")  # fmt: skip
    if not share and fig.role == roles.RESPONDER_RATE:
        issues.append("the study's figure is a share of participants, while the claim is the "
                      "size of the change")  # fmt: skip
    if outcome and fig.outcome != outcome and outcome != "response rate":
        issues.append(f"the study's figure is a general response rate, not specific to {outcome}")
    if outcome is None and fig.outcome is not None:
        issues.append(f"the claim names no outcome; the study's figure is on {fig.outcome}")
    return issues


def _candidates(figs: list[AbstractFigure], outcome: str | None, share: bool, unit: str):
    for f in figs:
        if f.role == roles.OTHER or f.arm == roles.PLACEBO:
            continue
        if unit == "count" and f.numerator is None:
            continue
        if unit in ("%", "fold") and f.unit != unit:
            continue
        same = outcome is None or f.outcome == outcome
        generic = share and f.role == roles.RESPONDER_RATE and f.outcome == "response rate"
        any_response = (
            outcome == "response rate"
            and f.role == roles.RESPONDER_RATE
            and _RESPONSE.search(f.sentence) is not None
        )
        if same or generic or any_response:
            yield f


def _sentences(*groups) -> list[str]:
    out: list[str] = []
    for group in groups:
        for s in group:
            if s not in out:
                out.append(s)
    return out


def check_figure(
    claim: ClaimInput, abstract: str, outcome: str | None, population_note: str | None
) -> VerificationResult:
    """Verdict for a claim with a figure (see the module docstring)."""
    fig: Figure = claim.figure  # type: ignore[assignment]
    unit = normalize_unit(fig.unit)
    interval = figure_interval(fig)
    margin = close_margin(fig)
    share = claim_is_share(claim.text, fig)
    vs = claim_versus_placebo(claim.versus_placebo, claim.text)
    want = claim_valence(claim.text, outcome)
    claimed = f"{fig.text or _fmt_fig(fig)} = {interval.describe(unit if unit != 'count' else '')}"

    findings = set(finding_sentences(abstract))
    figs = find_abstract_figures(abstract, claim.intervention)
    figs = [f for f in figs if f.sentence in findings]
    assessed: list[_Assessment] = []
    for f in _candidates(figs, outcome, share, unit):
        inside, distance, range_issue = _place(interval, f, unit)
        a = _Assessment(f, inside, distance, _issues(f, share, vs, outcome))
        if range_issue:
            a.issues.append(range_issue)
        got = valence(f.direction, f.outcome or outcome)
        a.opposite = bool(want and got and got != want)
        assessed.append(a)
    statements = outcome_statements(abstract, outcome) if outcome else []
    no_effect = [s for s in statements if s.kind == NO_EFFECT]
    opposite_st = [s for s in statements if want and s.kind in (BETTER, WORSE) and s.kind != want]

    good = [a for a in assessed if a.inside and not a.issues and not a.opposite]
    partial = [a for a in assessed if a.inside and a.issues and not a.opposite]
    opposite = [a for a in assessed if a.opposite]
    near = [a for a in assessed if not a.inside and not a.opposite and a.distance <= margin]
    far = sorted((a for a in assessed if not a.inside), key=lambda a: a.distance)
    ne_vs_placebo = [s.sentence for s in no_effect if s.versus_placebo]
    on = f" on {outcome}" if outcome else ""

    if good:
        a = good[0]
        where, sents = _where(a, claimed), [a.fig.sentence]
        if ne_vs_placebo and vs is True:
            reason = f"{where}, but the abstract reports no difference from placebo{on}"
            return _result(CONTRADICTED, _sentences(sents, ne_vs_placebo), a.fig, reason)
        if ne_vs_placebo and vs is None:
            reason = f"{where}, but the abstract reports no difference from placebo{on}"
            return _result(PARTIALLY_SUPPORTED, _sentences(sents, ne_vs_placebo), a.fig, reason)
        if population_note:
            return _result(PARTIALLY_SUPPORTED, sents, a.fig, f"{where}; but {population_note}")
        return _result(SUPPORTED, sents, a.fig, where)
    if partial and not (vs is True and ne_vs_placebo):
        a = partial[0]
        reason = _pop(_partial_reason(a, claimed), population_note)
        return _result(PARTIALLY_SUPPORTED, [a.fig.sentence], a.fig, reason)
    if opposite or opposite_st or no_effect:
        sents = _sentences(
            [a.fig.sentence for a in opposite],
            [s.sentence for s in no_effect],
            [s.sentence for s in opposite_st],
        )
        if opposite or opposite_st:
            why = "a change in the opposite direction"
        else:
            why = "no difference from placebo" if ne_vs_placebo else "no effect"
        fig0 = opposite[0].fig if opposite else None
        return _result(CONTRADICTED, sents, fig0, f"the abstract reports {why}{on}")
    if partial:
        a = partial[0]
        reason = _pop(_partial_reason(a, claimed), population_note)
        return _result(PARTIALLY_SUPPORTED, [a.fig.sentence], a.fig, reason)
    if near:
        a = min(near, key=lambda x: x.distance)
        reason = _with_issues(f"{_describe(a.fig)} is close to but outside {claimed}", a)
        return _result(PARTIALLY_SUPPORTED, [a.fig.sentence], a.fig, _pop(reason, population_note))
    if far:
        a = far[0]
        reason = f"the abstract's figure{on} is {_describe(a.fig)}, outside {claimed}"
        reason = _with_issues(reason, a)
        return _result(NOT_SUPPORTED, [a.fig.sentence], a.fig, _pop(reason, population_note))
    return _not_in_abstract(figs, outcome, unit)


def _with_issues(reason: str, a: _Assessment) -> str:
    return "; ".join([reason, *a.issues])


def _not_in_abstract(figs: list[AbstractFigure], outcome: str | None, unit: str):
    others = sorted({f.outcome for f in figs if f.role != roles.OTHER and f.outcome})
    reason = f"the abstract gives no {'figure' if unit != 'count' else 'count'}"
    reason += f" on {outcome}" if outcome else " on an outcome"
    if others:
        reason += f" (it has figures on: {', '.join(others)})"
    return VerificationResult(NOT_IN_ABSTRACT, [], None, reason)


def _where(a: _Assessment, claimed: str) -> str:
    if RANGE_OVERLAP in a.issues:
        return f"the claim's {claimed} overlaps the abstract's range {_describe(a.fig)}"
    return f"{_describe(a.fig)} lies within {claimed}"


def _partial_reason(a: _Assessment, claimed: str) -> str:
    issues = [i for i in a.issues if i != RANGE_OVERLAP]
    where = _where(a, claimed)
    if RANGE_OVERLAP in a.issues:
        where += " (the claim picks one value of a reported range)"
    return f"{where}, but " + "; ".join(issues) if issues else where


def _pop(reason: str, note: str | None) -> str:
    return f"{reason}; also {note}" if note else reason


def _result(verdict: str, sentences: list[str], fig: AbstractFigure | None, reason: str):
    return VerificationResult(verdict, sentences, fig.text if fig else None, reason)


def _describe(f: AbstractFigure) -> str:
    what = {
        roles.CHANGE_FROM_BASELINE: "change",
        roles.VS_PLACEBO: "difference from placebo",
        roles.ARM_VALUE: "in the drug arm",
        roles.RESPONDER_RATE: "of participants",
    }.get(f.role, "")
    counts = f" ({f.numerator}/{f.denominator})" if f.numerator is not None else ""
    return f"{f.text!r}{counts} ({what})" if what else f"{f.text!r}{counts}"


def _fmt_fig(fig: Figure) -> str:
    q = "" if fig.qualifier in ("", "exact", None) else f"{fig.qualifier} "
    return f"{q}{fig.value:g}{fig.unit if fig.unit == '%' else ' ' + (fig.unit or '')}"
