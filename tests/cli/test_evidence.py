"""`evidence` on the command line: the query shown, the cited study's place, the stronger
studies with verdict and sentence, the summary line; nothing linked to the claim."""

from __future__ import annotations

import json

import pytest

from tests.conftest import Cli
from tests.eutils_server import FakeEutils, make_article
from tests.helpers.workflows import fast_client
from tests.services.test_evidence import ARTICLES


@pytest.fixture
def claim(cli: Cli, fake: FakeEutils, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """Claim 1, with intervention and condition, cites the pilot study PMID 100."""
    monkeypatch.setattr("ldn_evidence.cli.evidence.pubmed_client", fast_client)
    for pmid, (year, title, abstract, types) in ARTICLES.items():
        fake.add_article(
            pmid, make_article(pmid, title, abstract, year=year, publication_types=types)
        )
    for step in (
        ("fetch", "100"),
        (
            "claims",
            "add",
            "Low-dose naltrexone reduced fibromyalgia pain by 30%.",
            "--intervention",
            "low-dose naltrexone",
            "--condition",
            "fibromyalgia",
        ),
        ("claims", "cite", "1", "100"),
    ):
        assert cli(*step).exit_code == 0, step
    return cli


@pytest.mark.slow
def test_evidence_for_a_claim(claim: Cli) -> None:
    result = claim("evidence", "1", "--since", "2015")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Claim 1: Low-dose naltrexone reduced fibromyalgia pain by 30%."
    assert lines[1] == (
        "Query (the claim's intervention and condition): (low-dose naltrexone) AND "
        "(fibromyalgia) AND (systematic[sb] OR randomized controlled trial[pt] OR "
        "therapy/narrow[filter]) AND 2015:3000[dp]"
    )
    assert lines[2] == "PubMed: 5 found, 6 ranked with the cited studies (at most 20 fetched)"
    assert lines[3] == (
        "Cited: PMID 100 ranks 4th of 6 (3 · Other controlled trial, N = 10); verdict unchecked"
    )
    assert lines[4:8] == [
        "Stronger studies:",
        "  1. PMID 201 (2023) 1 · Systematic review / meta-analysis, N = 1200",
        "     Low-dose naltrexone for fibromyalgia: a systematic review and meta-analysis",
        '     supported: "Low-dose naltrexone reduced fibromyalgia pain by 30% compared with '
        'placebo."',
    ]
    assert lines[-2] == "3 stronger studies: 1 supports, 1 partly supports, 1 contradicts"
    assert lines[-1] == "Nothing is linked to the claim: `ldn-evidence claims cite 1 PMID` does."

    data = json.loads(claim("evidence", "1", "--since", "2015", "--limit", "2", "--json").stdout)
    assert data["summary"] == "2 stronger studies: 1 supports, 1 contradicts"
    assert [(s["pmid"], s["verdict"]) for s in data["stronger"]] == [
        ("201", "supported"),
        ("202", "contradicted"),
    ]
    assert [(s["pmid"], s["rank"]) for s in data["cited"]] == [("100", 3)]
    shown = json.loads(claim("claims", "show", "1", "--json").stdout)
    assert [c["study"]["pmid"] for c in shown["citations"]] == ["100"]  # nothing linked


def test_bad_invocations(claim: Cli) -> None:
    missing = claim("evidence", "999")
    assert missing.exit_code == 1 and missing.stderr.strip() == "Error: no claim with id 999"
    assert claim("evidence", "1", "--limit", "0").exit_code == 2
    assert claim("evidence", "1", "--since", "99").exit_code == 2
