"""`ldn-evidence export` through typer's CliRunner on the export database."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import rispy
from typer.testing import CliRunner

from ldn_evidence.cli import app
from ldn_evidence.cli.export import ExportFormat, Verdict
from ldn_evidence.export import FORMATS
from ldn_evidence.models import VERDICTS
from tests.export.hostile import ExportDb


def _run(db: ExportDb, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["--db", db.url, "export", *args], catch_exceptions=False)


def test_choices_mirror_the_library() -> None:
    assert tuple(f.value for f in ExportFormat) == FORMATS
    assert tuple(v.value for v in Verdict) == VERDICTS


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.slow
def test_every_format_to_stdout(export_db: ExportDb, fmt: str) -> None:
    result = _run(export_db, "--format", fmt)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip()
    assert result.stderr == ""


def test_json_filters(export_db: ExportDb) -> None:
    result = _run(
        export_db,
        "-f",
        "json",
        "--claim",
        str(export_db.formula_claim_id),
        "--claim",
        str(export_db.script_claim_id),
        "--verdict",
        "supported",
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["filters"]["claim_ids"] == [export_db.formula_claim_id, export_db.script_claim_id]
    assert data["filters"]["verdict"] == "supported"
    (doc,) = data["documents"]
    assert [c["id"] for c in doc["claims"]] == [export_db.formula_claim_id]


def test_document_and_pmid_filters(export_db: ExportDb) -> None:
    result = _run(
        export_db, "-f", "ris", "--document", str(export_db.seed_document_id), "--pmid", "23359310"
    )
    assert result.exit_code == 0, result.stderr
    assert [e["accession_number"] for e in rispy.loads(result.stdout)] == ["23359310"]


def test_output_file_and_status_line(export_db: ExportDb, tmp_path: Path) -> None:
    out = tmp_path / "reports" / "claims.csv"
    out.parent.mkdir()
    out.write_text("old content")
    result = _run(export_db, "-f", "csv", "--excel", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Wrote csv (10 claims,")
    assert lines[0].endswith(f"to {out}")
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert len(rows) == 22
    assert sorted(p.name for p in out.parent.iterdir()) == ["claims.csv"]  # no temp file


def test_output_bibliography_status_counts_studies(export_db: ExportDb, tmp_path: Path) -> None:
    out = tmp_path / "refs.bib"
    result = _run(export_db, "-f", "bibtex", "-o", str(out))
    assert result.exit_code == 0
    assert result.stderr.startswith("Wrote bibtex (5 studies,")
    assert out.read_text(encoding="utf-8").count("@article{") == 5


def test_unwritable_output_is_one_line_exit_1(export_db: ExportDb, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    result = _run(export_db, "-f", "html", "-o", str(blocker / "report.html"))
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: cannot write {blocker / 'report.html'}")
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".tmp") == []


def test_output_is_a_directory(export_db: ExportDb, tmp_path: Path) -> None:
    result = _run(export_db, "-f", "json", "-o", str(tmp_path))
    assert result.exit_code == 2  # a usage error: the option takes a file
    assert "is a directory" in result.stderr


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["-f", "xml"], 2, "Invalid value for '--format'"),
        (["-f", "csv", "--verdict", "maybe"], 2, "Invalid value for '--verdict'"),
        (["-f", "html", "--excel"], 2, "--excel applies to --format csv only"),
        (["-f", "csv", "--claim", "x"], 2, "Invalid value for '--claim'"),
        ([], 2, "Missing option '--format'"),
        (["-f", "csv", "--document", "999"], 1, "Error: no document with id 999"),
        (["-f", "csv", "--claim", "999"], 1, "Error: no claim with id 999"),
        (["-f", "csv", "--pmid", "1"], 1, "Error: no study or reference with PMID 1"),
        (["-f", "csv", "--pmid", "abc"], 1, "Error: not a PMID: 'abc'"),
    ],
)
def test_errors(export_db: ExportDb, args: list[str], code: int, message: str) -> None:
    result = _run(export_db, *args)
    assert result.exit_code == code, result.output
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    if code == 1:
        assert len(result.stderr.splitlines()) == 1


def test_format_is_case_insensitive(export_db: ExportDb) -> None:
    result = _run(export_db, "--format", "CSLJSON")
    assert result.exit_code == 0
    assert json.loads(result.stdout)[0]["PMID"] == "23359310"
