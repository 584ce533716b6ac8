"""Shared fixtures: every test gets its own database, on SQLite and (when configured) on a
real PostgreSQL server.

PostgreSQL: set LDN_EVIDENCE_TEST_PG_URL (``.ci/run`` starts a throwaway cluster and sets
it). When it is set, PostgreSQL tests FAIL if the server is unreachable; when it is not
set, they are skipped. Each PostgreSQL test runs in its own schema, dropped afterwards.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

PG_ENV = "LDN_EVIDENCE_TEST_PG_URL"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the user's database, NCBI settings or terminal width."""
    from ldn_evidence.config import ENV_VARS

    for var in ENV_VARS:  # every variable the program reads
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("TERM", "dumb")


def shared_path(*parts: str) -> Path:
    """A file of ../shared, or skip the test cleanly when ../shared is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared material not available: {path}")
    return path


def _pg_base_url() -> str | None:
    return os.environ.get(PG_ENV) or None


def _with_search_path(url: str, schema: str) -> str:
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options=-csearch_path%3D{schema}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database URL of a fresh, empty database (not yet migrated)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    base = _pg_base_url()
    if base is None:
        pytest.skip(f"{PG_ENV} not set: PostgreSQL tier not running")
    import sqlalchemy as sa

    from ldn_evidence.db import make_engine

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(base)
    try:
        with admin.begin() as conn:  # fails (not skips) when the server is unreachable
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        yield _with_search_path(base, schema)
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="session")
def sqlite_at_head(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head, made once per test process (per xdist worker).

    Tests copy it (`copy_sqlite_at_head`) instead of running every migration for each
    test's database: the copy takes milliseconds, the migrations a tenth of a second.
    Migrating itself is tested in tests/db/test_migrations.py, on fresh databases.
    """
    from ldn_evidence.db import make_engine, upgrade

    path = tmp_path_factory.mktemp("sqlite-at-head") / "head.db"
    eng = make_engine(f"sqlite:///{path}")
    upgrade(eng)
    eng.dispose()  # the last connection closed: the WAL is checkpointed into the file
    assert not path.with_name("head.db-wal").exists(), "template left a WAL behind"
    return path


def copy_sqlite_at_head(template: Path, url: str) -> None:
    """Make the (not yet existing) SQLite database of `url` a copy of `template`."""
    target = Path(url.removeprefix("sqlite:///"))
    assert url.startswith("sqlite:///") and not target.exists(), url
    shutil.copyfile(template, target)


@pytest.fixture
def engine(db_url: str, sqlite_at_head: Path):  # type: ignore[no-untyped-def]
    """An engine on a fresh database migrated to head (on SQLite: a copy of one)."""
    from ldn_evidence.db import make_engine, upgrade

    if db_url.startswith("sqlite:"):
        copy_sqlite_at_head(sqlite_at_head, db_url)
        eng = make_engine(db_url)
    else:
        eng = make_engine(db_url)
        upgrade(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def session(engine):  # type: ignore[no-untyped-def]
    from ldn_evidence.db import session_scope

    with session_scope(engine) as s:
        yield s


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.db'}"


class Cli:
    """Runs `ldn-evidence --db URL ...` in-process with typer's runner."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None):  # type: ignore[no-untyped-def]
        from ldn_evidence.cli import app

        return self.runner.invoke(
            app, ["--db", self.url, *args], input=input, catch_exceptions=False
        )


@pytest.fixture
def cli(engine, db_url: str) -> Cli:  # type: ignore[no-untyped-def]
    """The CLI on a migrated database of each engine."""
    return Cli(db_url)


@pytest.fixture
def seed_file() -> Path:
    from ldn_evidence.services.seed import seed_path

    return seed_path()


@pytest.fixture
def fake(httpserver, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """A local E-utilities server (tests/eutils_server.py) that `from_env()` and the CLI
    talk to, with a fast retry policy."""
    from tests.eutils_server import FakeEutils

    server = FakeEutils(httpserver)
    for name, value in server.env().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("NCBI_EMAIL", "pharmacist@example.org")
    monkeypatch.setenv("LDN_EVIDENCE_HTTP_BACKOFF", "0.01")
    return server


@pytest.fixture
def offline_biopython(monkeypatch: pytest.MonkeyPatch) -> None:
    """Biopython reads its bundled DTDs only: its download function fails (the corpus tests,
    tests/helpers/pubmed_oracle.py)."""
    pytest.importorskip("Bio.Entrez")
    import Bio.Entrez.Parser as bio_parser

    def no_network(url: str, *args: object, **kwargs: object) -> None:
        raise OSError(f"test is offline; Biopython wanted {url}")

    monkeypatch.setattr(bio_parser, "urlopen", no_network)


def count_rows(url: str, table: str) -> int:
    """Rows in `table` of the database at `url`."""
    import sqlalchemy as sa

    from ldn_evidence.db import make_engine

    engine = make_engine(url)
    with engine.connect() as conn:
        n = conn.execute(sa.text(f'SELECT COUNT(*) FROM "{table}"')).scalar_one()
    engine.dispose()
    return int(n)
