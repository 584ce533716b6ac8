"""`fetch` against a real local E-utilities server: batching, politeness, faults, storage."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Cli, count_rows
from tests.eutils_server import FakeEutils, Fault, make_article


@pytest.mark.slow  # over 1 s
def test_fetch_450_in_3_requests_survives_429_and_503(
    cli: Cli, fake: FakeEutils, db_url: str
) -> None:
    pmids = [str(1_000_000 + i) for i in range(450)]
    for p in pmids:
        fake.add_article(
            p, make_article(p, f"Study {p} of naltrexone", f"Abstract of {p}.", doi=f"10.1000/{p}")
        )
    fake.inject(Fault.http(429, retry_after=1, utility="efetch"))
    fake.inject(Fault.http(503, utility="efetch"))
    result = cli("fetch", *pmids, "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert len(summary["new"]) == 450 and summary["not_found"] == [] and summary["failed"] == []
    efetches = [r for r in fake.requests if r.utility == "efetch"]
    ok = [r for r in efetches if r.fault is None]
    assert len(ok) == 3  # 200 + 200 + 50 PMIDs
    assert sorted(len(r.params["id"].split(",")) for r in ok) == [50, 200, 200]
    assert all(
        r.method == "POST"
        and r.params["tool"] == "ldn-evidence"
        and r.params["email"] == "pharmacist@example.org"
        for r in efetches
    )
    times = [r.time for r in efetches]
    for a, b in zip(times, times[1:], strict=False):
        assert b - a >= 1 / 3 - 0.01  # never more than 3 a second
    assert times[1] - times[0] >= 1.0  # Retry-After honoured
    assert count_rows(db_url, "studies") == 450


@pytest.mark.slow  # over 1 s
def test_refetch_unchanged_changes_nothing_changed_record_updates(
    cli: Cli, fake: FakeEutils, db_url: str
) -> None:
    fake.add_article("42", make_article("42", "Original title", "An abstract."))
    assert json.loads(cli("fetch", "42", "--json").stdout)["new"] == ["42"]
    again = json.loads(cli("fetch", "42", "--json").stdout)
    assert again["already_stored"] == ["42"] and len(fake.requests) == 1
    refreshed = json.loads(cli("fetch", "42", "--refresh", "--json").stdout)
    assert refreshed["unchanged"] == ["42"]
    fake.add_article("42", make_article("42", "Corrected title", "An abstract."))
    updated = json.loads(cli("fetch", "42", "--refresh", "--json").stdout)
    assert updated["updated"] == ["42"]
    shown = json.loads(cli("studies", "show", "42", "--json").stdout)
    assert shown["title"] == "Corrected title"
    assert count_rows(db_url, "studies") == 1


@pytest.mark.slow
def test_not_found_reported(cli: Cli, fake: FakeEutils) -> None:
    fake.add_article("7", make_article("7"))
    result = cli("fetch", "7", "8", "9")
    assert result.exit_code == 0
    assert "1 new" in result.stdout and "2 not found" in result.stdout
    assert "not found in PubMed: 8, 9" in result.stdout


def test_empty_article_set_means_all_not_found(cli: Cli, fake: FakeEutils) -> None:
    result = cli("fetch", "999999", "--json")
    assert json.loads(result.stdout)["not_found"] == ["999999"]


@pytest.mark.parametrize("bad", ["abc", "-1", "12 34", "0"])
def test_bad_pmids_refused_before_any_request(cli: Cli, fake: FakeEutils, bad: str) -> None:
    result = cli("fetch", "--", "123", bad)
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert fake.requests == []


@pytest.mark.slow
def test_failure_midway_keeps_stored_batches_exit_3(
    cli: Cli, fake: FakeEutils, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LDN_EVIDENCE_HTTP_RETRIES", "1")
    pmids = [str(2_000_000 + i) for i in range(250)]
    for p in pmids:
        fake.add_article(p, make_article(p))
    # the second batch's reply is malformed XML on every attempt
    fake.add_article(pmids[230], b"<PubmedArticle><MedlineCitation><PMID>2000230</PMID>")
    result = cli("fetch", *pmids)
    assert result.exit_code == 3
    err = result.stderr.strip()
    assert len(err.splitlines()) == 1, err
    assert "stored 200 of 250" in err and "not stored: 2000200" in err and "50 in all" in err
    assert count_rows(db_url, "studies") == 200  # batch one kept, nothing of batch two


@pytest.mark.slow  # over 1 s
def test_truncated_and_error_replies_are_retried_never_stored(
    cli: Cli, fake: FakeEutils, db_url: str
) -> None:
    fake.add_article("5", make_article("5", "Five"))
    for fault in (
        Fault.truncated(utility="efetch"),
        Fault.error_element(utility="efetch"),
        Fault.html_page(utility="efetch"),
    ):
        fake.inject(fault)
    result = cli("fetch", "5", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["new"] == ["5"]
    assert count_rows(db_url, "studies") == 1


@pytest.mark.slow
def test_missing_fetches_cited_and_replaces_curated_keeping_citations(
    cli: Cli, fake: FakeEutils, seed_file: Path
) -> None:
    cli("load", str(seed_file))
    for p in ("23359310", "19453963"):
        fake.add_article(
            p,
            make_article(
                p,
                f"Fetched {p}",
                "Thirty-one women took part.",
                publication_types=["Journal Article", "Randomized Controlled Trial"],
            ),
        )
    result = cli("fetch", "--missing", "--json")
    assert result.exit_code == 0, result.output
    assert sorted(json.loads(result.stdout)["updated"]) == ["19453963", "23359310"]
    study = json.loads(cli("studies", "show", "23359310", "--json").stdout)
    assert study["origin"] == "efetch" and study["title"] == "Fetched 23359310"
    assert "curated (not fetched)" not in study["flags"]
    assert len(study["cited_by"]) == 5
    assert json.loads(cli("fetch", "--missing", "--json").stdout)["requests"] == 0


def test_fetch_needs_pmids_or_missing(cli: Cli, fake: FakeEutils) -> None:
    result = cli("fetch")
    assert result.exit_code == 1 and "--missing" in result.stderr
