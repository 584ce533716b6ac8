"""The files commands read: one rule for `load`, `extract`, `import-xml` and `evaluate`.

Only regular files are read (and standard input, as "-"): a named pipe with no writer
used to make `load` and `extract` wait forever, `load /dev/zero` read until the kernel
killed it. A symbolic link loop, a missing file and a directory are named the same way
by every command; a file over a command's documented size cap is refused unread.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.reliability.conftest import assert_one_line_error, console_script, dump

# Each command with the suffix it expects, so a refusal is about the file, not its name.
COMMANDS = {
    "load": ".yaml",
    "extract": ".html",
    "import-xml": ".xml",
    "evaluate": ".jsonl",
}


def _argv(command: str, path: Path) -> list[str]:
    return [command, str(path), *(["--no-fetch"] if command == "extract" else [])]


def _loop(tmp_path: Path, suffix: str) -> Path:
    a, b = tmp_path / f"loop-a{suffix}", tmp_path / f"loop-b{suffix}"
    a.symlink_to(b)
    b.symlink_to(a)
    return a


@pytest.mark.parametrize(
    ("kind", "says"),
    [
        ("symlink-loop", "a symbolic link loop"),
        ("missing", "no such file"),
        ("directory", "is a directory"),
        ("dangling-symlink", "no such file"),
        ("under-a-file", "no such file"),
    ],
)
def test_same_words_from_every_command(
    sqlite_cli: tuple[Cli, str], tmp_path: Path, kind: str, says: str
) -> None:
    cli, url = sqlite_cli
    before = dump(url)
    lines = {}
    for command, suffix in COMMANDS.items():
        place = tmp_path / command
        place.mkdir()
        if kind == "symlink-loop":
            path = _loop(place, suffix)
        elif kind == "missing":
            path = place / f"none{suffix}"
        elif kind == "directory":
            path = place / f"dir{suffix}"
            path.mkdir()
        elif kind == "dangling-symlink":
            path = place / f"dangling{suffix}"
            path.symlink_to(place / "gone")
        else:
            (place / "plain").write_text("x")
            path = place / "plain" / f"x{suffix}"
        result = cli(*_argv(command, path))
        assert result.exit_code == 1, (command, result.output)
        line = assert_one_line_error(result.stderr, str(path), says)
        lines[command] = line.replace(str(path), "PATH").split(", not ")[0]
    assert len(set(lines.values())) == 1, lines
    assert dump(url) == before


@pytest.mark.parametrize(
    ("command", "suffix", "cap_mb"), [("load", ".yaml", 20), ("extract", ".html", 5)]
)
def test_files_over_the_cap_are_refused_unread(
    sqlite_cli: tuple[Cli, str], tmp_path: Path, command: str, suffix: str, cap_mb: int
) -> None:
    """A sparse file one byte over the cap: refused from its size, nothing read."""
    cli, _url = sqlite_cli
    big = tmp_path / f"big{suffix}"
    with big.open("wb") as fh:
        fh.truncate(cap_mb * 1024 * 1024 + 1)
    result = cli(*_argv(command, big))
    assert result.exit_code == 1
    assert_one_line_error(result.stderr, str(big), "too large", "limit for a ", f"{cap_mb} MB")


def test_load_documents_its_cap() -> None:
    from ldn_evidence.services.dataset import MAX_DATASET_BYTES

    readme = (Path(__file__).resolve().parents[2] / "data" / "README.md").read_text()
    assert f"{MAX_DATASET_BYTES // (1024 * 1024)} MB" in readme


def _special(tmp_path: Path, kind: str, suffix: str) -> Path:
    if kind == "fifo":
        path = tmp_path / f"pipe{suffix}"
        os.mkfifo(path)
        return path
    path = tmp_path / f"zero{suffix}"
    path.symlink_to("/dev/zero")  # a link with the right suffix to the endless device
    return path


@pytest.mark.slow  # subprocesses (a command that hangs must not hang the test run)
@pytest.mark.parametrize(
    ("kind", "says"), [("fifo", "a named pipe"), ("zero", "a character device")]
)
def test_pipes_and_devices_are_refused_at_once(tmp_path: Path, kind: str, says: str) -> None:
    """The console script, memory capped at 1 GB and given 60 s: each command refuses the
    named pipe (no writer) and /dev/zero with one line instead of blocking or reading."""
    script = console_script()
    db = tmp_path / "x.db"
    limit = (
        "import resource, subprocess, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"
        "p = subprocess.run(sys.argv[1:], capture_output=True, text=True, timeout=45)\n"
        "sys.stdout.write(p.stdout); sys.stderr.write(p.stderr); sys.exit(p.returncode)\n"
    )
    for command, suffix in COMMANDS.items():
        path = _special(tmp_path, kind, suffix)
        proc = subprocess.run(
            [sys.executable, "-c", limit, script, "--db", str(db), *_argv(command, path)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert proc.returncode == 1, (command, proc.stderr[-500:])
        assert_one_line_error(proc.stderr, str(path), "not a regular file", says)
        path.unlink()


def test_stdin_is_still_read(sqlite_cli: tuple[Cli, str]) -> None:
    """ "-" is standard input for `extract` (a pipe, as it usually is)."""
    cli, _url = sqlite_cli
    result = cli("extract", "-", "--no-fetch", "--json", input="Zinc cut colds by 33%.\n")
    assert result.exit_code == 0, result.output
