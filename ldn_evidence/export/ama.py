"""AMA-style reference strings, as pharmacists and prescribers expect to read them.

    Younger J, Noor N, McCue R, Mackey S. Low-dose naltrexone for the treatment of
    fibromyalgia. Arthritis Rheum. 2013;65(2):529-38. doi:10.1002/art.37734. PMID: 23359310

Authors: up to six are listed, then "et al". Pages are kept as PubMed prints them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

MAX_AUTHORS = 6


class _Name(Protocol):
    @property
    def family(self) -> str | None: ...
    @property
    def given(self) -> str | None: ...
    @property
    def initials(self) -> str | None: ...
    @property
    def literal(self) -> str | None: ...


def initials_of(given: str | None) -> str:
    """ "Jarred" -> "J", "Mary-Ann Lou" -> "MAL" (used when PubMed gives no initials)."""
    if not given:
        return ""
    parts = given.replace("-", " ").replace(".", " ").split()
    return "".join(p[0].upper() for p in parts if p)


def ama_author(author: _Name) -> str:
    if author.literal:
        return author.literal.strip()
    initials = (author.initials or initials_of(author.given)).replace(".", "").replace(" ", "")
    return " ".join(p for p in ((author.family or "").strip(), initials) if p)


def ama_authors(authors: Sequence[_Name]) -> str:
    names = [n for n in (ama_author(a) for a in authors) if n]
    if len(names) > MAX_AUTHORS:
        return ", ".join(names[:MAX_AUTHORS]) + ", et al"
    return ", ".join(names)


def _sentence(text: str | None) -> str:
    text = " ".join((text or "").split())
    if text and text[-1] not in ".?!":
        text += "."
    return text


def ama_citation(
    *,
    authors: Sequence[_Name],
    title: str | None,
    journal_iso: str | None,
    journal: str | None,
    year: int | None,
    volume: str | None,
    issue: str | None,
    pages: str | None,
    doi: str | None,
    pmid: str | None,
    pmcid: str | None = None,
) -> str:
    parts = [_sentence(ama_authors(authors)), _sentence(title)]
    parts.append(_sentence(journal_iso or journal))
    where = str(year) if year else ""
    if volume:
        where += f";{volume}"
        if issue:
            where += f"({issue})"
    elif issue:
        where += f";({issue})"
    if pages:
        where += f":{pages}"
    parts.append(_sentence(where))
    ids = [f"doi:{doi.strip()}" if doi else "", f"PMID: {pmid}" if pmid else ""]
    ids.append(f"PMCID: {pmcid}" if pmcid else "")
    parts.append(". ".join(i for i in ids if i))
    return " ".join(p for p in parts if p)
