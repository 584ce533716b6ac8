"""Case-insensitive patterns of words, searched fast on ASCII text.

A `WordPattern` is `\\b(?:ALT1|ALT2|…)` under `re.IGNORECASE`, each alternative written as
a *lead* (lower-case ASCII letters) and the rest of it: `("rat", r"s?\\b")` is `\\brats?\\b`.
`re` tries such a pattern at every character of a text, as no prefix scan skips an
alternation behind `\\b`; on ASCII text `found` instead searches each alternative alone,
case-sensitively in the lowered text, where its leading literal lets `re` jump from one
occurrence of the lead to the next, and checks the word boundary before it itself.

Why that is the same answer, on ASCII text: case-insensitive matching of a pattern whose
letters are all lower case is case-sensitive matching of the lowered text (lowering an
ASCII letter keeps it a letter, so `\\s`, `\\w` and `\\b` see the same classes); the pattern
matches somewhere iff one of its alternatives does; and `\\b` before a lead, which starts
with a letter, holds iff the character before is not a word character. Other text goes
to the pattern itself (Unicode case folding, "ſ" for "s", is then its business).
"""

from __future__ import annotations

import re

_ESCAPE = re.compile(r"\\.")
_OTHER_ESCAPE = re.compile(r"\\[^sSwWdDbB\W]")  # \x41, \1 …: could hide a letter's case


def lowered(text: str) -> str | None:
    """`text` lowered when it is ASCII (what `WordPattern.found` reads), else None."""
    return text.lower() if text.isascii() else None


def holds_any(low: str, words: tuple[str, ...]) -> bool:
    """Whether the lowered text `low` holds one of `words` (a literal pre-check)."""
    for word in words:
        if word in low:
            return True
    return False


class WordPattern:
    """`\\b(?:lead1 rest1|lead2 rest2|…)`, case-insensitive; see the module docstring."""

    __slots__ = ("pattern", "_searches")

    def __init__(self, *alternatives: tuple[str, str]) -> None:
        for lead, rest in alternatives:
            if not (lead.isascii() and lead.isalpha() and lead.islower()):
                raise ValueError(f"a lead is lower-case ASCII letters: {lead!r}")
            bare = _ESCAPE.sub("", rest)
            odd = _OTHER_ESCAPE.search(rest) or "(?" in bare.replace("(?:", "")
            if odd or any(c.isupper() for c in bare):
                raise ValueError(f"a rest is lower case, its escapes classes only: {rest!r}")
        # (?:rest) keeps each rest whole: a "|" or a leading quantifier cannot reach the lead
        parts = [f"{lead}(?:{rest})" for lead, rest in alternatives]
        self.pattern = re.compile("|".join(rf"\b{p}" for p in parts), re.IGNORECASE)
        self._searches = tuple(re.compile(p).search for p in parts)

    def found(self, text: str, low: str | None) -> bool:
        """Whether `pattern` matches somewhere in `text`; `low` is `lowered(text)`."""
        if low is None:
            return self.pattern.search(text) is not None
        for search in self._searches:
            m = search(low)
            while m is not None:
                start = m.start()
                before = low[start - 1] if start else " "
                if not (before.isalnum() or before == "_"):
                    return True
                m = search(low, start + 1)
        return False
