"""claims list / studies list filters and sorting."""

from __future__ import annotations

import json
import re
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


@pytest.mark.slow
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


@pytest.mark.slow
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


def _on_terminal(monkeypatch: pytest.MonkeyPatch, rows: int = 5) -> None:
    """A (simulated) terminal with room for `rows` table rows."""
    import ldn_evidence.cli.claims
    import ldn_evidence.cli.studies

    for module in (ldn_evidence.cli.claims, ldn_evidence.cli.studies):
        monkeypatch.setattr(module, "on_terminal", lambda: True)
        monkeypatch.setattr(module, "screen_page", lambda _lines: rows)


def test_claims_list_on_a_terminal_shows_a_page_and_how_to_see_more(
    loaded: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    _on_terminal(monkeypatch, rows=5)
    result = loaded("claims", "list")
    assert result.exit_code == 0, result.output
    shown = [int(n) for n in re.findall(r"^│ (\d+) ", result.stdout, re.M)]
    assert shown == [1, 2, 3, 4, 5]
    last = result.stdout.rstrip("\n").splitlines()[-1]
    assert last == (
        "… 2 more claims: --offset 5 shows the next page, --limit N more at a time; "
        "--json or a pipe lists them all."
    )
    result = loaded("claims", "list", "--offset", "5")
    assert [int(n) for n in re.findall(r"^│ (\d+) ", result.stdout, re.M)] == [6, 7]
    assert "more claims" not in result.stdout
    result = loaded("claims", "list", "--limit", "2", "--offset", "1")
    assert [int(n) for n in re.findall(r"^│ (\d+) ", result.stdout, re.M)] == [2, 3]
    assert "… 4 more claims: --offset 3 shows" in result.stdout
    # --json on a terminal still lists every claim
    assert [c["id"] for c in json.loads(loaded("claims", "list", "--json").stdout)] == list(
        range(1, 8)
    )


def test_piped_lists_show_every_row_and_limit_offset_apply(loaded: Cli) -> None:
    result = loaded("claims", "list")
    assert [int(n) for n in re.findall(r"^│ (\d+) ", result.stdout, re.M)] == list(range(1, 8))
    assert "more claims" not in result.stdout
    assert _ids(loaded, "--limit", "3", "--offset", "2") == [3, 4, 5]
    assert _ids(loaded, "--offset", "10") == []
    studies = json.loads(loaded("studies", "list", "--json").stdout)
    paged = json.loads(loaded("studies", "list", "--json", "--offset", "1", "--limit", "1").stdout)
    assert paged == studies[1:2]


def test_studies_list_on_a_terminal_shows_a_page(
    loaded: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    total = len(json.loads(loaded("studies", "list", "--json").stdout))
    assert total > 1
    _on_terminal(monkeypatch, rows=1)
    result = loaded("studies", "list")
    assert result.exit_code == 0, result.output
    assert (
        result.stdout.rstrip("\n")
        .splitlines()[-1]
        .startswith(f"… {total - 1} more studies: --offset 1 shows the next page")
    )
