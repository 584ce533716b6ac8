"""HTML → PageText with lxml.html: no network, comments and processing instructions removed,
page furniture dropped (see `cleaning`), text built by `textbuild.TextBuilder`.

libxml2 stops building a tree nested deeper than its limit (2048 with `huge_tree`); then,
and whenever the tree cannot be built at all, the same parser runs in streaming mode (a
parser target: events, no tree, no depth limit) into the same builder, so hostile markup
degrades instead of losing text.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from ldn_evidence.extract.cleaning import drop_by_tag, is_furniture_by_attrs, is_hidden
from ldn_evidence.extract.model import PageText
from ldn_evidence.extract.textbuild import TextBuilder
from ldn_evidence.textsafe import strip_controls

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>", re.IGNORECASE)
_MAX_TITLE = 500


def _collapse(text: str | None) -> str:
    return " ".join(strip_controls(text or "").split())


def choose_title(title: str | None, first_h1: str | None) -> str | None:
    """`<title>`, or the first `<h1>`; the h1 wins when the title is "h1 | Site name"."""
    title, first_h1 = _collapse(title), _collapse(first_h1)
    if first_h1 and (not title or title.lower().startswith(first_h1.lower())):
        title = first_h1
    return title[:_MAX_TITLE] or None


def _should_drop(element: etree._Element, tag: str) -> bool:
    attrs = element.attrib
    inside_article = tag == "header" and any(
        isinstance(a.tag, str) and a.tag in ("article", "main") for a in element.iterancestors()
    )
    if drop_by_tag(tag, inside_article=inside_article) or is_hidden(attrs):
        return True
    if not is_furniture_by_attrs(tag, attrs):
        return False
    # A wrapper that holds the article itself is not furniture, whatever its class says.
    return next(element.iter("article", "main", "h1"), None) is None


def _walk(body: etree._Element, builder: TextBuilder) -> None:
    """Feed the tree to the builder, skipping furniture. Nothing in the tree is modified
    (moving text between nodes would fail on control characters lxml refuses to set)."""
    walker = etree.iterwalk(body, events=("start", "end"))
    skipped = None
    for event, element in walker:
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if event == "start":
            if element is not body and (not tag or _should_drop(element, tag)):
                skipped = element
                walker.skip_subtree()
                continue
            builder.start(tag, element.attrib)
            builder.data(element.text)
        else:
            if element is skipped:
                skipped = None
            else:
                builder.end(tag)
            if element is not body:
                builder.data(element.tail)


def _parse_lxml(markup: str) -> PageText | None:
    parser = lxml.html.HTMLParser(
        no_network=True, remove_comments=True, remove_pis=True, huge_tree=True, recover=True
    )
    try:
        root = lxml.html.document_fromstring(markup, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None
    if any(error.type_name == "ERR_RESOURCE_LIMIT" for error in parser.error_log):
        return None
    title_element = root.find(".//title")
    title = title_element.text_content() if title_element is not None else None
    body = root.find("body")
    if body is None:
        body = root  # "head" is in DROP_TAGS
    builder = TextBuilder()
    _walk(body, builder)
    text, links = builder.result()
    return PageText(title=choose_title(title, builder.first_h1), text=text, links=links)


class _StreamTarget:
    """Streaming fallback (an lxml parser target: no tree, no depth limit). The same drop
    rules, decided from tags and attributes only."""

    def __init__(self, builder: TextBuilder) -> None:
        self.builder = builder
        self.stack: list[str] = []
        self.article_depth = 0  # open <article> / <main> elements
        self.title_depth = 0
        self.drop_at: int | None = None
        self.title_parts: list[str] = []

    def start(self, tag: str, attrib) -> None:
        tag = tag.lower() if isinstance(tag, str) else ""
        self.stack.append(tag)
        if tag in ("article", "main"):
            self.article_depth += 1
        elif tag == "title":
            self.title_depth += 1
        if self.drop_at is not None:
            return
        attributes = dict(attrib) if attrib else {}
        if drop_by_tag(tag, inside_article=self.article_depth > 0) or (
            attributes and (is_hidden(attributes) or is_furniture_by_attrs(tag, attributes))
        ):
            self.drop_at = len(self.stack) - 1
            return
        self.builder.start(tag, attributes)

    def end(self, tag: str) -> None:
        if not self.stack:
            return
        closed = self.stack.pop()
        if closed in ("article", "main"):
            self.article_depth -= 1
        elif closed == "title":
            self.title_depth -= 1
        if self.drop_at is None:
            self.builder.end(closed)
        elif len(self.stack) == self.drop_at:
            self.drop_at = None

    def data(self, data: str) -> None:
        if self.title_depth:
            self.title_parts.append(data)
        if self.drop_at is None:
            self.builder.data(data)

    def close(self) -> None:
        return None


def _parse_fallback(markup: str) -> PageText:
    builder = TextBuilder()
    target = _StreamTarget(builder)
    parser = etree.HTMLParser(
        target=target, no_network=True, remove_comments=True, remove_pis=True, huge_tree=True
    )
    try:
        parser.feed(markup)
        parser.close()
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        pass  # keep whatever text was read before the parser gave up
    text, links = builder.result()
    title = choose_title("".join(target.title_parts), builder.first_h1)
    return PageText(title=title, text=text, links=links)


def html_to_page(markup: str) -> PageText:
    """Readable text, title and links of an HTML document given as a str."""
    markup = _XML_DECLARATION.sub("", markup, count=1)
    if not markup.strip():
        return PageText(title=None, text="", links=[])
    page = _parse_lxml(markup)
    return page if page is not None else _parse_fallback(markup)
