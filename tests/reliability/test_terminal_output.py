"""Stored values carrying terminal escapes (OSC 52 clipboard writes, screen clears,
colours, 8-bit CSI) are printed as text: no command writes a control character other than
tab and newline to stdout or stderr, in tables, `--json` or an export read on a terminal.

The rows are written straight to the database (as an older version, or another tool,
could have stored them): the input checks that keep new ones out are not what is tested.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.reliability.conftest import console_script

OSC52 = "\x1b]52;c;ZWNobyBwd25lZA==\x07"
ESCAPES = OSC52 + "\x1b[2J\x1b[31m\x9b31m\x7f\r"
# Raw control characters other than tab and newline (a JSON \u001b escape is text).
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
PMID = "777"


def _store_hostile_rows(url: str) -> dict[str, int]:
    from ldn_evidence.db import make_engine, session_scope
    from ldn_evidence.models import (
        AbstractSectionRow,
        Citation,
        Claim,
        Reference,
        SourceDocument,
        Study,
        StudyAuthor,
    )

    engine = make_engine(url)
    with session_scope(engine) as s:
        study = Study(
            pmid=PMID,
            title="Zinc trial" + ESCAPES,
            abstract="RESULTS: Zinc cut colds by 33%" + ESCAPES + ".",
            journal_title="J" + ESCAPES,
            journal_iso="J" + ESCAPES,
            pub_year=2020,
            origin="efetch",
            evidence_level="rct",
        )
        study.authors = [StudyAuthor(position=0, last_name="Doe" + ESCAPES, fore_name="J")]
        study.abstract_sections = [
            AbstractSectionRow(position=0, label="RESULTS", text="Zinc cut colds" + ESCAPES)
        ]
        doc = SourceDocument(
            title="Page" + ESCAPES, url="https://a.example/" + ESCAPES, publisher="P" + ESCAPES
        )
        ref = Reference(
            document=doc,
            position=1,
            raw="Ref" + ESCAPES,
            kind="title",
            status="failed",
            error="server said" + ESCAPES,
        )
        claim = Claim(
            document=doc,
            position=1,
            text="Zinc cut colds by 33%" + ESCAPES,
            condition="colds" + ESCAPES,
            figure_value=33,
            figure_unit="%",
            figure_qualifier="exact",
            figure_text="33%" + ESCAPES,
        )
        s.add_all([study, doc, ref, claim])
        s.flush()
        s.add(
            Citation(
                claim=claim,
                study=study,
                origin="reviewer",
                verdict="supported",
                verdict_origin="reviewer",
                evidence_sentence="Zinc cut colds" + ESCAPES,
                note="note" + ESCAPES,
                checked_by="Eve" + ESCAPES,
            )
        )
        s.add(Citation(claim=claim, reference=ref, origin="page"))
        s.flush()
        ids = {"claim": claim.id, "document": doc.id}
    engine.dispose()
    return ids


COMMANDS = [
    ("claims", "list"),
    ("claims", "list", "--search", "Zinc"),
    ("claims", "show", "{claim}"),
    ("documents", "list"),
    ("documents", "show", "{document}"),
    ("studies", "list"),
    ("studies", "show", PMID),
    ("verify", "{claim}"),
    ("claims", "check", "{claim}", PMID, "--verdict", "supported", "--by", "me"),
    ("claims", "cite", "{claim}", PMID),
    ("export", "-f", "markdown"),
    ("export", "-f", "csv"),
]


@pytest.fixture
def hostile(sqlite_cli: tuple[Cli, str]) -> tuple[Cli, dict[str, int]]:
    cli, url = sqlite_cli
    return cli, _store_hostile_rows(url)


def test_claims_show_prints_escapes_as_text(hostile: tuple[Cli, dict[str, int]]) -> None:
    cli, ids = hostile
    result = cli("claims", "show", str(ids["claim"]))
    assert result.exit_code == 0, result.output
    assert not RAW_CONTROL.findall(result.output)
    assert "Zinc cut colds by 33%\ufffd]52;c;ZWNobyBwd25lZA==\ufffd\ufffd[2J" in result.output


@pytest.mark.slow  # over 1 s
@pytest.mark.parametrize("as_json", [False, True], ids=["table", "json"])
def test_no_control_character_reaches_the_terminal(
    hostile: tuple[Cli, dict[str, int]], as_json: bool
) -> None:
    cli, ids = hostile
    for command in COMMANDS:
        argv = [a.format(**ids) for a in command]
        if as_json and argv[0] != "export":
            argv.append("--json")
        result = cli(*argv)
        assert result.exit_code == 0, (argv, result.output[-500:])
        found = RAW_CONTROL.findall(result.output)
        assert not found, (argv, found, result.output[:2000])
        if argv[1] == "show":  # the values are shown, as text
            assert "]52;c;ZWNobyBwd25lZA==" in result.output, argv


def test_import_error_names_a_hostile_file_safely(
    sqlite_cli: tuple[Cli, str], tmp_path: Path
) -> None:
    cli, _url = sqlite_cli
    bad = tmp_path / ("x" + OSC52 + ".xml")
    bad.write_text("<PubmedArticleSet><PubmedArticle>", encoding="utf-8")
    result = cli("import-xml", str(bad))
    assert result.exit_code == 1
    assert not RAW_CONTROL.findall(result.output)


def _cli_calls(tree: ast.AST) -> list[str]:
    calls = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = ast.unparse(func)
            if name in ("print", "typer.echo", "click.echo", "sys.stdout.write"):
                calls.append(name)
    return calls


def test_commands_print_through_the_safe_helpers() -> None:
    """Commands print with `_common.echo`, `status`, `emit` or `print_json`, which make
    stored text terminal-safe; only `export` writes its bytes as they are, to a pipe."""
    import ldn_evidence.cli

    found = {}
    for path in sorted(Path(ldn_evidence.cli.__file__).parent.glob("*.py")):
        if path.name == "_common.py":
            continue
        calls = _cli_calls(ast.parse(path.read_text(encoding="utf-8")))
        if calls:
            found[path.name] = calls
    assert found == {"export.py": ["typer.echo"]}


@pytest.mark.slow  # subprocesses on a pseudo-terminal
def test_on_a_real_terminal(tmp_path: Path) -> None:
    """The console script with a pseudo-terminal as stdout: tables and every export
    format read on the terminal carry no escape sequence from the data."""
    import pty

    url = f"sqlite:///{tmp_path / 't.db'}"
    assert Cli(url)("db", "upgrade").exit_code == 0
    ids = _store_hostile_rows(url)
    for argv in (
        ["claims", "list"],
        ["claims", "show", str(ids["claim"])],
        ["studies", "show", PMID],
        *(["export", "-f", fmt] for fmt in ("json", "ris", "bibtex", "csljson", "html")),
    ):
        leader, follower = pty.openpty()
        proc = subprocess.Popen(
            [console_script(), "--db", url, *argv],
            stdout=follower,
            stderr=follower,
            env={**os.environ, "COLUMNS": "200", "TERM": "dumb"},
        )
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the other side closed
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(leader)
        assert proc.wait(timeout=60) == 0, argv
        text = b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")
        found = RAW_CONTROL.findall(text)
        assert not found, (argv, found, text[:1500])
