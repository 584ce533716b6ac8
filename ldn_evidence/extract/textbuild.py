"""Turn a stream of HTML events (start tag, end tag, text) into readable text with link spans.

Blocks (paragraphs, headings, list items …) are separated by a blank line, `<br>` gives a
line break, whitespace inside a block collapses to one space (kept inside `<pre>`).
Items of an ordered list get their number ("1. ") as readers see it; a footnote number in
`<sup>` becomes superscript digits ("30%¹"), so markers survive as text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ldn_evidence.extract.model import Link
from ldn_evidence.extract.urls import clean_href
from ldn_evidence.textsafe import strip_controls

BLOCK_TAGS = frozenset(
    {
        "address",
        "article",
        "blockquote",
        "body",
        "caption",
        "center",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "html",
        "legend",
        "li",
        "main",
        "menu",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "tfoot",
        "thead",
        "tr",
        "ul",
    }
)
_CELL_TAGS = frozenset({"td", "th"})
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_FOOTNOTE_SUP = re.compile(r"\s*\d{1,3}(?:\s*[,\u2013-]\s*\d{1,3})*\s*")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u00ad\ufeff\u2060\u200e\u200f"), None)

_NONE, _SPACE, _LINE, _BLOCK = 0, 1, 2, 3
_SEPARATORS = {_SPACE: " ", _LINE: "\n", _BLOCK: "\n\n"}


def _int_attr(attrs: Mapping[str, str], name: str) -> int | None:
    value = (attrs.get(name) or "").strip()
    return int(value) if value.isdigit() and len(value) < 7 else None


class TextBuilder:
    """Receives `start`, `end` and `data` calls; `result()` gives the text and links."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0
        self._pending = _NONE
        self._links: list[Link] = []
        self._open_links: list[list] = []  # [href, start or None]
        self._pre = 0
        self._sup = 0
        self._lists: list[int | None] = []  # ol counter, or None for ul
        self._h1_mark: int | None = None
        self.first_h1: str | None = None

    # -- events ---------------------------------------------------------------------------
    def start(self, tag: str, attrs: Mapping[str, str]) -> None:
        if tag in BLOCK_TAGS:
            self._break(_BLOCK)
        elif tag == "br":
            self._break(_LINE)
        elif tag in _CELL_TAGS:
            self._break(_SPACE)
        if tag == "a":
            self._open_links.append([clean_href(attrs.get("href")), None])
        elif tag == "pre":
            self._pre += 1
        elif tag == "sup":
            self._sup += 1
        elif tag == "ol":
            start = _int_attr(attrs, "start")
            self._lists.append((start if start is not None else 1) - 1)
        elif tag in ("ul", "menu", "dl"):
            self._lists.append(None)
        elif tag == "li":
            self._list_item(attrs)
        elif tag == "h1" and self.first_h1 is None and self._h1_mark is None:
            self._h1_mark = len(self._parts)

    def end(self, tag: str) -> None:
        if tag == "a" and self._open_links:
            href, start = self._open_links.pop()
            if href and start is not None and self._length > start:
                text = self._tail_text(start)
                self._links.append(Link(text=text, href=href, start=start, end=self._length))
        elif tag == "pre" and self._pre:
            self._pre -= 1
        elif tag == "sup" and self._sup:
            self._sup -= 1
        elif tag in ("ol", "ul", "menu", "dl") and self._lists:
            self._lists.pop()
        elif tag == "h1" and self._h1_mark is not None:
            self.first_h1 = " ".join("".join(self._parts[self._h1_mark :]).split()) or None
            self._h1_mark = None
        if tag in BLOCK_TAGS:
            self._break(_BLOCK)
        elif tag in _CELL_TAGS:
            self._break(_SPACE)

    def data(self, text: str | None) -> None:
        if not text:
            return
        text = strip_controls(text.translate(_INVISIBLE))
        if self._pre:
            self._data_pre(text)
            return
        if self._sup and _FOOTNOTE_SUP.fullmatch(text):
            text = text.translate(_SUPERSCRIPT)
        words = text.split()
        if not words:
            if text:
                self._break(_SPACE)
            return
        if text[0].isspace() and self._pending < _SPACE:
            self._pending = _SPACE
        self._emit(" ".join(words))
        if text[-1].isspace() and self._pending < _SPACE:
            self._pending = _SPACE

    # -- output ---------------------------------------------------------------------------
    def result(self) -> tuple[str, list[Link]]:
        return "".join(self._parts), sorted(self._links, key=lambda link: link.start)

    # -- internals ------------------------------------------------------------------------
    def _break(self, strength: int) -> None:
        if strength > self._pending:
            self._pending = strength

    def _emit(self, chunk: str) -> None:
        if self._pending and self._length:
            separator = _SEPARATORS[self._pending]
            self._parts.append(separator)
            self._length += len(separator)
        self._pending = _NONE
        if self._open_links:
            for link in self._open_links:
                if link[1] is None:
                    link[1] = self._length
        self._parts.append(chunk)
        self._length += len(chunk)

    def _data_pre(self, text: str) -> None:
        for index, line in enumerate(text.replace("\r\n", "\n").split("\n")):
            if index:
                self._break(_LINE)
            if line.strip():
                self._emit(line.rstrip())

    def _list_item(self, attrs: Mapping[str, str]) -> None:
        if not self._lists or self._lists[-1] is None:
            return
        value = _int_attr(attrs, "value")
        number = value if value is not None else self._lists[-1] + 1
        self._lists[-1] = number
        self._emit(f"{number}.")
        self._break(_SPACE)

    def _tail_text(self, start: int) -> str:
        """The output text from offset `start` on, reading only the parts needed."""
        collected: list[str] = []
        remaining = self._length - start
        for part in reversed(self._parts):
            collected.append(part)
            remaining -= len(part)
            if remaining <= 0:
                break
        joined = "".join(reversed(collected))
        return joined[len(joined) - (self._length - start) :]
