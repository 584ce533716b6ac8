"""A full disk mid-command: one line saying how many records were kept, and what is
stored is exactly that many (whole chunks or efetch batches only).

SQLite's `max_page_count` makes the database full at a chosen size: the same error
(SQLITE_FULL, "database or disk is full") as a full file system.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.conftest import Cli
from tests.eutils_server import FakeEutils, make_article
from tests.reliability.conftest import assert_one_line_error, count

ABSTRACT = "Zinc lozenges shortened colds. " * 400  # about 12 kB a record


@pytest.fixture
def fills_up(
    sqlite_cli: tuple[Cli, str], monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Cli, str, Any]]:
    """The CLI on a database that is full `room` pages (4 kB) past its current size."""
    from ldn_evidence import db as db_module

    cli, url = sqlite_cli
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar_one()
    engine.dispose()
    limit = {"pages": None}
    real = db_module._sqlite_pragmas

    def pragmas(dbapi_connection: Any, record: Any) -> None:
        real(dbapi_connection, record)
        if limit["pages"] is not None:
            dbapi_connection.execute(f"PRAGMA max_page_count = {limit['pages']}")

    monkeypatch.setattr(db_module, "_sqlite_pragmas", pragmas)

    def room(n: int) -> None:
        limit["pages"] = pages + n

    yield cli, url, room


def _kept(line: str, pattern: str) -> int:
    match = re.search(pattern, line)
    assert match, line
    return int(match.group(1))


def test_import_xml_says_how_many_records_were_kept(
    fills_up: tuple[Cli, str, Any], tmp_path: Path
) -> None:
    cli, url, room = fills_up
    path = tmp_path / "many.xml"
    path.write_bytes(
        b"<PubmedArticleSet>"
        + b"".join(make_article(str(100 + i), f"Study {i}", ABSTRACT) for i in range(60))
        + b"</PubmedArticleSet>"
    )
    room(250)  # about 1 MB: two chunks of 10 records (~0.4 MB each) fit, not six
    result = cli("import-xml", str(path), "--chunk-size", "10")
    assert result.exit_code == 1, result.output
    line = assert_one_line_error(result.stderr, str(path), "database or disk is full")
    kept = _kept(line, r"kept the (\d+) records stored before it")
    assert 0 < kept < 60 and kept % 10 == 0, line
    assert count(url, "studies") == kept


@pytest.mark.slow  # over 1 s
def test_fetch_says_how_many_pmids_were_stored(
    fills_up: tuple[Cli, str, Any], fake: FakeEutils
) -> None:
    cli, url, room = fills_up
    pmids = [str(5_000_000 + i) for i in range(600)]  # three efetch batches of 200
    for p in pmids:
        fake.add_article(p, make_article(p, f"Study {p}", ABSTRACT[:2000]))
    room(600)  # about 2.4 MB: one or two batches of 200 records fit, not three
    result = cli("fetch", *pmids)
    assert result.exit_code == 1, result.output
    line = assert_one_line_error(result.stderr, "database or disk is full", "not stored:")
    stored = _kept(line, r"stored (\d+) of 600 PMIDs")
    assert stored in (200, 400), line
    assert count(url, "studies") == stored


def test_load_says_nothing_was_stored(fills_up: tuple[Cli, str, Any], tmp_path: Path) -> None:
    cli, url, room = fills_up
    path = tmp_path / "claims.csv"
    path.write_text(
        "text\n" + "".join(f'"Claim {i}: {ABSTRACT[:1500]}"\n' for i in range(200)),
        encoding="utf-8",
    )
    room(5)
    result = cli("load", str(path))
    assert result.exit_code == 1, result.output
    assert_one_line_error(result.stderr, "database or disk is full", f"nothing of {path}")
    assert json.loads(cli("claims", "list", "--json").stdout) == []
