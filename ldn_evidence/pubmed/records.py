"""Typed records produced by the PubMed XML parser: plain dataclasses, no ORM.

These are the contract between `parser.py` and the services that store studies.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

RETRACTION_LINK_TYPES = frozenset({"RetractionIn", "ExpressionOfConcernIn", "ErratumIn"})


@dataclass(frozen=True, slots=True)
class AbstractSection:
    text: str
    label: str | None = None
    category: str | None = None  # NlmCategory, e.g. BACKGROUND, METHODS, UNASSIGNED


@dataclass(frozen=True, slots=True)
class Author:
    last_name: str | None = None
    fore_name: str | None = None
    initials: str | None = None
    collective_name: str | None = None
    orcid: str | None = None  # bare 0000-0000-0000-0000 form
    affiliations: tuple[str, ...] = ()

    @property
    def display_name(self) -> str:
        if self.collective_name:
            return self.collective_name
        return " ".join(p for p in (self.last_name, self.initials or self.fore_name) if p)


@dataclass(frozen=True, slots=True)
class PublicationType:
    name: str
    ui: str | None = None


@dataclass(frozen=True, slots=True)
class MeshQualifier:
    name: str
    ui: str | None = None
    major_topic: bool = False


@dataclass(frozen=True, slots=True)
class MeshTerm:
    descriptor_name: str
    descriptor_ui: str | None = None
    major_topic: bool = False
    qualifiers: tuple[MeshQualifier, ...] = ()


@dataclass(frozen=True, slots=True)
class Keyword:
    text: str
    major_topic: bool = False
    owner: str | None = None


@dataclass(frozen=True, slots=True)
class StudyLink:
    """One CommentsCorrections entry: RetractionIn, ErratumIn, CommentIn, UpdateIn …"""

    ref_type: str
    pmid: str | None = None
    ref_source: str | None = None


@dataclass(slots=True)
class ArticleRecord:
    """One `PubmedArticle` or `PubmedBookArticle`."""

    pmid: str
    pmid_version: int = 1
    kind: str = "article"  # "article" | "book"
    title: str = ""
    abstract_sections: list[AbstractSection] = field(default_factory=list)
    journal_title: str | None = None  # for books: the book title
    journal_iso: str | None = None
    issn: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    pub_year: int | None = None
    pub_date: str | None = None  # as printed: "2009 Mar-Apr", "2013 Feb", "2018 Sep 12"
    article_date: str | None = None  # electronic date, ISO "YYYY-MM-DD" when complete
    languages: list[str] = field(default_factory=list)
    authors: list[Author] = field(default_factory=list)
    article_ids: dict[str, str] = field(default_factory=dict)  # the article's own: doi, pmc, pii …
    publication_types: list[PublicationType] = field(default_factory=list)
    mesh_terms: list[MeshTerm] = field(default_factory=list)
    keywords: list[Keyword] = field(default_factory=list)
    links: list[StudyLink] = field(default_factory=list)
    publisher: str | None = None  # books
    raw_xml: bytes = b""
    line: int | None = field(default=None, compare=False)  # where the record starts

    @property
    def abstract(self) -> str:
        """The whole abstract as plain text; labelled sections as 'LABEL: text'."""
        parts = []
        for s in self.abstract_sections:
            parts.append(f"{s.label}: {s.text}" if s.label else s.text)
        return "\n".join(parts)

    @property
    def doi(self) -> str | None:
        return self.article_ids.get("doi")

    @property
    def pmcid(self) -> str | None:
        return self.article_ids.get("pmc")

    @property
    def language(self) -> str | None:
        return self.languages[0] if self.languages else None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.raw_xml).hexdigest()

    @property
    def retracted(self) -> bool:
        return any(t.name == "Retracted Publication" for t in self.publication_types) or any(
            link.ref_type == "RetractionIn" for link in self.links
        )


@dataclass(frozen=True, slots=True)
class RejectedRecord:
    """A record refused on its own, the rest of the file still read: a PMID that is not
    a PMID, more elements than any real record has, a field longer than the database
    keeps. `pmid` is as written (None when there is none)."""

    kind: str  # "PubmedArticle", "PubmedBookArticle", "DeleteCitation"
    pmid: str | None
    line: int | None
    reason: str  # names the record: "PubmedArticle PMID 31 has more than 200,000 elements"

    def describe(self, source: str) -> str:
        """ "FILE, line 12: PubmedArticle PMID 31 has more than 200,000 elements"."""
        at = f", line {self.line}" if self.line else ""
        return f"{source}{at}: {self.reason}"


@dataclass(frozen=True, slots=True)
class DeletedCitation:
    """A `DeleteCitation` block of an update file: these PMIDs are withdrawn."""

    pmids: tuple[str, ...]
