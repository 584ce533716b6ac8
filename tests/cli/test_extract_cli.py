"""`extract`: pages → claims, references, resolution through a local E-utilities server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Cli, count_rows, shared_path
from tests.eutils_server import FakeEutils, Fault, make_article

PAGES = Path(__file__).parent / "pages"
T2013 = (
    "Low-dose naltrexone for the treatment of fibromyalgia: findings of a small, "
    "randomized, double-blind, placebo-controlled, counterbalanced, crossover trial "
    "assessing daily pain levels."
)
T2009 = "Fibromyalgia symptoms are reduced by low-dose naltrexone: a pilot study."


def _seed_server(fake: FakeEutils) -> None:
    fake.add_article("23359310", make_article("23359310", T2013, "Thirty-one women took part."))
    fake.add_article("19453963", make_article("19453963", T2009, "Ten women took part."))
    fake.add_title(T2009, ["19453963"])


SEED_FRAGMENTS = [
    "appears to work via “boosting” or “priming” the immune system",
    "such as endorphins and enkephalins",
    "marked increase in beta-endorphin blood levels",
    "60% of patients reported a reduction in fibromyalgia symptoms",
    "improved pain scored by nearly 30%",
]


@pytest.mark.slow
def test_seed_page(cli: Cli, fake: FakeEutils, db_url: str) -> None:
    page = shared_path("seed", "ldn-fibromyalgia-part2.txt")
    _seed_server(fake)
    result = cli("extract", str(page), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    texts = [c["text"] for c in data["claims"]]
    for fragment in SEED_FRAGMENTS:
        assert any(fragment in t for t in texts), fragment
    assert not any("DISCLAIMER" in t or "813-551-1165" in t or "check back" in t for t in texts)
    refs = data["references"]
    assert len(refs) == 3
    by_kind = {r["kind"]: r for r in refs}
    assert by_kind["pubmed"]["pmid"] == "23359310"
    assert by_kind["title"]["pmid"] == "19453963" and by_kind["title"]["status"] == "resolved"
    assert by_kind["web"]["url"].startswith("http://www.lowdosenaltrexone.org")
    assert sorted(data["fetch"]["new"]) == ["19453963", "23359310"]
    assert count_rows(db_url, "studies") == 2
    sixty = next(c for c in data["claims"] if "60%" in c["text"])
    assert sixty["figure"]["value"] == 60 and not sixty["unsourced"]
    shown = json.loads(cli("claims", "show", "4", "--json").stdout)
    assert {c["origin"] for c in shown["citations"]} == {"page"}
    # the same page again changes nothing, and asks nothing of PubMed
    before = len(fake.requests)
    again = cli("extract", str(page))
    assert again.exit_code == 0 and "unchanged" in again.stdout
    assert len(fake.requests) == before


@pytest.mark.slow
def test_footnoted_html_page(cli: Cli, fake: FakeEutils) -> None:
    fake.add_article(
        "1111111",
        make_article("1111111", "Oral magnesium for migraine prevention: a randomized trial."),
    )
    fake.add_article(
        "2222222",
        make_article("2222222", "Magnesium and migraine attacks in adults.", doi="10.1000/mg.2"),
    )
    fake.add_doi("10.1000/mg.2", "2222222")
    result = cli(
        "extract",
        str(PAGES / "magnesium.html"),
        "--url",
        "https://pharmacy.example/magnesium",
        "--json",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["document"]["title"] == "Magnesium for migraine"
    texts = " ".join(c["text"] for c in data["claims"])
    assert "90% of readers" not in texts and "hacked" not in texts and "Home" not in texts
    assert {r["pmid"] for r in data["references"]} >= {"1111111", "2222222"}
    first = next(c for c in data["claims"] if "nearly half" in c["text"])
    second = next(c for c in data["claims"] if "8 of 10" in c["text"])
    assert [x["how"] for x in first["cites"]] == ["marker"]
    assert len(second["cites"]) == 1 and second["cites"] != first["cites"]


def test_no_references_flags_unsourced(cli: Cli, fake: FakeEutils) -> None:
    result = cli("extract", str(PAGES / "no-references.txt"), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    claim = next(c for c in data["claims"] if "45%" in c["text"])
    assert claim["unsourced"] is True
    listed = json.loads(cli("claims", "list", "--json").stdout)
    assert any(c["unsourced"] for c in listed)
    assert not any("Ask our pharmacist" in c["text"] for c in listed)
    assert fake.requests == []


def test_dry_run_writes_nothing(cli: Cli, fake: FakeEutils, db_url: str) -> None:
    page = shared_path("seed", "ldn-fibromyalgia-part2.txt")
    _seed_server(fake)
    result = cli("extract", str(page), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "nothing stored" in result.stdout
    for table in ("source_documents", "claims", "references", "studies"):
        assert count_rows(db_url, table) == 0


def test_changed_page_is_a_new_version(cli: Cli, fake: FakeEutils, tmp_path: Path) -> None:
    page = tmp_path / "p.txt"
    page.write_text("Zinc shortened colds by 33% in adults.\n", encoding="utf-8")
    first = json.loads(
        cli("extract", str(page), "--url", "https://x.example/zinc", "--json").stdout
    )
    page.write_text("Zinc shortened colds by 40% in adults.\n", encoding="utf-8")
    second = json.loads(
        cli("extract", str(page), "--url", "https://x.example/zinc", "--json").stdout
    )
    assert first["status"] == "new" and second["status"] == "new version"
    assert second["document"]["version"] == 2
    assert second["document"]["id"] != first["document"]["id"]
    assert len(json.loads(cli("claims", "list", "--json").stdout)) == 2  # old kept


@pytest.mark.slow
def test_network_failure_leaves_reference_unresolved(
    cli: Cli, fake: FakeEutils, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LDN_EVIDENCE_HTTP_RETRIES", "1")
    page = shared_path("seed", "ldn-fibromyalgia-part2.txt")
    fake.inject(Fault.http(500, utility="esearch"), Fault.http(500, utility="esearch"))
    result = cli("extract", str(page), "--no-fetch", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    title_ref = next(r for r in data["references"] if r["kind"] == "title")
    assert title_ref["status"] == "failed" and "esearch" in title_ref["error"]
    assert not any(r.utility == "efetch" for r in fake.requests)


@pytest.mark.slow
def test_ambiguous_title_is_never_guessed(cli: Cli, fake: FakeEutils, tmp_path: Path) -> None:
    page = tmp_path / "p.txt"
    page.write_text(
        "Zinc shortened colds by 33%.\n\nReferences\n\n"
        "Zinc lozenges and the common cold: a trial.\n",
        encoding="utf-8",
    )
    fake.add_article("10", make_article("10", "Zinc lozenges and the common cold: a trial"))
    fake.add_article("11", make_article("11", "Zinc lozenges and the common cold: a trial."))
    fake.add_title("Zinc lozenges and the common cold: a trial", ["10", "11"])
    data = json.loads(cli("extract", str(page), "--json").stdout)
    ref = data["references"][0]
    assert ref["status"] == "ambiguous" and sorted(ref["candidates"]) == ["10", "11"]
    assert ref["pmid"] is None


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02binary\xff\xfe" * 100, "binary"),
    ],
)
def test_bad_pages(
    cli: Cli, fake: FakeEutils, tmp_path: Path, content: bytes, fragment: str
) -> None:
    page = tmp_path / "bad.html"
    page.write_bytes(content)
    result = cli("extract", str(page))
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert fragment in result.stderr.lower()


def test_huge_page_refused(cli: Cli, fake: FakeEutils, tmp_path: Path) -> None:
    page = tmp_path / "huge.html"
    page.write_bytes(b"<p>" + b"x" * (6 * 1024 * 1024) + b"</p>")
    result = cli("extract", str(page))
    assert result.exit_code == 1 and "too large" in result.stderr


def test_stdin(cli: Cli, fake: FakeEutils) -> None:
    result = cli("extract", "-", "--json", input="Ginger eased nausea in 70% of women.\n")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["claims"][0]["figure"]["value"] == 70


OWN_PAGES = Path(__file__).parents[1] / "pages"


@pytest.mark.slow
def test_a_dry_run_asks_pubmed_nothing_unless_told_to_resolve(
    cli: Cli, fake: FakeEutils, db_url: str
) -> None:
    title = "Zinc acetate lozenges for the common cold: a randomized, double-blind trial"
    fake.add_article("3333333", make_article("3333333", title + "."))
    fake.add_title(title, ["3333333"])
    page = str(OWN_PAGES / "zinc-colds.txt")
    quiet = cli("extract", page, "--dry-run", "--json")
    assert quiet.exit_code == 0, quiet.output
    assert fake.requests == []
    data = json.loads(quiet.stdout)
    first = data["references"][0]
    assert (first["status"], first["pmid"]) == ("unresolved", None)
    assert "--resolve" in first["error"]
    asked = cli("extract", page, "--dry-run", "--resolve", "--json")
    assert asked.exit_code == 0, asked.output
    resolved = json.loads(asked.stdout)
    assert resolved["references"][0]["pmid"] == "3333333"
    assert "esearch" in [r.utility for r in fake.requests]
    assert resolved.keys() == data.keys()
    assert [r.keys() for r in resolved["references"]] == [r.keys() for r in data["references"]]
    for table in ("source_documents", "references", "studies"):
        assert count_rows(db_url, table) == 0


@pytest.mark.slow
def test_no_network_is_said_in_one_line_within_seconds(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    from tests.helpers.network import pubmed_unreachable

    pubmed_unreachable(monkeypatch)  # the default policy: 5 retries, backoff from 1 s
    start = time.monotonic()
    result = cli("extract", str(OWN_PAGES / "zinc-colds.txt"), "--json")
    assert time.monotonic() - start < 5
    assert result.exit_code == 0, result.output
    refs = json.loads(result.stdout)["references"]
    assert [r["status"] for r in refs] == ["failed", "failed"]
    assert all("cannot be reached (connection refused" in r["error"] for r in refs)
    warning = result.stderr.strip().splitlines()
    assert len(warning) == 1 and warning[0].startswith("warning: 2 references not resolved")
    start = time.monotonic()
    fetched = cli("fetch", "23359310")
    assert time.monotonic() - start < 5
    assert fetched.exit_code == 3
    assert len(fetched.stderr.strip().splitlines()) == 1
    assert "cannot be reached (connection refused" in fetched.stderr


@pytest.mark.slow
def test_unmarked_claims_on_a_page_that_marks_claims_are_unsourced(
    cli: Cli, fake: FakeEutils
) -> None:
    fake.add_article(
        "1111111",
        make_article(
            "1111111",
            "Magnesium supplementation and sleep quality in older adults: a randomized trial.",
            "Sleep quality scores improved by 17% with magnesium. Fewer than 10% of "
            "participants slept better with placebo.",
        ),
    )
    result = cli("extract", str(OWN_PAGES / "magnesium-sleep.html"), "--json")
    assert result.exit_code == 0, result.output
    claims = {c["text"][:12]: c for c in json.loads(result.stdout)["claims"]}
    for unmarked in ("Up to 90% of", "1 in 4 adult"):
        assert claims[unmarked]["cites"] == [] and claims[unmarked]["unsourced"] is True
    assert claims["In a randomi"]["cites"] == [{"reference": 1, "how": "marker"}]
    listed = json.loads(cli("claims", "list", "--unsourced", "--json").stdout)
    assert sorted(c["text"][:12] for c in listed) == ["1 in 4 adult", "Up to 90% of"]
    assert all(c["citations"] == 0 for c in listed)
    verified = json.loads(cli("verify", "--json").stdout)
    rated = {r["claim_id"] for r in verified["citations"]}
    assert not rated & {c["id"] for c in listed}  # never rated against another claim's study
    assert {c["id"] for c in listed} <= set(verified["claims_without_study"])
