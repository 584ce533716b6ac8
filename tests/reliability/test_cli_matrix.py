"""Every command with missing, malformed, unknown and out-of-range arguments, unreadable
files, unwritable outputs and unusable databases: one line on stderr, the documented exit
code (1 user error, 2 usage, 3 remote failure), no traceback, and the database untouched.

The commands are enumerated from the typer app: a new command without cases here fails
`test_every_command_has_cases`.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.eutils_server import FakeEutils, make_article
from tests.helpers.jats import make_pmc_article
from tests.reliability.conftest import assert_one_line_error, dump

HUGE = "99999999999999999999999"  # beyond a 64-bit integer
BIG = "9223372036854775807"  # the largest 64-bit integer: a valid int, no such row


@dataclass(frozen=True)
class Case:
    args: tuple[str, ...]
    code: int
    fragment: str | None = None


def C(code: int, *args: str, says: str | None = None) -> Case:  # noqa: N802 - table helper
    return Case(args, code, says)


# {tmp}: a scratch directory; {file}: an existing plain file; {page}: a small text page;
# {xml}: a small PubMed XML file; {nxml}: a small PMC full text; {pairs}: a labelled JSONL
# pair; {rw}: a one-row Retraction Watch CSV. Cases run in order on one seeded SQLite
# database.
OK: dict[str, tuple[str, ...]] = {
    "demo": ("--dir", "{tmp}/demo"),
    "evaluate": ("{pairs}",),
    "evidence": ("4", "--since", "2015"),
    "export": ("-f", "csv", "-o", "{tmp}/out.csv"),
    "extract": ("{page}", "--no-fetch"),
    "fetch": ("424242",),
    "import-retractions": ("{rw}",),
    "import-xml": ("{xml}",),
    "import-pmc": ("{nxml}",),
    "load": ("{seed}",),
    "resolve": ("--document", "1"),
    "verify": ("--force",),
    "claims list": ("--json",),
    "claims show": ("1",),
    "claims add": ("Zinc cut colds by 33% in adults.", "--figure", "33%"),
    "claims cite": ("1", "424242"),
    "claims check": ("1", "23359310", "--verdict", "supported", "--by", "tester"),
    "db upgrade": (),
    "db current": (),
    "documents list": (),
    "documents show": ("1",),
    "studies list": (),
    "studies show": ("23359310",),
    "watch": ("--json",),
}

BAD: dict[str, list[Case]] = {
    "evaluate": [
        C(1, "{tmp}/none.jsonl", says="no such file"),
        C(1, "{tmp}", says="is a directory"),
        C(1, "{file}", says="line 1: not a JSON object"),
        C(1, "{pairs}", "--limit", "0", says="--limit"),
        C(2),
        C(2, "{pairs}", "--limit", "x"),
    ],
    "evidence": [
        C(2),
        C(2, "abc"),
        C(1, "999", says="no claim with id 999"),
        C(1, HUGE),
        C(2, "4", "--limit", "0"),
        C(2, "4", "--limit", "x"),
        C(2, "4", "--since", "99"),
    ],
    "demo": [
        C(1, "--dir", "{file}", says="{file}"),
        C(1, "--dir", "{file}/sub", says="{file}"),
        C(2, "--dir"),
        C(2, "--bogus"),
    ],
    "export": [
        C(2),  # --format is required
        C(2, "-f", "pdf"),
        C(2, "-f", "csv", "--claim", "abc"),
        C(1, "-f", "csv", "--claim", "999", says="no claim with id 999"),
        C(1, "-f", "csv", "--claim", HUGE),
        C(1, "-f", "csv", "--document", "999", says="no document with id 999"),
        C(1, "-f", "csv", "--pmid", "abc", says="abc"),
        C(2, "-f", "csv", "--verdict", "great"),
        C(2, "-f", "json", "--excel"),
        C(1, "-f", "csv", "-o", "{file}/x.csv", says="{file}/x.csv"),
        C(1, "-f", "csv", "-o", "{tmp}/no/such/dir/x.csv", says="x.csv"),
        C(2, "-f", "csv", "-o", "{tmp}"),  # a directory
    ],
    "extract": [
        C(2),
        C(1, "{tmp}/missing.html", says="no such file"),
        C(1, "{tmp}", says="directory"),
        C(1, "{file}/x.html", says="{file}/x.html"),
        C(1, "{tmp}/page.pdf", says="page.pdf"),
        C(2, "{page}", "--url"),
    ],
    "fetch": [
        C(1),  # neither PMIDs nor --missing
        C(1, "abc", says="invalid PMID"),
        C(1, "0", says="invalid PMID"),
        C(1, "--", "-5", says="invalid PMID"),
        C(1, HUGE, says="invalid PMID"),
        C(1, "12 34", says="invalid PMID"),
        C(1, "123", "4x5", says="4x5"),
        C(2, "--refreshh", "123"),
        C(1, "--full-text", says="give PMIDs to fetch, or --missing"),
        C(1, "--full-text", "PMC12", says="invalid PMID"),
    ],
    "import-pmc": [
        C(2),
        C(1, "{tmp}/missing.nxml", says="missing.nxml"),
        C(1, "{file}/x.nxml", says="x.nxml"),
        C(1, "{file}", says="{file}"),  # not XML
        C(1, "{xml}", says="not PMC full-text XML"),  # PubMed XML
        C(1, "{tmp}", says="not PMC full-text XML"),  # a directory whose one .xml is PubMed's
    ],
    "import-retractions": [
        C(2),
        C(1, "{tmp}/missing.csv", says="missing.csv"),
        C(1, "{file}/x.csv", says="x.csv"),
        C(1, "{tmp}", says="directory"),
        C(1, "{file}", says="not a Retraction Watch CSV"),
        C(1, "{page}", says="not a Retraction Watch CSV"),
    ],
    "import-xml": [
        C(2),
        C(1, "{tmp}/missing.xml", says="missing.xml"),
        C(1, "{file}/x.xml", says="x.xml"),
        C(1, "{tmp}", says="{tmp}"),
        C(1, "{file}", says="{file}"),  # not XML
        C(1, "{page}", says="{page}"),
    ],
    "load": [
        C(2),
        C(1, "{tmp}/missing.yaml", says="missing.yaml"),
        C(1, "{file}/x.yaml", says="x.yaml"),
        C(1, "{tmp}", says="{tmp}"),
        C(1, "{file}", says="{file}"),  # unknown file type
        C(1, "{tmp}/bad.yaml", says="bad.yaml"),
        C(1, "{tmp}/bad.csv", says="bad.csv"),
    ],
    "resolve": [
        C(1, "--document", "999", says="no document with id 999"),
        C(1, "--document", HUGE),
        C(2, "--document", "x"),
        C(2, "extra"),
    ],
    "verify": [
        C(1, "999", says="no claim with id 999"),
        C(1, HUGE),
        C(2, "abc"),
        C(1, "--document", "999", says="no document with id 999"),
        C(2, "--document", "x"),
        C(2, "--force", "abc"),
        C(2, "--jobs", "0"),
        C(2, "--jobs", "x"),
    ],
    "claims list": [
        C(1, "--verdict", "great", says="great"),
        C(1, "--level", "great", says="great"),
        C(1, "--sort", "great", says="great"),
        C(2, "--document", "x"),
        C(2, "--limit", "0"),
        C(2, "--offset", "-1"),
    ],
    "claims show": [
        C(2),
        C(2, "abc"),
        C(1, "0", says="no claim with id 0"),
        C(1, "999", says="no claim with id 999"),
        C(1, BIG, says=BIG),
        C(1, HUGE),
    ],
    "claims add": [
        C(2),
        C(1, "   ", says="empty"),
        C(1, "Zinc helps.", "--document", "999", says="no document with id 999"),
        C(1, "Zinc helps.", "--document", HUGE),
        C(1, "Zinc helps.", "--figure", "banana", says="banana"),
        C(1, "Zinc helps.", "--figure", "1e999%"),
    ],
    "claims cite": [
        C(2),
        C(2, "1"),
        C(1, "1", "abc", says="abc"),
        C(1, "1", "0", says="invalid PMID"),
        C(1, "1", "10.", says="not a DOI"),
        C(1, "999", "23359310", says="no claim with id 999"),
        C(1, HUGE, "23359310"),
    ],
    "claims check": [
        C(2, "1", "23359310"),  # --verdict is required
        C(1, "1", "23359310", "--verdict", "maybe", says="maybe"),
        C(1, "1", "abc", "--verdict", "supported", says="invalid PMID"),
        C(1, "1", "11111", "--verdict", "supported", says="does not cite PMID 11111"),
        C(1, "999", "23359310", "--verdict", "supported", says="no claim with id 999"),
        C(1, HUGE, "23359310", "--verdict", "supported"),
    ],
    "db upgrade": [C(2, "extra")],
    "db current": [C(2, "--bogus")],
    "documents list": [C(2, "extra")],
    "documents show": [
        C(2),
        C(1, "999", says="no document with id 999"),
        C(1, HUGE),
        C(2, "x"),
    ],
    "studies list": [
        C(2, "--year", "abc"),
        C(1, "--level", "great", says="great"),
        C(2, "--limit", "x"),
        C(2, "--offset", "-1"),
    ],
    "studies show": [
        C(1, "abc", says="invalid PMID"),
        C(1, "0", says="invalid PMID"),
        C(1, "999", says="no study with PMID 999"),
        C(1, HUGE, says="invalid PMID"),
        C(2),
    ],
    "watch": [
        C(1, "--document", "999", says="no document with id 999"),
        C(1, "--document", HUGE),
        C(2, "--document", "x"),
        C(2, "extra"),
    ],
}


def _commands() -> list[str]:
    import typer.main

    from ldn_evidence.cli import app

    def walk(group, prefix=()):  # type: ignore[no-untyped-def]
        for name, cmd in group.commands.items():
            if hasattr(cmd, "commands"):
                yield from walk(cmd, (*prefix, name))
            else:
                yield " ".join((*prefix, name))

    return sorted(walk(typer.main.get_command(app)))


def test_every_command_has_cases() -> None:
    commands = _commands()
    assert sorted(OK) == commands, "a command without a valid invocation in OK"
    assert sorted(BAD) == commands, "a command without bad-input cases in BAD"


@pytest.fixture
def place(tmp_path: Path, seed_file: Path) -> dict[str, str]:
    file = tmp_path / "plain.txt"
    file.write_text("just text\n", encoding="utf-8")
    page = tmp_path / "page.txt"
    page.write_text("Ginger eased nausea in 70% of pregnant women.\n", encoding="utf-8")
    (tmp_path / "page.pdf").write_bytes(b"%PDF-1.7\n")
    (tmp_path / "bad.yaml").write_text("format: ldn-evidence/1\nclaims: [{text: }]\n: :\n")
    (tmp_path / "bad.csv").write_text('"unterminated,quote\nno,header\n')
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text(
        '{"id": 1, "claim": "Zinc shortens colds.", "label": "SUPPORT", '
        '"study": {"title": "Zinc", "abstract": "RESULTS: Zinc shortened colds."}}\n'
    )
    rw = tmp_path / "rw.csv"
    rw.write_text(
        "Record ID,Title,Subject,Institution,Journal,Publisher,Country,Author,URLS,ArticleType,"
        "RetractionDate,RetractionDOI,RetractionPubMedID,OriginalPaperDate,OriginalPaperDOI,"
        "OriginalPaperPubMedID,RetractionNature,Reason,Paywalled,Notes\n"
        "9,A paper,,,J,P,,,,,1/2/2024 0:00,,0,,10.1/x,23359310,Retraction,+Error;,No,\n"
    )
    xml = tmp_path / "one.xml"
    xml.write_bytes(
        b"<PubmedArticleSet>" + make_article("434343", "From a file") + b"</PubmedArticleSet>"
    )
    nxml = tmp_path.with_name(tmp_path.name + "-pmc") / "one.nxml"  # not in {tmp}: import-pmc
    nxml.parent.mkdir()
    nxml.write_bytes(make_pmc_article("PMC434343", "434343"))
    return {
        "tmp": str(tmp_path),
        "file": str(file),
        "page": str(page),
        "xml": str(xml),
        "rw": str(rw),
        "nxml": str(nxml),
        "pairs": str(pairs),
        "seed": str(seed_file),
    }


def _fill(args: tuple[str, ...], place: dict[str, str]) -> list[str]:
    return [a.format(**place) for a in args]


@pytest.fixture
def seeded_cli(sqlite_cli: tuple[Cli, str], seed_file: Path, fake: FakeEutils) -> tuple[Cli, str]:
    cli, url = sqlite_cli
    assert cli("load", str(seed_file)).exit_code == 0
    fake.add_article("424242", make_article("424242", "A fetched study"))
    return cli, url


@pytest.mark.slow  # over 1 s
def test_bad_input_matrix(seeded_cli: tuple[Cli, str], place: dict[str, str]) -> None:
    cli, url = seeded_cli
    before = dump(url)
    failures = []
    for command in _commands():
        for case in BAD[command]:
            argv = [*command.split(), *_fill(case.args, place)]
            label = " ".join(argv)[:120]
            try:
                result = cli(*argv)
            except Exception as exc:  # noqa: BLE001 - an uncaught error is a failure here
                failures.append(f"{label}: raised {type(exc).__name__}: {exc}")
                continue
            try:
                assert result.exit_code == case.code, (
                    f"exit {result.exit_code}, expected {case.code}: {result.output[-300:]}"
                )
                assert "Traceback" not in result.output
                if case.code == 2:  # click's usage error: a usage line, then the error
                    assert "Error: " in result.stderr
                else:
                    fragment = case.fragment.format(**place) if case.fragment else None
                    assert_one_line_error(result.stderr, *([fragment] if fragment else []))
                assert dump(url) == before, "a refused command changed the database"
            except AssertionError as exc:
                failures.append(f"{label}: {str(exc)[:400]}")
                before = dump(url)
    assert not failures, "\n".join(failures)


@pytest.mark.slow
def test_valid_invocations_succeed(seeded_cli: tuple[Cli, str], place: dict[str, str]) -> None:
    """The harness itself: each command's OK invocation works on this database."""
    cli, _url = seeded_cli
    for command in _commands():
        result = cli(*command.split(), *_fill(OK[command], place))
        assert result.exit_code == 0, f"{command}: {result.output[-500:]}"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.slow  # over 1 s
