"""`verify` on full texts, end to end: the seed page's "60% of patients" claim is in
neither cited abstract (our own abstracts here), but in the pilot's full text (our own
writing, under the pilot's real PMCID); `--abstract-only` keeps to the abstract."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.eutils_server import FakeEutils, make_article
from tests.helpers.jats import make_pmc_article

PILOT_PMID, PILOT_PMCID = "19453963", "PMC2891387"
PILOT_ABSTRACT = (
    "Ten women with fibromyalgia took part in a single-blind, placebo-controlled crossover "
    "pilot study of low-dose naltrexone. Side effects were rare and transient."
)
RESPONDERS = (
    "Six of the ten women (60%) reported a reduction in fibromyalgia symptoms of at least "
    "30% while taking low-dose naltrexone."
)
SECTIONS = {
    "Introduction": ["Fibromyalgia is a chronic pain disorder of unknown cause."],
    "Methods": ["Ten women took low-dose naltrexone for eight weeks."],
    "Results": ["All ten women completed the study.", RESPONDERS],
    "Discussion": ["Low-dose naltrexone may be a useful treatment."],
}
CLAIM = 4  # "In one trial, for example, 60% of patients reported a reduction in fibromyalgia …"


@pytest.fixture
def with_full_text(cli: Cli, fake: FakeEutils, seed_file: Path) -> FakeEutils:
    fake.add_article(
        "23359310",
        make_article(
            "23359310",
            "Low-dose naltrexone for fibromyalgia: a crossover trial",
            "Thirty-one women with fibromyalgia took low-dose naltrexone or placebo. Sleep "
            "and mood were recorded.",
            publication_types=["Journal Article", "Randomized Controlled Trial"],
        ),
    )
    fake.add_article(
        PILOT_PMID,
        make_article(
            PILOT_PMID,
            "Fibromyalgia symptoms are reduced by low-dose naltrexone: a pilot study",
            PILOT_ABSTRACT,
            pmcid=PILOT_PMCID,
            publication_types=["Journal Article", "Clinical Trial"],
        ),
    )
    fake.add_pmc_article(PILOT_PMCID, make_pmc_article(PILOT_PMCID, PILOT_PMID, sections=SECTIONS))
    assert cli("load", str(seed_file)).exit_code == 0
    assert cli("fetch", "--missing").exit_code == 0
    fetched = cli("fetch", "--full-text", "--missing")
    assert fetched.stdout.strip() == "1 full texts, 0 not open, 0 failed", fetched.output
    return fake


def _pilot(data: dict) -> dict:  # type: ignore[type-arg]
    return next(r for r in data["citations"] if r["pmid"] == PILOT_PMID)


@pytest.mark.slow  # over 1 s: load, fetch, fetch --full-text, four verify runs
def test_the_full_text_decides_where_the_abstract_cannot(
    cli: Cli, with_full_text: FakeEutils
) -> None:
    abstract = _pilot(json.loads(cli("verify", str(CLAIM), "--abstract-only", "--json").stdout))
    assert abstract["verdict"] in ("not_in_abstract", "not_supported")
    assert abstract["evidence_location"] is None
    full = _pilot(json.loads(cli("verify", str(CLAIM), "--json").stdout))
    assert full["verdict"] in ("supported", "partially_supported"), full
    assert full["evidence_location"] == "full text, Results, ¶2"
    assert full["sentence"] == RESPONDERS and full["changed"] is True
    assert "abstract" not in full["reason"]
    shown = cli("verify", str(CLAIM), "--force")
    assert f'full text, Results, ¶2: "{RESPONDERS}"' in shown.stdout
    detail = json.loads(cli("claims", "show", str(CLAIM), "--json").stdout)
    citation = next(c for c in detail["citations"] if c["study"]["pmid"] == PILOT_PMID)
    assert citation["evidence_location"] == "full text, Results, ¶2"
    events = [e["new_verdict"] for e in citation["events"]]
    assert events[-2:] == [abstract["verdict"], full["verdict"]]
    back = _pilot(json.loads(cli("verify", str(CLAIM), "--abstract-only", "--json").stdout))
    assert (back["verdict"], back["evidence_location"]) == (abstract["verdict"], None)


@pytest.mark.slow
def test_nothing_in_the_full_text_says_so(cli: Cli, with_full_text: FakeEutils) -> None:
    added = json.loads(
        cli("claims", "add", "Magnesium halves migraine days in children.", "--json").stdout
    )
    assert cli("claims", "cite", str(added["id"]), PILOT_PMID).exit_code == 0
    row = _pilot(json.loads(cli("verify", str(added["id"]), "--json").stdout))
    assert row["verdict"] == "not_in_abstract" and row["evidence_location"] is None
    assert row["reason"].endswith(f"; nor does the full text ({PILOT_PMCID})")


@pytest.mark.slow
def test_a_reviewer_verdict_is_not_touched(cli: Cli, with_full_text: FakeEutils) -> None:
    checked = cli("claims", "check", str(CLAIM), PILOT_PMID, "--verdict", "not_supported")
    assert checked.exit_code == 0
    row = _pilot(json.loads(cli("verify", str(CLAIM), "--json").stdout))
    assert row["skipped"] == "decided by a reviewer" and row["verdict"] == "not_supported"
