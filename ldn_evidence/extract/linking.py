"""Which references back which claim.

`link_claims` gives (claim position, reference position, how):
- how "marker": the claim carries its own markers and they resolve — a footnote number
  matches a numbered entry's marker; a link's target is a reference's URL (or the link is
  itself an inline reference); an in-page anchor such as "#fn2", "#ref-2" or
  "#cite_note-2" gives footnote number 2; a PMID / DOI written in the sentence is the
  inline reference at that place. Only those references are linked.
- how "page": on a page that gives no claim a marker of its own (`cites_per_claim` is
  false: a reference list at the end, say), a claim with no resolving marker is linked to
  every study-like reference of the page (all kinds but "web"), shown as "cited by the
  page". On a page that does mark its citations claim by claim, a claim without a marker
  of its own is cited by nothing: the page gives it no source.

`is_unsourced`: a claim that states a figure and is linked to no reference.
"""

from __future__ import annotations

import re

from ldn_evidence.extract.model import ExtractedClaim, ExtractedReference, Marker
from ldn_evidence.extract.urls import normalize_url

_ANCHOR_NUMBER = re.compile(
    r"#(?:fn|ftn|footnote|note|ref|reference|cite|cite_note|citation|endnote|r|c|b)"
    r"[-_:.]?(?:[a-z]+[-_])?(?P<n>\d{1,3})$",
    re.IGNORECASE,
)


def _footnote_number(marker: Marker) -> int | None:
    if marker.kind == "footnote":
        return marker.number
    if marker.kind == "link" and marker.href:
        match = _ANCHOR_NUMBER.search(marker.href.strip())
        if match:
            return int(match["n"])
    return None


def _resolve(marker: Marker, references: list[ExtractedReference]) -> list[ExtractedReference]:
    number = _footnote_number(marker)
    if number is not None:
        numbered = [r for r in references if r.marker == str(number)]
        if numbered:
            return numbered
    if marker.kind == "link" and marker.href and not marker.href.startswith("#"):
        key = normalize_url(marker.href)
        return [
            r
            for r in references
            if (r.start, r.end) == (marker.start, marker.end)
            or (r.url and normalize_url(r.url) == key)
        ]
    if marker.kind == "id":
        return [r for r in references if r.start <= marker.start and marker.end <= r.end]
    return []


def marked_references(
    claim: ExtractedClaim, references: list[ExtractedReference]
) -> list[ExtractedReference]:
    """The references the claim's own markers point to, in reference order."""
    found: dict[int, ExtractedReference] = {}
    for marker in claim.markers:
        for reference in _resolve(marker, references):
            found[reference.position] = reference
    return [found[position] for position in sorted(found)]


def cites_per_claim(claims: list[ExtractedClaim], references: list[ExtractedReference]) -> bool:
    """Whether the page marks its citations claim by claim: some claim carries a footnote
    marker that resolves, or a link or written ID that resolves to a study-like reference
    (an ordinary link to a web page in the text is not a citation marker)."""
    for claim in claims:
        for marker in claim.markers:
            found = _resolve(marker, references)
            if found and (_footnote_number(marker) is not None or any(r.is_study for r in found)):
                return True
    return False


def link_claims(
    claims: list[ExtractedClaim], references: list[ExtractedReference]
) -> list[tuple[int, int, str]]:
    """(claim position, reference position, "marker" | "page") for every claim's sources."""
    by_page = [] if cites_per_claim(claims, references) else [r for r in references if r.is_study]
    links: list[tuple[int, int, str]] = []
    for claim in claims:
        marked = marked_references(claim, references)
        if marked:
            links.extend((claim.position, r.position, "marker") for r in marked)
        else:
            links.extend((claim.position, r.position, "page") for r in by_page)
    return links


def is_unsourced(claim: ExtractedClaim, links: list[tuple[int, int, str]]) -> bool:
    """A claim with a figure that `links` (from `link_claims`) give no reference."""
    return claim.figure is not None and not any(c == claim.position for c, _, _ in links)
