"""A command closes its database connections before it exits, so SQLite folds the
write-ahead log into the database and removes it: a log left behind is read through again
by every later command that opens the database (~0.4 s CPU a GB after a large write)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def _run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ldn_evidence", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
    )


def test_a_write_leaves_no_write_ahead_log(tmp_path: Path) -> None:
    db = tmp_path / "evidence.db"
    done = _run(tmp_path, "--db", f"sqlite:///{db}", "db", "upgrade")
    assert done.returncode == 0, done.stderr
    assert db.exists()
    assert not Path(f"{db}-wal").exists()


def test_a_failing_command_closes_too(tmp_path: Path) -> None:
    db = tmp_path / "evidence.db"  # made by the command, which then fails
    failed = _run(tmp_path, "--db", f"sqlite:///{db}", "claims", "add", "--document", "9", "x")
    assert failed.returncode == 1
    assert failed.stderr == "Error: no document with id 9\n"
    assert db.exists()
    assert not Path(f"{db}-wal").exists()
