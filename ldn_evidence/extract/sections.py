"""Which part of a page each line belongs to: body, references, disclaimer, comments or
other furniture — decided by heading lines (see `furniture.SECTION_HEADINGS`).

- A heading line ("Resources", "DISCLAIMER", "Leave a Reply", "Related posts") opens its
  section; the heading line belongs to it.
- A references section runs until another known heading or an ALL-CAPS heading line:
  reference titles are short lines without a full stop, so they cannot end it.
- A disclaimer or furniture section runs until the next heading of any kind (a short line
  on its own, without closing punctuation).
- A comments section ("Leave a Reply", "3 Comments") runs to the end of the page: what
  follows is comments, the comment form and the site footer.
- A page without a references heading: its last list of numbered lines ("1. …", "[1] …",
  "(1) …", "¹ …"; a list ends where the numbering does not go on by one) of which at
  least half read as references (`is_citation_like`) is a references section.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from ldn_evidence.extract.citations import is_citation_like
from ldn_evidence.extract.furniture import heading_kind

BODY = "body"
REFERENCES = "references"
FURNITURE_KINDS = frozenset({"disclaimer", "comments", "furniture"})

# A numbered entry's number: "1.", "1)", "[1]", "(1)", "^1", "¹".
ENUMERATOR_RE = re.compile(
    r"^\s*(?:\[(?P<b>\d{1,3})\]|(?P<d>\d{1,3})[.)](?!\d)|\((?P<p>\d{1,3})\)|\^(?P<c>\d{1,3})"
    r"|(?P<s>[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3}))\s*"
)
_FROM_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_URLISH = re.compile(r"https?://|www\.|\.(?:com|org|net|gov|edu)\b", re.IGNORECASE)
_MAX_HEADING_WORDS = 8


@dataclass(frozen=True, slots=True)
class Line:
    start: int
    end: int
    text: str
    kind: str  # the section the line is in
    heading: bool  # a heading line (any kind, including generic ones)


def enumerator(text: str) -> tuple[str, int] | None:
    """(number, length of the enumerator) of a numbered line, else None."""
    match = ENUMERATOR_RE.match(text)
    if not match:
        return None
    number = next(v for v in match.groupdict().values() if v)
    return number.translate(_FROM_SUPERSCRIPT), match.end()


def _is_generic_heading(text: str, alone: bool) -> bool:
    words = text.split()
    return (
        alone
        and 0 < len(words) <= _MAX_HEADING_WORDS
        and not text.rstrip().endswith((".", "!", "?", ",", ";"))
        and not _URLISH.search(text)
        and text.strip()[:1].isalnum()
    )


def _is_caps_heading(text: str) -> bool:
    """ "DISCLAIMER", "ABOUT US": capitals only, no digits (so not "PMID: 1")."""
    letters = [ch for ch in text if ch.isalpha()]
    return (
        len(letters) >= 4
        and len(text.split()) <= 5
        and not any(ch.isdigit() for ch in text)
        and all(ch.isupper() for ch in letters)
    )


def _raw_lines(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    while start <= len(text):
        end = text.find("\n", start)
        if end == -1:
            end = len(text)
        spans.append((start, end))
        start = end + 1
    return spans


def page_lines(text: str) -> list[Line]:
    """Every non-blank line of the page with the section it belongs to."""
    spans = _raw_lines(text)
    lines: list[Line] = []
    state = BODY
    for index, (start, end) in enumerate(spans):
        content = text[start:end]
        if not content.strip():
            continue
        before_blank = index == 0 or not text[spans[index - 1][0] : spans[index - 1][1]].strip()
        after_blank = (
            index + 1 >= len(spans) or not text[spans[index + 1][0] : spans[index + 1][1]].strip()
        )
        kind = heading_kind(content)
        generic = _is_generic_heading(content, before_blank or after_blank)
        if state != "comments":
            if kind is not None:
                state = kind
            elif state == REFERENCES and _is_caps_heading(content) and generic:
                state = BODY
            elif state in ("disclaimer", "furniture") and generic:
                state = BODY
        lines.append(Line(start, end, content, state, heading=kind is not None or generic))
    if not any(line.kind == REFERENCES for line in lines):
        _mark_trailing_numbered_list(lines)
    return lines


def _mark_trailing_numbered_list(lines: list[Line]) -> None:
    """The last run of numbered body lines, when most read as references, is references."""
    runs: list[list[int]] = []
    last_number = 0
    for index, line in enumerate(lines):
        if line.kind != BODY:
            continue
        number = enumerator(line.text)
        if number:
            value = int(number[0]) if number[0].isdigit() else 0
            if runs and runs[-1][-1] == index - 1 and value == last_number + 1:
                runs[-1].append(index)
            else:
                runs.append([index])  # numbering restarts: a new list
            last_number = value
        elif (
            runs
            and runs[-1][-1] == index - 1
            and lines[index - 1].end + 1 == line.start
            and not line.heading
        ):
            runs[-1].append(index)  # a wrapped entry's continuation line
    for run in reversed(runs):
        numbered = [lines[i] for i in run if enumerator(lines[i].text)]
        if sum(is_citation_like(line.text) for line in numbered) * 2 >= len(numbered) > 0:
            for i in run:
                lines[i] = Line(lines[i].start, lines[i].end, lines[i].text, REFERENCES, False)
            return


class SectionMap:
    """Look up the section of any offset of the page text."""

    def __init__(self, text: str) -> None:
        self.lines = page_lines(text)
        self._starts = [line.start for line in self.lines]

    def line_at(self, offset: int) -> Line | None:
        index = bisect.bisect_right(self._starts, offset) - 1
        return self.lines[index] if index >= 0 else None

    def kind_at(self, offset: int) -> str:
        line = self.line_at(offset)
        return line.kind if line is not None else BODY

    def is_furniture(self, offset: int) -> bool:
        return self.kind_at(offset) in FURNITURE_KINDS
