"""Sentence splitting: one splitter for pages (extraction) and abstracts (verification).

A sentence ends at ".", "!" or "?" (plus closing quotes and brackets) followed by white space
and a sentence start, unless the full stop belongs to an abbreviation ("e.g.", "vs.",
"et al.") or an initial ("Jarred W. Younger"); a decimal point ("4.5 mg", "p < 0.05") is
never an end, as no white space follows it. Text is cut into paragraphs at blank lines and
into lines at the line breaks that end a sentence; each line is then split at its ends.

Where pages and abstracts need different behaviour, the `Mode` says so, by name:
- `line_breaks`: on a page a single line break is usually a soft wrap and ends a sentence
  only when the line before is short (< 50 characters: headings, address lines), ends with
  ":", or either line is a list item (`SOFT`); in an abstract every line break ends one
  (`HARD`): structured abstracts arrive as "LABEL: text" lines, which `SOFT` would merge;
- `terminator`: a page's sentence may also end at "…" and carry a footnote marker ("[1]",
  "¹") or typographic quotes after its full stop;
- `starts_sentence`: on a page anything but a lower-case letter may start the next
  sentence; in an abstract only a capital, a digit or a Greek capital (after at most one
  opening quote or bracket);
- `abbreviated`: the abbreviation and initial rules and their lists (`PAGE_ABBREVIATIONS`,
  `ABSTRACT_ABBREVIATIONS`; both hold `COMMON_ABBREVIATIONS`), see `_page_abbreviation` and
  `_abstract_abbreviation`;
- `max_length`: an abstract's run-on stretch (tables, lists, junk) longer than
  `MAX_SENTENCE` characters is cut at white space, so the work per sentence stays bounded;
  a page's is kept whole (extraction skips it as too long).
The two rule sets are kept as they were when the two splitters became one: every verdict
and every extraction was measured unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence. `text` is `text[start:end]` with whitespace runs made one space;
    `paragraph_index` counts the blank-line separated paragraphs."""

    text: str
    start: int
    end: int
    paragraph_index: int


MAX_SENTENCE = 1500
"""A longer stretch without a sentence end is no sentence: an abstract's is cut at white
space (`ABSTRACT`), a page's is not taken as a claim (`extract.claims`)."""

COMMON_ABBREVIATIONS = frozenset(
    {
        "e.g", "i.e", "eg", "ie", "vs", "v", "al", "approx", "ca", "cf", "dr", "mr", "mrs",
        "ms", "prof", "resp", "incl", "inc", "ltd", "corp", "jr", "u.s", "u.k",
    }
)  # fmt: skip
PAGE_ABBREVIATIONS = COMMON_ABBREVIATIONS | {
    "drs", "st", "sr", "co", "dept", "univ", "ed", "eds", "est", "ibid", "ph.d", "m.d",
    "pharm.d", "r.ph", "a.m", "p.m", "mt", "ft", "avg", "viz", "aka", "a.k.a",
}  # fmt: skip
"""A page's abbreviations (lower case, without the final full stop)."""
PAGE_NUMBER_ABBREVIATIONS = frozenset(
    {
        "no", "nos", "p", "pp", "vol", "vols", "fig", "figs", "ref", "refs", "ch", "sec",
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
        "n", "ages",
    }
)  # fmt: skip
"""On a page, abbreviations only when a number follows ("No. 5", "p. 12", "Fig. 2",
"Jan. 2013")."""
ABSTRACT_ABBREVIATIONS = COMMON_ABBREVIATIONS | {
    "etc", "fig", "figs", "vol", "ref", "refs", "n.s", "s.d", "s.e", "b.i.d", "t.i.d",
    "q.d", "p.o", "i.v", "s.c",
}  # fmt: skip
"""An abstract's abbreviations (lower case, without the final full stop); "No." / "Nos."
only before a number."""


