"""Study identifiers in text and URLs: PubMed IDs, PMC IDs and DOIs.

PMIDs: ncbi.nlm.nih.gov/pubmed/N, …/pubmed/?term=N, pubmed.ncbi.nlm.nih.gov/N/,
…/entrez/query.fcgi?…list_uids=N, "PMID: N", "PMID N", "PubMed ID: N".
PMC IDs: "PMC1234567" alone or in …/pmc/articles/PMC1234567/ (returned as "PMC1234567").
DOIs: "doi:10.…", https://doi.org/10.…, dx.doi.org, publisher URLs with /doi/10.…;
percent-escapes decoded, trailing punctuation and "/full", "/abstract", "/pdf" stripped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

from ldn_evidence.extract.urls import trim_url
from ldn_evidence.textsafe import url_problem
from ldn_evidence.vocab import DOI_MAX, normalize_pmid

PMID_RE = re.compile(
    r"(?:(?:www\.)?ncbi\.nlm\.nih\.gov/(?:m/)?pubmed|pubmed\.ncbi\.nlm\.nih\.gov)"
    r"/?(?:\?(?:[^\s\"<>]*?&)?term=|(?:abstract/)?)(?P<url_id>\d{1,9})(?!\d|\.\d)"
    r"|list_uids=(?P<uid>\d{1,9})(?!\d)"
    r"|\b(?:PMID|PubMed\s+ID|PubMed\s+PMID)\s*[:#-]?\s*(?P<label_id>\d{1,9})(?!\d|\.\d)",
    re.IGNORECASE,
)
PMCID_RE = re.compile(r"(?<![A-Za-z0-9])PMC\s?(?P<digits>\d{3,9})(?!\d)")
DOI_RE = re.compile(r"(?<![\w.])(?P<doi>10\.\d{4,9}/[^\s\"<>]+)")
DOI_PERCENT_RE = re.compile(r"(?P<doi>10\.\d{4,9}%2F[^\s\"<>]+)", re.IGNORECASE)
_DOI_SUFFIXES = re.compile(r"/(?:full|abstract|pdf|epdf|fulltext|html|summary|meta)/?$", re.I)


@dataclass(frozen=True, slots=True)
class Found:
    value: str
    start: int
    end: int


def find_pmids(text: str) -> list[Found]:
    found = []
    for match in PMID_RE.finditer(text):
        group = next(g for g in ("url_id", "uid", "label_id") if match.group(g))
        value = normalize_pmid(match.group(group))
        if value is not None:
            found.append(Found(value, match.start(), match.end()))
    return found


def find_pmcids(text: str) -> list[Found]:
    return [Found("PMC" + m["digits"], m.start(), m.end()) for m in PMCID_RE.finditer(text)]


def clean_doi(raw: str) -> str | None:
    doi = trim_url(unquote(raw))
    doi = doi.split("?", 1)[0].split("#", 1)[0]
    while True:
        stripped = _DOI_SUFFIXES.sub("", doi)
        stripped = trim_url(stripped.rstrip("/"))
        if stripped == doi:
            break
        doi = stripped
    _, _, suffix = doi.partition("/")
    if not suffix or len(doi) > DOI_MAX or url_problem(doi):  # %0A, %1B … decoded
        return None
    return doi


_DOI_LABEL = re.compile(r"\b(?:doi|DOI)\s*:?\s*$")


def find_dois(text: str) -> list[Found]:
    """DOIs; a span covers a "doi:" label before it and stops before trailing punctuation."""
    found = []
    for pattern in (DOI_RE, DOI_PERCENT_RE):
        for match in pattern.finditer(text):
            doi = clean_doi(match["doi"])
            if doi:
                start = match.start()
                label = _DOI_LABEL.search(text, max(0, start - 8), start)
                if label:
                    start = label.start()
                end = match.start() + len(trim_url(match["doi"]))
                found.append(Found(doi, start, end))
    return sorted(found, key=lambda f: f.start)


def first_pmid(*texts: str) -> str | None:
    for text in texts:
        found = find_pmids(text)
        if found:
            return found[0].value
    return None


def first_pmcid(*texts: str) -> str | None:
    for text in texts:
        found = find_pmcids(text)
        if found:
            return found[0].value
    return None


def first_doi(*texts: str) -> str | None:
    for text in texts:
        found = find_dois(text)
        if found:
            return found[0].value
    return None


def id_spans(text: str) -> list[Found]:
    """Every PMID, PMC ID and DOI in `text` (URLs included), by position."""
    spans: list[Found] = []
    for finder in (find_pmids, find_pmcids, find_dois):
        spans.extend(finder(text))
    return sorted(spans, key=lambda f: f.start)
