"""PubMed Central full text (JATS XML) → records, streaming and safe.

`iter_full_texts` reads PMC open-access files (`.nxml`, `.xml`, gzip-compressed or not,
root `<article>`) and `efetch db=pmc` replies (`<pmc-articleset>`, one `<article>` per
PMCID) with lxml's `iterparse`, one article at a time, clearing each once it is read, so
a reply of any length is read with flat memory. The safety rules are the PubMed parser's
(`parser.py`, whose source handling this module shares): no DTD is loaded or fetched, no
entity expanded (an entity bomb is refused by libxml2's amplification guard, an external
entity stays an unexpanded reference), no XInclude, no network.

An article PMC withholds (its publisher allows no XML download) comes with its front
matter, PMC's notice as a comment and no body: its record has `is_open` False and the
notice in `notice`.

Every fault (malformed or truncated XML, a root that is neither `<article>` nor
`<pmc-articleset>`: an HTML page, `<eFetchResult><ERROR>`, PubMed XML …) raises one
`ParseError` naming the source and, when known, the line and column. Articles before the
fault are yielded first.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator

from lxml import etree

from ldn_evidence.errors import ParseError
from ldn_evidence.pubmed import _jats_fields
from ldn_evidence.pubmed._source import _SAFE as _PUBMED_SAFE
from ldn_evidence.pubmed._source import Source, _open, _raw, _root_of, _syntax_error
from ldn_evidence.pubmed.jats_records import FullTextRecord

__all__ = ["iter_full_texts", "parse_full_texts"]

_ARTICLE = "article"
_SET = "pmc-articleset"
# The PubMed parser's safe options (no entities, network, DTD), comments kept: PMC's
# "does not allow downloading" notice is a comment.
_SAFE = {**_PUBMED_SAFE, "remove_comments": False}


def iter_full_texts(source: Source, *, name: str | None = None) -> Iterator[FullTextRecord]:
    """Yield a FullTextRecord per `<article>`, in document order.

    `source` is a path (str or PathLike; plain or gzip-compressed XML), a binary file
    object, or bytes. `name` is how errors refer to the source (default: the path, the
    file object's name, or "<bytes>").
    """
    stream, label, owned = _open(source, name)
    try:
        yield from _stream(stream, label)
    finally:
        if owned:
            stream.close()


def parse_full_texts(data: bytes, *, name: str | None = None) -> list[FullTextRecord]:
    """All articles of an in-memory reply or file."""
    return list(iter_full_texts(data, name=name))


def _stream(stream, label: str) -> Iterator[FullTextRecord]:  # type: ignore[no-untyped-def]
    events = etree.iterparse(stream, events=("end",), tag=_ARTICLE, **_SAFE)
    root_checked = False
    try:
        for _event, elem in events:
            parent = elem.getparent()
            if parent is not None and (parent.getparent() is not None or parent.tag != _SET):
                continue  # an <article> inside an article is that article's content
            if not root_checked:
                _check_root(_root_of(elem), label)
                root_checked = True
            rec = _jats_fields.article(elem, _raw(elem))
            elem.clear(keep_tail=False)
            if parent is not None:
                while elem.getprevious() is not None:
                    del parent[0]
            yield rec
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(exc, events, label) from None
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        raise ParseError(f"damaged gzip data: {exc}", source=label) from None
    except RecursionError:
        raise ParseError("nesting too deep", source=label) from None
    if not root_checked:
        root = events.root
        if root is None:  # pragma: no cover - libxml2 reports an empty document itself
            raise ParseError("no XML element found", source=label)
        _check_root(root, label)


def _check_root(root: etree._Element, label: str) -> None:
    tag = root.tag
    if isinstance(tag, str) and tag in (_ARTICLE, _SET):
        return
    shown = tag if isinstance(tag, str) else repr(tag)
    detail = ""
    for err in root.iter("ERROR", "Error", "error"):
        text = _jats_fields.plain(err)
        if text:
            detail = f" (the reply says: {text[:200]})"
            break
    raise ParseError(
        f"not PMC full-text XML: root element <{shown}>, expected <pmc-articleset> or "
        f"<article>{detail}",
        source=label,
        line=root.sourceline,
    )
