"""A small sentence splitter for abstracts that keeps each sentence's exact text.

Splits after ".", "!" or "?" followed by white space and a capital, digit, quote or
bracket, and at line breaks (structured abstracts arrive as "LABEL: text" lines).
Does not split inside decimals ("28.8"), after abbreviations ("vs.", "et al.", "e.g.",
"approx.", "Fig.", "No."), after single initials ("J. Doe"), or in "p < 0.05".
A run-on stretch longer than `MAX_SENTENCE` characters is cut at white space.
"""

from __future__ import annotations

import re

ABBREVIATIONS = frozenset(
    {
        "vs", "v", "al", "e.g", "i.e", "eg", "ie", "etc", "cf", "approx", "ca", "fig",
        "figs", "dr", "mr", "mrs", "ms", "prof", "vol", "ref", "refs", "resp", "incl",
        "inc", "ltd", "corp", "jr", "u.s", "u.k", "n.s", "s.d", "s.e", "b.i.d", "t.i.d",
        "q.d", "p.o", "i.v", "s.c",
    }
)  # fmt: skip

MAX_SENTENCE = 1500
"""Longer runs without a sentence end (tables, lists, junk) are cut at white space, so the
work done per sentence stays bounded."""

_BOUNDARY = re.compile(r"[.!?]+[\"')\]]*(?=\s+[\"'(\[]?[A-Z0-9\u0391-\u03a9])|\n+")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\.+$")


def _is_abbreviation(text: str, end: int) -> bool:
    """Whether the period ending at `end` belongs to an abbreviation or an initial."""
    m = _WORD_BEFORE.search(text, max(0, end - 20), end)
    if not m:
        return False
    word = m.group(1)
    if word.lower().rstrip(".") in ABBREVIATIONS:
        return True
    if word in ("No", "Nos") and re.match(r"\s*\d", text[end:]):
        return True  # "No. 5"
    return len(word) == 1 and word.isupper()  # an initial: "J. Doe"


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of each sentence in `text`, white space trimmed."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        if m.group(0).startswith("\n"):
            cut = m.start()
        else:
            if m.group(0)[0] == "." and _is_abbreviation(text, m.start() + 1):
                continue
            cut = m.end()
        _add(text, start, cut, spans)
        start = m.end()
    _add(text, start, len(text), spans)
    return spans


def _add(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while end - start > MAX_SENTENCE:  # a run-on "sentence": cut at white space
        cut = text.rfind(" ", start + MAX_SENTENCE // 2, start + MAX_SENTENCE)
        cut = cut if cut > start else start + MAX_SENTENCE
        _add(text, start, cut, spans)
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        spans.append((start, end))


def split_sentences(text: str) -> list[str]:
    """The sentences of `text`, each exactly as written (trimmed of surrounding space)."""
    return [text[s:e] for s, e in sentence_spans(text or "")]
