"""`finditer` of a pattern that starts with a number (`numbers.NUMBER`), faster and with
exactly the same matches.

`re` tries such a pattern at every character of an abstract: the number words of
`NUMBER` are an alternation that no prefix scan skips. A match can only start where a
digit run or a number word starts, so on ASCII text (nearly every abstract) the pattern
is tried at those places alone, left to right, each next try after the previous match's
end — what `finditer` does. Other text goes to `finditer` itself: Unicode digits and
case folding ("ſix") are then the pattern's own business.

The literal pre-checks the callers put before such patterns read the lowered text
(`word_patterns.lowered`, `word_patterns.holds_any`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from ldn_evidence.verification.numbers import _UNIT_WORDS, SCALES, TENS

_NUMBER_WORDS = sorted([*TENS, *_UNIT_WORDS, *SCALES], key=len, reverse=True)
_DIGIT_RUN = re.compile(r"[0-9]+")


def _trie(words: list[str]) -> str:
    """An alternation of `words` (lower-case letters, none empty) as a tree of their
    prefixes: "e(?:ight(?:een|y)?|leven)|…", matching where one of the words does (`re`
    tries one branch per first letter instead of every word)."""
    by_first: dict[str, list[str]] = {}
    for word in words:
        by_first.setdefault(word[0], []).append(word[1:])
    branches = []
    for first, rests in sorted(by_first.items()):
        longer = [r for r in rests if r]
        if not longer:
            branches.append(first)
            continue
        tail = _trie(longer)
        if "|" in tail:
            tail = f"(?:{tail})"
        branches.append(first + (f"(?:{tail})?" if len(longer) < len(rests) else tail))
    return "|".join(branches)


# On lowered ASCII text: where a number word starts a word (NUMBER's WORD_NUMBER). Only
# the starts are read: a match lies inside one word, whichever word of a prefix it takes.
_WORD_START = re.compile(r"\b(?:" + _trie(_NUMBER_WORDS) + ")")


@lru_cache(maxsize=32)
def number_starts(text: str) -> tuple[int, ...] | None:
    """The offsets where `NUMBER` can match in `text`: the first digit of every digit run
    and the first letter of every word that begins with a number word. None when `text`
    is not ASCII (then every offset can)."""
    if not text.isascii():
        return None
    starts = [m.start() for m in _DIGIT_RUN.finditer(text)]
    starts += [m.start() for m in _WORD_START.finditer(text.lower())]
    starts.sort()
    return tuple(starts)


def finditer_numbers(rx: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """`rx.finditer(text)` for a pattern whose matches start with `NUMBER` (zero-width
    look-behinds before it are fine: `match` at an offset sees the text before it)."""
    starts = number_starts(text)
    if starts is None:
        yield from rx.finditer(text)
        return
    end = 0
    for start in starts:
        if start < end:
            continue
        m = rx.match(text, start)
        if m is not None:
            yield m
            end = max(m.end(), start + 1)