class LineBreaks(Enum):
    SOFT = "soft"  # a page: a line break ends a sentence only after a heading-like line
    HARD = "hard"  # an abstract: every line break ends a sentence


@dataclass(frozen=True, slots=True)
class Mode:
    """How one kind of text is split (see the module docstring)."""

    name: str
    line_breaks: LineBreaks
    terminator: re.Pattern[str]
    starts_sentence: Callable[[str, int], bool]  # (text, first character after the end)
    abbreviated: Callable[[str, int, int], bool]  # (text, its full stop, next character)
    max_length: int | None


# --- where sentences may end ------------------------------------------------------------

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\f\v]*\n\s*")
_SHORT_LINE = 50
_LIST_ITEM = re.compile(r"^\s*(?:[•·▪◦*\-–]\s|\d{1,3}[.)]\s|\[\d{1,3}\]|\(\d{1,3}\)\s)")


def _terminator(ends: str, closers: str) -> re.Pattern[str]:
    """Sentence-end punctuation `ends`, then any `closers`, right before white space."""
    return re.compile(rf"(?:{ends})(?:{closers})*(?=\s)")


_PAGE_TERMINATOR = _terminator(
    r"[.!?]+|…", r"[\"'”’»)\]]|\[\d{1,3}(?:\s*[,\u2013-]\s*\d{1,3})*\]|[⁰¹²³⁴⁵⁶⁷⁸⁹]+"
)
_ABSTRACT_TERMINATOR = _terminator(r"[.!?]+", r"[\"')\]]")
_ABSTRACT_START = re.compile(r"[\"'(\[]?[A-Z0-9\u0391-\u03a9]")


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _line_breaks(text: str, start: int, end: int, mode: Mode) -> list[int]:
    """Offsets (of the newline) where a line break inside a paragraph ends a sentence."""
    breaks: list[int] = []
    line_start = start
    while True:
        newline = text.find("\n", line_start, end)
        if newline == -1:
            return breaks
        if mode.line_breaks is LineBreaks.HARD or _ends_soft_line(text, line_start, newline, end):
            breaks.append(newline)
        line_start = newline + 1


def _ends_soft_line(text: str, line_start: int, newline: int, end: int) -> bool:
    """A page's line break ends a sentence after a short line or a colon, or beside a list
    item; otherwise it is a soft wrap."""
    previous = " ".join(text[line_start:newline].split())
    next_end = text.find("\n", newline + 1, end)
    following = text[newline + 1 : next_end if next_end != -1 else end]
    return bool(
        len(previous) < _SHORT_LINE
        or previous.endswith(":")
        or _LIST_ITEM.match(following)
        or _LIST_ITEM.match(previous)
    )


def _ends_sentence(text: str, term: re.Match[str], limit: int, mode: Mode) -> bool:
    """Does the terminator `term` end a sentence (the line ends at `limit`)?"""
    following = term.end()
    while following < limit and text[following].isspace():
        following += 1
    if following >= limit:
        return True
    if not mode.starts_sentence(text, following):
        return False
    if not term.group(0).startswith("."):
        return True
    return not mode.abbreviated(text, term.start(), following)


# --- a page's rules ----------------------------------------------------------------------

_TOKEN_BEFORE = re.compile(r"(\S+)$")
_DOTTED = re.compile(r"^(?:[a-z]\.)+[a-z]$", re.IGNORECASE)


def _page_starts(text: str, at: int) -> bool:
    return not text[at].islower()


def _page_abbreviation(text: str, stop: int, following: int) -> bool:
    """The full stop at `stop` (not one of "..") belongs to the word before it: an
    abbreviation, a number abbreviation before a digit, or an initial."""
    if text.startswith("..", stop):
        return False
    match = _TOKEN_BEFORE.search(text, max(0, stop - 40), stop)
    if not match:
        return False
    token = match.group(1).lstrip("\"'“‘([{").lower()
    if token in PAGE_ABBREVIATIONS or _DOTTED.match(token):
        return True
    if token in PAGE_NUMBER_ABBREVIATIONS and text[following].isdigit():
        return True
    return _is_initial(text, match.start(1), match.group(1))


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


