"""`ldn-evidence fetch` killed with SIGKILL mid-run leaves a consistent database holding
whole batches only, and a re-run finishes the job (on SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time

import pytest
import sqlalchemy as sa

from tests.conftest import Cli
from tests.eutils_server import FakeEutils
from tests.helpers.studies import assert_complete, rich_article
from tests.reliability.conftest import console_script

pytestmark = pytest.mark.slow  # SIGKILLs subprocesses

N = 600  # three efetch batches of 200


@pytest.fixture
def served(fake: FakeEutils, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """600 articles; `arrived[i]` is set when batch i's request reaches the server, and a
    batch listed in `hold` waits (up to 20 s) until `release` is set."""
    pmids = [str(5_000_000 + i) for i in range(N)]
    for p in pmids:
        fake.add_article(p, rich_article(p))
    arrived = [threading.Event() for _ in range(3)]
    release = threading.Event()
    hold: set[int] = set()
    real_answer = fake._answer

    def answer(utility, request, params):  # type: ignore[no-untyped-def]
        if utility == "efetch":
            ids = params.get("id", "").split(",")
            batch = pmids.index(ids[0]) // 200 if ids[0] in pmids else -1
            if batch >= 0:
                arrived[batch].set()
                if batch in hold:
                    release.wait(20)
        return real_answer(utility, request, params)

    monkeypatch.setattr(fake, "_answer", answer)
    yield pmids, arrived, release, hold
    release.set()


def _start(db_url: str, pmids: list[str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [console_script(), "--db", db_url, "fetch", *pmids],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=os.environ.copy(),
    )


def _kill(proc: subprocess.Popen[bytes]) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL


def _consistent(db_url: str) -> list[str]:
    """The database opens and checks clean; return the stored PMIDs."""
    from ldn_evidence.db import make_engine

    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            if engine.dialect.name == "sqlite":
                assert conn.execute(sa.text("PRAGMA integrity_check")).scalar_one() == "ok"
                assert conn.execute(sa.text("PRAGMA foreign_key_check")).all() == []
            return list(conn.execute(sa.text("SELECT pmid FROM studies")).scalars())
    finally:
        engine.dispose()


def test_sigkill_while_waiting_for_a_batch(
    cli: Cli,
    db_url: str,
    served,  # type: ignore[no-untyped-def]
) -> None:
    pmids, arrived, release, hold = served
    hold.add(2)
    proc = _start(db_url, pmids)
    try:
        assert arrived[2].wait(60), "the third batch was never requested"
        time.sleep(0.1)
    finally:
        _kill(proc)
    release.set()
    stored = _consistent(db_url)
    assert_complete(db_url, expected=pmids[:400])
    assert sorted(stored) == sorted(pmids[:400])

    hold.clear()
    again = cli("fetch", *pmids, "--json")
    assert again.exit_code == 0, again.output
    summary = json.loads(again.stdout)
    assert sorted(summary["new"]) == sorted(pmids[400:])
    assert len(summary["already_stored"]) == 400
    assert_complete(db_url, expected=pmids)


@pytest.mark.parametrize("delay", [0.3])
def test_sigkill_while_storing_a_batch(
    sqlite_cli: tuple[Cli, str],
    served,  # type: ignore[no-untyped-def]
    delay: float,
) -> None:
    """Killed at moments after the second batch was answered: storing 200 records takes
    about half a second, so the kill lands inside its transaction."""
    cli, db_url = sqlite_cli
    pmids, arrived, release, hold = served
    hold.add(2)
    proc = _start(db_url, pmids)
    try:
        assert arrived[1].wait(60), "the second batch was never requested"
        time.sleep(delay)
    finally:
        _kill(proc)
    release.set()
    stored = _consistent(db_url)
    assert len(stored) in (200, 400), len(stored)  # whole batches only
    assert_complete(db_url, expected=pmids[: len(stored)])

    hold.clear()
    again = cli("fetch", *pmids, "--json")
    assert again.exit_code == 0, again.output
    assert_complete(db_url, expected=pmids)
