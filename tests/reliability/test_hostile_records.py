"""Records that are wrong on their own, among good ones: refused one by one with one line
naming the file, the record's line, its PMID and what is wrong; the good records of the
same file (and efetch batch) are stored; SQLite and PostgreSQL store the same.

- one record with a million children (a 114 KB .xml.gz once took 786 MB and stored a
  million authors): refused past `MAX_RECORD_ELEMENTS`, memory flat;
- a PMID that is not a PMID (`-5`, `27797938abc`, 30 digits, other scripts' digits);
  leading zeros name the same study;
- a field longer than its column (a 308-character DOI): PostgreSQL refused the whole
  batch with a 62-line traceback while SQLite stored it.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ldn_evidence.pubmed.parser import MAX_RECORD_ELEMENTS, iter_articles
from ldn_evidence.pubmed.records import ArticleRecord, RejectedRecord
from tests.conftest import Cli
from tests.eutils_server import FakeEutils, Fault, make_article
from tests.reliability.conftest import assert_one_line_error, count, run_console_measured

AUTHOR = b"<Author><LastName>Doe</LastName><ForeName>J</ForeName><Initials>J</Initials></Author>"


def _many_authors(pmid: str, n: int) -> Iterator[bytes]:
    """A record with `n` authors, in pieces (never whole in memory)."""
    head, tail = make_article(pmid).split(b"<ArticleTitle>")
    yield head + b"<AuthorList>"
    piece = AUTHOR * 10_000
    for _ in range(n // 10_000):
        yield piece
    yield AUTHOR * (n % 10_000) + b"</AuthorList><ArticleTitle>" + tail


def _write_gz(path: Path, parts: Iterator[bytes]) -> Path:
    with gzip.open(path, "wb") as fh:
        for part in parts:
            fh.write(part)
    return path


def _file(path: Path, *records: bytes) -> Path:
    path.write_bytes(b"<PubmedArticleSet>\n" + b"\n".join(records) + b"\n</PubmedArticleSet>\n")
    return path


def _pmids(cli: Cli) -> list[str]:
    return sorted(s["pmid"] for s in json.loads(cli("studies", "list", "--json").stdout))


# ---- one record, millions of children ---------------------------------------------------


def test_a_flood_of_elements_refuses_that_record_only() -> None:
    flood = b"<x/>" * (MAX_RECORD_ELEMENTS + 10)
    body = (
        b"<PubmedArticleSet>\n"
        + make_article("1")
        + b"\n"
        + make_article("2").replace(b"<Language>", flood + b"<Language>")
        + b"\n"
        + make_article("3")
        + b"</PubmedArticleSet>"
    )
    first, refused, last = list(iter_articles(body, name="flood.xml"))
    assert isinstance(first, ArticleRecord) and isinstance(last, ArticleRecord)
    assert (first.pmid, last.pmid) == ("1", "3")
    assert isinstance(refused, RejectedRecord)
    assert refused.describe("flood.xml") == (
        f"flood.xml, line 3: PubmedArticle PMID 2 has more than {MAX_RECORD_ELEMENTS:,} "
        "elements (real records have at most tens of thousands of elements: authors, MeSH "
        "terms, references …)"
    )


def test_a_record_of_too_many_bytes_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """Few elements but long texts (each under libxml2's 10 MB text limit): the byte cap,
    here lowered to 1 MB, refuses the record; the next is read."""
    from ldn_evidence.pubmed import _guard

    monkeypatch.setattr(_guard, "MAX_RECORD_BYTES", 1024 * 1024)
    text = b"<AbstractText>" + b"word " * 100_000 + b"</AbstractText>"  # 0.5 MB each
    body = (
        b"<PubmedArticleSet>\n"
        + make_article("8").replace(
            b"<Language>", b"<Abstract>" + text * 4 + b"</Abstract><Language>"
        )
        + b"\n"
        + make_article("9")
        + b"</PubmedArticleSet>"
    )
    refused, after = list(iter_articles(body, name="long.xml"))
    assert isinstance(refused, RejectedRecord) and isinstance(after, ArticleRecord)
    assert refused.describe("long.xml").startswith(
        "long.xml, line 2: PubmedArticle PMID 8 takes more than 1 MB of XML"
    )


def test_a_record_at_the_cap_is_kept() -> None:
    n = 20_000  # authors: 4 elements each, 80 000 in all
    body = b"<PubmedArticleSet>" + b"".join(_many_authors("7", n)) + b"</PubmedArticleSet>"
    (record,) = list(iter_articles(body))
    assert isinstance(record, ArticleRecord) and len(record.authors) == n


@pytest.mark.slow  # a subprocess parsing a million authors
def test_a_million_authors_with_flat_memory(tmp_path: Path) -> None:
    path = _write_gz(tmp_path / "authors.xml.gz", _records_with_a_million_authors())
    assert path.stat().st_size < 300_000
    code = (
        "import sys\n"
        "from ldn_evidence.pubmed.parser import iter_articles\n"
        "for r in iter_articles(sys.argv[1]):\n"
        "    print(type(r).__name__, getattr(r, 'pmid', None))\n"
        "print(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    *records, peak_kb = proc.stdout.splitlines()
    assert records == ["ArticleRecord 1", "RejectedRecord 2", "ArticleRecord 3"]
    assert int(peak_kb) < 150 * 1024, f"peak memory {int(peak_kb) // 1024} MB"


def _records_with_a_million_authors() -> Iterator[bytes]:
    yield b"<PubmedArticleSet>\n" + make_article("1") + b"\n"
    yield from _many_authors("2", 1_000_000)
    yield b"\n" + make_article("3") + b"\n</PubmedArticleSet>\n"


@pytest.mark.slow  # the console script on a million authors
def test_import_xml_a_million_authors(tmp_path: Path) -> None:
    path = _write_gz(tmp_path / "authors.xml.gz", _records_with_a_million_authors())
    db = tmp_path / "a.db"
    rc, _out, err, peak_kb = run_console_measured(
        "--db", str(db), "import-xml", str(path), timeout=300
    )
    assert rc == 1, err
    # a progress line every 10 s on a busy machine, then the error
    *progress, error = err.splitlines()
    assert all(line.endswith("records/s") for line in progress), err
    assert_one_line_error(error, f"{path}, line 3: PubmedArticle PMID 2 has more than")
    assert "kept the 2 other records" in error
    assert peak_kb < 250 * 1024, f"peak memory {peak_kb // 1024} MB"
    assert count(f"sqlite:///{db}", "studies") == 2
    assert count(f"sqlite:///{db}", "study_authors") == 0


# ---- PMIDs from files -----------------------------------------------------------------------

ARABIC_INDIC = "٢٧٧٩٧٩٣٨"
BAD_PMIDS = ["-5", "27797938abc", "1" * 30, ARABIC_INDIC, "³", "9" * 5000, "+7", " ", "0"]


@pytest.mark.parametrize("bad", BAD_PMIDS, ids=lambda p: repr(p[:12]))
@pytest.mark.slow
def test_import_xml_refuses_a_record_with_a_bad_pmid(
    sqlite_cli: tuple[Cli, str], tmp_path: Path, bad: str
) -> None:
    cli, _url = sqlite_cli
    path = _file(tmp_path / "pmids.xml", make_article("11"), make_article(bad), make_article("12"))
    result = cli("import-xml", str(path))
    assert result.exit_code == 1, result.output
    line = assert_one_line_error(result.stderr, f"{path}, line 3: PubmedArticle ", "PMID")
    assert len(line) < 400, "a 5 000-digit PMID is cut short in the message"
    assert "kept the 2 other records" in line
    assert _pmids(cli) == ["11", "12"]


def test_leading_zeros_name_the_same_study(sqlite_cli: tuple[Cli, str], tmp_path: Path) -> None:
    cli, _url = sqlite_cli
    first = _file(tmp_path / "a.xml", make_article("27797938", "First"))
    again = _file(tmp_path / "b.xml", make_article("0027797938", "Again"))
    assert cli("import-xml", str(first), str(again)).exit_code == 0
    assert _pmids(cli) == ["27797938"]
    shown = json.loads(cli("studies", "show", "00027797938", "--json").stdout)
    assert shown["title"] == "Again"


@pytest.mark.parametrize("bad", ["³", "9" * 5000, "-5", ARABIC_INDIC, "1" * 20])
def test_load_refuses_a_bad_pmid_in_one_line(
    sqlite_cli: tuple[Cli, str], tmp_path: Path, bad: str
) -> None:
    cli, _url = sqlite_cli
    for name, text in (
        ("refs.yaml", f"format: ldn-evidence/1\nstudies:\n  - pmid: {bad}\n    title: T\n"),
        ("claims.csv", f'text,pmids\n"Zinc cut colds.","{bad}"\n'),
    ):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        result = cli("load", str(path))
        assert result.exit_code == 1, result.output
        line = assert_one_line_error(result.stderr, str(path), "not a PMID")
        assert len(line) < 400


# ---- over-long fields, each engine ----------------------------------------------------------

LONG_DOI = "10.1000/" + "x" * 300  # 308 characters: the column keeps 255


def _over_long_batch() -> list[bytes]:
    long_name = make_article("23").replace(
        b"<ArticleTitle>",
        b"<AuthorList><Author><LastName>" + b"N" * 250 + b"</LastName></Author></AuthorList>"
        b"<ArticleTitle>",
    )
    return [
        make_article("21"),
        make_article("22", doi=LONG_DOI),
        long_name,
        make_article("12345678901234567"),  # a PMID by the rule, wider than its column
        make_article("24"),
    ]


def test_over_long_fields_refused_alike_on_each_engine(
    cli: Cli, db_url: str, tmp_path: Path
) -> None:
    path = _file(tmp_path / "long.xml", *_over_long_batch())
    result = cli("import-xml", str(path), "--chunk-size", "500")
    assert result.exit_code == 1, result.output
    line = assert_one_line_error(
        result.stderr,
        f"{path}, line 3: PubmedArticle PMID 22: field studies.doi is 308 characters long",
        "at most 255",
        "and 2 more",
        "kept the 2 other records",
    )
    assert "Traceback" not in result.output and len(line) < 400
    assert _pmids(cli) == ["21", "24"]


def test_over_long_fields_in_an_efetch_reply(
    cli: Cli, db_url: str, fake: FakeEutils, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LDN_EVIDENCE_HTTP_RETRIES", "0")
    batch = _over_long_batch()
    fake.inject(Fault.raw(b"<PubmedArticleSet>" + b"".join(batch) + b"</PubmedArticleSet>"))
    result = cli("fetch", "21", "22", "23", "24")
    assert result.exit_code == 3, result.output
    assert_one_line_error(
        result.stderr, "PMID 22: field studies.doi is 308 characters long", "stored 2 of 4"
    )
    assert _pmids(cli) == ["21", "24"]


def test_over_long_dataset_values_refused_alike_on_each_engine(
    cli: Cli, db_url: str, tmp_path: Path
) -> None:
    """The ORM write paths (load, extract, claims …) refuse what their column cannot keep
    before PostgreSQL would, so SQLite does not store what PostgreSQL refuses."""
    from tests.reliability.conftest import dump

    path = tmp_path / "long.yaml"
    path.write_text(
        "format: ldn-evidence/1\ndocument:\n  url: https://a.example/" + "p" * 3000 + "\n"
        "claims:\n  - text: Zinc cut colds by 33%.\n",
        encoding="utf-8",
    )
    before = dump(db_url)
    result = cli("load", str(path))
    assert result.exit_code == 1, result.output
    assert_one_line_error(
        result.stderr,
        f"{path}: field source_documents.url is 3,018 characters long; at most 2048 fit",
    )
    assert dump(db_url) == before


def test_a_page_with_over_long_links_is_stored_alike_on_each_engine(
    cli: Cli, db_url: str, tmp_path: Path
) -> None:
    """A 3 000-character link or a 300-character DOI on a page is no reference (not a
    link anyone follows): the page is stored without it on both engines."""
    page = tmp_path / "long.html"
    page.write_text(
        '<p>Zinc cut colds by 33% (<a href="https://a.example/' + "q" * 3000 + '">trial</a>, '
        "doi:10.1000/" + "d" * 300 + ").</p>",
        encoding="utf-8",
    )
    result = cli("extract", str(page), "--no-fetch", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["claims"] and all(
        len(r["url"] or "") <= 2048 and len(r["doi"] or "") <= 255 for r in data["references"]
    )
