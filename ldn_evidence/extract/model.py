"""Plain records produced by the extraction layer: a page's text, sentences, claims, references.

All offsets (`start`, `end`) are character offsets into `PageText.text`, end exclusive,
so `page.text[x.start:x.end]` is always the span a record came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ldn_evidence.figures import Figure

CLAIM_KINDS = ("figure", "effect", "mechanism", "safety", "statement")


@dataclass(frozen=True, slots=True)
class Link:
    """A hyperlink: its visible text, its target, and where the text sits in the page text."""

    text: str
    href: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class PageText:
    """A page reduced to readable text: blocks separated by a blank line, links kept."""

    title: str | None
    text: str
    links: list[Link] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Marker:
    """A reference marker inside a claim: a footnote number, a link or a written-out ID.

    kind "footnote": `number` is the footnote number ("[1]", "¹", "(2)"; "[1-3]" gives
    three markers). kind "link": `href` is the link target. kind "id": `text` is the
    PMID / PMC ID / DOI as written ("PMID: 23359310").
    """

    kind: str  # "footnote" | "link" | "id"
    text: str
    start: int
    end: int
    number: int | None = None
    href: str | None = None


@dataclass(frozen=True, slots=True)
class ExtractedClaim:
    text: str  # the sentence, verbatim (whitespace runs collapsed)
    position: int  # 0-based order among the page's claims
    start: int
    end: int
    kind: str  # one of CLAIM_KINDS
    condition: str | None = None
    intervention: str | None = None
    dose: str | None = None
    outcome: str | None = None
    population: str | None = None
    figure: Figure | None = None
    markers: list[Marker] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class JournalCitation:
    """A journal citation as printed: "Arthritis Rheum. 2013;65(2):529-38"."""

    journal: str
    year: int
    volume: str | None = None
    issue: str | None = None
    first_page: str | None = None
    last_page: str | None = None
    author: str | None = None  # first author as printed, e.g. "Younger J"


@dataclass(frozen=True, slots=True)
class ExtractedReference:
    raw: str  # the reference as written (the whole entry, or the inline link text / ID)
    kind: str  # one of vocab.REFERENCE_KINDS
    position: int  # 0-based order among the page's references
    start: int
    end: int
    pmid: str | None = None
    pmcid: str | None = None  # "PMC1234567"
    doi: str | None = None
    url: str | None = None
    title: str | None = None
    citation: JournalCitation | None = None
    marker: str | None = None  # footnote number of a numbered list entry, e.g. "1"
    origin: str = "list"  # "list": a references-section entry; "inline": in the body text

    @property
    def is_study(self) -> bool:
        """A study-like reference: anything but a plain web link."""
        return self.kind != "web"
