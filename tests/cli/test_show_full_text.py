"""A stored full text in `studies show` (licence, sections; `--full-text` prints it) and in
the reports (the quoted passage with its section and a link to the PMC article). Offline:
the PubMed record from `import-xml`, the full text from `import-pmc`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.eutils_server import make_article
from tests.helpers.jats import make_pmc_article

FIXTURE = Path(__file__).parents[1] / "pubmed" / "fixtures" / "fulltext.nxml"
PMID, PMCID = "9000001", "PMC7000001"
ABSTRACT = "Ten women with widespread pain took low-dose naltrexone. Sleep was recorded."


@pytest.fixture
def stored(cli: Cli, tmp_path: Path) -> Cli:
    records = tmp_path / "pubmed.xml"
    records.write_bytes(
        b"<PubmedArticleSet>"
        + make_article(PMID, "Low-dose naltrexone for widespread pain", ABSTRACT, pmcid=PMCID)
        + make_article("9000002", "A study PMC withholds", ABSTRACT, pmcid="PMC7000002")
        + make_article("9000003", "A study not in PMC", ABSTRACT)
        + b"</PubmedArticleSet>"
    )
    closed = tmp_path / "closed.nxml"
    closed.write_bytes(make_pmc_article("PMC7000002", "9000002", open_access=False))
    assert cli("import-xml", str(records)).exit_code == 0
    imported = cli("import-pmc", str(FIXTURE), str(closed))
    assert imported.stdout.startswith("2 files: 1 full texts (1 new"), imported.output
    assert "1 not open" in imported.stdout
    return cli


def test_studies_show_says_what_is_stored(stored: Cli) -> None:
    shown = stored("studies", "show", PMID).stdout
    line = next(x for x in shown.splitlines() if x.startswith("Full text:"))
    assert line.startswith(f"Full text: {PMCID}, licence CC BY 4.0, file 20")
    assert "sections: Introduction; Materials and Methods; Results; Discussion; Competing" in line
    assert "paragraphs, 1 tables, 1 figures, 1 footnotes" in line
    data = json.loads(stored("studies", "show", PMID, "--json").stdout)["full_text"]
    assert (data["pmcid"], data["status"], data["license"]) == (PMCID, "open", "CC BY 4.0")
    assert data["url"] == f"https://pmc.ncbi.nlm.nih.gov/articles/{PMCID}/"
    assert data["counts"]["table"] == 1
    assert {"title": "Pain scores", "kind": "results", "depth": 1, "passages": 3} in data[
        "sections"
    ]
    closed = stored("studies", "show", "9000002").stdout
    assert "Full text: not open in PMC (PMC7000002, asked 20" in closed
    assert "does not allow downloading" in closed
    assert "Full text: none stored (no PMCID)" in stored("studies", "show", "9000003").stdout


def test_studies_show_full_text_prints_it(stored: Cli) -> None:
    out = stored("studies", "show", PMID, "--full-text").stdout
    assert "Licence: CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)" in out
    assert "\nResults\n¶1 Six of the ten women (60%)" in out
    assert "\nResults › Pain scores\n¶1 Mean pain fell" in out
    assert "[Table 1]\nTable 1. Response by week" in out
    assert "We thank the participants" not in out
    data = json.loads(stored("studies", "show", PMID, "--full-text", "--json").stdout)
    assert data["title"].startswith("Low-dose naltrexone for chronic widespread pain")
    figure = {"location": "Figure 1 legend", "kind": "figure", "text": "Figure 1. Pain over time. "
              "Weekly means."}  # fmt: skip
    assert figure in data["passages"]
    locations = [p["location"] for p in data["passages"]]
    assert "full text, Results, ¶1" in locations and "Table 1" in locations


def test_studies_show_counts_the_passages_without_loading_them(stored: Cli) -> None:
    from sqlalchemy import event

    from ldn_evidence.db import make_engine, read_scope
    from ldn_evidence.services.fulltext_views import full_text_brief
    from ldn_evidence.services.show_rows import full_text_summary, read_full_text, read_study

    engine = make_engine(stored.url)
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    for pmid in (PMID, "9000002", "9000003"):
        with read_scope(engine) as conn:
            study = read_study(conn=conn, pmid=pmid)
            statements.clear()
            summary = full_text_summary(conn=conn, study=study)
            read = list(statements)
            row = read_full_text(conn=conn, study=study)
            assert summary == (full_text_brief(row) if row is not None else None)
        # the text of the passages and the article's XML stay in the database
        assert not any("full_text_passages.text" in x or "raw_xml" in x for x in read), read
    engine.dispose()


@pytest.mark.parametrize(
    ("pmid", "says"),
    [
        ("9000002", "PMC does not give the full text of PMC7000002 (asked 20"),
        ("9000003", "no full text stored, and its PubMed record names no PMCID"),
    ],
)
def test_no_full_text_to_print(stored: Cli, pmid: str, says: str) -> None:
    result = stored("studies", "show", pmid, "--full-text")
    assert result.exit_code == 1 and says in result.stderr
    assert result.stderr.count("\n") == 1


@pytest.mark.slow  # over 1 s: verify and three exports
def test_reports_quote_the_full_text_with_its_place_and_link(stored: Cli) -> None:
    claim = json.loads(
        stored(
            "claims", "add", "60% of women reported a reduction in pain with naltrexone.", "--json"
        ).stdout
    )
    assert stored("claims", "cite", str(claim["id"]), PMID).exit_code == 0
    verified = json.loads(stored("verify", str(claim["id"]), "--json").stdout)["citations"][0]
    assert verified["evidence_location"] == "full text, Results, ¶1", verified
    html = stored("export", "-f", "html").stdout
    link = f'<a href="https://pmc.ncbi.nlm.nih.gov/articles/{PMCID}/">{PMCID}</a>'
    assert f"Quoted from the full text (Results, ¶1): {link}" in html
    markdown = stored("export", "-f", "markdown").stdout
    assert "Quoted from the full text (Results, ¶1): [PMC7000001](<https://pmc.ncbi" in markdown
    data = json.loads(stored("export", "-f", "json").stdout)
    (entry,) = [c for c in data["claims_without_document"] if c["id"] == claim["id"]]
    citation = entry["citations"][0]
    assert citation["evidence_source"] == "full_text"
    assert citation["evidence_location"] == "full text, Results, ¶1"
