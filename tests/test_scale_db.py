"""benchmarks/scale_db.py: the generated scale database is a database the commands read."""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa
from typer.testing import CliRunner

from ldn_evidence.cli import app
from tests.conftest import shared_path


def test_scale_db_builds_cited_claims_on_renumbered_studies(tmp_path: Path) -> None:
    from benchmarks.scale_db import FIRST_PMID, build

    sources = sorted(shared_path("pubmed", "efetch").glob("*.xml"))
    url = f"sqlite:///{tmp_path / 'scale.db'}"
    build(url, studies=60, claims=250, templates=25, sources=sources)
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        pmids = conn.execute(sa.text("SELECT pmid FROM studies ORDER BY id")).scalars().all()
        count = conn.execute(sa.text("SELECT count(*) FROM claims")).scalar_one()
        cites = conn.execute(sa.text("SELECT count(*) FROM citations")).scalar_one()
        orphan = conn.execute(sa.text(
            "SELECT count(*) FROM citations c LEFT JOIN studies s ON s.id = c.study_id "
            "WHERE s.id IS NULL OR c.reference_id IS NULL"
        )).scalar_one()  # fmt: skip
        figures = conn.execute(sa.text(
            "SELECT text, figure_value FROM claims WHERE kind = 'figure'"
        )).all()  # fmt: skip
        sections = conn.execute(sa.text("SELECT count(*) FROM abstract_sections")).scalar_one()
        unstored = conn.execute(sa.text(  # a cited study without its export cells
            "SELECT count(DISTINCT c.study_id) FROM citations c "
            "LEFT JOIN study_cells x ON x.study_id = c.study_id WHERE x.study_id IS NULL"
        )).scalar_one()  # fmt: skip
        stored = conn.execute(sa.text("SELECT count(*) FROM study_cells")).scalar_one()
    engine.dispose()
    assert unstored == 0 and stored > 0
    assert pmids == [str(FIRST_PMID + i) for i in range(60)]
    assert count == 250
    assert cites == 250 + 25  # every tenth claim cites a second study
    assert orphan == 0
    assert figures and all(f"{v:g}%" in text for text, v in figures)
    assert sections > 0
    out = CliRunner().invoke(app, ["--db", url, "claims", "show", "7", "--json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["citations"][0]["study"]["pmid"].startswith("4")
