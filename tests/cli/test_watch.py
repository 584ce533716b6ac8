"""`watch` on the command line: the change report, exit code 4 for a new retraction or
expression of concern, --json, --document."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.eutils_server import FakeEutils, make_article
from tests.helpers.workflows import fast_client

DATASET = """\
format: ldn-evidence/1
document: {title: LDN page, url: "https://example.org/ldn"}
references:
  - {id: r1, raw: "PMID: 111", kind: pubmed, pmid: "111"}
  - {id: r2, raw: "PMID: 222", kind: pubmed, pmid: "222"}
claims:
  - {text: "LDN cut pain by 30% in fibromyalgia.", cites: [r1, r2]}
"""


@pytest.fixture
def fast_pubmed(fake: FakeEutils, monkeypatch: pytest.MonkeyPatch) -> FakeEutils:
    """The fake server, and a client that does not space requests for NCBI."""
    monkeypatch.setattr("ldn_evidence.cli.watch.pubmed_client", fast_client)
    return fake


@pytest.mark.slow
def test_watch_reports_a_new_retraction_with_exit_4(
    cli: Cli, fast_pubmed: FakeEutils, tmp_path: Path
) -> None:
    fake = fast_pubmed
    fake.add_article("111", make_article("111", "LDN in fibromyalgia", "Pain fell by 30%."))
    fake.add_article("222", make_article("222", "LDN and pain", "Pain fell."))
    page = tmp_path / "page.yaml"
    page.write_text(DATASET, encoding="utf-8")
    assert cli("load", str(page)).exit_code == 0
    assert cli("fetch", "--missing").exit_code == 0

    first = cli("watch")
    assert first.exit_code == 0, first.output
    assert first.stdout.splitlines()[0] == (
        "Checked 2 cited studies (1 request): 0 changed, 2 unchanged, 0 not found in PubMed"
    )

    fake.add_article(
        "111",
        make_article(
            "111",
            "LDN in fibromyalgia",
            "Pain fell by 30%.",
            links=[("RetractionIn", "999", "Pain Med. 2026")],
        ),
    )
    second = cli("watch")
    assert second.exit_code == 4, second.output
    lines = second.stdout.splitlines()
    assert "PMID 111: RETRACTED (PubMed): RetractionIn PMID 999: Pain Med. 2026" in lines
    assert "Flagged: PMID 111 [RETRACTED], cited by claims 1" in lines
    assert lines[-1].startswith("ALERT:")

    again = cli("watch", "--json")
    assert again.exit_code == 0, again.output
    report = json.loads(again.stdout)
    assert not report["alert"]
    assert [(s["pmid"], s["outcome"], s["flags"]) for s in report["studies"]] == [
        ("111", "unchanged", ["retracted"]),
        ("222", "unchanged", []),
    ]
    assert cli("watch", "--document", "1", "--json").exit_code == 0


def test_unknown_document(cli: Cli, fast_pubmed: FakeEutils) -> None:
    result = cli("watch", "--document", "999")
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: no document with id 999"
