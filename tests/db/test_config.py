"""Where the database is, and what happens when it is wrong."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ldn_evidence.config import resolve_db_url
from tests.conftest import Cli


def test_resolution_order(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("LDN_EVIDENCE_DB", "sqlite:///from-env.db")
    assert resolve_db_url("postgresql://h/db") == "postgresql://h/db"
    assert resolve_db_url(None) == "sqlite:///from-env.db"
    monkeypatch.delenv("LDN_EVIDENCE_DB")
    assert resolve_db_url(None) == f"sqlite:///{tmp_path / 'xdg' / 'ldn-evidence' / 'evidence.db'}"
    assert resolve_db_url(str(tmp_path / "x.db")) == f"sqlite:///{tmp_path / 'x.db'}"


def test_default_database_is_created_at_head_by_a_write(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from ldn_evidence.cli import app

    runner = CliRunner()
    added = runner.invoke(app, ["claims", "add", "Zinc shortened colds by 33%."])
    assert added.exit_code == 0, added.output
    assert (tmp_path / "xdg" / "ldn-evidence" / "evidence.db").exists()
    result = runner.invoke(app, ["claims", "list", "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert [c["text"] for c in json.loads(result.stdout)] == ["Zinc shortened colds by 33%."]


def test_env_variable_is_used(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from ldn_evidence.cli import app

    monkeypatch.setenv("LDN_EVIDENCE_DB", str(tmp_path / "env.db"))
    result = CliRunner().invoke(app, ["db", "upgrade"], catch_exceptions=False)
    assert result.exit_code == 0
    assert (tmp_path / "env.db").exists()
    current = CliRunner().invoke(app, ["db", "current", "--json"], catch_exceptions=False)
    assert json.loads(current.stdout)["up_to_date"] is True


READS = [
    ["claims", "list"],
    ["claims", "show", "1"],
    ["export", "--format", "json"],
    ["verify"],
    ["studies", "list"],
    ["studies", "show", "23359310"],
    ["documents", "list"],
    ["documents", "show", "1"],
    ["db", "current"],
    ["resolve"],  # writes only to references that exist
]


@pytest.mark.parametrize("command", READS, ids=lambda c: " ".join(c))
def test_a_read_never_creates_the_database(command: list[str], tmp_path: Path) -> None:
    missing = tmp_path / "no-such-dir" / "evidence.db"
    result = Cli(str(missing))(*command)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: no database at {missing}: ")
    assert len(result.stderr.strip().splitlines()) == 1
    assert not missing.parent.exists()


def test_a_relative_path_after_a_cd_is_named_in_full(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from ldn_evidence.cli import app

    (tmp_path / "project").mkdir()
    monkeypatch.chdir(tmp_path / "project")
    monkeypatch.setenv("LDN_EVIDENCE_DB", "evidence.db")
    assert CliRunner().invoke(app, ["claims", "add", "Zinc cut colds by 33%."]).exit_code == 0
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["documents", "list"])
    assert result.exit_code == 1
    assert f"no database at {tmp_path / 'evidence.db'}" in result.stderr
    assert not (tmp_path / "evidence.db").exists()


@pytest.mark.parametrize(
    "url", ["notaurl://", "sqlite:////nonexistent-dir/\0/x.db", "mysql+nodriver://u@h/db"]
)
def test_bad_url_is_one_line_exit_1(url: str) -> None:
    result = Cli(url)("claims", "list")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ")
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_unreachable_server_is_one_line_exit_1() -> None:
    result = Cli("postgresql://nobody@127.0.0.1:1/nothing")("claims", "list")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: cannot open database")
    assert len(result.stderr.strip().splitlines()) == 1


def test_database_behind_head_is_refused(db_url: str) -> None:
    from ldn_evidence.db import downgrade, make_engine, upgrade

    engine = make_engine(db_url)
    upgrade(engine)
    downgrade(engine, "base")
    import sqlalchemy as sa

    # a database at an older (here: unknown) revision is never migrated silently
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO alembic_version VALUES ('0000old')"))
    engine.dispose()
    result = Cli(db_url)("claims", "list")
    assert result.exit_code == 1
    assert "run `ldn-evidence db upgrade`" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_empty_postgres_needs_explicit_upgrade(db_url: str) -> None:
    if db_url.startswith("sqlite"):
        pytest.skip("an empty SQLite file is created at head automatically")
    cli = Cli(db_url)
    result = cli("claims", "list")
    assert result.exit_code == 1
    assert "run `ldn-evidence db upgrade`" in result.stderr
    up = cli("db", "upgrade")
    assert up.exit_code == 0, up.output
    assert cli("claims", "list", "--json").stdout.strip() == "[]"
    again = cli("db", "upgrade")
    assert "already at" in again.stdout


def test_db_current(cli: Cli) -> None:
    import json

    result = cli("db", "current", "--json")
    data = json.loads(result.stdout)
    assert data["up_to_date"] is True and data["current"] == data["head"]


# ---- Settings: every environment variable in one place -----------------------------------


def test_settings_read_every_variable_and_hide_the_key() -> None:
    from ldn_evidence.config import ENV_VARS, Settings

    assert set(ENV_VARS) == {
        "LDN_EVIDENCE_DB",
        "XDG_DATA_HOME",
        "LDN_EVIDENCE_EUTILS_URL",
        "LDN_EVIDENCE_IDCONV_URL",
        "NCBI_API_KEY",
        "NCBI_EMAIL",
        "LDN_EVIDENCE_HTTP_TIMEOUT",
        "LDN_EVIDENCE_HTTP_RETRIES",
        "LDN_EVIDENCE_HTTP_BACKOFF",
    }
    settings = Settings.from_env({name: f"value of {name}" for name in ENV_VARS})
    assert "value of NCBI_API_KEY" not in repr(settings)
    assert settings.ncbi_api_key == "value of NCBI_API_KEY"
    assert Settings.from_env({"NCBI_EMAIL": ""}).ncbi_email is None  # empty is unset
    options = Settings.from_env({"LDN_EVIDENCE_HTTP_RETRIES": "2"}).pubmed_options()
    assert options["max_retries"] == 2 and options["api_key"] is None


def test_only_the_settings_read_the_environment() -> None:
    package = Path(__file__).resolve().parents[2] / "ldn_evidence"
    readers = sorted(
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if "os.environ" in (text := path.read_text(encoding="utf-8")) or "getenv" in text
    )
    assert readers == ["config.py"]


def test_a_bad_http_setting_fails_only_the_network_commands(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LDN_EVIDENCE_HTTP_TIMEOUT", "soon")
    assert cli("claims", "list", "--json").exit_code == 0
    result = cli("fetch", "1")
    assert result.exit_code == 1
    expected = "Error: LDN_EVIDENCE_HTTP_TIMEOUT: expected a number, got 'soon'"
    assert result.stderr.strip() == expected
