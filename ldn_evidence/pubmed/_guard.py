"""The size guard of one record (a helper of `parser.py`): a record may hold at most
`MAX_RECORD_ELEMENTS` elements and `MAX_RECORD_BYTES` bytes of XML.

lxml's `iterparse` builds each record whole before its end event, so a single record
with a million `<Author>` elements (a 114 KB .xml.gz) would take gigabytes before the
parser sees it. `Guarded` wraps the stream lxml reads from: between two chunks of input
(lxml asks for 32 KB at a time; the tree is consistent then) it looks at the record
being built, once that record has passed `WATCH_AFTER` bytes, which real records rarely
do. It counts the record's elements; past either limit the record is refused, and from
then on every finished part of it is freed as soon as it is read, so memory stays flat
whatever the record holds. Normal records cost nothing but a byte counter.
"""

from __future__ import annotations

import io
from typing import IO

from lxml import etree

MAX_RECORD_ELEMENTS = 200_000
"""Elements one record may hold. The largest real records (thousands of authors or
investigators, long reference lists) have tens of thousands; a typical one a few hundred."""
MAX_RECORD_BYTES = 64 * 1024 * 1024
"""Bytes of XML one record may take (the largest real records take a few MB)."""
WATCH_AFTER = 256 * 1024
"""A record is looked at once it has taken this many bytes, then every as many again,
and when it ends. A smaller record cannot hold MAX_RECORD_ELEMENTS (an element takes at
least four bytes: `<x/>`)."""


class Guarded(io.RawIOBase):
    """The stream `iterparse` reads, watching the record being built (see the module)."""

    def __init__(self, stream: IO[bytes], record_tags: frozenset[str]) -> None:
        self._stream = stream
        self._record_tags = record_tags
        self.root: etree._Element | None = None  # set by the parser at the root's start
        self._read = 0  # bytes read in all
        self._record_start = 0  # bytes read when the current record began (about)
        self._next_look = WATCH_AFTER
        self.refused: etree._Element | None = None  # the record refused, being freed
        self.reason = ""
        self.pmid: str | None = None  # the refused record's PMID as written

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def read(self, size: int = -1) -> bytes:
        if self.refused is not None:
            _free_finished(self.refused)
        elif self._read - self._record_start >= self._next_look:
            self._next_look += WATCH_AFTER
            self._look()
        data = self._stream.read(size) or b""
        self._read += len(data)
        return data

    def record_done(self) -> None:
        """The parser finished a record: the next one starts here."""
        self._record_start = self._read
        self._next_look = WATCH_AFTER
        self.refused, self.reason, self.pmid = None, "", None

    def check_finished(self, record: etree._Element) -> None:
        """The last look at a record that ended: a record that took WATCH_AFTER bytes or
        more is counted whole (a smaller one cannot hold MAX_RECORD_ELEMENTS)."""
        if self.refused is None and self._read - self._record_start >= WATCH_AFTER:
            self._look(record)

    def _current(self) -> etree._Element | None:
        root = self.root
        if root is None:
            return None
        if root.tag in self._record_tags:
            return root
        last = root[-1] if len(root) else None
        return last if last is not None and last.tag in self._record_tags else None

    def _look(self, record: etree._Element | None = None) -> None:
        record = self._current() if record is None else record
        if record is None:
            return
        size = self._read - self._record_start
        if size > MAX_RECORD_BYTES:
            reason = f"takes more than {MAX_RECORD_BYTES / (1024 * 1024):g} MB of XML"
        elif sum(1 for _ in record.iter()) > MAX_RECORD_ELEMENTS:
            reason = f"has more than {MAX_RECORD_ELEMENTS:,} elements"
        else:
            return
        self.pmid = pmid_as_written(record)
        self.reason = (
            f"{reason} (real records have at most tens of thousands of elements: authors, "
            "MeSH terms, references …)"
        )
        self.refused = record
        _free_finished(record)


def pmid_as_written(record: etree._Element) -> str | None:
    for path in ("MedlineCitation/PMID", "BookDocument/PMID", "PMID"):
        found = record.find(path)
        if found is not None:
            return " ".join("".join(found.itertext()).split()) or None
    return None


def _free_finished(record: etree._Element) -> None:
    """Drop every finished part of `record`: at each level of the open elements (each
    the last child of the one above), all children but the last, still being read."""
    node = record
    while len(node):
        if len(node) > 1:
            del node[:-1]
        node = node[-1]
