"""PubMed XML → records, streaming and safe.

`iter_articles` reads efetch replies and baseline/update files (`.xml` or `.xml.gz`,
gzip recognised by its magic bytes) with lxml's `iterparse`, one record element at a
time, and clears every record once it is extracted, so memory stays flat whatever the
file size. The parser never loads or fetches a DTD, never expands entities (an
entity-bomb is refused by libxml2's amplification guard, an external entity stays an
unexpanded reference) and never processes XInclude.

Every fault (malformed or truncated XML, bad gzip data, a root that is not PubMed: an
HTML page, an `<eFetchResult><ERROR>` reply, JSON …) raises one `ParseError` naming the
source and, when known, the line and column. Records before the fault are yielded first.
A record that is wrong on its own (no valid PMID; more elements or bytes than any real
record, freed as it is read once past the cap: `_guard`) is yielded as a
`RejectedRecord` and the records after it are read.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator
from typing import IO

from lxml import etree

from ldn_evidence.errors import ParseError
from ldn_evidence.pubmed import _fields, _guard
from ldn_evidence.pubmed._source import (
    _SAFE,
    Source,
    _open,
    _raw,
    _root_of,
    _syntax_error,
)
from ldn_evidence.pubmed.records import ArticleRecord, DeletedCitation, RejectedRecord
from ldn_evidence.textsafe import quoted

__all__ = ["iter_articles", "parse_articles"]

Record = ArticleRecord | DeletedCitation | RejectedRecord

_ARTICLE = "PubmedArticle"
_BOOK = "PubmedBookArticle"
_DELETE = "DeleteCitation"
_RECORD_TAGS = (_ARTICLE, _BOOK, _DELETE)
_RECORD_TAG_SET = frozenset(_RECORD_TAGS)
_SETS = frozenset({"PubmedArticleSet", "PubmedBookArticleSet"})
_ROOT_TAGS = _SETS | {_ARTICLE, _BOOK}
_WATCHED_TAGS = (*_RECORD_TAGS, *sorted(_SETS))  # start events give the guard the root
MAX_RECORD_ELEMENTS = _guard.MAX_RECORD_ELEMENTS


def iter_articles(source: Source, *, name: str | None = None) -> Iterator[Record]:
    """Yield an ArticleRecord per `PubmedArticle` / `PubmedBookArticle` and a
    DeletedCitation per `DeleteCitation`, in document order; a RejectedRecord for a
    record refused on its own (no valid PMID, more than `MAX_RECORD_ELEMENTS`
    elements or `_guard.MAX_RECORD_BYTES` bytes), after which the rest of the source
    is read as usual.

    `source` is a path (str or PathLike; plain or gzip-compressed XML), a binary file
    object, or bytes. `name` is how errors refer to the source (default: the path,
    the file object's name, or "<bytes>").
    """
    stream, label, owned = _open(source, name)
    try:
        yield from _stream_records(stream, label)
    finally:
        if owned:
            stream.close()


def parse_articles(data: bytes, *, name: str | None = None) -> list[ArticleRecord]:
    """All articles and books of an in-memory reply (e.g. an efetch body).

    DeleteCitation blocks (update files only) are not articles and are left out; use
    `iter_articles` to see them. A refused record raises ParseError here.
    """
    label = name or "<bytes>"
    out = []
    for r in iter_articles(data, name=name):
        if isinstance(r, RejectedRecord):
            raise ParseError(r.reason, source=label, line=r.line)
        if isinstance(r, ArticleRecord):
            out.append(r)
    return out


def _stream_records(stream: IO[bytes], label: str) -> Iterator[Record]:
    guard = _guard.Guarded(stream, _RECORD_TAG_SET)
    events = etree.iterparse(guard, events=("start", "end"), tag=_WATCHED_TAGS, **_SAFE)
    root_checked = False
    article, book = _fields.article, _fields.book
    try:
        for event, elem in events:
            tag = elem.tag
            if event == "start":
                if guard.root is None:
                    guard.root = elem  # the root: the guard watches the record in it
                continue
            if tag in _SETS:
                continue
            parent = elem.getparent()
            if parent is not None and (parent.getparent() is not None or parent.tag not in _SETS):
                # A record tag inside a record (damaged or hostile input) is part of that
                # record's content: not a record, and above all not a DeleteCitation.
                continue
            if not root_checked:
                _check_root(_root_of(elem), label)
                root_checked = True
            rec: Record
            line = elem.sourceline
            guard.check_finished(elem)
            try:
                if guard.refused is not None:  # this record: the guard refused it
                    shown = f" PMID {quoted(guard.pmid)[1:-1]}" if guard.pmid else ""
                    rec = RejectedRecord(tag, guard.pmid, line, f"{tag}{shown} {guard.reason}")
                elif tag == _ARTICLE:
                    rec = article(elem, _raw(elem))
                    rec.line = line
                elif tag == _BOOK:
                    rec = book(elem, _raw(elem))
                    rec.line = line
                else:
                    rec = _fields.deleted(elem)
            except _fields.MissingPMIDError as exc:
                rec = RejectedRecord(tag, _guard.pmid_as_written(elem), line, str(exc))
            guard.record_done()
            # Free what has been read: this record and everything before it.
            elem.clear(keep_tail=False)
            parent = elem.getparent()
            if parent is not None:
                while elem.getprevious() is not None:
                    del parent[0]
            yield rec
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(exc, events, label) from None
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        raise ParseError(f"damaged gzip data: {exc}", source=label) from None
    if not root_checked:
        root = events.root
        if root is None:  # pragma: no cover - libxml2 reports an empty document itself
            raise ParseError("no XML element found", source=label)
        _check_root(root, label)


def _check_root(root: etree._Element, label: str) -> None:
    tag = root.tag
    if isinstance(tag, str) and tag in _ROOT_TAGS:
        return
    shown = tag if isinstance(tag, str) else repr(tag)
    detail = ""
    for err in root.iter("ERROR", "Error", "error"):
        detail = _fields.text(err)
        if detail:
            detail = f" (the reply says: {detail[:200]})"
            break
    raise ParseError(
        f"not PubMed XML: root element <{shown}>, expected <PubmedArticleSet>{detail}",
        source=label,
        line=root.sourceline,
    )
