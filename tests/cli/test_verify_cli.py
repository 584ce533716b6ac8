"""`verify` end to end: fetched abstracts (our own text), verdicts, reviewer precedence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.eutils_server import FakeEutils, make_article

# Abstracts of our own writing, shaped like small LDN trials.
CROSSOVER = (
    "Thirty-one women with fibromyalgia completed a randomized, double-blind, "
    "placebo-controlled crossover trial of low-dose naltrexone (4.5 mg). "
    "Low-dose naltrexone was associated with a 28.8% reduction in pain, compared with an "
    "18.0% reduction during placebo. Mood and general satisfaction with life improved. "
    "No serious adverse events occurred."
)
PILOT = (
    "Ten women with fibromyalgia took part in a single-blind, placebo-controlled crossover "
    "pilot study. Low-dose naltrexone reduced fibromyalgia symptoms by more than 30% over "
    "placebo. Side effects were rare and transient."
)


@pytest.fixture
def seeded(cli: Cli, httpserver, monkeypatch: pytest.MonkeyPatch, seed_file: Path) -> FakeEutils:  # type: ignore[no-untyped-def]
    fake = FakeEutils(httpserver)
    for name, value in fake.env().items():
        monkeypatch.setenv(name, value)
    fake.add_article(
        "23359310",
        make_article(
            "23359310",
            "Low-dose naltrexone for fibromyalgia: a crossover trial",
            CROSSOVER,
            publication_types=["Journal Article", "Randomized Controlled Trial"],
        ),
    )
    fake.add_article(
        "19453963",
        make_article(
            "19453963",
            "Fibromyalgia symptoms are reduced by low-dose naltrexone: a pilot study",
            PILOT,
            publication_types=["Journal Article", "Clinical Trial"],
        ),
    )
    assert cli("load", str(seed_file)).exit_code == 0
    assert cli("fetch", "--missing").exit_code == 0
    return fake


def _citation(cli: Cli, claim: int, pmid: str) -> dict:  # type: ignore[type-arg]
    detail = json.loads(cli("claims", "show", str(claim), "--json").stdout)
    return next(c for c in detail["citations"] if c["study"] and c["study"]["pmid"] == pmid)


def test_verify_seed_claims(cli: Cli, seeded: FakeEutils) -> None:
    result = cli("verify", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    rows = {(r["claim_id"], r["pmid"]): r for r in data["citations"]}
    nearly_30 = rows[(5, "23359310")]
    assert nearly_30["verdict"] in ("supported", "partially_supported")
    assert "28.8%" in nearly_30["sentence"]
    sixty = rows[(4, "19453963")]
    assert sixty["verdict"] in ("not_supported", "partially_supported")
    assert sixty["sentence"]
    assert all(r["verdict"] != "unchecked" or r["reason"] for r in data["citations"])
    text = cli("verify").stdout  # a second run: nothing changed, nothing checked again
    checked = sum(1 for r in data["citations"] if not r["skipped"])
    assert f"{checked} citations unchanged since their last check" in text
    assert "(changed)" not in text and "× PMID 23359310" not in text
    again = json.loads(cli("verify", "--force", "--json").stdout)  # every one checked again
    assert again["unchanged"] == 0

    def verdicts(rows: list[dict]) -> set[tuple]:  # type: ignore[type-arg]
        return {(r["claim_id"], r["pmid"], r["verdict"], r["sentence"]) for r in rows}

    assert verdicts(again["citations"]) == verdicts(data["citations"])
    assert not any(r["changed"] for r in again["citations"])
    c = _citation(cli, 5, "23359310")
    assert c["verdict_origin"] == "automatic" and len(c["events"]) == 1
    assert c["checked_record_sha256"] == c["study"]["record_sha256"]


def test_reviewer_verdict_wins_and_is_kept(cli: Cli, seeded: FakeEutils) -> None:
    cli("verify")
    checked = cli(
        "claims",
        "check",
        "4",
        "19453963",
        "--verdict",
        "not_in_abstract",
        "--note",
        "60% is a press figure",
        "--by",
        "J. Doe, PharmD",
    )
    assert checked.exit_code == 0, checked.output
    cli("verify")
    c = _citation(cli, 4, "19453963")
    assert (c["verdict"], c["verdict_origin"], c["checked_by"]) == (
        "not_in_abstract",
        "reviewer",
        "J. Doe, PharmD",
    )
    assert [e["origin"] for e in c["events"]] == ["automatic", "reviewer"]
    assert c["events"][-1]["note"] == "60% is a press figure"


@pytest.mark.slow
def test_changed_abstract_recomputes_automatic_verdict(cli: Cli, seeded: FakeEutils) -> None:
    cli("verify")
    before = _citation(cli, 5, "23359310")
    seeded.add_article(
        "23359310",
        make_article(
            "23359310",
            "Low-dose naltrexone for fibromyalgia: a crossover trial",
            "Thirty-one women took part. Pain did not differ between naltrexone and placebo.",
            publication_types=["Journal Article", "Randomized Controlled Trial"],
        ),
    )
    assert cli("fetch", "23359310", "--refresh").exit_code == 0
    cli("verify", "5")
    after = _citation(cli, 5, "23359310")
    assert after["verdict"] != before["verdict"]
    assert len(after["events"]) == 2
    assert after["events"][-1]["record_sha256"] == after["study"]["record_sha256"]


def test_curated_studies_are_skipped_with_reason(cli: Cli, seed_file: Path) -> None:
    cli("load", str(seed_file))
    data = json.loads(cli("verify", "--json").stdout)
    assert data["citations"] and all("fetch --missing" in r["skipped"] for r in data["citations"])


def test_unknown_claim(cli: Cli) -> None:
    result = cli("verify", "99")
    assert result.exit_code == 1 and "no claim with id 99" in result.stderr


@pytest.mark.slow
def test_study_design_modifiers_shown(cli: Cli, seeded: FakeEutils) -> None:
    study = json.loads(cli("studies", "show", "23359310", "--json").stdout)
    mods = study["modifiers"]
    assert (mods["participants"], mods["sex"], mods["crossover"], mods["blinding"]) == (
        31,
        "female",
        True,
        "double",
    )
    assert study["evidence_level"] == "rct"
    assert study["design"].startswith("RCT, crossover, double-blind")
    assert "31 women" in study["design"]
    assert study["level_rule"] == "publication type “Randomized Controlled Trial”"
    text = cli("studies", "show", "23359310").stdout
    assert "Design: RCT, crossover, double-blind" in text and "31 women" in text
    assert "Level rule: publication type “Randomized Controlled Trial”" in text
    shown = " ".join(cli("claims", "show", "5").stdout.split())
    assert "Randomized controlled trial (RCT, crossover, double-blind" in shown