def test_read_only_database(
    seeded_cli: tuple[Cli, str], place: dict[str, str], tmp_path: Path
) -> None:
    """As root, chmod does not stop writes: SQLite's read-only URI mode does. Reads work;
    writes fail with one line; the file is unchanged; no stray directory appears."""
    _cli, url = seeded_cli
    db = Path(url.removeprefix("sqlite:///"))
    Cli(url)("db", "current")  # settle WAL
    from ldn_evidence.db import make_engine

    engine = make_engine(url)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    before = _sha(db)
    ro = Cli(f"sqlite:///file:{db}?mode=ro&uri=true")
    outcomes = {}
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        for command in _commands():
            if command == "demo":  # writes its own database
                continue
            args = _fill(OK[command], place)
            if command == "claims add":
                args = ["A new claim: zinc cut colds by 40%.", *args[1:]]
            result = ro(*command.split(), *args)
            outcomes[command] = result.exit_code
            assert result.exit_code in (0, 1), f"{command}: {result.output[-300:]}"
            if result.exit_code == 1:
                assert_one_line_error(result.stderr, "readonly")
    finally:
        os.chdir(cwd)
    assert _sha(db) == before
    assert not (tmp_path / "file:").exists(), "a directory named after the URI was created"
    for read in ("claims list", "claims show", "studies show", "documents show", "export"):
        assert outcomes[read] == 0, read
    for write in ("claims add", "claims cite", "fetch", "import-xml", "claims check"):
        assert outcomes[write] == 1, write


