"""Sentence splitting for health pages.

A sentence ends at ".", "!", "?", "…" (plus closing quotes, brackets, footnote markers such
as "[1]" or "¹") followed by whitespace and a sentence start (a capital, a digit or an
opening quote/bracket). Not an end:
- an abbreviation: "e.g.", "i.e.", "Dr.", "et al.", "vs.", "approx.", "U.S."; "No."/"p."/
  "Fig."/month names only before a number;
- an initial in a name ("Jarred W. Younger"), except "vitamin D.";
- a decimal point ("4.5 mg", "p < 0.05"): no whitespace follows it;
- a full stop followed by a lower-case word.
Paragraphs are separated by blank lines. Inside a paragraph a single line break ends a
sentence when the line before is short (< 50 characters: headings, address lines), ends
with ":" or either line is a list item; otherwise it is a soft wrap.
"""

from __future__ import annotations

import re

from ldn_evidence.extract.model import Sentence

ABBREVIATIONS = frozenset(
    {
        "e.g",
        "i.e",
        "eg",
        "ie",
        "dr",
        "drs",
        "mr",
        "mrs",
        "ms",
        "prof",
        "vs",
        "v",
        "al",
        "approx",
        "ca",
        "cf",
        "st",
        "jr",
        "sr",
        "inc",
        "ltd",
        "co",
        "corp",
        "dept",
        "univ",
        "ed",
        "eds",
        "est",
        "incl",
        "resp",
        "ibid",
        "u.s",
        "u.k",
        "ph.d",
        "m.d",
        "pharm.d",
        "r.ph",
        "a.m",
        "p.m",
        "mt",
        "ft",
        "avg",
        "viz",
        "aka",
        "a.k.a",
    }
)
# Abbreviations only when a number follows ("No. 5", "p. 12", "Fig. 2", "Jan. 2013").
NUMBER_ABBREVIATIONS = frozenset(
    {
        "no",
        "nos",
        "p",
        "pp",
        "vol",
        "vols",
        "fig",
        "figs",
        "ref",
        "refs",
        "ch",
        "sec",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "n",
        "ages",
    }
)

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\f\v]*\n\s*")
_SHORT_LINE = 50
_LIST_ITEM = re.compile(r"^\s*(?:[•·▪◦*\-–]\s|\d{1,3}[.)]\s|\[\d{1,3}\]|\(\d{1,3}\)\s)")
_TERMINATOR = re.compile(
    r"(?:[.!?]+|…)(?:[\"'”’»)\]]|\[\d{1,3}(?:\s*[,\u2013-]\s*\d{1,3})*\]|[⁰¹²³⁴⁵⁶⁷⁸⁹]+)*(?=\s)"
)
_TOKEN_BEFORE = re.compile(r"(\S+)$")
_DOTTED = re.compile(r"^(?:[a-z]\.)+[a-z]$", re.IGNORECASE)


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _hard_line_breaks(text: str, start: int, end: int) -> list[int]:
    """Offsets (of the newline) where a line break inside a paragraph ends a sentence."""
    breaks: list[int] = []
    line_start = start
    while True:
        newline = text.find("\n", line_start, end)
        if newline == -1:
            return breaks
        previous = " ".join(text[line_start:newline].split())
        next_end = text.find("\n", newline + 1, end)
        following = text[newline + 1 : next_end if next_end != -1 else end]
        if (
            len(previous) < _SHORT_LINE
            or previous.endswith(":")
            or _LIST_ITEM.match(following)
            or _LIST_ITEM.match(previous)
        ):
            breaks.append(newline)
        line_start = newline + 1


def _is_boundary(text: str, stop: int, term_start: int, term: str, limit: int) -> bool:
    """Does the terminator `term` (at term_start, ending at stop) end a sentence?"""
    following = stop
    while following < limit and text[following].isspace():
        following += 1
    if following >= limit:
        return True
    nxt = text[following]
    if nxt.islower():
        return False
    if not term.startswith(".") or term.startswith(".."):
        return True
    match = _TOKEN_BEFORE.search(text, max(0, term_start - 40), term_start)
    if not match:
        return True
    token = match.group(1).lstrip("\"'“‘([{").lower()
    if token in ABBREVIATIONS or _DOTTED.match(token):
        return False
    if token in NUMBER_ABBREVIATIONS and nxt.isdigit():
        return False
    return not _is_initial(text, match.start(1), match.group(1))


def _is_initial(text: str, token_start: int, token: str) -> bool:
    """A capital letter standing alone after a capitalised name: "Jarred W. Younger"."""
    if len(token) != 1 or not token.isupper():
        return False
    words = text[max(0, token_start - 30) : token_start].split()
    if not words:
        return False
    before = words[-1]
    if before.lower() in ("vitamin", "hepatitis", "type", "group", "phase", "grade"):
        return False
    return before[:1].isupper() and before.rstrip(".,").isalpha()


def _split_span(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans, sentence_start = [], start
    for match in _TERMINATOR.finditer(text, start, end):
        if _is_boundary(text, match.end(), match.start(), match.group(0), end):
            spans.append((sentence_start, match.end()))
            sentence_start = match.end()
    spans.append((sentence_start, end))
    return spans


def _trimmed(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of `text`, in order, with offsets and the index of their paragraph."""
    sentences: list[Sentence] = []
    for paragraph_index, (p_start, p_end) in enumerate(_paragraphs(text)):
        cuts = [p_start, *(b + 1 for b in _hard_line_breaks(text, p_start, p_end)), p_end]
        for line_start, line_end in zip(cuts, cuts[1:], strict=False):
            for s_start, s_end in _split_span(text, line_start, line_end):
                span = _trimmed(text, s_start, s_end)
                if span is None:
                    continue
                words = text[span[0] : span[1]].split()
                sentences.append(Sentence(" ".join(words), span[0], span[1], paragraph_index))
    return sentences
