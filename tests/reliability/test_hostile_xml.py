"""Hostile XML to the parser, `import-xml` and `fetch` replies: no file read, no URL
requested, no entity expanded; refused with one line naming the source, or parsed safely.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from lxml import etree

from ldn_evidence.errors import ParseError
from ldn_evidence.pubmed.parser import iter_articles
from tests.conftest import Cli
from tests.eutils_server import FakeEutils, Fault
from tests.reliability.conftest import (
    SECRET,
    all_text,
    assert_one_line_error,
    canary_requests,
    count,
    dump,
    run_console_measured,
)
from tests.reliability.hostile import (
    HOSTILE,
    MAX_FIELD,
    PMID,
    Hostile,
    article,
    document,
    write_huge,
)

IDS = [h.name for h in HOSTILE]


def _fields(record: object) -> list[str]:
    """Every string a record carries, nested values included (raw XML too)."""
    out: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, bytes):
            out.append(value.decode("utf-8", "replace"))
        elif isinstance(value, str):
            out.append(value)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list | tuple | set | frozenset):
            for v in value:
                walk(v)
        elif hasattr(value, "__dataclass_fields__") or hasattr(value, "__slots__"):
            names = getattr(value, "__dataclass_fields__", None) or value.__slots__
            for name in names:
                walk(getattr(value, name, None))

    walk(record)
    return out


def _parse(data: bytes) -> tuple[list[object], ParseError | None]:
    records: list[object] = []
    try:
        for rec in iter_articles(data, name="hostile.xml"):
            records.append(rec)
    except ParseError as exc:
        return records, exc
    return records, None


# ---- the parser --------------------------------------------------------------------


@pytest.mark.parametrize("case", HOSTILE, ids=IDS)
def test_parser_refuses_or_parses_safely(
    case: Hostile, secret_file: Path, fake: FakeEutils
) -> None:
    data = case.build(secret_file, _canary(fake))
    started = time.monotonic()
    records, error = _parse(data)
    assert time.monotonic() - started < 5, "hostile input must not take long"
    if case.expect == "refuse":
        assert error is not None, f"{case.name} was accepted: {records!r}"[:500]
    if error is not None:
        assert "hostile.xml" in str(error)
        assert len(str(error).splitlines()) == 1
        assert SECRET not in str(error)
    for rec in records:
        for text in _fields(rec):
            assert SECRET not in text
            assert len(text) < MAX_FIELD, f"a field of {len(text)} characters: entity expanded"
    assert canary_requests(fake) == []


def test_control_an_unsafe_parser_would_leak(secret_file: Path) -> None:
    """The documents above are really hostile: lxml with entity resolution reads the file."""
    data = HOSTILE[0].build(secret_file, "http://127.0.0.1:9/")
    unsafe = etree.XMLParser(resolve_entities=True, no_network=True, load_dtd=True)
    assert SECRET.encode() in etree.tostring(etree.fromstring(data, unsafe))
    assert all(SECRET not in t for rec in _parse(data)[0] for t in _fields(rec))


@pytest.mark.slow  # subprocess
def test_huge_text_node_is_refused_with_bounded_memory(tmp_path: Path) -> None:
    path = write_huge(tmp_path / "huge.xml")
    assert path.stat().st_size > 100 * 1024 * 1024
    code = (
        "import sys\n"
        "from ldn_evidence.errors import ParseError\n"
        "from ldn_evidence.pubmed.parser import iter_articles\n"
        "try:\n"
        "    n = sum(1 for _ in iter_articles(sys.argv[1]))\n"
        "    print('parsed', n)\n"
        "except ParseError as exc:\n"
        "    print('refused', exc)\n"
        # VmHWM, not ru_maxrss: Linux carries a forked parent's peak across exec
        "print(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    outcome, peak_kb = proc.stdout.splitlines()
    assert outcome.startswith("refused") and str(path) in outcome, outcome
    assert int(peak_kb) < 150 * 1024, f"peak memory {int(peak_kb) // 1024} MB"


# ---- import-xml ----------------------------------------------------------------------


@contextmanager
def _case(case: Hostile) -> Iterator[None]:
    """Name the hostile case in a failure of a loop over all of them."""
    try:
        yield
    except AssertionError as exc:
        raise AssertionError(f"[{case.name}] {exc}") from exc


def _canary(fake: FakeEutils) -> str:
    return fake.base_url.split("/entrez")[0] + "/"


def _check_import(
    case: Hostile, cli: Cli, url: str, secret: Path, fake: FakeEutils, tmp_path: Path
) -> None:
    path = tmp_path / f"{case.name}.xml"
    path.write_bytes(case.build(secret, _canary(fake)))
    before = dump(url)
    result = cli("import-xml", str(path))
    assert SECRET not in result.output
    assert canary_requests(fake) == []
    if case.expect == "refuse":
        assert result.exit_code == 1, result.output
    if result.exit_code != 0:
        assert result.exit_code == 1
        assert_one_line_error(result.stderr, str(path))
        assert dump(url) == before, "a refused file changed the database"
    else:
        stored = all_text(url)
        assert SECRET not in stored
        assert max(len(t) for t in stored.split("\n")) < MAX_FIELD * 2
        study = json.loads(cli("studies", "show", PMID, "--json").stdout)
        assert SECRET not in json.dumps(study)


@pytest.mark.slow  # over 1 s
def test_import_xml_hostile_each_engine(
    cli: Cli, db_url: str, secret_file: Path, fake: FakeEutils, tmp_path: Path
) -> None:
    """All the cases in turn on one database of each engine (PostgreSQL included)."""
    for case in HOSTILE:
        with _case(case):
            _check_import(case, cli, db_url, secret_file, fake, tmp_path)


@pytest.mark.slow  # subprocess
def test_import_xml_huge_text_node_console_script(tmp_path: Path) -> None:
    """The real command on a 100 MB text node: refused, one line, bounded memory."""
    path = write_huge(tmp_path / "huge.xml")
    db = tmp_path / "huge.db"
    rc, _out, err, peak_kb = run_console_measured(
        "--db", str(db), "import-xml", str(path), timeout=120
    )
    assert rc == 1, err
    assert_one_line_error(err, str(path))
    assert peak_kb < 250 * 1024, f"peak memory {peak_kb // 1024} MB"
    assert count(f"sqlite:///{db}", "studies") == 0


# ---- fetch replies -------------------------------------------------------------------


def _check_fetch(case: Hostile, cli: Cli, url: str, secret: Path, fake: FakeEutils) -> None:
    fake.faults.clear()
    fake.inject(Fault.raw(case.build(secret, _canary(fake)), utility="efetch"))
    before = dump(url)
    result = cli("fetch", PMID, "--refresh", "--json")
    assert SECRET not in result.output
    assert canary_requests(fake) == []
    if case.expect == "refuse":
        assert result.exit_code == 3, result.output
    if result.exit_code != 0:
        assert result.exit_code == 3
        assert_one_line_error(result.stderr, "efetch", f"not stored: {PMID}")
        assert dump(url) == before
    else:
        summary = json.loads(result.stdout)
        assert summary["new"] + summary["updated"] + summary["unchanged"] == [PMID]
        assert SECRET not in all_text(url)


@pytest.mark.slow  # over 1 s
def test_fetch_hostile_reply_each_engine(
    cli: Cli, db_url: str, secret_file: Path, fake: FakeEutils, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LDN_EVIDENCE_HTTP_RETRIES", "0")
    for case in HOSTILE:
        with _case(case):
            _check_fetch(case, cli, db_url, secret_file, fake)


def test_hostile_reply_then_good_reply_completes(
    cli: Cli, db_url: str, secret_file: Path, fake: FakeEutils
) -> None:
    """With retries, a refused reply is retried and the real record is stored."""
    from tests.eutils_server import make_article

    fake.add_article(PMID, make_article(PMID, "The real record"))
    for case in HOSTILE:
        if case.expect == "refuse":
            fake.inject(Fault.raw(case.build(secret_file, _canary(fake)), utility="efetch"))
        if len(fake.faults) == 2:
            break
    result = cli("fetch", PMID, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["new"] == [PMID]
    assert json.loads(cli("studies", "show", PMID, "--json").stdout)["title"] == "The real record"


@pytest.mark.slow  # over 1 s
def test_fetch_huge_text_node_reply_refused(
    sqlite_cli: tuple[Cli, str], fake: FakeEutils, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli, db_url = sqlite_cli
    monkeypatch.setenv("LDN_EVIDENCE_HTTP_RETRIES", "0")
    body = write_huge(tmp_path / "huge.xml").read_bytes()
    fake.inject(Fault.raw(body, utility="efetch"))
    del body
    result = cli("fetch", PMID)
    assert result.exit_code == 3
    assert_one_line_error(result.stderr, f"not stored: {PMID}")
    assert count(db_url, "studies") == 0


def test_unexpanded_entity_keeps_raw_xml_reparseable(secret_file: Path) -> None:
    """An entity left unexpanded must not make the stored raw record unreadable: the raw
    XML re-parses on its own (no DOCTYPE) to the same record, so records re-parse offline."""
    from ldn_evidence.pubmed.parser import parse_articles

    doctype = (
        f'<!DOCTYPE PubmedArticleSet [<!ENTITY xxe SYSTEM "file://{secret_file}">'
        '<!ENTITY inner "internal text">]>'
    )
    data = document(article("Title &xxe; and &inner; &amp; &lt;5%", "Abstract &xxe;"), doctype)
    (rec,) = parse_articles(data)
    assert SECRET not in rec.title and SECRET.encode() not in rec.raw_xml
    (again,) = parse_articles(rec.raw_xml, name="stored raw XML")
    assert (again.title, again.abstract) == (rec.title, rec.abstract)
    assert again.sha256 == rec.sha256


def test_a_record_tag_inside_a_record_is_not_a_record(
    cli: Cli, db_url: str, tmp_path: Path
) -> None:
    """A `DeleteCitation` smuggled into an article's title must not delete a stored study,
    nor cut the enclosing record short."""
    from tests.eutils_server import make_article

    first = tmp_path / "first.xml"
    first.write_bytes(b"<PubmedArticleSet>" + make_article("1", "Keep me") + b"</PubmedArticleSet>")
    assert cli("import-xml", str(first)).exit_code == 0
    nested = article(
        "Before <DeleteCitation><PMID>1</PMID></DeleteCitation> after "
        "<PubmedArticle><MedlineCitation><PMID>2</PMID></MedlineCitation>"
        "</PubmedArticle> end"
    )
    hostile = tmp_path / "nested.xml"
    hostile.write_bytes(document(nested))
    (rec,) = list(iter_articles(hostile))
    assert rec.pmid == PMID and rec.title.startswith("Before") and rec.title.endswith("end")
    result = cli("import-xml", str(hostile))
    assert result.exit_code == 0, result.output
    pmids = {s["pmid"] for s in json.loads(cli("studies", "list", "--json").stdout)}
    assert pmids == {"1", PMID}