@pytest.mark.parametrize(
    "kind",
    [
        "directory",
        "inside-a-file",
        "tiny-file",
        "text-file",
        "bad-scheme",
        "unknown-driver",
        "unreachable-postgres",
    ],
)
def test_unusable_database(kind: str, tmp_path: Path) -> None:
    plain = tmp_path / "notes.txt"
    plain.write_text("x", encoding="utf-8")  # one byte: SQLite would take it for empty
    text = tmp_path / "letter.txt"
    text.write_text("Dear pharmacist,\n" * 20, encoding="utf-8")
    url = {
        "directory": str(tmp_path),
        "inside-a-file": f"{plain}/evidence.db",
        "tiny-file": str(plain),
        "text-file": str(text),
        "bad-scheme": "bogus://somewhere/db",
        "unknown-driver": "oracle://u@127.0.0.1:9/x",
        "unreachable-postgres": "postgresql://nobody@127.0.0.1:9/nothing",
    }[kind]
    saved = {p: p.read_bytes() for p in (plain, text)}
    result = Cli(url)("claims", "list")
    assert result.exit_code == 1, result.output
    assert_one_line_error(result.stderr)
    assert {p: p.read_bytes() for p in (plain, text)} == saved, "a user's file was overwritten"


def _device(path: Path, minor: int) -> Path:
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, minor))
    except (PermissionError, OSError) as exc:
        pytest.skip(f"cannot make a device node here: {exc}")
    return path


