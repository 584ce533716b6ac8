"""`extract_claims`: the sentences of a page that assert an effect, a mechanism, a safety
finding or a figure (rules in `claim_rules`), with what they are about.

Fields, each from the sentence first:
- intervention: the first one the sentence names (vocabulary); else the page's main
  intervention (the most mentioned, title counted three times) — so "it" and
  "participants also reported…" get the page's subject. Never one only another sentence
  names: a claim does not inherit the previous sentence's intervention.
  "naltrexone" alone is "low-dose naltrexone" on a page about LDN or at a dose ≤ 5 mg.
- dose: from the sentence, else from its paragraph ("4.5 mg").
- condition: the sentence's, else its paragraph's, else the page's main condition.
- outcome, population: from the sentence only (vocabulary order decides between several).
- figure: `parse_claim_figure`; markers: footnote numbers and links inside the sentence.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from ldn_evidence.extract.claim_rules import classify_why
from ldn_evidence.extract.markers import find_markers
from ldn_evidence.extract.model import ExtractedClaim, PageText
from ldn_evidence.extract.sections import BODY, SectionMap
from ldn_evidence.extract.vocabulary import (
    LDN,
    LDN_MAX_DOSE_MG,
    Term,
    conditions_in,
    count_mentions,
    dose_in,
    dose_mg,
    interventions_in,
    outcome_in,
    population_in,
)
from ldn_evidence.figures import parse_claim_figure
from ldn_evidence.sentences import MAX_SENTENCE, PAGE, Sentence, split_sentences

_TITLE_WEIGHT = 3


@dataclass(frozen=True, slots=True)
class PageSubject:
    """What the page is about: its most mentioned intervention and condition."""

    intervention: str | None
    condition: str | None


def _most_mentioned(kind: str, body: str, title: str) -> str | None:
    counts = Counter(count_mentions(kind, body))
    for name, count in count_mentions(kind, title).items():
        counts[name] += _TITLE_WEIGHT * count
    if kind == "interventions" and counts[LDN]:
        counts[LDN] += counts.pop("naltrexone", 0)
    best = [(count, name) for name, count in counts.items() if count > 0]
    if not best:
        return None
    top = max(count for count, _ in best)
    tied = {name for count, name in best if count == top}
    first = [
        t.name
        for t in (interventions_in if kind == "interventions" else conditions_in)(
            title + "\n" + body
        )
        if t.name in tied
    ]
    return first[0] if first else sorted(tied)[0]


def page_subject(page: PageText, sentences: list[Sentence], sections: SectionMap) -> PageSubject:
    body = "\n".join(s.text for s in sentences if sections.kind_at(s.start) == BODY)
    title = page.title or ""
    return PageSubject(
        intervention=_most_mentioned("interventions", body, title),
        condition=_most_mentioned("conditions", body, title),
    )


def _intervention(sentence: str, dose: str | None, subject: PageSubject) -> str | None:
    """The intervention the sentence names, else the page's; never one that only another
    sentence names ("Duloxetine is approved. In a trial, 60% improved." is not about
    duloxetine)."""
    found = interventions_in(sentence)
    if not found:
        return subject.intervention
    name = found[0].name
    if name == "naltrexone":
        mg = dose_mg(dose)
        if subject.intervention == LDN or (mg is not None and mg <= LDN_MAX_DOSE_MG):
            name = LDN
    return name


def _condition(
    sentence: str, paragraph: Callable[[], list[Term]], subject: PageSubject
) -> str | None:
    for found_in in (lambda: conditions_in(sentence), paragraph):
        found = found_in()
        if found:
            return found[0].name
    return subject.condition


def _own_line(text: str, sentence: Sentence, newlines: list[int]) -> bool:
    # The line's ends by bisection in the newline offsets: searching the text itself from
    # every sentence is quadratic on a long page without line breaks.
    i = bisect.bisect_left(newlines, sentence.start)
    before = newlines[i - 1] if i else -1
    j = bisect.bisect_left(newlines, sentence.end)
    after = newlines[j] if j < len(newlines) else len(text)
    line = text[before + 1 : after]
    return line.strip() == text[sentence.start : sentence.end].strip()


class _Paragraphs:
    """What each paragraph names, worked out once per paragraph (not once per sentence:
    a page-long paragraph of N claims would be scanned N times)."""

    def __init__(self, sentences: list[Sentence]) -> None:
        self._sentences: dict[int, list[str]] = {}
        for sentence in sentences:
            self._sentences.setdefault(sentence.paragraph_index, []).append(sentence.text)
        self._cache: dict[tuple[str, int], Any] = {}

    def _get(self, what: str, index: int, find: Callable[[str], Any]) -> Any:
        key = (what, index)
        if key not in self._cache:
            text = self._cache.get(("text", index))
            if text is None:
                text = self._cache[("text", index)] = " ".join(self._sentences[index])
            self._cache[key] = find(text)
        return self._cache[key]

    def dose(self, index: int) -> str | None:
        return self._get("dose", index, dose_in)

    def conditions(self, index: int) -> list[Term]:
        return self._get("conditions", index, conditions_in)


@dataclass(frozen=True, slots=True)
class SkippedSentence:
    """A body sentence with a citation marker or a figure that is not a claim, and why."""

    text: str
    start: int
    reason: str


def extract_claims(page: PageText) -> list[ExtractedClaim]:
    """The page's claims, in page order, `position` counting from 0."""
    return extract_claims_and_skipped(page)[0]


def extract_claims_and_skipped(
    page: PageText,
) -> tuple[list[ExtractedClaim], list[SkippedSentence]]:
    """The page's claims (as `extract_claims`) and the sentences with a citation marker or
    a figure that were not taken, with why."""
    text = page.text
    sentences = split_sentences(text, PAGE)
    sections = SectionMap(text)
    subject = page_subject(page, sentences, sections)
    paragraphs = _Paragraphs(sentences)
    newlines = [m.start() for m in re.finditer("\n", text)]

    claims: list[ExtractedClaim] = []
    skipped: list[SkippedSentence] = []
    for sentence in sentences:
        if sections.kind_at(sentence.start) != BODY:
            continue
        markers = find_markers(text, sentence.start, sentence.end, page.links)
        if len(sentence.text) > MAX_SENTENCE:
            if markers or parse_claim_figure(sentence.text):
                reason = f"longer than {MAX_SENTENCE} characters"
                skipped.append(SkippedSentence(sentence.text[:200], sentence.start, reason))
            continue
        kind, figure, why = classify_why(
            sentence.text, own_line=_own_line(text, sentence, newlines), cited=bool(markers)
        )
        if kind is None:
            if why and (markers or parse_claim_figure(sentence.text)):
                skipped.append(SkippedSentence(sentence.text, sentence.start, why))
            continue
        index = sentence.paragraph_index
        dose = dose_in(sentence.text) or paragraphs.dose(index)
        claims.append(
            ExtractedClaim(
                text=sentence.text,
                position=len(claims),
                start=sentence.start,
                end=sentence.end,
                kind=kind,
                condition=_condition(sentence.text, partial(paragraphs.conditions, index), subject),
                intervention=_intervention(sentence.text, dose, subject),
                dose=dose,
                outcome=outcome_in(sentence.text),
                population=population_in(sentence.text),
                figure=figure,
                markers=markers,
            )
        )
    return claims, skipped
