"""Check a claim against a study's full text with the abstract's engine, and say where the
deciding sentence is.

The full text is read in the order a pharmacist would look for a finding: each results
section, then the tables, then the figure legends, then each discussion and conclusions
section, then the body's other text (introduction, methods, declarations and footnotes
are background, not findings, and are left out). Each group goes to `verify_claim` as
the "abstract", under the label the engine reads as findings ("RESULTS:",
"DISCUSSION:" …), one paragraph or table row a line. The first group that decides
(supported, partially supported, contradicted) gives the verdict; failing that, the first
that addresses the claim only in part (not supported); failing that, not in the full
text. The deciding sentence is found again in the group's passages, whose location
("full text, Results, ¶4", "Table 2") the verdict carries.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ldn_evidence.verification.results import (
    CONTRADICTED,
    NOT_IN_ABSTRACT,
    NOT_SUPPORTED,
    PARTIALLY_SUPPORTED,
    SUPPORTED,
    UNCHECKED,
    ClaimInput,
    StudyInput,
    VerificationResult,
)
from ldn_evidence.verification.verdict import verify_claim
from ldn_evidence.vocab import PassageKind, SectionKind

DECISIVE = (SUPPORTED, PARTIALLY_SUPPORTED, CONTRADICTED)
"""Verdicts a group of the full text settles the claim with."""

# (passage kinds, section kinds, the label the engine reads), in the order they are read
_TIERS: tuple[tuple[frozenset[str], frozenset[str | None], str], ...] = (
    (frozenset({PassageKind.PARAGRAPH}), frozenset({SectionKind.RESULTS}), "RESULTS"),
    (frozenset({PassageKind.TABLE}), frozenset(), "RESULTS"),
    (frozenset({PassageKind.FIGURE}), frozenset(), "RESULTS"),
    (
        frozenset({PassageKind.PARAGRAPH}),
        frozenset({SectionKind.DISCUSSION, SectionKind.CONCLUSIONS}),
        "DISCUSSION",
    ),
    (frozenset({PassageKind.PARAGRAPH}), frozenset({SectionKind.OTHER, None}), ""),
)
_ABSTRACT_WORD = re.compile(r"\b([Tt])he abstract(?:'s)?\b|\babstract\b")


@dataclass(frozen=True, slots=True)
class Passage:
    """A passage as the check needs it: its text, where it is, what kind of passage it is,
    the kind of section holding it, and which top-level section (`group`) that is."""

    text: str
    location: str
    kind: str
    section_kind: str | None = None
    group: int | None = None


@dataclass(frozen=True, slots=True)
class FullTextResult:
    """The verdict on the full text and where its (first) deciding sentence is."""

    result: VerificationResult
    location: str | None


Group = tuple[str, list[Passage]]
"""A label the engine reads ("RESULTS", "DISCUSSION", or none) and the passages under it."""


def groups(passages: Sequence[Passage], *, with_abstract: bool = False) -> list[Group]:
    """The passages to check, grouped and ordered as the module docstring says; with
    `with_abstract` the article's own abstract comes first (for a study whose PubMed
    record has none)."""
    out: list[Group] = []
    if with_abstract:
        out.append(("", [p for p in passages if p.section_kind == SectionKind.ABSTRACT]))
    for kinds, sections, label in _TIERS:
        chosen = [
            p for p in passages if p.kind in kinds and (not sections or p.section_kind in sections)
        ]
        if kinds == {PassageKind.PARAGRAPH}:  # one group per top-level section
            by_group: dict[int | None, list[Passage]] = {}
            for p in chosen:
                by_group.setdefault(p.group, []).append(p)
            out.extend((label, g) for g in by_group.values())
        else:
            out.append((label, chosen))
    return [(label, g) for label, g in out if g]


def _text(label: str, group: list[Passage]) -> tuple[str, list[tuple[int, int, Passage]]]:
    """The group as one text, a passage a line (after its label), and where each is."""
    parts = [f"{label}:"] if label else []
    spans = []
    at = len(parts[0]) + 1 if parts else 0
    for p in group:
        text = " ".join(p.text.split("\n")) if p.kind == PassageKind.PARAGRAPH else p.text
        spans.append((at, at + len(text), p))
        parts.append(text)
        at += len(text) + 1
    return "\n".join(parts), spans


def _where(sentence: str, text: str, spans: list[tuple[int, int, Passage]]) -> str | None:
    at = text.find(sentence)
    if at < 0:
        return None
    return next((p.location for start, end, p in spans if start <= at < end), None)


def _in_full_text(result: VerificationResult) -> VerificationResult:
    """The engine's reason speaks of "the abstract": here it is the full text."""

    def swap(m: re.Match[str]) -> str:
        if m.group(1):
            return f"{m.group(1)}he full text" + ("'s" if m.group(0).endswith("'s") else "")
        return "full text"

    return replace(result, reason=_ABSTRACT_WORD.sub(swap, result.reason))


def verify_full_text(
    claim: ClaimInput,
    study: StudyInput,
    passages: Sequence[Passage],
    *,
    with_abstract: bool = False,
) -> FullTextResult:
    """The verdict on `claim` from the full text's `passages` (`study` gives the title and
    publication types; its abstract is not read here)."""
    fallback: FullTextResult | None = None
    for label, group in groups(passages, with_abstract=with_abstract):
        text, spans = _text(label, group)
        result = verify_claim(claim, replace(study, abstract=text))
        if result.verdict == UNCHECKED:
            return FullTextResult(result, None)  # the claim asserts nothing checkable
        if result.verdict in DECISIVE or (result.verdict == NOT_SUPPORTED and fallback is None):
            where = next(
                (loc for s in result.sentences if (loc := _where(s, text, spans))),
                group[0].location,
            )
            found = FullTextResult(_in_full_text(result), where)
            if result.verdict in DECISIVE:
                return found
            fallback = found
    if fallback is not None:
        return fallback
    return FullTextResult(
        VerificationResult(
            NOT_IN_ABSTRACT,
            [],
            None,
            "no passage of the full text (results, tables, figure legends, discussion) "
            "addresses the claim",
        ),
        None,
    )
