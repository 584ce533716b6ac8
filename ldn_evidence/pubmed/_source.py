"""What the PubMed parser (`parser`) and the PMC full-text parser (`jats`) share: a source
(a path, bytes or a binary stream; gzip recognised by its magic bytes) opened as a binary
stream, lxml's safe parser settings, a record's XML standalone, and lxml's syntax error
as one `ParseError`. Importing it loads neither parser's fields or records.
"""

from __future__ import annotations

import gzip
import io
import os
import re
from pathlib import Path
from typing import IO, cast

from lxml import etree

from ldn_evidence.errors import NotFoundError, ParseError

Source = str | os.PathLike[str] | bytes | bytearray | memoryview | IO[bytes]

_GZIP_MAGIC = b"\x1f\x8b"
# An entity reference left unexpanded (we never resolve entities) is serialised as
# `&name;`, which no longer parses without the DOCTYPE that declared it: kept as text.
_ENTITY_REF = re.compile(rb"&(?!(?:amp|lt|gt|quot|apos);|#)")
_SAFE = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
}


class _Prefixed(io.RawIOBase):
    """A read-only stream: `head` (bytes already read to sniff the format), then `rest`."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        head = self._head
        if head:
            if size < 0 or size >= len(head):
                self._head = b""
                more = self._rest.read(-1 if size < 0 else size - len(head))
                return head + (more or b"")
            self._head = head[size:]
            return head[:size]
        return self._rest.read(size) or b""

    def readinto(self, b) -> int:  # type: ignore[no-untyped-def]
        data = self.read(len(b))
        b[: len(data)] = data
        return len(data)


def _open(source: Source, name: str | None) -> tuple[IO[bytes], str, bool]:
    """(binary stream of XML, label for errors, whether we own and must close it)."""
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        label = name or "<bytes>"
        if data[:2] == _GZIP_MAGIC:
            stream = cast(IO[bytes], gzip.GzipFile(fileobj=io.BytesIO(data), mode="rb"))
            return stream, label, True
        return io.BytesIO(data), label, True
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        label = name or str(path)
        try:
            raw: IO[bytes] = open(path, "rb")  # noqa: SIM115 - closed by iter_articles
        except FileNotFoundError:
            raise NotFoundError(f"{label}: no such file") from None
        except OSError as exc:
            raise ParseError(f"cannot read: {exc.strerror or exc}", source=label) from exc
        return _sniffed(raw), label, True
    if hasattr(source, "read"):
        return _sniffed(source), name or _stream_name(source), False
    raise TypeError(f"iter_articles: unsupported source type {type(source).__name__}")


def _sniffed(raw: IO[bytes]) -> IO[bytes]:
    """`raw`, or a gunzipping reader over it when it starts with the gzip magic bytes."""
    head = raw.read(2)
    if isinstance(head, str):
        raise TypeError("iter_articles needs a binary file object, not a text one")
    if raw.seekable():
        raw.seek(-len(head), io.SEEK_CUR)
        stream = raw
    else:  # a pipe or socket: put the two bytes back in front
        stream = _Prefixed(head or b"", raw)  # type: ignore[assignment]
    if head == _GZIP_MAGIC:
        return gzip.GzipFile(fileobj=stream, mode="rb")  # type: ignore[return-value]
    return stream


def _stream_name(stream: object) -> str:
    n = getattr(stream, "name", None)
    return n if isinstance(n, str) else "<stream>"


def _raw(elem: etree._Element) -> bytes:
    """The record's XML, standalone: an unexpanded entity reference becomes its text."""
    xml: bytes = etree.tostring(elem, encoding="utf-8", with_tail=False)
    if b"&" in xml and _ENTITY_REF.search(xml):
        return _ENTITY_REF.sub(b"&amp;", xml)
    return xml


def _root_of(elem: etree._Element) -> etree._Element:
    while True:
        parent = elem.getparent()
        if parent is None:
            return elem
        elem = parent


def _syntax_error(exc: etree.XMLSyntaxError, events: etree.iterparse, label: str) -> ParseError:
    """The parser's own first fatal error when it has one (lxml's message can be generic)."""
    message, line, column = exc.msg or "not well-formed XML", None, None
    if exc.position and exc.position[0] > 0:
        line, column = exc.position
    log = events.error_log
    fatal = log.filter_from_fatals() or log.filter_from_errors()
    if len(fatal):
        first = fatal[0]
        message = first.message
        line, column = (first.line or None), (first.column if first.line else None)
    # libxml2 quotes the offending input, which may hold line breaks and control characters
    message = " ".join("".join(c if c.isprintable() else " " for c in message).split())
    if line is not None:
        suffix = f", line {line}, column {column}"
        if message.endswith(suffix):
            message = message[: -len(suffix)]
    return ParseError(f"malformed XML: {message}", source=label, line=line, column=column)
