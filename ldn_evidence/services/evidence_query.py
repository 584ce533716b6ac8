"""The PubMed query `evidence` runs for a claim (pure: no database, no network).

The topic comes from the claim's stored intervention and condition; a missing one is made
up from the claim's most informative content words, as the verification engine reads them
(`verification.engine.analyze_claim`); `--query` replaces the topic. The topic is then
restricted to the designs that can be stronger evidence, with PubMed's own filters:
systematic reviews and meta-analyses (``systematic[sb]``), randomized controlled trials
(``randomized controlled trial[pt]``) and the Clinical Queries therapy filter (narrow),
and to publication years from ``--since``. A given query that already names a subset,
publication type or filter is taken as it is (with ``--since`` still added).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ldn_evidence.errors import InputError

DESIGN_FILTER = "(systematic[sb] OR randomized controlled trial[pt] OR therapy/narrow[filter])"
"""PubMed's filters for the designs a claim's stronger evidence has."""
SOURCE_FIELDS = "the claim's intervention and condition"
SOURCE_MIXED = "the claim's {field} and words of its text"
SOURCE_TEXT = "words of the claim's text"
SOURCE_GIVEN = "given with --query"

MAX_TERMS = 3  # content words taken from a claim's text
MIN_WEIGHT = 2.0  # an informative word (rarer than everyday English); see text.word_weight
_OWN_FILTER = re.compile(r"\[(?:sb|pt|filter|publication type|subset|filters?)\]", re.I)
_UNSAFE = re.compile(r'["()\[\]*:;,{}]+')
_SURFACE = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’-]*")


@dataclass(frozen=True, slots=True)
class EvidenceQuery:
    """The query run (`term`), the topic it restricts, and where the topic came from."""

    term: str
    topic: str
    source: str


def build_query(
    *,
    claim_text: str,
    intervention: str | None = None,
    condition: str | None = None,
    since: int | None = None,
    query: str | None = None,
) -> EvidenceQuery:
    """The query for a claim; see the module docstring."""
    if query is not None and query.strip():
        topic, source = " ".join(query.split()), SOURCE_GIVEN
        term = topic if _OWN_FILTER.search(topic) else f"({topic}) AND {DESIGN_FILTER}"
    else:
        topic, source = claim_topic(claim_text, intervention, condition)
        term = f"{topic} AND {DESIGN_FILTER}"
    if since is not None:
        term += f" AND {int(since)}:3000[dp]"
    return EvidenceQuery(term=term, topic=topic, source=source)


def claim_topic(
    claim_text: str, intervention: str | None, condition: str | None
) -> tuple[str, str]:
    """(topic, where it came from): "(low-dose naltrexone) AND (fibromyalgia)"."""
    fields = {"intervention": _field(intervention), "condition": _field(condition)}
    have = {name: value for name, value in fields.items() if value}
    if len(have) == 2:
        return " AND ".join(f"({v})" for v in have.values()), SOURCE_FIELDS
    covered = _stems(" ".join(have.values()))
    words = [w for w in text_terms(claim_text) if not _stems(w) & covered]
    parts = [f"({v})" for v in have.values()] + words[: MAX_TERMS - len(have)]
    if not parts:
        raise InputError(
            "the claim has no intervention or condition stored and no informative words "
            "to search for: give --query"
        )
    if have:
        return " AND ".join(parts), SOURCE_MIXED.format(field=next(iter(have)))
    return " AND ".join(parts), SOURCE_TEXT


def text_terms(text: str) -> list[str]:
    """The claim's most informative content words as written (lower case), in the claim's
    order: the engine's terms (`analyze_claim(text).terms`) of weight `MIN_WEIGHT` or
    more, the `MAX_TERMS` heaviest."""
    from ldn_evidence.verification.engine import analyze_claim

    weights = analyze_claim(text).terms.weights
    ranked = sorted(weights, key=lambda t: -weights[t])
    chosen = {t for t in ranked if weights[t] >= MIN_WEIGHT} & set(ranked[:MAX_TERMS])
    out: list[str] = []
    for match in _SURFACE.finditer(text):
        surface = re.sub(r"['’]s$", "", match.group(0)).strip("'’-").lower()
        stems = _stems(surface)
        if surface and stems & chosen:
            out.append(surface)
            chosen -= stems
    return out


def _stems(text: str) -> set[str]:
    from ldn_evidence.verification.text import stem, words

    return {stem(w) for w in words(text)}


def _field(value: str | None) -> str:
    """A stored field as a safe untagged PubMed term: lower case (no accidental AND/OR/NOT),
    without quotes, brackets, wildcards or list punctuation."""
    return " ".join(_UNSAFE.sub(" ", value or "").lower().split())
