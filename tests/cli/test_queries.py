"""claims list / studies list filters and sorting."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.eutils_server import FakeEutils, make_article


@pytest.fixture
def loaded(cli: Cli, seed_file: Path, tmp_path: Path) -> Cli:
    cli("load", str(seed_file))
    extra = tmp_path / "extra.csv"
    extra.write_text(
        'text,figure_value,outcome\n"Zinc_shortened 100% of colds.",100,colds\n'
        '"Vitamin C does something.",,\n',
        encoding="utf-8",
    )
    cli("load", str(extra))
    return cli


def _ids(cli: Cli, *args: str) -> list[int]:
    result = cli("claims", "list", "--json", *args)
    assert result.exit_code == 0, result.output
    return [c["id"] for c in json.loads(result.stdout)]


def test_claim_filters(loaded: Cli) -> None:
    assert _ids(loaded) == [1, 2, 3, 4, 5, 6, 7]
    assert _ids(loaded, "--unsourced") == [6]
    assert _ids(loaded, "--search", "ENDORPHIN") == [2, 3]
    assert _ids(loaded, "--search", "100%") == [6]
    assert _ids(loaded, "--search", "zinc_") == [6]  # wildcards are literal
    assert _ids(loaded, "--search", "pilot study") == [1, 2, 3, 4, 5]  # a cited study's title
    assert _ids(loaded, "--verdict", "unchecked") == [1, 2, 3, 4, 5]
    assert _ids(loaded, "--verdict", "supported") == []
    assert _ids(loaded, "--level", "rct") == [1, 2, 3, 4, 5]
    assert _ids(loaded, "--level", "systematic_review") == []
    assert _ids(loaded, "--sort", "figure")[:3] == [6, 4, 5]


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--verdict", "great"], "unknown verdict"),
        (["--level", "gold"], "unknown level"),
        (["--sort", "colour"], "unknown sort"),
    ],
)
def test_bad_filters(loaded: Cli, args: list[str], fragment: str) -> None:
    result = loaded("claims", "list", *args)
    assert result.exit_code == 1 and fragment in result.stderr


def test_claims_list_shows_level_and_verdict(loaded: Cli) -> None:
    rows = json.loads(loaded("claims", "list", "--json").stdout)
    sources = rows[3]["sources"]
    assert {s["pmid"] for s in sources} == {"23359310", "19453963"}
    assert {s["level"] for s in sources} == {"rct", "controlled_trial"}
    table = loaded("claims", "list").stdout
    assert "UNSOURCED" in table and "PMID 23359310" in table and "unchecked" in table


def test_study_filters(cli: Cli, httpserver, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    fake = FakeEutils(httpserver)
    for k, v in fake.env().items():
        monkeypatch.setenv(k, v)
    fake.add_article(
        "1",
        make_article(
            "1",
            "Naltrexone in pain",
            "Pain fell.",
            year="2013",
            publication_types=["Randomized Controlled Trial"],
        ),
    )
    fake.add_article(
        "2",
        make_article(
            "2",
            "Magnesium review",
            "Migraine.",
            year="2019",
            publication_types=["Review", "Retracted Publication"],
        ),
    )
    assert cli("fetch", "1", "2").exit_code == 0

    def pmids(*args: str) -> list[str]:
        return [s["pmid"] for s in json.loads(cli("studies", "list", "--json", *args).stdout)]

    assert pmids() == ["2", "1"]
    assert pmids("--search", "PAIN") == ["1"]
    assert pmids("--year", "2019") == ["2"]
    assert pmids("--type", "randomized controlled trial") == ["1"]
    assert pmids("--retracted") == ["2"]
    assert pmids("--level", "rct") == ["1"]
    listed = cli("studies", "list").stdout
    assert "RETRACTED" in listed.upper()