def test_export_to_a_full_disk_and_to_devices(seeded_cli: tuple[Cli, str], tmp_path: Path) -> None:
    """`-o` naming a device writes to it: a full disk (a copy of /dev/full) is one line,
    exit 1; /dev/null-like devices take the output; neither is replaced by a file."""
    cli, _url = seeded_cli
    full = _device(tmp_path / "full", 7)
    null = _device(tmp_path / "null", 3)
    result = cli("export", "-f", "html", "-o", str(full))
    assert result.exit_code == 1
    assert_one_line_error(result.stderr, str(full), "No space left on device")
    assert cli("export", "-f", "csv", "-o", str(null)).exit_code == 0
    for dev in (full, null):
        assert stat.S_ISCHR(dev.stat().st_mode), f"{dev} was replaced by a regular file"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_export_through_a_symlink_keeps_the_link(
    seeded_cli: tuple[Cli, str], tmp_path: Path
) -> None:
    cli, _url = seeded_cli
    target = tmp_path / "reports" / "claims.csv"
    target.parent.mkdir()
    target.write_text("old")
    link = tmp_path / "latest.csv"
    link.symlink_to(target)
    assert cli("export", "-f", "csv", "-o", str(link)).exit_code == 0
    assert link.is_symlink() and target.read_text().startswith('"document_id"')


