"""Every command has help; the installed console script works in a subprocess."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ldn_evidence.cli import app


def _commands(group=None, prefix=()):  # type: ignore[no-untyped-def]
    import typer.main

    group = group or typer.main.get_command(app)
    for name, cmd in group.commands.items():
        path = (*prefix, name)
        yield path, cmd
        if hasattr(cmd, "commands"):
            yield from _commands(cmd, path)


@pytest.mark.slow
def test_every_command_has_help() -> None:
    runner = CliRunner()
    seen = []
    for path, cmd in _commands():
        assert (cmd.help or "").strip(), f"{' '.join(path)} has no help text"
        result = runner.invoke(app, [*path, "--help"])
        assert result.exit_code == 0, path
        seen.append(" ".join(path))
    for expected in (
        "db upgrade",
        "db current",
        "load",
        "claims list",
        "claims show",
        "demo",
        "fetch",
        "import-xml",
        "studies list",
        "studies show",
    ):
        assert expected in seen


@pytest.mark.slow
def test_help_shows_value_lists_and_no_python_types() -> None:
    """Every option and argument is named by a metavar (ID, PMID, FILE, VERDICT …), never
    a Python type (`<int>`, `<list[str]>`); verdicts and levels are listed where asked."""
    import re

    from ldn_evidence.vocab import LEVEL_KEYS, VERDICTS

    runner = CliRunner()
    helps = {}
    for path, _ in _commands():
        result = runner.invoke(app, [*path, "--help"], terminal_width=200)
        assert result.exit_code == 0, path
        text = result.stdout
        helps[" ".join(path)] = " ".join(text.split())
        # a choice list (<csv|json|…>) is a value list; a bare type name is not
        assert not re.search(r"<[^>|]*>", text), (path, text)
        assert not re.search(r"\{[a-z_]+\}", text), (path, text)  # a lower-case argument name
    for command in ("claims list", "export", "claims check"):
        for verdict in VERDICTS:
            assert verdict in helps[command], (command, verdict)
    for command in ("claims list", "studies list"):
        for level in LEVEL_KEYS:
            assert level in helps[command], (command, level)
    assert "--verdict VERDICT" in helps["claims list"] and "--level LEVEL" in helps["studies list"]
    assert "[CLAIM]..." in helps["verify"] and "[PMID]..." in helps["fetch"]


@pytest.mark.slow
def test_empty_results_say_so(tmp_path: Path) -> None:
    runner = CliRunner()
    db = ["--db", str(tmp_path / "empty.db")]
    assert runner.invoke(app, [*db, "db", "upgrade"]).exit_code == 0
    for args, said in (
        (("claims", "list"), "No claims match."),
        (("claims", "list", "--verdict", "contradicted"), "No claims match."),
        (("studies", "list"), "No studies match."),
        (("documents", "list"), "No documents stored yet."),
    ):
        result = runner.invoke(app, [*db, *args])
        assert result.exit_code == 0 and result.stdout.strip() == said, (args, result.output)
        as_json = runner.invoke(app, [*db, *args, "--json"])
        assert json.loads(as_json.stdout) == []
    for fmt, said in (
        ("ris", "No study is cited by the selected claims: the export is empty."),
        ("csv", "No claims match: the export has no claims."),
    ):
        result = runner.invoke(app, [*db, "export", "--format", fmt])
        assert result.exit_code == 0 and result.stderr.strip() == said
    report = runner.invoke(app, [*db, "export", "--format", "markdown"]).stdout
    assert "_No claims match the filters: the report is empty._" in report


def test_usage_error_is_exit_2() -> None:
    result = CliRunner().invoke(app, ["claims", "show", "not-a-number"])
    assert result.exit_code == 2


def _console_script() -> str:
    script = shutil.which("ldn-evidence", path=str(Path(sys.executable).parent))
    if script is None:
        pytest.skip("console script not installed in this environment")
    return script


@pytest.mark.slow  # subprocess
def test_console_script_in_subprocess(tmp_path: Path, seed_file: Path) -> None:
    env = {**os.environ, "LDN_EVIDENCE_DB": str(tmp_path / "sub.db")}
    script = _console_script()
    loaded = subprocess.run(
        [script, "load", str(seed_file)], env=env, capture_output=True, text=True, timeout=120
    )
    assert loaded.returncode == 0, loaded.stderr
    listed = subprocess.run(
        [script, "claims", "list", "--json"], env=env, capture_output=True, text=True, timeout=120
    )
    assert listed.returncode == 0
    assert len(json.loads(listed.stdout)) == 5
    missing = subprocess.run(
        [script, "claims", "show", "77"], env=env, capture_output=True, text=True, timeout=120
    )
    assert missing.returncode == 1
    assert missing.stderr == "Error: no claim with id 77\n"


@pytest.mark.slow  # subprocess
def test_python_dash_m(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "ldn_evidence", "--help"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0 and "claims" in proc.stdout


def test_terminal_output_does_not_interpret_markup(tmp_path: Path) -> None:
    from tests.conftest import Cli

    cli = Cli(f"sqlite:///{tmp_path / 'm.db'}")
    f = tmp_path / "m.csv"
    f.write_text(
        'text,figure_value\n"[bold red]Cures[/bold red] :pill: 90% [link=x]y[/link]",90\n',
        encoding="utf-8",
    )
    assert cli("load", str(f)).exit_code == 0
    shown = cli("claims", "show", "1").stdout
    assert "[bold red]Cures[/bold red] :pill: 90% [link=x]y[/link]" in shown.replace("\n", "")


def test_the_readme_tour_uses_pages_that_exist() -> None:
    """Every page the README's tour extracts is shipped under data/ and reads as a page."""
    import re

    from ldn_evidence.services.extraction import extract

    root = Path(__file__).resolve().parents[2]
    readme = (root / "README.md").read_text("utf-8")
    pages = re.findall(r"^ldn-evidence extract (\S+)", readme, flags=re.M)
    pages = [p for p in pages if not p.startswith(("http://", "https://"))]  # by address
    assert len(pages) >= 2
    for page in pages:
        path = root / page
        assert path.is_file() and path.parent == root / "data" / "pages", page
        ex = extract(data=path.read_bytes(), name=page)
        assert ex.title and ex.claims and ex.references, page
