"""`import-retractions`: output, one stderr line per bad row, and the flags it sets in
`studies show|list`, `claims show` and the report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Cli

SAMPLE = Path(__file__).parents[1] / "services" / "fixtures" / "retraction-watch-sample.csv"


@pytest.mark.slow
def test_import_flags_the_cited_studies(cli: Cli, seed_file: Path) -> None:
    assert cli("load", str(seed_file)).exit_code == 0
    result = cli("import-retractions", str(SAMPLE))
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 5  # one line per bad row
    assert lines[0] == f"{SAMPLE}, line 8: unknown RetractionNature 'Withdrawal'"
    assert all(f"{SAMPLE}, line " in line for line in lines)
    out = result.stdout
    assert "5 rows: 5 new, 0 updated, 0 unchanged; 5 bad rows skipped" in out
    assert "2 stored studies flagged" in out
    assert "PMID 23359310 [RETRACTED, CURATED (NOT FETCHED); cited by claims" in out
    assert "Retraction Watch: Retraction 2026-03-09 (record 61001; notice 10.1002/art.99999)" in out

    again = json.loads(cli("import-retractions", str(SAMPLE), "--json").stdout)
    assert (again["new"], again["unchanged"], again["bad_rows"]) == (0, 5, 5)
    assert [s["pmid"] for s in again["flagged_studies"]] == ["19453963", "23359310"]

    shown = json.loads(cli("studies", "show", "19453963", "--json").stdout)
    assert shown["flags"][0] == "expression of concern"
    assert [n["nature"] for n in shown["retraction_notices"]] == ["expression_of_concern"]
    text = cli("studies", "show", "23359310").stdout
    assert text.splitlines()[1].startswith("RETRACTED")
    assert "Retraction Watch: Retraction 2026-03-09" in text

    claim = json.loads(cli("claims", "show", "4", "--json").stdout)
    flags = {c["study"]["pmid"]: c["study"]["flags"] for c in claim["citations"] if c["study"]}
    assert "retracted" in flags["23359310"]
    assert "RETRACTED" in cli("claims", "show", "4").stdout

    retracted = json.loads(cli("studies", "list", "--retracted", "--json").stdout)
    assert [s["pmid"] for s in retracted] == ["23359310"]

    report = json.loads(cli("export", "-f", "json").stdout)
    assert report["summary"]["retracted_sources"] == 1


def test_a_missing_file_is_one_line(cli: Cli, tmp_path: Path) -> None:
    result = cli("import-retractions", str(tmp_path / "none.csv"))
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: {tmp_path / 'none.csv'}: no such file"
