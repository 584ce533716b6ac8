"""Opening the files a command reads (`load`, `extract`, `import-xml`, `evaluate`): one
rule, one wording.

Only regular files are read (standard input is the caller's, given as "-"): a named pipe
with no writer would wait forever, /dev/zero never ends, a directory is not a file. The
file is opened without blocking and checked with `fstat` on the open descriptor, so
what is checked is what is read. A size cap (when the caller has one) is checked before
anything is read, and again while reading, for a file that grows.

Every refusal is an `InputError` naming the path: "no such file", "is a directory",
"a symbolic link loop", "not a regular file (a named pipe)", "too large", or "cannot
read: <reason>".
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

from ldn_evidence.errors import InputError

MB = 1024 * 1024

_KINDS = (
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a file")


def _refusal(path: Path, exc: OSError, what: str) -> InputError:
    code = exc.errno
    if code == errno.ENOENT:
        return InputError(f"{path}: no such file")
    if code == errno.EISDIR:
        return InputError(f"{path}: is a directory, not {what}")
    if code == errno.ELOOP:
        return InputError(f"{path}: a symbolic link loop (too many levels of symbolic links)")
    if code == errno.ENOTDIR:
        return InputError(f"{path}: no such file (a part of the path is not a directory)")
    return InputError(f"{path}: cannot read: {exc.strerror or exc}")


def too_large(name: object, size: int, limit: int, what: str) -> InputError:
    """The one wording of a size refusal."""
    return InputError(
        f"{name}: too large ({size / MB:.1f} MB; the limit for {what} is {limit // MB} MB)"
    )


def open_regular(path: Path, *, what: str, limit: int | None = None) -> BinaryIO:
    """`path` open for binary reading when it is a regular file (of at most `limit`
    bytes); `what` names what was expected ("a dataset file") in refusals."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise _refusal(path, exc, what) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InputError(f"{path}: is a directory, not {what}")
        if not stat.S_ISREG(info.st_mode):
            raise InputError(f"{path}: not a regular file ({_kind(info.st_mode)}), not {what}")
        if limit is not None and info.st_size > limit:
            raise too_large(path, info.st_size, limit, what)
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_regular(path: Path, *, what: str, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes (see `open_regular`)."""
    with open_regular(path, what=what, limit=limit) as handle:
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise _refusal(path, exc, what) from None
    if len(data) > limit:  # it grew since it was opened
        raise too_large(path, len(data), limit, what)
    return data


def check_regular(path: Path, *, what: str) -> None:
    """Refuse `path` now, as `open_regular` would (for commands that read many files and
    should refuse before reading the first)."""
    open_regular(path, what=what).close()
