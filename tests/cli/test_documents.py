"""`documents list|show` on the seed dataset: counts, references, claims in page order."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli

SEED_TITLE = "Low Dose Naltrexone (LDN), part 2: how it works, and fibromyalgia"


def _ok(result: Any) -> Any:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _seeded(cli: Cli, seed_file: Path) -> dict[str, Any]:
    _ok(cli("load", str(seed_file), "--json"))
    (doc,) = _ok(cli("documents", "list", "--json"))
    return dict(doc)


def test_list_on_the_seed(cli: Cli, seed_file: Path) -> None:
    assert _ok(cli("documents", "list", "--json")) == []
    doc = _seeded(cli, seed_file)
    assert doc["title"] == SEED_TITLE
    assert doc["url"] is None and doc["version"] == 1 and doc["retrieved_at"] is None
    assert doc["publisher"] == "Trinova Health"
    assert (doc["claims"], doc["references"], doc["unsourced_claims"]) == (5, 3, 0)
    table = cli("documents", "list")
    assert table.exit_code == 0 and "Low Dose Naltrexone" in table.stdout


@pytest.mark.slow
def test_unsourced_claims_are_counted(cli: Cli, seed_file: Path) -> None:
    doc = _seeded(cli, seed_file)
    added = _ok(
        cli(
            "claims",
            "add",
            "Sleep improved by 40%.",
            "--document",
            str(doc["id"]),
            "--figure",
            "40%",
            "--json",
        )
    )
    _ok(cli("claims", "add", "LDN is gentle.", "--document", str(doc["id"]), "--json"))
    (row,) = _ok(cli("documents", "list", "--json"))
    assert (row["claims"], row["unsourced_claims"]) == (7, 1)
    shown = _ok(cli("documents", "show", str(doc["id"]), "--json"))
    assert shown["unsourced_claims"] == 1
    assert [c["id"] for c in shown["claims"] if c["unsourced"]] == [added["id"]]
    # Citing a study for it makes it sourced.
    _ok(cli("claims", "cite", str(added["id"]), "23359310", "--json"))
    (row,) = _ok(cli("documents", "list", "--json"))
    assert row["unsourced_claims"] == 0


def test_show_the_seed_document(cli: Cli, seed_file: Path) -> None:
    doc = _seeded(cli, seed_file)
    data = _ok(cli("documents", "show", str(doc["id"]), "--json"))
    assert data["id"] == doc["id"] and data["title"] == SEED_TITLE
    refs = data["references"]
    assert [(r["position"], r["kind"], r["status"], r["resolved_pmid"]) for r in refs] == [
        (1, "pubmed", "resolved", "23359310"),
        (2, "title", "resolved", "19453963"),
        (3, "web", "web", None),
    ]
    assert all(r["error"] is None and r["candidates"] is None for r in refs)
    assert [r["study_stored"] for r in refs] == [True, True, False]
    claims = data["claims"]
    assert [c["position"] for c in claims] == [1, 2, 3, 4, 5]
    assert claims[3]["text"].startswith("In one trial, for example, 60% of patients")
    assert all(c["citations"] == 3 and c["verdicts"] == ["unchecked"] for c in claims)
    # A reviewer's verdict shows up in the claim's verdicts.
    _ok(
        cli(
            "claims",
            "check",
            str(claims[3]["id"]),
            "19453963",
            "--verdict",
            "not_supported",
            "--by",
            "J. Doe",
            "--json",
        )
    )
    again = _ok(cli("documents", "show", str(doc["id"]), "--json"))
    assert again["claims"][3]["verdicts"] == ["not_supported", "unchecked"]
    table = cli("documents", "show", str(doc["id"]))
    assert table.exit_code == 0
    for text in ("Document", "References", "Claims", "pubmed", "23359310", "web"):
        assert text in table.stdout


def test_show_unknown_document(cli: Cli) -> None:
    result = cli("documents", "show", "99")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.strip() == "Error: no document with id 99"
    assert cli("documents", "show", "first").exit_code == 2


def test_documents_help(cli: Cli) -> None:
    for args in (
        ("documents", "--help"),
        ("documents", "list", "--help"),
        ("documents", "show", "--help"),
    ):
        result = cli(*args)
        assert result.exit_code == 0 and "document" in result.stdout.lower()
