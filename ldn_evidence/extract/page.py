"""`page_to_text`: page bytes (HTML or plain text) → `PageText` (title, text, links)."""

from __future__ import annotations

import re

from ldn_evidence.errors import InputError
from ldn_evidence.extract.decoding import decode_page
from ldn_evidence.extract.furniture import is_navigation
from ldn_evidence.extract.html import html_to_page
from ldn_evidence.extract.model import Link, PageText
from ldn_evidence.extract.urls import find_urls
from ldn_evidence.textsafe import strip_controls

PAGE_KINDS = ("html", "text")
_MAX_TEXT_TITLE = 120
_BLANK_RUN = re.compile(r"\n{3,}")


def _with_bare_urls(text: str, links: list[Link]) -> list[Link]:
    """Add a link for every bare URL in the text that is not already inside a link."""
    taken = [(link.start, link.end) for link in links]
    added = []
    for start, end, url in find_urls(text):
        if any(start < t_end and t_start < end for t_start, t_end in taken):
            continue
        added.append(Link(text=url, href=url, start=start, end=end))
    return sorted(links + added, key=lambda link: link.start)


def _text_title(text: str) -> str | None:
    """A plain-text page's title: its first line, when that reads as a title."""
    for line in text.split("\n"):
        line = line.strip()
        if not line or is_navigation(line):
            continue
        if len(line) <= _MAX_TEXT_TITLE and not line.endswith((".", "!", "?", ":", ",")):
            return line
        return None
    return None


def _normalise_text(text: str) -> str:
    text = strip_controls(text)  # line breaks as "\n"; no terminal escapes, no other controls
    text = "\n".join(line.rstrip(" \t\f\v") for line in text.split("\n"))
    return _BLANK_RUN.sub("\n\n", text).strip("\n")


def page_to_text(data: bytes | str, *, kind: str, charset: str | None = None) -> PageText:
    """Readable text of a page. kind "html": lxml, furniture dropped; "text": as written.

    Bytes are decoded from a BOM, the `charset` the server declared, a declared charset
    (HTML), else UTF-8 with replacement. Binary data raises `InputError`; broken markup
    never does.
    """
    if kind not in PAGE_KINDS:
        raise InputError(f"unknown page kind {kind!r}; expected one of {', '.join(PAGE_KINDS)}")
    decoded = decode_page(data, html=kind == "html", charset=charset)
    if kind == "html":
        page = html_to_page(decoded)
        return PageText(
            title=page.title, text=page.text, links=_with_bare_urls(page.text, page.links)
        )
    text = _normalise_text(decoded)
    return PageText(title=_text_title(text), text=text, links=_with_bare_urls(text, []))
