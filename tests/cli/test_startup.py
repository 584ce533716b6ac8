"""What a command pays before its query: one statement checks the schema revision, and a
command that only reads imports neither Alembic nor what it does not use (the
verification engine, the HTTP client, pydantic through typer). Speed itself is measured
in benchmarks/startup_bench.py, not here."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Cli, copy_sqlite_at_head

# Runs the CLI in a fresh interpreter, several commands in turn, noting each SQL statement
# and, at the end, every module imported.
_PROBE = r"""
import json, sys
from sqlalchemy import event
from sqlalchemy.engine import Engine

statements = []
event.listen(Engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
from ldn_evidence.cli import app_for

runs = []
for args in json.loads(sys.argv[2]):
    before, code = len(statements), 0
    try:
        app_for(args)(args, prog_name="ldn-evidence")  # as `ldn-evidence` (cli.main) runs
    except SystemExit as exc:
        code = exc.code or 0
    runs.append({"args": args, "code": code, "statements": statements[before:]})
with open(sys.argv[1], "w") as out:
    json.dump({"runs": runs, "modules": sorted(sys.modules)}, out)
"""

READS = [
    ["claims", "show", "4", "--json"],
    ["claims", "list", "--json"],
    ["studies", "show", "23359310", "--json"],
    ["studies", "list", "--json"],
    ["documents", "show", "1", "--json"],
    ["documents", "list", "--json"],
    ["export", "-f", "csv", "--claim", "4", "--claim", "5"],
    ["export", "-f", "json", "--verdict", "unchecked"],
    ["db", "current", "--json"],
]


def _probe(tmp_path: Path, commands: list[list[str]]) -> dict:
    out = tmp_path / "probe.json"
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE, str(out), json.dumps(commands)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(out.read_text())


@pytest.fixture
def seeded(tmp_path: Path, sqlite_at_head: Path, seed_file: Path) -> str:
    url = f"sqlite:///{tmp_path / 'seeded.db'}"
    copy_sqlite_at_head(sqlite_at_head, url)
    assert Cli(url)("load", str(seed_file)).exit_code == 0
    return url


@pytest.mark.slow
def test_reads_check_the_schema_with_one_query_and_import_only_what_they_use(
    tmp_path: Path, seeded: str
) -> None:
    probe = _probe(tmp_path, [["--db", seeded, *args] for args in READS])
    for run in probe["runs"]:
        assert run["code"] == 0, run["args"]
        versions = [s for s in run["statements"] if "alembic_version" in s]
        assert len(versions) == 1, (run["args"], versions)
        assert run["statements"][0] == versions[0]  # checked first, before the command's query
    modules = set(probe["modules"])
    top = {name.split(".")[0] for name in modules}
    assert "alembic" not in top  # imported only to migrate
    assert "wordfreq" not in top and "ldn_evidence.verification.engine" not in modules
    assert "requests" not in top and "ldn_evidence.pubmed.client" not in modules
    if _typer_checks_values_with_pydantic():
        assert "pydantic" not in top


# What one command alone imports (a fresh interpreter each): the show commands read Core
# rows (no ORM, no model mapped), no parser or CSV reader to show a study.
_NO_ORM = {"sqlalchemy.orm", "ldn_evidence.models.base", "ldn_evidence.models.documents"}
ALONE = {
    ("db", "current", "--json"): {
        "sqlalchemy.orm",
        "ldn_evidence.models",
        "ldn_evidence.viewmodel",
    },
    ("claims", "show", "4", "--json"): {
        *_NO_ORM,
        "ldn_evidence.pubmed.records",
        "ldn_evidence.services.retraction_csv",
        "ldn_evidence.pubmed.jats_records",
    },
    ("studies", "show", "23359310", "--json"): {
        *_NO_ORM,
        "ldn_evidence.pubmed.records",
        "ldn_evidence.services.retraction_csv",
    },
    ("documents", "show", "1", "--json"): {
        *_NO_ORM,
        "ldn_evidence.pubmed.records",
        "ldn_evidence.services.retraction_csv",
    },
    ("claims", "list", "--json"): {*_NO_ORM, "ldn_evidence.verification.modifiers"},
    ("studies", "list", "--json"): {*_NO_ORM, "ldn_evidence.verification.modifiers"},
    ("documents", "list", "--json"): {*_NO_ORM, "ldn_evidence.verification.modifiers"},
    ("export", "-f", "csv", "--claim", "4"): {*_NO_ORM, "ldn_evidence.pubmed.records"},
    ("export", "-f", "ris", "--pmid", "23359310"): {*_NO_ORM, "ldn_evidence.pubmed.records"},
}


@pytest.mark.slow
@pytest.mark.parametrize("args", list(ALONE), ids=" ".join)
def test_one_command_imports_only_what_it_reads(
    tmp_path: Path, seeded: str, args: tuple[str, ...]
) -> None:
    probe = _probe(tmp_path, [["--db", seeded, *args]])
    assert probe["runs"][0]["code"] == 0
    assert not ALONE[args] & set(probe["modules"]), ALONE[args] & set(probe["modules"])


# A PubMed XML file of one record, this test's own.
_ONE_RECORD = b"""<?xml version="1.0" ?>
<PubmedArticleSet><PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM">
<PMID Version="1">61000001</PMID><Article PubModel="Print"><Journal><Title>J Tests</Title>
<JournalIssue><PubDate><Year>2020</Year></PubDate></JournalIssue></Journal>
<ArticleTitle>Zinc and colds: a randomized trial.</ArticleTitle>
<Abstract><AbstractText>Zinc shortened colds in 40 adults.</AbstractText></Abstract>
<PublicationTypeList><PublicationType UI="D016449">Randomized Controlled Trial</PublicationType>
</PublicationTypeList></Article><MeshHeadingList><MeshHeading>
<DescriptorName UI="D014015" MajorTopicYN="Y">Zinc</DescriptorName></MeshHeading>
</MeshHeadingList></MedlineCitation></PubmedArticle></PubmedArticleSet>
"""


@pytest.mark.slow
def test_import_xml_writes_in_core_and_maps_the_orm_only_to_attach_references(
    tmp_path: Path, seeded: str
) -> None:
    """`import-xml` writes its chunks in Core (`db.write_scope`): no ORM is imported
    unless a stored reference names an imported PMID (`db.joined_session`)."""
    from sqlalchemy import text

    from ldn_evidence.db import make_engine, session_scope
    from ldn_evidence.models import Reference

    xml = tmp_path / "one.xml"
    xml.write_bytes(_ONE_RECORD)
    probe = _probe(tmp_path, [["--db", seeded, "import-xml", str(xml)]])
    assert probe["runs"][0]["code"] == 0
    assert not _NO_ORM & set(probe["modules"]), _NO_ORM & set(probe["modules"])
    engine = make_engine(seeded, create=False)
    with session_scope(engine) as session:  # a reference to a PMID not stored yet
        session.execute(text("DELETE FROM studies WHERE pmid = '61000001'"))
        session.add(Reference(raw="ref", kind="pubmed", pmid="61000001", status="unresolved"))
    probe = _probe(tmp_path, [["--db", seeded, "import-xml", str(xml)]])
    assert probe["runs"][0]["code"] == 0
    assert "sqlalchemy.orm" in probe["modules"]
    with engine.connect() as conn:
        status, study = conn.execute(
            text(
                'SELECT r.status, s.pmid FROM "references" r JOIN studies s ON s.id = r.study_id '
                "WHERE r.raw = 'ref'"
            )
        ).one()
    assert (status, study) == ("resolved", "61000001")
    engine.dispose()


@pytest.mark.slow
def test_a_write_command_on_a_new_database_makes_it_at_head_without_alembic(
    tmp_path: Path,
) -> None:
    """A new SQLite file is made from the tables and stamped (`db.create_at_head`), not
    migrated: Alembic is not imported, and the database is at head and usable."""
    from ldn_evidence.db import SCHEMA_HEAD, current_revision, make_engine

    url = f"sqlite:///{tmp_path / 'new.db'}"
    probe = _probe(tmp_path, [["--db", url, "claims", "add", "Zinc cut colds by 33%."]])
    assert probe["runs"][0]["code"] == 0
    assert "alembic" not in {name.split(".")[0] for name in probe["modules"]}
    assert current_revision(make_engine(url, create=False)) == SCHEMA_HEAD
    assert Cli(url)("claims", "show", "1").exit_code == 0


@pytest.mark.slow
def test_db_upgrade_at_head_needs_no_alembic(tmp_path: Path, seeded: str) -> None:
    probe = _probe(tmp_path, [["--db", seeded, "db", "upgrade"]])
    assert probe["runs"][0]["code"] == 0
    assert "alembic" not in {name.split(".")[0] for name in probe["modules"]}
    assert "already at" in Cli(seeded)("db", "upgrade").stdout


@pytest.mark.slow
def test_paths_are_checked_by_typer_without_pydantic(tmp_path: Path, seeded: str) -> None:
    """A path given is made a Path and checked by typer's own path check (a directory
    where a file is wanted: typer's message, exit 2), with no pydantic imported."""
    from ldn_evidence.services.seed import seed_path

    written = tmp_path / "out.csv"
    commands = [
        ["--db", seeded, "load", str(seed_path())],
        ["--db", seeded, "export", "-f", "csv", "-o", str(written)],
        ["--db", seeded, "export", "-f", "csv", "-o", str(tmp_path)],
    ]
    probe = _probe(tmp_path, commands)
    assert [run["code"] for run in probe["runs"]] == [0, 0, 2]
    assert written.read_text(encoding="utf-8").startswith('"document_id"')
    if _typer_checks_values_with_pydantic():
        assert "pydantic" not in {name.split(".")[0] for name in probe["modules"]}
    bad = Cli(seeded)("export", "-f", "csv", "-o", str(tmp_path))
    assert "Invalid value for '--output' / '-o'" in bad.stderr and "is a directory" in bad.stderr


def _typer_checks_values_with_pydantic() -> bool:
    try:
        from typer._coercion import build_runtime_param  # noqa: F401
    except ImportError:
        return False
    return True


# ---- the schema revision: one query, the same answers as Alembic's ------------------------


def test_schema_head_is_the_migration_scripts_head() -> None:
    from ldn_evidence.db import SCHEMA_HEAD, head_revision, script_head

    # A new revision in migrations/versions/ must move SCHEMA_HEAD with it.
    assert head_revision() == SCHEMA_HEAD == script_head()


def test_current_revision_agrees_with_alembic(db_url: str) -> None:
    from alembic.runtime.migration import MigrationContext

    from ldn_evidence.db import SCHEMA_HEAD, current_revision, downgrade, make_engine, upgrade

    engine = make_engine(db_url)

    def alembic_says() -> str | None:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    assert current_revision(engine) is None and alembic_says() is None  # no version table
    upgrade(engine, "0004")
    assert current_revision(engine) == "0004" == alembic_says()
    upgrade(engine)
    assert current_revision(engine) == SCHEMA_HEAD == alembic_says()
    downgrade(engine, "base")  # the version table stays, empty
    assert current_revision(engine) is None and alembic_says() is None
    engine.dispose()


def test_a_database_at_an_older_revision_is_refused_not_migrated(db_url: str) -> None:
    from ldn_evidence.db import SCHEMA_HEAD, current_revision, make_engine, upgrade

    engine = make_engine(db_url)
    upgrade(engine, "0004")
    cli = Cli(db_url)
    for args in (["claims", "list"], ["claims", "add", "Zinc cut colds by 33%."]):
        result = cli(*args)
        assert result.exit_code == 1, args
        assert result.stderr.strip().endswith(
            f"is at schema revision 0004, this version needs {SCHEMA_HEAD}; "
            "run `ldn-evidence db upgrade`"
        )
        assert len(result.stderr.strip().splitlines()) == 1
    assert current_revision(engine) == "0004"  # a read or a write never migrates silently
    up = cli("db", "upgrade")
    assert up.exit_code == 0 and f"upgraded from 0004 to {SCHEMA_HEAD}" in up.stdout
    assert cli("claims", "list", "--json").stdout.strip() == "[]"
    engine.dispose()


def test_a_database_without_our_schema_is_refused(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY)")
    conn.close()
    for args in (["claims", "list"], ["claims", "add", "Zinc cut colds by 33%."]):
        result = Cli(f"sqlite:///{path}")(*args)
        assert result.exit_code == 1
        assert "has no ldn-evidence schema; run `ldn-evidence db upgrade`" in result.stderr


def test_a_version_table_with_two_revisions_is_one_line(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "two.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
        conn.execute("INSERT INTO alembic_version VALUES ('0004'), ('0005')")
    conn.close()
    result = Cli(f"sqlite:///{path}")("claims", "list")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: database ")
    assert "records 2 schema revisions (0004, 0005)" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


# ---- plain values without pydantic: the same values and messages as typer's ----------------


@pytest.mark.parametrize("text", ["4", "007", "-12", "0", "123456789012345678"])
def test_plain_whole_numbers_read_as_pydantic_reads_them(text: str) -> None:
    from pydantic import TypeAdapter

    from ldn_evidence.cli._common import _PLAIN_INT

    assert _PLAIN_INT.fullmatch(text)
    assert TypeAdapter(int).validate_python(text) == int(text)


@pytest.mark.parametrize("text", [" 4", "4.0", "+4", "4_0", "١٢", "1234567890123456789012"])
def test_other_numbers_are_left_to_typer(text: str) -> None:
    from ldn_evidence.cli._common import _PLAIN_INT

    assert not _PLAIN_INT.fullmatch(text)


def test_values_typer_checks_keep_typer_answers(cli: Cli, seed_file: Path) -> None:
    assert cli("load", str(seed_file)).exit_code == 0
    as_typed = json.loads(cli("claims", "show", "4", "--json").stdout)
    assert json.loads(cli("claims", "show", "4.0", "--json").stdout) == as_typed  # pydantic's
    assert json.loads(cli("claims", "show", " 4", "--json").stdout) == as_typed
    bad = cli("claims", "show", "abc")
    assert bad.exit_code == 2
    assert "Invalid value for 'ID': Input should be a valid integer" in bad.stderr
    assert cli("studies", "list", "--year", "2013", "--json").exit_code == 0
    assert cli("studies", "list", "--year", "next", "--json").exit_code == 2


def test_choices_and_repeated_values_keep_typer_answers(cli: Cli, seed_file: Path) -> None:
    """A choice as listed and a repeated option's whole numbers are read here; any other
    spelling goes to typer's check, with the same result or message."""
    assert cli("load", str(seed_file)).exit_code == 0
    as_listed = cli("export", "-f", "csv", "--claim", "4", "--claim", "5")
    assert as_listed.exit_code == 0 and as_listed.stdout.count("\n") > 2
    for args in (
        ("-f", "CSV", "--claim", "4", "--claim", "5"),
        ("-f", "csv", "--claim", "4.0", "--claim", "5"),
    ):
        assert cli("export", *args).stdout == as_listed.stdout
    bad = cli("export", "-f", "xyz")
    assert bad.exit_code == 2 and "'xyz' is not one of 'csv', 'json'" in bad.stderr
    bad = cli("export", "-f", "csv", "--claim", "x")
    assert (
        bad.exit_code == 2 and "Invalid value for '--claim': Input should be a valid" in bad.stderr
    )
    bad = cli("export", "-f", "csv", "--verdict", "nope")
    assert bad.exit_code == 2 and "'nope' is not one of" in bad.stderr
    assert cli("export", "-f", "csv", "--verdict", "unchecked").exit_code == 0
    assert cli("export", "-f", "csv", "-o", str(seed_file.parent)).exit_code == 2  # a directory


def test_the_collector_runs_rarely_only_until_the_database_is_open(tmp_path: Path) -> None:
    import gc

    from ldn_evidence.cli._common import State, collect_rarely_at_startup

    usual = gc.get_threshold()
    try:
        collect_rarely_at_startup()  # what `ldn-evidence` (cli.main) does first
        assert gc.get_threshold()[0] > usual[0]
        engine = State(db=f"sqlite:///{tmp_path / 'gc.db'}").engine(create=True)
        assert gc.get_threshold() == usual and gc.isenabled()
        assert gc.get_freeze_count() > 0  # the start-up's objects left out of collections
        engine.dispose()
    finally:
        gc.set_threshold(*usual)
        gc.unfreeze()


def test_the_verification_package_gives_every_name_it_lists() -> None:
    # its modules are imported when a name is first asked for (`__getattr__`)
    import ldn_evidence.verification as verification

    for name in verification.__all__:
        assert getattr(verification, name) is not None, name


# ---- one command's branch of the app: the same answers as the whole app ----------------------


def test_app_for_keeps_only_the_named_command(tmp_path: Path) -> None:
    import typer.main

    from ldn_evidence.cli import app, app_for

    url = f"sqlite:///{tmp_path / 'x.db'}"
    for args in ([], ["--help"], ["--db"], ["--db", url], ["--bogus", "claims"], ["clams"]):
        assert app_for(args) is app, args
    for args, names in (
        (["claims", "show", "4"], ["claims", "show"]),
        (["--db", url, "db", "current"], ["db", "current"]),
        (["--db", url, "claims", "--help"], ["claims", "list", "show", "add", "cite", "check"]),
        (["--db", url, "claims", "shw"], ["claims", "list", "show", "add", "cite", "check"]),
        ([f"--db={url}", "export", "--format", "csv"], ["export"]),
        (["--db", url, "--db", url, "import-xml", "x.xml"], ["import-xml"]),
    ):
        one = typer.main.get_command(app_for(args))
        assert list(one.commands) == names[:1], args  # type: ignore[attr-defined]
        if len(names) > 1:
            assert list(one.commands[names[0]].commands) == names[1:], args  # type: ignore[attr-defined]
    assert app.registered_groups and app.registered_commands  # the whole app is untouched
    assert len(typer.main.get_command(app).commands) > 10  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "args",
    [
        ["claims", "--help"],
        ["claims", "show", "--help"],
        ["claims", "shw"],
        ["claims"],
        ["db", "current", "--help"],
        ["export", "--help"],
        ["import-xml", "--help"],
        ["load"],
        ["claims", "show", "abc"],
        ["claims", "show", "999", "--json"],
        ["db", "current", "--json"],
    ],
    ids=" ".join,
)
def test_one_commands_app_answers_as_the_whole_app(
    tmp_path: Path, sqlite_at_head: Path, args: list[str]
) -> None:
    from typer.testing import CliRunner

    from ldn_evidence.cli import app, app_for

    url = f"sqlite:///{tmp_path / 'same.db'}"
    copy_sqlite_at_head(sqlite_at_head, url)
    argv = ["--db", url, *args]
    runner = CliRunner()
    whole = runner.invoke(app, argv, prog_name="ldn-evidence")
    one = runner.invoke(app_for(argv), argv, prog_name="ldn-evidence")
    assert app_for(argv) is not app
    assert (one.exit_code, one.stdout, one.stderr) == (whole.exit_code, whole.stdout, whole.stderr)


@pytest.mark.slow
def test_one_commands_app_shows_what_the_whole_app_shows(seeded: str) -> None:
    from typer.testing import CliRunner

    from ldn_evidence.cli import app, app_for

    runner = CliRunner()
    for args in (
        ["claims", "show", "4"],
        ["claims", "show", "4", "--json"],
        ["studies", "show", "23359310"],
        ["studies", "show", "23359310", "--json"],
        ["documents", "show", "1", "--json"],
        ["claims", "list", "--json"],
    ):
        argv = ["--db", seeded, *args]
        whole = runner.invoke(app, argv, prog_name="ldn-evidence")
        one = runner.invoke(app_for(argv), argv, prog_name="ldn-evidence")
        assert whole.exit_code == 0 and whole.stdout, args
        assert (one.exit_code, one.stdout, one.stderr) == (whole.exit_code, whole.stdout, ""), args
