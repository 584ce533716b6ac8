"""Journal citations as printed, in the two styles health pages copy:

NLM / Vancouver (PubMed's own):
    Younger J, Mackey S. Fibromyalgia symptoms are reduced by low-dose naltrexone: a pilot
    study. Pain Med. 2009 Jun;10(4):663-72.   ·   Arthritis Rheum. 2013;65(2):529-38
    journal = the text between the previous full stop and the year ("Pain Med"; the
    Lancet form "Pain Med 2009; 10: 663–72" too); title = the sentence(s) before it; first
    author = the first name of an author list ("Younger J"); a short last page ("529-38")
    is written out ("538").
APA:
    Younger, J., Noor, N., McCue, R., & Mackey, S. (2013). Low-dose naltrexone for the
    treatment of fibromyalgia … Arthritis & Rheumatism, 65(2), 529–538.

Journal names written with full stops ("J. Pain.") keep only their last part — PubMed's
abbreviations have none, which is what pages copy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ldn_evidence.extract.identifiers import id_spans
from ldn_evidence.extract.model import JournalCitation
from ldn_evidence.extract.urls import URL_RE

_PAGES = r"(?P<first>[A-Za-z]?\d+)(?:\s*[-–]\s*(?P<last>[A-Za-z]?\d+))?"
_NLM_ANCHOR = re.compile(
    r"(?<!\d)(?P<year>(?:19|20)\d{2})(?:\s+[A-Z][a-z]{2,8}(?:[-/][A-Z][a-z]{2,8})?"
    r"(?:\s+\d{1,2})?)?\s*;\s*(?P<volume>\d{1,5}(?:\s*Suppl\s*\d*)?)?\s*"
    r"(?:\((?P<issue>[^()]{1,20})\))?\s*(?::\s*" + _PAGES + r")?"
)
_APA = re.compile(
    r"\((?P<year>(?:19|20)\d{2})[a-z]?(?:,[^)]{1,20})?\)\.?\s+(?P<title>[^\n]{3,400}?[.?!])\s+"
    r"(?P<journal>[A-Z][^.,;()\n]{1,80}?),\s*(?P<volume>\d{1,5})\s*"
    r"(?:\((?P<issue>[^()]{1,20})\))?,\s*" + _PAGES
)
_AUTHOR = r"[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+)*\s+[A-Z]{1,3}"
_NLM_AUTHORS = re.compile(rf"^{_AUTHOR}(?:\s*,\s*{_AUTHOR})*(?:\s*,?\s*et\s+al)?\.?$")
_SENTENCE_BREAK = re.compile(r"(?<=[.?!])\s+(?=[A-Z0-9“\"'(\[])")
_MAX_JOURNAL_WORDS = 10


@dataclass(frozen=True, slots=True)
class ParsedCitation:
    citation: JournalCitation
    title: str | None


def _clean(text: str) -> str:
    return " ".join(text.split()).strip(" .,;:")


def _nlm(text: str) -> ParsedCitation | None:
    for anchor in _NLM_ANCHOR.finditer(text):
        if not anchor["volume"]:
            continue
        before = text[: anchor.start()].rstrip()
        if before.endswith("."):
            before = before[:-1].rstrip()
        elif not anchor["first"]:
            continue  # without the full stop, only "Journal 2009; 10: 663-72" with pages
        breaks = list(_SENTENCE_BREAK.finditer(before))
        journal_start = breaks[-1].end() if breaks else 0
        journal = _clean(before[journal_start:])
        if not journal or not journal[0].isupper() or len(journal.split()) > _MAX_JOURNAL_WORDS:
            continue
        author, title = authors_and_title(before[:journal_start])
        citation = JournalCitation(
            journal=journal,
            year=int(anchor["year"]),
            volume=_clean(anchor["volume"] or "") or None,
            issue=_clean(anchor["issue"] or "") or None,
            first_page=anchor["first"],
            last_page=_full_last_page(anchor["first"], anchor["last"]),
            author=author,
        )
        return ParsedCitation(citation, title)
    return None


def _full_last_page(first: str | None, last: str | None) -> str | None:
    """ "529-38" → "538": the last page printed in short form, written out."""
    if first and last and first.isdigit() and last.isdigit() and len(last) < len(first):
        return first[: len(first) - len(last)] + last
    return last


def authors_and_title(text: str) -> tuple[str | None, str | None]:
    """("Younger J", "Title") from "Younger J, Mackey S. Title."; author None without a list."""
    parts = [p for p in _SENTENCE_BREAK.split(text.strip()) if p.strip()]
    if not parts:
        return None, None
    author = None
    if _NLM_AUTHORS.match(parts[0].strip()):
        author = _clean(re.sub(r"\s+et\s+al\b.*$", "", parts[0].split(",")[0]))
        parts = parts[1:]
    title = _clean(" ".join(parts)) or None
    return author, title


def _apa_first_author(text: str) -> str | None:
    match = re.match(r"\s*([A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+)*),\s*((?:[A-Z]\.\s*-?)+)", text)
    if not match:
        return None
    initials = re.sub(r"[^A-Z]", "", match[2])
    return f"{match[1]} {initials}"


def _apa(text: str) -> ParsedCitation | None:
    match = _APA.search(text)
    if not match:
        return None
    citation = JournalCitation(
        journal=_clean(match["journal"]),
        year=int(match["year"]),
        volume=match["volume"],
        issue=_clean(match["issue"] or "") or None,
        first_page=match["first"],
        last_page=_full_last_page(match["first"], match["last"]),
        author=_apa_first_author(text[: match.start()]),
    )
    return ParsedCitation(citation, _clean(match["title"]) or None)


def parse_citation(text: str) -> ParsedCitation | None:
    """The journal citation in one reference entry (URLs removed first), or None."""
    if len(text) > 2000:
        text = text[:2000]
    return _nlm(text) or _apa(text)


_YEARISH = re.compile(r"\((?:19|20)\d{2}[a-z]?\)|\b(?:19|20)\d{2}\s*[;:]|\bet\s+al\b")


def is_citation_like(text: str) -> bool:
    """Does a line read as a reference: an ID, a URL, a journal citation, "(2013)", "et al"?"""
    return bool(
        id_spans(text) or URL_RE.search(text) or _YEARISH.search(text) or parse_citation(text)
    )
