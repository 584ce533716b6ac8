"""Write a file whole or not at all: a temporary file in the same directory + os.replace."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from ldn_evidence.errors import InputError


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` atomically (`write_atomic_chunks`)."""
    write_atomic_chunks(path, [data])


def write_atomic_chunks(path: Path, chunks: Iterable[bytes]) -> int:
    """Write `chunks` to `path` atomically, as they come; the number of bytes written. An
    unwritable path raises a one-line InputError; an error while the chunks are made (a
    renderer, the database) leaves the old file as it was, and no temporary file.

    Readers see the old file or the new one, never half of one, and a failed write
    leaves no temporary file behind. A new file gets the usual 0666 & ~umask mode. A
    device or pipe (``-o /dev/stdout``) is written in place; a symbolic link to a file
    stays a link to the new file.
    """
    path = Path(path)
    if path.is_dir():
        raise InputError(f"cannot write {path}: it is a directory")
    if _in_place(path):
        return _write_in_place(path, chunks)
    if path.is_symlink():  # replace the file the link names, and keep the link
        path = Path(os.path.realpath(path))
    directory = path.parent
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
        written = 0
        with os.fdopen(fd, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
                written += len(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, _mode_for(path))
        os.replace(tmp, path)
        tmp = None
        return written
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise InputError(f"cannot write {path}: {reason}") from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _in_place(path: Path) -> bool:
    """A device, FIFO or socket (/dev/stdout, /dev/null, /dev/full, a named pipe), or
    anything under /dev or /proc: written to, never replaced by a regular file (as root,
    replacing /dev/null would break the whole system)."""
    absolute = Path(os.path.abspath(path))
    if absolute.parts[1:2] in (("dev",), ("proc",)):
        return True
    return path.exists() and not path.is_file()


def _write_in_place(path: Path, chunks: Iterable[bytes]) -> int:
    written = 0
    try:
        with open(path, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
                written += len(chunk)
            handle.flush()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise InputError(f"cannot write {path}: {reason}") from None
    return written


def _mode_for(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
