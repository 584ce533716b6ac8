"""write_atomic: whole file or nothing, no temporary file left, one-line errors."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from ldn_evidence.errors import InputError
from ldn_evidence.export import write_atomic


def test_creates_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    write_atomic(target, b"first")
    write_atomic(target, b"second")
    assert target.read_bytes() == b"second"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_keeps_mode_of_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_bytes(b"old")
    target.chmod(0o640)
    write_atomic(target, b"new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_new_file_not_private(tmp_path: Path) -> None:
    target = tmp_path / "new.txt"
    write_atomic(target, b"x")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask


def test_failed_replace_leaves_old_file_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.txt"
    target.write_bytes(b"old")

    def fail(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(InputError) as info:
        write_atomic(target, b"new")
    assert str(info.value) == f"cannot write {target}: No space left on device"
    assert "\n" not in str(info.value)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


@pytest.mark.parametrize("where", ["missing-dir/out.txt", "file/out.txt", "."])
def test_unwritable_paths(tmp_path: Path, where: str) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(InputError, match=r"^cannot write "):
        write_atomic(tmp_path / where, b"data")
