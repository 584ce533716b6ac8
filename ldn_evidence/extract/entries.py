"""One reference-list entry → an `ExtractedReference`: identifiers, URL, journal citation,
title, kind.

Kind, by the first that applies: "pubmed" (a PMID in the text or a link), "pmc", "doi",
"citation" (a journal citation), "title" (the entry reads as a study title — study words
such as "trial", "pilot study", "randomized", or an intervention and a condition — or it
has a title and no URL), "web" (a URL, perhaps with a page title). An entry with none of
these (a stray line of prose) is not a reference.

Title: the journal citation's title; else the entry's text with its number, URLs, IDs,
"Abstract available at :" phrases and a leading author list ("Smith J, Doe A.") removed,
when that reads as a title (3–80 words, starts
with a capital, not prose addressed to the reader, not navigation or a call to action).
"""

from __future__ import annotations

import re

from ldn_evidence.extract.citations import authors_and_title, parse_citation
from ldn_evidence.extract.furniture import is_call_to_action, is_legal, is_navigation
from ldn_evidence.extract.identifiers import first_doi, first_pmcid, first_pmid, id_spans
from ldn_evidence.extract.model import ExtractedReference, Link
from ldn_evidence.extract.urls import URL_RE, find_urls
from ldn_evidence.extract.vocabulary import conditions_in, interventions_in

_AVAILABLE = re.compile(
    r"(?:\b(?:abstract|full[\s-]?text|article|study|paper|pdf|summary)\s+)?(?:is\s+)?"
    r"\b(?:available|accessible|found)\s+(?:at|from|online|here)\b\s*:?"
    r"|\bretrieved\s+(?:on\s+\S+\s+)?from\b\s*:?"
    r"|\b(?:link|source|url|read\s+more|abstract|full\s+text)\s*:"
    r"|\baccessed(?:\s+on)?\s+[A-Z]?[a-z]*\.?\s*\d{1,2},?\s+\d{4}",
    re.IGNORECASE,
)
_ID_LABEL = re.compile(r"\b(?:PMID|PMCID|PubMed\s+ID|doi|DOI)\s*[:#]?\s*$")
_PROSE = re.compile(r"\b(?:you|your|we|our|click\s+here)\b", re.IGNORECASE)
_STUDY_WORDS = re.compile(
    r"\b(?:stud(?:y|ies)|trials?|randomi[sz]ed|placebo|pilot|cohort|meta-analysis|systematic"
    r"|review|case\s+(?:report|series)|double-blind|crossover|clinical|efficacy|patients"
    r"|effects?\s+of|treatment\s+of|versus|evaluation|assessment)\b",
    re.IGNORECASE,
)
_AUTHORS_ONLY = re.compile(r"\bet\.?\s+al\b", re.IGNORECASE)
_MIN_TITLE_WORDS, _MAX_TITLE_WORDS = 3, 80
_MAX_AUTHOR_ONLY_WORDS = 5


def reads_as_title(text: str) -> bool:
    words = text.split()
    if not (_MIN_TITLE_WORDS <= len(words) <= _MAX_TITLE_WORDS):
        return False
    if not (text[:1].isupper() or text[:1].isdigit() or text[:1] in "“\"'"):
        return False
    letters = sum(ch.isalpha() for ch in text)
    if letters < 0.6 * len(text.replace(" ", "")):
        return False
    if _PROSE.search(text) or URL_RE.search(text):
        return False
    if _AUTHORS_ONLY.search(text) and len(words) <= _MAX_AUTHOR_ONLY_WORDS:
        return False  # "Younger et al."
    return not (is_navigation(text) or is_call_to_action(text) or is_legal(text))


def is_study_title(title: str) -> bool:
    return bool(_STUDY_WORDS.search(title) or (interventions_in(title) and conditions_in(title)))


def _strip_ids_and_urls(text: str) -> str:
    """The entry without URLs, PMIDs/DOIs (and their labels) or "available at" phrases."""
    spans = [(s, e) for s, e, _ in find_urls(text)]
    spans += [(f.start, f.end) for f in id_spans(text)]
    for start, end in sorted(spans, reverse=True):
        label = _ID_LABEL.search(text, 0, start)
        if label:
            start = label.start()
        text = text[:start] + " " + text[end:]
    text = _AVAILABLE.sub(" ", text)
    return " ".join(text.split())


def title_of(text: str) -> str | None:
    """The title an entry (or a link's text) gives, when it reads as one."""
    candidate = _strip_ids_and_urls(text)
    author, rest = authors_and_title(candidate)
    if author and rest:
        candidate = rest
    candidate = re.sub(r"(?:\s*[.,;:|\-–—]+\s*)+$", "", candidate)
    candidate = candidate.strip(" \"'“”()[]")
    return candidate if reads_as_title(candidate) else None


def parse_entry(
    raw: str,
    start: int,
    end: int,
    links: list[Link],
    *,
    marker: str | None = None,
    origin: str = "list",
) -> ExtractedReference | None:
    """Read one entry (its text without the number) and the links inside it."""
    hrefs = [link.href for link in links]
    searchable = " ".join([raw, *hrefs])
    pmid, pmcid, doi = first_pmid(searchable), first_pmcid(searchable), first_doi(searchable)
    bare = [url for _, _, url in find_urls(raw)]
    url = _best_url(hrefs + bare, pmid, pmcid, doi)
    parsed = parse_citation(_strip_urls(raw))
    title = parsed.title if parsed and parsed.title else title_of(raw)
    if title is None and links:
        title = next((t for t in (title_of(link.text) for link in links) if t), None)
    if pmid:
        kind = "pubmed"
    elif pmcid:
        kind = "pmc"
    elif doi:
        kind = "doi"
    elif parsed:
        kind = "citation"
    elif title and (not url or is_study_title(title)):
        kind = "title"
    elif url:
        kind = "web"
    else:
        return None
    return ExtractedReference(
        raw=raw,
        kind=kind,
        position=0,
        start=start,
        end=end,
        pmid=pmid,
        pmcid=pmcid,
        doi=doi,
        url=url,
        title=title,
        citation=parsed.citation if parsed else None,
        marker=marker,
        origin=origin,
    )


def _strip_urls(text: str) -> str:
    return " ".join(URL_RE.sub(" ", text).split())


def _best_url(urls: list[str], pmid: str | None, pmcid: str | None, doi: str | None):
    """The URL that carries the identifier, else the first one."""
    for url in urls:
        if (pmid and pmid in url) or (pmcid and pmcid in url) or (doi and "doi" in url.lower()):
            return url
    return urls[0] if urls else None
