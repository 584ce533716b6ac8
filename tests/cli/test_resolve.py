"""References that failed for a network reason are resolved again — by extracting the
same page again, or by `ldn-evidence resolve` — in place: no new page version, the error
cleared once they resolve."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.eutils_server import FakeEutils, make_article
from tests.helpers.network import pubmed_unreachable

PAGE = str(Path(__file__).parents[1] / "pages" / "zinc-colds.txt")
TITLE = "Zinc acetate lozenges for the common cold: a randomized, double-blind trial"


@pytest.fixture(autouse=True)
def _quick(monkeypatch: pytest.MonkeyPatch) -> None:
    """An API key (10 requests a second, not 3) keeps these tests quick."""
    monkeypatch.setenv("NCBI_API_KEY", "0123456789abcdef0123456789abcdef7a3c")


def _extract_offline(cli: Cli, monkeypatch: pytest.MonkeyPatch, fake: FakeEutils) -> int:
    """Extract the page with PubMed unreachable, then make PubMed reachable and know the
    page's two studies. Returns the document id."""
    pubmed_unreachable(monkeypatch, default_policy=False)
    first = cli("extract", PAGE, "--json")
    assert first.exit_code == 0, first.output
    data = json.loads(first.stdout)
    assert [r["status"] for r in data["references"]] == ["failed", "failed"]
    for name, value in fake.env().items():
        monkeypatch.setenv(name, value)
    fake.add_article("3333333", make_article("3333333", TITLE + ".", "Colds were 33% shorter."))
    fake.add_title(TITLE, ["3333333"])
    fake.add_article("4444444", make_article("4444444", "Zinc and sick days in office workers."))
    fake.add_doi("10.1000/zinc.2", "4444444")
    return int(data["document"]["id"])


def _references(cli: Cli, doc_id: int) -> list[tuple[str, str | None, str | None]]:
    shown = json.loads(cli("documents", "show", str(doc_id), "--json").stdout)
    return [(r["status"], r["pmid"], r["error"]) for r in shown["references"]]


@pytest.mark.slow
def test_extracting_the_page_again_resolves_its_failed_references(
    cli: Cli, fake: FakeEutils, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc_id = _extract_offline(cli, monkeypatch, fake)
    again = cli("extract", PAGE, "--json")
    assert again.exit_code == 0, again.output
    data = json.loads(again.stdout)
    assert (data["status"], data["document_id"]) == ("unchanged", doc_id)
    assert [(r["was"], r["status"], r["pmid"]) for r in data["retried"]["references"]] == [
        ("failed", "resolved", "3333333"),
        ("failed", "resolved", "4444444"),
    ]
    assert sorted(data["retried"]["fetch"]["new"]) == ["3333333", "4444444"]
    assert _references(cli, doc_id) == [
        ("resolved", "3333333", None),
        ("resolved", "4444444", None),
    ]
    documents = json.loads(cli("documents", "list", "--json").stdout)
    assert [(d["id"], d["version"]) for d in documents] == [(doc_id, 1)]  # no new version
    claim = json.loads(cli("claims", "show", "1", "--json").stdout)
    assert [c["study"]["pmid"] for c in claim["citations"]] == ["3333333"]
    before = len(fake.requests)
    third = cli("extract", PAGE)
    assert third.exit_code == 0 and "Page unchanged" in third.stdout
    assert len(fake.requests) == before  # nothing left to resolve: PubMed is not asked


@pytest.mark.slow
def test_the_resolve_command(cli: Cli, fake: FakeEutils, monkeypatch: pytest.MonkeyPatch) -> None:
    doc_id = _extract_offline(cli, monkeypatch, fake)
    fake.titles.clear()  # the title search finds nothing yet: only the DOI resolves
    result = cli("resolve", "--document", str(doc_id), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [(r["status"], r["pmid"]) for r in data["references"]] == [
        ("not_found", None),
        ("resolved", "4444444"),
    ]
    assert data["fetch"]["new"] == ["4444444"]
    assert _references(cli, doc_id)[1] == ("resolved", "4444444", None)
    nothing = cli("resolve")
    assert nothing.exit_code == 0
    assert nothing.stdout.startswith("Nothing to resolve")
    assert len(json.loads(cli("documents", "list", "--json").stdout)) == 1


@pytest.mark.slow
def test_resolve_while_pubmed_still_fails_exits_3_in_one_line(
    cli: Cli, fake: FakeEutils, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc_id = _extract_offline(cli, monkeypatch, fake)
    pubmed_unreachable(monkeypatch, default_policy=False)
    result = cli("resolve")
    assert result.exit_code == 3
    assert result.stderr.startswith("Error: 2 references still not resolved: ")
    assert "cannot be reached" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert [s for s, _, _ in _references(cli, doc_id)] == ["failed", "failed"]
    missing = cli("resolve", "--document", "99")
    assert missing.exit_code == 1 and "no document with id 99" in missing.stderr
