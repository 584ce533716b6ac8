"""A binary stream of chunks made on demand: the parsers read it as a pipe, so a test can
stream far more than it ever holds (the memory-flat tests)."""

from __future__ import annotations

import io
from collections.abc import Iterable


class ChunkedStream(io.RawIOBase):
    """Reads `parts` (bytes) one after another, as they are produced."""

    def __init__(self, parts: Iterable[bytes]) -> None:
        self._parts = iter(parts)
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:  # type: ignore[no-untyped-def]
        while len(self._pending) < len(b):
            nxt = next(self._parts, None)
            if nxt is None:
                break
            self._pending += nxt
        chunk, self._pending = self._pending[: len(b)], self._pending[len(b) :]
        b[: len(chunk)] = chunk
        return len(chunk)
