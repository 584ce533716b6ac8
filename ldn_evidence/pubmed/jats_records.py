"""Typed records produced by the JATS (PubMed Central full text) parser: plain dataclasses.

These are the contract between `jats.py` and the services that store and check full texts.
A `FullTextRecord` holds the article's sections (a tree, flattened in document order with
each section's parent) and its passages in reading order: paragraphs, tables as text,
figure captions and footnotes. `location()` says where a passage is, the way a reader
finds it in the article: "full text, Results › Pain, ¶4", "Table 2", "Figure 1 legend".
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ldn_evidence.vocab import PassageKind, SectionKind

_CC = re.compile(
    r"creativecommons\.org/(?:licenses/(?P<terms>[a-z-]+)/(?P<v>[\d.]+)"
    r"|publicdomain/(?P<pd>zero|mark)/(?P<pdv>[\d.]+))",
    re.IGNORECASE,
)
_CC_WORDS = (  # licence wording without a link, most specific first
    ("attribution-noncommercial-noderivatives", "CC BY-NC-ND"),
    ("attribution-noncommercial-sharealike", "CC BY-NC-SA"),
    ("attribution-noncommercial-no derivatives", "CC BY-NC-ND"),
    ("attribution-noncommercial", "CC BY-NC"),
    ("attribution non-commercial", "CC BY-NC"),
    ("attribution-noderivatives", "CC BY-ND"),
    ("attribution-sharealike", "CC BY-SA"),
    ("attribution", "CC BY"),
)


@dataclass(frozen=True, slots=True)
class License:
    """The article's `<license>`: its address (`xlink:href` or `ali:license_ref`), its
    `license-type` and its text."""

    url: str | None = None
    type: str | None = None
    text: str | None = None

    @property
    def name(self) -> str:
        """A short name: "CC BY 4.0", "CC BY-NC 3.0", "CC0 1.0", "public domain mark",
        else the licence type, else the start of its text."""
        m = _CC.search(self.url or "") or _CC.search(self.text or "")
        if m and m.group("terms"):
            return f"CC {m.group('terms').upper()} {m.group('v')}"
        if m:
            return "CC0 " + m.group("pdv") if m.group("pd") == "zero" else "public domain mark"
        words = " ".join((self.text or "").lower().split())
        if "creative commons" in words:
            for phrase, short in _CC_WORDS:
                if phrase in words:
                    return short
        if "public domain" in words:
            return "public domain"
        if self.type:
            return self.type
        text = " ".join((self.text or "").split())
        return text if len(text) <= 80 else text[:79] + "…"


@dataclass(frozen=True, slots=True)
class Section:
    """A `<sec>` (or the abstract): its title, what kind of section it is
    (`vocab.SECTION_KINDS`), its depth (0 at the top) and its parent's index."""

    title: str
    kind: str
    depth: int = 0
    parent: int | None = None


@dataclass(frozen=True, slots=True)
class Passage:
    """One unit of text (`vocab.PASSAGE_KINDS`).

    `section` is the index of the innermost section holding it (None: outside any
    section). `number` counts paragraphs within that section (¶1, ¶2 …), and tables,
    figures and footnotes through the whole article. `cells` is a table's cell count.
    """

    kind: str
    text: str
    section: int | None
    number: int
    label: str | None = None
    cells: int = 0


@dataclass(slots=True)
class FullTextRecord:
    """One `<article>`: identity, licence, and its text unless PMC withheld the body."""

    pmcid: str | None = None  # "PMC3166277"
    pmid: str | None = None
    doi: str | None = None
    title: str = ""
    article_type: str | None = None
    license: License | None = None
    copyright: str | None = None
    has_body: bool = False
    notice: str | None = None  # PMC's "The publisher of this article does not allow …"
    sections: list[Section] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    raw_xml: bytes = b""

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.raw_xml).hexdigest()

    @property
    def is_open(self) -> bool:
        """Whether the article's text is here: a body with text beyond the abstract (PMC
        sends the front matter only for an article whose publisher allows no XML)."""
        return self.has_body and any(
            p.section is None or self.sections[p.section].kind != SectionKind.ABSTRACT
            for p in self.passages
        )

    def location(self, passage: Passage) -> str:
        return location(passage.kind, passage.number, passage.label, self.path(passage.section))

    def path(self, index: int | None) -> list[str]:
        """Titles from the top-level section down to section `index`."""
        return section_path([(s.title, s.parent) for s in self.sections], index)


def section_path(sections: Sequence[tuple[str, int | None]], index: int | None) -> list[str]:
    """Titles from the top down to `sections[index]`, given (title, parent index) pairs in
    document order; untitled sections are left out."""
    titles: list[str] = []
    while index is not None and 0 <= index < len(sections):
        title, parent = sections[index]
        if title:
            titles.append(title)
        # a parent comes before its children: anything else is a damaged chain, ended here
        index = parent if parent is not None and parent < index else None
    return titles[::-1]


def location(kind: str, number: int, label: str | None, path: Sequence[str]) -> str:
    """Where a passage is: "full text, Results › Pain, ¶4" (the top-level and the innermost
    section), "Table 2", "Figure 1 legend", "full text, footnote 3"."""
    if kind == PassageKind.TABLE:
        return label or f"table {number} of the full text"
    if kind == PassageKind.FIGURE:
        return f"{label or f'figure {number}'} legend"
    if kind == PassageKind.FOOTNOTE:
        return f"full text, footnote {label or number}"
    shown = [path[0], path[-1]] if len(path) > 2 else list(path)
    parts = ["full text", *([" › ".join(shown)] if shown else []), f"¶{number}"]
    return ", ".join(parts)
