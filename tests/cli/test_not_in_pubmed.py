"""A cited PMID that PubMed does not know is a red flag everywhere: the reference is
`not_found` ("PMID … is not in PubMed") in extract, documents show, verify and claims show,
as text and JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.eutils_server import FakeEutils, make_article

PAGE = Path(__file__).parents[1] / "pages" / "magnesium-sleep.html"
SLEEP = "Magnesium supplementation and sleep quality in older adults: a randomized trial."
FLAG = "PMID 99999991 is not in PubMed"


def test_a_fabricated_pmid_on_a_page_is_not_found_everywhere(cli: Cli, fake: FakeEutils) -> None:
    fake.add_article(
        "1111111",
        make_article("1111111", SLEEP, "Sleep quality scores improved by 17% with magnesium."),
    )
    result = cli("extract", str(PAGE), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    refs = {r["pmid"]: r for r in data["references"]}
    assert (refs["99999991"]["status"], refs["99999991"]["error"]) == ("not_found", FLAG)
    assert refs["1111111"]["status"] == "resolved" and refs["1111111"]["error"] is None
    assert data["fetch"]["not_found"] == ["99999991"]
    doc_id = data["document"]["id"]

    shown = json.loads(cli("documents", "show", str(doc_id), "--json").stdout)
    flagged = next(r for r in shown["references"] if r["pmid"] == "99999991")
    assert (flagged["status"], flagged["error"]) == ("not_found", FLAG)
    assert FLAG in cli("documents", "show", str(doc_id)).stdout

    cramps = next(c for c in shown["claims"] if "leg cramps" in c["text"])
    verified = json.loads(cli("verify", "--document", str(doc_id), "--json").stdout)
    mine = [n for n in verified["not_checked"] if n["claim_id"] == cramps["id"]]
    assert [(n["pmid"], n["status"], n["reason"]) for n in mine] == [
        ("99999991", "not_found", FLAG)
    ]
    text = cli("verify", "--document", str(doc_id)).stdout
    assert f"× PMID 99999991  not checked: {FLAG}" in text
    assert f"claim {cramps['id']}: no study" not in text

    claim = json.loads(cli("claims", "show", str(cramps["id"]), "--json").stdout)
    reference = claim["citations"][0]["reference"]
    assert (reference["pmid"], reference["status"], reference["error"]) == (
        "99999991",
        "not_found",
        FLAG,
    )
    assert f"[not_found: {FLAG}]" in cli("claims", "show", str(cramps["id"])).stdout


@pytest.mark.slow
def test_fetch_flags_a_cited_pmid_and_clears_the_flag_once_pubmed_has_it(
    cli: Cli, fake: FakeEutils
) -> None:
    added = json.loads(cli("claims", "add", "Zinc cut colds by 33%.", "--json").stdout)
    assert cli("claims", "cite", str(added["id"]), "99999991").exit_code == 0
    fetched = json.loads(cli("fetch", "--missing", "--json").stdout)
    assert fetched["not_found"] == ["99999991"]
    reference = json.loads(cli("claims", "show", str(added["id"]), "--json").stdout)["citations"][
        0
    ]["reference"]
    assert (reference["status"], reference["error"]) == ("not_found", FLAG)
    assert FLAG in cli("claims", "show", str(added["id"])).stdout

    fake.add_article("99999991", make_article("99999991", "Zinc and colds", "Colds were short."))
    assert json.loads(cli("fetch", "--missing", "--json").stdout)["new"] == ["99999991"]
    citation = json.loads(cli("claims", "show", str(added["id"]), "--json").stdout)["citations"][0]
    assert citation["study"]["pmid"] == "99999991"
    assert (citation["reference"]["status"], citation["reference"]["error"]) == ("resolved", None)


@pytest.mark.slow
def test_a_curated_study_does_not_hide_that_pubmed_lacks_its_pmid(
    cli: Cli, fake: FakeEutils, seed_file: Path
) -> None:
    fake.add_article("23359310", make_article("23359310", "LDN trial", "Pain fell by 30%."))
    assert cli("load", str(seed_file)).exit_code == 0
    fetched = json.loads(cli("fetch", "--missing", "--json").stdout)
    assert fetched["not_found"] == ["19453963"]
    flag = "PMID 19453963 is not in PubMed"
    shown = json.loads(cli("documents", "show", "1", "--json").stdout)
    statuses = {r["pmid"]: (r["status"], r["error"]) for r in shown["references"] if r["pmid"]}
    assert statuses == {"23359310": ("resolved", None), "19453963": ("not_found", flag)}
    rows = json.loads(cli("verify", "--json").stdout)["citations"]
    assert {r["skipped"] for r in rows if r["pmid"] == "19453963"} == {flag}
    again = cli("load", str(seed_file))  # loading the same file again changes nothing
    assert "nothing changed" in again.stdout
    shown = json.loads(cli("documents", "show", "1", "--json").stdout)
    assert ("not_found", flag) in [(r["status"], r["error"]) for r in shown["references"]]


@pytest.mark.slow
def test_a_doi_or_citation_that_resolves_to_nothing_is_not_found(
    cli: Cli, fake: FakeEutils
) -> None:
    falls = "Vitamin D and falls in older adults: a randomized trial."
    fake.add_article("5555555", make_article("5555555", falls, "Falls fell by 19%."))
    fake.add_article_id("10.1000/vitd.1", "5555555")  # in PubMed, not in PMC
    page = str(Path(__file__).parents[1] / "pages" / "vitamin-d.txt")
    result = cli("extract", page, "--json")
    assert result.exit_code == 0, result.output
    refs = json.loads(result.stdout)["references"]
    assert [(r["kind"], r["status"], r["pmid"], r["via"]) for r in refs] == [
        ("doi", "resolved", "5555555", "DOI search"),
        ("doi", "not_found", None, None),
        ("citation", "not_found", None, None),
    ]
    doi_flag = "DOI 10.1000/nowhere.2 is not in PubMed; no PubMed title matches either"
    citation_flag = "ECitMatch found no single match; no PubMed title matches either"
    assert [refs[1]["error"], refs[2]["error"]] == [doi_flag, citation_flag]
    verified = json.loads(cli("verify", "--json").stdout)
    assert [(n["status"], n["reason"]) for n in verified["not_checked"]] == [
        ("not_found", doi_flag),
        ("not_found", citation_flag),
    ]
    assert [r["pmid"] for r in verified["citations"]] == ["5555555"]
