"""Reference markers inside a sentence: footnote numbers and links.

Footnote forms: "[1]", "[1, 3]", "[2-4]" (a range gives each number), superscript digits
"¹" / "¹,²" (how `<sup>1</sup>` is rendered), and "(2)" when it closes a clause
("…in 2013 (2).", "…pain (2), and…") — not "(1) reduced pain and (2) …" enumerations,
"(2013)" years or "(n = 20)". Superscripts right after a digit or a unit ("10⁶", "m²")
are exponents, not markers. Links: every link whose text lies inside the sentence, except
mailto:, tel: and javascript: links. IDs: a PMID, PMC ID or DOI written out in the sentence
("(PMID: 23359310)") outside any link.
"""

from __future__ import annotations

import re

from ldn_evidence.extract.identifiers import id_spans
from ldn_evidence.extract.model import Link, Marker

_RANGE = r"\d{1,3}(?:\s*[,\u2013-]\s*\d{1,3})*"
_BRACKETED = re.compile(rf"\[(?P<nums>{_RANGE})\]")
_SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUPERSCRIPT = re.compile(rf"[{_SUPERSCRIPT_DIGITS}]+(?:[,\u2013-][{_SUPERSCRIPT_DIGITS}]+)*")
_FROM_SUPERSCRIPT = str.maketrans(_SUPERSCRIPT_DIGITS, "0123456789")
_PARENTHESISED = re.compile(rf"\((?P<nums>{_RANGE})\)(?=\s*(?:[.,;:!?]|$))")
_UNIT_BEFORE = re.compile(r"(?:\b(?:m|cm|mm|km|kg/m|ft|in)|\d)$")
_MAX_RANGE = 50
_NOT_REFERENCE_LINK = re.compile(r"^\s*(?:mailto|tel|sms|javascript):", re.IGNORECASE)


def footnote_numbers(raw: str) -> list[int]:
    """ "1, 3" → [1, 3]; "2-4" → [2, 3, 4]; superscript digits are read as digits."""
    numbers: list[int] = []
    for part in re.split(r"\s*,\s*", raw.translate(_FROM_SUPERSCRIPT).strip()):
        bounds = re.split(r"\s*[\u2013-]\s*", part)
        if not all(b.isdigit() for b in bounds):
            continue
        low, high = int(bounds[0]), int(bounds[-1])
        if high < low or high - low > _MAX_RANGE:
            high = low
        numbers.extend(range(low, high + 1))
    return numbers


def _footnotes(text: str, offset: int) -> list[Marker]:
    markers: list[Marker] = []
    for pattern in (_BRACKETED, _SUPERSCRIPT, _PARENTHESISED):
        for match in pattern.finditer(text):
            if pattern is _SUPERSCRIPT and _UNIT_BEFORE.search(text[: match.start()]):
                continue
            raw = match.group("nums") if pattern is not _SUPERSCRIPT else match.group(0)
            start, end = match.start(), match.end()
            for number in footnote_numbers(raw):
                markers.append(
                    Marker("footnote", text[start:end], offset + start, offset + end, number)
                )
    return markers


def find_markers(text: str, start: int, end: int, links: list[Link]) -> list[Marker]:
    """Markers in `text[start:end]` (offsets in the page text), ordered by position."""
    markers = _footnotes(text[start:end], start)
    inside = [link for link in links if link.start < end and link.end > start]
    for link in inside:
        if link.start >= start and link.end <= end and not _NOT_REFERENCE_LINK.match(link.href):
            markers.append(Marker("link", link.text, link.start, link.end, href=link.href))
    for found in id_spans(text[start:end]):
        id_start, id_end = start + found.start, start + found.end
        if not any(link.start <= id_start < link.end for link in inside):
            markers.append(Marker("id", text[id_start:id_end], id_start, id_end))
    return sorted(markers, key=lambda m: (m.start, m.kind, m.number or 0))