def test_unsafe_page_url_is_not_linked(
    seeded_cli: tuple[Cli, str], place: dict[str, str], tmp_path: Path
) -> None:
    """A hostile --url is stored as given but never becomes a link in the HTML report."""
    cli, _url = seeded_cli
    url = "javascript:alert(document.cookie)"
    assert cli("extract", place["page"], "--no-fetch", "--url", url).exit_code == 0
    out = tmp_path / "r.html"
    assert cli("export", "-f", "html", "-o", str(out)).exit_code == 0
    html = out.read_text()
    assert 'href="javascript:' not in html.replace(" ", "")


def test_error_lines_carry_no_line_breaks_or_escapes(
    seeded_cli: tuple[Cli, str], tmp_path: Path
) -> None:
    """File names and parser messages quote user input: the error stays one line and no
    terminal escape sequence gets through."""
    cli, _url = seeded_cli
    odd = tmp_path / "evil\n\x1b[31mname.yaml"
    result = cli("load", str(odd))
    assert result.exit_code == 1
    assert_one_line_error(result.stderr, "name.yaml")
    assert "\x1b" not in result.stderr
    comment = tmp_path / "comment.xml"  # libxml2 quotes the bad comment, line break and all
    comment.write_bytes(b"<PubmedArticleSet>\n<!--a--\n\x1b[2J-->\n</PubmedArticleSet>\n")
    result = cli("import-xml", str(comment))
    assert result.exit_code == 1
    assert_one_line_error(result.stderr, str(comment))
    assert "\x1b" not in result.stderr


@pytest.mark.parametrize(
    ("name", "content"),
    [
        (
            "inf.yaml",
            "format: ldn-evidence/1\nclaims:\n  - text: Zinc cut colds.\n"
            "    figure: {value: .inf}\n",
        ),
        (
            "nan.yaml",
            "format: ldn-evidence/1\nclaims:\n  - text: Zinc cut colds.\n"
            "    figure: {value: .nan}\n",
        ),
        ("inf.csv", 'text,figure_value\n"Zinc cut colds.",inf\n'),
        ("huge.txt", "Zinc cut colds by " + "9" * 400 + "% in adults.\n"),
    ],
)
def test_infinite_figures_are_refused_or_dropped(
    seeded_cli: tuple[Cli, str], tmp_path: Path, name: str, content: str
) -> None:
    """No figure is infinite or NaN: JSON outputs would carry 'Infinity' / 'NaN'."""
    import json

    cli, _url = seeded_cli
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    command = ["extract", str(path), "--no-fetch"] if name.endswith(".txt") else ["load", str(path)]
    result = cli(*command)
    if result.exit_code == 1:
        assert_one_line_error(result.stderr, "finite")
    else:
        assert result.exit_code == 0, result.output
    figure = cli("claims", "add", "Zinc helps.", "--figure", "9" * 400 + "%")
    assert figure.exit_code == 1
    exported = cli("export", "-f", "json").stdout
    json.loads(exported, parse_constant=lambda c: pytest.fail(f"{c} in JSON output"))
    listed = cli("claims", "list", "--json").stdout
    json.loads(listed, parse_constant=lambda c: pytest.fail(f"{c} in JSON output"))


def test_import_xml_names_a_directory_as_such(seeded_cli: tuple[Cli, str], tmp_path: Path) -> None:
    cli, _url = seeded_cli
    result = cli("import-xml", str(tmp_path))
    assert result.exit_code == 1
    assert_one_line_error(result.stderr, str(tmp_path))
    assert "no such file" not in result.stderr and "director" in result.stderr
