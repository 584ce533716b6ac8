"""Shared helpers for the reliability and security tests: a fake E-utilities server wired
into the environment, whole-database dumps, and checks on what a failing command printed."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.conftest import Cli, copy_sqlite_at_head
from tests.eutils_server import FakeEutils

SECRET = "LDN-SECRET-MARKER-7f3a9c"
# An NCBI API key is 36 hex digits; with one the client may send 10 requests a second,
# which keeps these tests quick. It must never be printed or stored.
API_KEY = "0123456789abcdef0123456789abcdef7a3c"


@pytest.fixture
def fake(httpserver, monkeypatch: pytest.MonkeyPatch) -> FakeEutils:  # type: ignore[no-untyped-def]
    """A FakeEutils the CLI talks to, with a fast retry policy."""
    server = FakeEutils(httpserver)
    for name, value in server.env().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("NCBI_EMAIL", "pharmacist@example.org")
    monkeypatch.setenv("NCBI_API_KEY", API_KEY)
    monkeypatch.setenv("LDN_EVIDENCE_HTTP_BACKOFF", "0.01")
    monkeypatch.setenv("LDN_EVIDENCE_HTTP_RETRIES", "2")
    monkeypatch.setenv("LDN_EVIDENCE_HTTP_TIMEOUT", "5")
    return server


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    """A local file an attacker would like to read: its content is a unique marker."""
    path = tmp_path / "secret.txt"
    path.write_text(SECRET + "\n", encoding="utf-8")
    return path


def canary_requests(fake: FakeEutils) -> list[str]:
    """Paths of requests that reached the server outside the E-utilities endpoints."""
    return [r.path for r in fake.requests if r.utility == "unknown"]


def dump(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (alembic_version included), sorted: a database snapshot."""
    from ldn_evidence.db import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            names = sa.inspect(conn).get_table_names()
            out = {}
            for name in sorted(names):
                rows = conn.execute(sa.text(f'SELECT * FROM "{name}"')).all()
                out[name] = sorted((tuple(r) for r in rows), key=repr)
    finally:
        engine.dispose()
    return out


def all_text(url: str) -> str:
    """Every value in the database as one string, to grep for what must never be stored."""
    return "\n".join(repr(row) for rows in dump(url).values() for row in rows)


def count(url: str, table: str) -> int:
    from ldn_evidence.db import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text(f'SELECT COUNT(*) FROM "{table}"')).scalar_one()
    finally:
        engine.dispose()


def assert_one_line_error(stderr: str, *fragments: str) -> str:
    """stderr is a single ``Error: …`` line (no traceback) holding every fragment."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one line on stderr, got:\n{stderr}"
    line = lines[0]
    assert line.startswith("Error: "), line
    assert "Traceback" not in stderr
    for fragment in fragments:
        assert fragment in line, f"{fragment!r} not in {line!r}"
    return line


def console_script() -> str:
    script = shutil.which("ldn-evidence", path=str(Path(sys.executable).parent))
    if script is None:
        pytest.skip("console script not installed in this environment")
    return script


_MEASURED = (
    "import resource, subprocess, sys\n"
    "p = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
    "sys.stdout.write(p.stdout); sys.stderr.write(p.stderr)\n"
    "print('RC', p.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def run_console_measured(*args: str, timeout: float) -> tuple[int, str, str, int]:
    """The console script with `args` in a child process: (exit code, stdout, stderr,
    the child's peak RSS in kB)."""
    proc = subprocess.run(
        [sys.executable, "-c", _MEASURED, console_script(), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    stdout, _, tail = proc.stdout.rpartition("RC ")
    rc, peak_kb = tail.split()
    return int(rc), stdout, proc.stderr, int(peak_kb)


@pytest.fixture
def sqlite_cli(tmp_path: Path, sqlite_at_head: Path) -> tuple[Cli, str]:
    """The CLI on a migrated SQLite database, for checks that do not depend on the engine."""
    url = f"sqlite:///{tmp_path / 'reliability.db'}"
    copy_sqlite_at_head(sqlite_at_head, url)
    return Cli(url), url
