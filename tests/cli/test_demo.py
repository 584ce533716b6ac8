"""`ldn-evidence demo`: offline, fresh SQLite, five claims linked to three references."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from typer.testing import CliRunner

from ldn_evidence.cli import app


def test_demo(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "demo"
    result = runner.invoke(app, ["demo", "--dir", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert f"Fresh SQLite database: {out / 'demo.db'}" in result.stderr
    for n in range(1, 6):
        assert f"│ {n} " in result.stdout
    assert result.stdout.count("PMID 23359310") == 5
    assert result.stdout.count("PMID 19453963") == 5
    assert result.stdout.count("lowdosenaltrexone.org") == 5
    rows = list(csv.DictReader(io.StringIO((out / "claims.csv").read_text("utf-8-sig"))))
    assert len(rows) == 15  # five claims × three references
    html = (out / "report.html").read_text("utf-8")
    assert "60% of patients reported a reduction in fibromyalgia symptoms" in html
    # a second run starts again from a fresh database
    again = runner.invoke(app, ["demo", "--dir", str(out)], catch_exceptions=False)
    assert again.exit_code == 0
    assert again.stdout.count("PMID 23359310") == 5
