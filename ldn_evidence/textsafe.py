"""Control characters: the one rule for what text may carry into the database, onto a
terminal and into a report.

A C0 control (U+0000–U+001F) other than tab and newline, DEL (U+007F) or a C1 control
(U+0080–U+009F) is never meaningful in a page, a dataset value or a PubMed field, and
on a terminal it can do harm: ESC starts sequences that clear the screen, recolour text,
retitle the window or write the clipboard (OSC 52), and U+009B is an 8-bit CSI. So:

- page text loses them (`strip_controls`), a dataset value or a typed argument holding
  one is refused by its reader (`control_in`);
- a URL may hold no control character at all, tab and newline included (`url_problem`);
- what the CLI prints shows each as U+FFFD (`terminal_safe`).

This module imports nothing from the package: every layer may use it.
"""

from __future__ import annotations

import re

_KEPT = "\t\n"
_CONTROL_CHARS = "".join(
    chr(c) for c in (*range(0x20), 0x7F, *range(0x80, 0xA0)) if chr(c) not in _KEPT
)
_CONTROL = re.compile(f"[{re.escape(_CONTROL_CHARS)}]")
# Line and paragraph separators end a line in some readers: no place in a URL either.
_URL_BREAKS = re.compile(f"[{re.escape(_CONTROL_CHARS + _KEPT)}\u2028\u2029]")
# Controls Python counts as whitespace (vertical tab, form feed, the separators, NEL)
# become a space, so the words they separated stay apart; the others are dropped.
_DELETE = {c: (" " if chr(c).isspace() else None) for c in map(ord, _CONTROL_CHARS)}
REPLACEMENT = "\ufffd"
_SHOWN = dict.fromkeys(map(ord, _CONTROL_CHARS), REPLACEMENT)


def codepoint(ch: str) -> str:
    """ "U+001B" for ESC."""
    return f"U+{ord(ch):04X}"


def control_in(text: str) -> str | None:
    """The first control character of `text` other than tab and newline, or None."""
    match = _CONTROL.search(text)
    return match.group() if match else None


def strip_controls(text: str) -> str:
    """`text` without control characters: line breaks (CR LF, CR) become newlines, the
    controls that separate words (vertical tab, form feed …) spaces, the rest go."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.translate(_DELETE) if _CONTROL.search(text) else text


def terminal_safe(text: str) -> str:
    """`text` fit for a terminal: each control character but tab and newline as U+FFFD."""
    return text.translate(_SHOWN) if _CONTROL.search(text) else text


def quoted(value: str, limit: int = 40) -> str:
    """`value` quoted for a one-line message, cut short when long (a 5 000-digit "PMID")."""
    return repr(value if len(value) <= limit else value[: limit - 1] + "…")


def url_problem(url: str) -> str | None:
    """Why `url` cannot be stored as a link (a control character or a line break inside
    it, tab included), or None when it can. Whitespace around it is the caller's to trim."""
    match = _URL_BREAKS.search(url)
    if match is None:
        return None
    return f"contains a control character or line break ({codepoint(match.group())})"
