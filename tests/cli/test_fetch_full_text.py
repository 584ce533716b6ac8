"""`fetch --full-text` against a local E-utilities server speaking efetch db=pmc: open
articles stored, the not-open notice recorded with its date, faults retried, batches kept."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from ldn_evidence.db import make_engine
from tests.conftest import Cli, count_rows
from tests.eutils_server import FakeEutils, Fault, make_article
from tests.helpers.jats import NOTICE, make_pmc_article

RESULTS = ["Six of the ten women (60%) reported less pain with low-dose naltrexone."]


def add_study(fake: FakeEutils, pmid: str, pmcid: str | None, *, open_access: bool = True) -> None:
    fake.add_article(pmid, make_article(pmid, f"Trial {pmid}", "An abstract.", pmcid=pmcid))
    if pmcid:
        fake.add_pmc_article(
            pmcid,
            make_pmc_article(pmcid, pmid, sections={"Results": RESULTS}, open_access=open_access),
        )


def full_texts(url: str) -> list[dict[str, object]]:
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT * FROM full_texts ORDER BY pmcid")).mappings().all()
    engine.dispose()
    return [dict(r) for r in rows]


@pytest.mark.slow
def test_open_and_not_open_articles(cli: Cli, fake: FakeEutils, db_url: str) -> None:
    add_study(fake, "11", "PMC1011")
    add_study(fake, "12", "PMC1012", open_access=False)
    add_study(fake, "13", None)
    assert cli("fetch", "11", "12", "13").exit_code == 0
    before = datetime.now(UTC)
    result = cli("fetch", "--full-text", "11", "12", "13")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "1 full texts, 1 not open, 0 failed (1 without a PMCID)"
    (pmc,) = fake.requests_for("efetch")[-1:]
    assert pmc.method == "POST" and pmc.params["db"] == "pmc" and pmc.ids == ["1011", "1012"]
    assert pmc.params["tool"] == "ldn-evidence" and pmc.params["email"] == "pharmacist@example.org"
    rows = {r["pmcid"]: r for r in full_texts(db_url)}
    assert rows["PMC1011"]["status"] == "open" and rows["PMC1011"]["license_name"] == "CC BY 4.0"
    closed = rows["PMC1012"]
    assert closed["status"] == "not_open" and closed["notice"] == NOTICE
    fetched = closed["fetched_at"]
    if isinstance(fetched, str):
        fetched = datetime.fromisoformat(fetched)
    assert fetched.replace(tzinfo=UTC) >= before.replace(microsecond=0)
    assert count_rows(db_url, "full_text_passages") == 1
    again = json.loads(cli("fetch", "--full-text", "11", "12", "--json").stdout)
    assert again["unchanged"] == ["11"] and again["not_open"] == ["12"]
    assert len(fake.requests_for("efetch")) == 2  # known answers are not asked again


@pytest.mark.slow
def test_missing_fetches_what_stored_studies_lack(cli: Cli, fake: FakeEutils) -> None:
    add_study(fake, "21", "PMC2021")
    add_study(fake, "22", "PMC2022")
    assert cli("fetch", "21", "22").exit_code == 0
    first = json.loads(cli("fetch", "--full-text", "--missing", "--json").stdout)
    assert sorted(first["new"]) == ["21", "22"] and first["requests"] == 1
    second = cli("fetch", "--full-text", "--missing")
    assert second.exit_code == 0 and second.stdout.strip() == "0 full texts, 0 not open, 0 failed"
    assert "no full text to fetch" in second.stderr


@pytest.mark.slow
def test_records_are_fetched_first_and_unknowns_said(cli: Cli, fake: FakeEutils) -> None:
    add_study(fake, "31", "PMC3031")
    fake.pmc_articles.clear()  # PMC does not have it after all
    result = json.loads(cli("fetch", "--full-text", "31", "99", "--json").stdout)
    assert result["not_in_pmc"] == ["31"] and result["not_stored"] == ["99"]
    assert [r.params.get("db") for r in fake.requests_for("efetch")] == ["pubmed", "pmc"]


@pytest.mark.slow  # over 1 s: four requests at three a second
def test_refresh_updates_a_changed_article(cli: Cli, fake: FakeEutils, db_url: str) -> None:
    add_study(fake, "41", "PMC4041")
    assert cli("fetch", "41").exit_code == 0
    assert json.loads(cli("fetch", "--full-text", "41", "--json").stdout)["new"] == ["41"]
    fake.add_pmc_article(
        "PMC4041", make_pmc_article("PMC4041", "41", sections={"Results": ["Corrected."]})
    )
    refreshed = json.loads(cli("fetch", "--full-text", "41", "--refresh", "--json").stdout)
    assert refreshed["updated"] == ["41"]
    assert count_rows(db_url, "full_text_passages") == 1


@pytest.mark.slow  # over 1 s: three requests at three a second
@pytest.mark.parametrize(
    "fault",
    [Fault.http(503), Fault.truncated(), Fault.html_page(), Fault.error_element(), Fault.cut()],
)
def test_faults_are_retried(sqlite_url: str, fake: FakeEutils, fault: Fault) -> None:
    cli = Cli(sqlite_url)
    add_study(fake, "51", "PMC5051")
    assert cli("fetch", "51").exit_code == 0
    fake.inject(fault, utility="efetch")
    result = cli("fetch", "--full-text", "51")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("1 full texts")
    assert [r.fault is not None for r in fake.requests_for("efetch")[1:]] == [True, False]


@pytest.mark.slow  # retries with backoff
def test_giving_up_is_exit_3_and_keeps_earlier_batches(
    sqlite_url: str, fake: FakeEutils, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LDN_EVIDENCE_HTTP_RETRIES", "1")
    cli = Cli(sqlite_url)
    pmids = [str(600 + i) for i in range(25)]  # two batches: 20 + 5
    for p in pmids:
        add_study(fake, p, f"PMC{p}")
    assert cli("fetch", *pmids).exit_code == 0
    calls = {"n": 0}
    handler = fake._answer

    def second_batch_fails(utility, request, params):  # type: ignore[no-untyped-def]
        if params.get("db") == "pmc":
            calls["n"] += 1
            if calls["n"] > 1:
                from werkzeug import Response

                return Response(b"busy", status=503)
        return handler(utility, request, params)

    monkeypatch.setattr(fake, "_answer", second_batch_fails)
    result = cli("fetch", "--full-text", *pmids)
    assert result.exit_code == 3
    assert "20 full texts, 0 not open, 5 failed" in result.stderr
    assert "not fetched: PMIDs 620, 621, 622, 623, 624" in result.stderr
    assert count_rows(sqlite_url, "full_texts") == 20


def test_usage_errors(sqlite_url: str, fake: FakeEutils) -> None:
    cli = Cli(sqlite_url)
    result = cli("fetch", "--full-text")
    assert result.exit_code == 1 and "give PMIDs to fetch, or --missing" in result.stderr
    bad = cli("fetch", "--full-text", "PMC12")
    assert bad.exit_code == 1 and "invalid PMID 'PMC12'" in bad.stderr
    assert fake.requests == []
