"""The verification engine's version: part of what each automatic verdict is computed
from, so that `verify` re-checks every citation when it changes and only then.

Bump `ENGINE_VERSION` by hand whenever a change to the code that reaches a verdict could
change one (this package; `figures.py`, `outcomes.py` and `sentences.py` at the package's
bottom), and set `ENGINE_SOURCE_SHA256` to
what `source_sha256()` says. A test compares the two and fails with "bump ENGINE_VERSION"
when the source changed and the recorded hash did not. A change that cannot change a
verdict (a comment, grading) still needs the hash updated; the version bump is then
optional.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path

ENGINE_VERSION = "2026.11.30-2"
ENGINE_SOURCE_SHA256 = "3560e8a08a6cefb6b0e0281be29c7e0f145f757e7296e3e749c011163b0bdda7"

_PACKAGE = Path(__file__).parent


def source_files() -> list[Path]:
    """The files whose code reaches a verdict: this package's modules (this one aside),
    the claim-figure parser, the outcome vocabulary and the sentence splitter."""
    own = [p for p in _PACKAGE.glob("*.py") if p.name != Path(__file__).name]
    shared = ("figures.py", "outcomes.py", "sentences.py")
    return sorted(own) + [_PACKAGE.parent / name for name in shared]


def sources_sha256(paths: Iterable[Path], name: Callable[[Path], str]) -> str:
    """sha256 of each file's `name` and text (line endings normalised), in order: what a
    stored result made by that code is checked against."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(f"{name(path)}\0".encode())
        digest.update(path.read_bytes().replace(b"\r\n", b"\n"))
        digest.update(b"\0")
    return digest.hexdigest()


def source_sha256() -> str:
    """sha256 of `source_files()` (name and text, line endings normalised)."""
    return sources_sha256(source_files(), lambda path: f"{path.parent.name}/{path.name}")