# --- an abstract's rules -----------------------------------------------------------------

_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\.+$")
_DIGIT_NEXT = re.compile(r"\s*\d")


def _abstract_starts(text: str, at: int) -> bool:
    return _ABSTRACT_START.match(text, at) is not None


def _abstract_abbreviation(text: str, stop: int, following: int) -> bool:
    """The full stop at `stop` belongs to an abbreviation or an initial ("J. Doe")."""
    end = stop + 1
    m = _WORD_BEFORE.search(text, max(0, end - 20), end)
    if not m:
        return False
    word = m.group(1)
    if word.lower().rstrip(".") in ABSTRACT_ABBREVIATIONS:
        return True
    if word in ("No", "Nos") and _DIGIT_NEXT.match(text, end):
        return True  # "No. 5"
    return len(word) == 1 and word.isupper()


PAGE = Mode("page", LineBreaks.SOFT, _PAGE_TERMINATOR, _page_starts, _page_abbreviation, None)
ABSTRACT = Mode(
    "abstract",
    LineBreaks.HARD,
    _ABSTRACT_TERMINATOR,
    _abstract_starts,
    _abstract_abbreviation,
    MAX_SENTENCE,
)


# --- the splitter ------------------------------------------------------------------------


def _split_line(text: str, start: int, end: int, mode: Mode) -> list[tuple[int, int]]:
    spans, sentence_start = [], start
    for match in mode.terminator.finditer(text, start, end):
        if _ends_sentence(text, match, end, mode):
            spans.append((sentence_start, match.end()))
            sentence_start = match.end()
    spans.append((sentence_start, end))
    return spans


def _trimmed(
    text: str, start: int, end: int, max_length: int | None, out: list[tuple[int, int]]
) -> None:
    """Append [start, end) without surrounding white space (nothing if it is all white
    space), a run longer than `max_length` cut at white space first."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while max_length is not None and end - start > max_length:
        cut = text.rfind(" ", start + max_length // 2, start + max_length)
        cut = cut if cut > start else start + max_length
        _trimmed(text, start, cut, max_length, out)
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        out.append((start, end))


def _spans(text: str, mode: Mode) -> list[tuple[int, int, int]]:
    """(start, end, paragraph index) of each sentence, in order."""
    out: list[tuple[int, int, int]] = []
    for paragraph_index, (p_start, p_end) in enumerate(_paragraphs(text)):
        breaks = _line_breaks(text, p_start, p_end, mode)
        cuts = [p_start, *(b + 1 for b in breaks), p_end]
        for line_start, line_end in zip(cuts, cuts[1:], strict=False):
            pieces: list[tuple[int, int]] = []
            for s_start, s_end in _split_line(text, line_start, line_end, mode):
                _trimmed(text, s_start, s_end, mode.max_length, pieces)
            out.extend((s, e, paragraph_index) for s, e in pieces)
    return out


def split_sentences(text: str, mode: Mode) -> list[Sentence]:
    """Sentences of `text`, in order, with offsets, their paragraph, and their text with
    white space runs made one space."""
    return [
        Sentence(" ".join(text[s:e].split()), s, e, paragraph)
        for s, e, paragraph in _spans(text, mode)
    ]


def sentence_spans(text: str, mode: Mode) -> list[tuple[int, int]]:
    """(start, end) offsets of each sentence in `text`, white space trimmed."""
    return [(s, e) for s, e, _ in _spans(text or "", mode)]


def sentence_texts(text: str | None, mode: Mode) -> list[str]:
    """The sentences of `text`, each exactly as written (trimmed of surrounding space)."""
    return [text[s:e] for s, e in sentence_spans(text or "", mode)] if text else []
