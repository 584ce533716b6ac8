"""The studies' stored export cells (`services.study_cells`) through every write path:
after each write the csv from SQL is the csv worked out from the views (the store holds
no stale cells), a cited study has its row and an uncited one none (import-xml fills
nothing for studies nobody cites)."""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa
import yaml

from ldn_evidence.db import read_scope
from ldn_evidence.export import render_chunks
from ldn_evidence.services.report_stream import report_stream
from tests.conftest import Cli
from tests.eutils_server import FakeEutils, make_article

CITED = ("23359310", "19453963")  # the seed's two cited studies


def assert_live(engine: sa.Engine) -> bytes:
    """The export from SQL with the store as it is equals the export worked out."""
    out = []
    for flat in (False, True):
        with read_scope(engine) as conn:
            stream = report_stream(conn=conn, flat=flat)
            out.append(b"".join(render_chunks(stream, "csv")))
    assert out[1] == out[0]
    return out[1]


def stored(engine: sa.Engine) -> dict[str, str]:
    """{PMID: stored cells} of the studies with a row."""
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT s.pmid, c.csv FROM study_cells c JOIN studies s ON s.id = c.study_id")
        )
        return {pmid: cells for pmid, cells in rows}


def ok(result) -> dict:  # type: ignore[no-untyped-def,type-arg]
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout) if result.stdout.strip().startswith("{") else {}


def test_load_fills_the_cited_and_a_changed_curated_study(
    cli: Cli, engine: sa.Engine, seed_file: Path, tmp_path: Path
) -> None:
    ok(cli("load", str(seed_file)))
    assert sorted(stored(engine)) == sorted(CITED)
    assert_live(engine)
    data = yaml.safe_load(seed_file.read_text(encoding="utf-8"))
    data["studies"][0]["authors"][0]["last_name"] = "Youngerman"
    data["studies"][0]["journal_iso"] = "Arthritis Rheum (changed)"
    changed = tmp_path / "changed.yaml"
    changed.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    ok(cli("load", str(changed)))
    assert "Youngerman" in stored(engine)["23359310"]
    assert b"Arthritis Rheum (changed)" in assert_live(engine)


def test_fetch_replacing_and_refreshing_a_cited_study(
    cli: Cli, engine: sa.Engine, fake: FakeEutils, seed_file: Path
) -> None:
    ok(cli("load", str(seed_file)))
    for pmid in CITED:
        fake.add_article(pmid, make_article(pmid, f"Fetched {pmid}", "Thirty-one women."))
    ok(cli("fetch", "--missing", "--json"))  # store_article: curated → efetch
    assert "Fetched 23359310" in stored(engine)["23359310"]
    assert_live(engine)
    fake.add_article(CITED[0], make_article(CITED[0], "Corrected title", "Forty men."))
    ok(cli("fetch", CITED[0], "--refresh", "--json"))
    assert "Corrected title" in stored(engine)[CITED[0]]
    assert b"Corrected title" in assert_live(engine)


def test_fetch_of_an_uncited_study_stores_no_cells_until_cited(
    cli: Cli, engine: sa.Engine, fake: FakeEutils, seed_file: Path
) -> None:
    ok(cli("load", str(seed_file)))
    fake.add_article("777", make_article("777", "An uncited trial", "Ten adults."))
    ok(cli("fetch", "777", "--json"))
    assert "777" not in stored(engine)
    claim_id = _a_claim(engine)
    ok(cli("claims", "cite", str(claim_id), "777"))  # a reviewer cites it
    assert "An uncited trial" in stored(engine)["777"]
    assert b"An uncited trial" in assert_live(engine)


def test_import_xml_rewrites_cited_studies_only(
    cli: Cli, engine: sa.Engine, seed_file: Path, tmp_path: Path
) -> None:
    ok(cli("load", str(seed_file)))
    xml = tmp_path / "records.xml"
    articles = make_article(CITED[1], "Imported pilot", "Ten women.") + make_article(
        "888", "Imported, not cited", "Twelve men."
    )
    xml.write_bytes(b"<PubmedArticleSet>" + articles + b"</PubmedArticleSet>")
    ok(cli("import-xml", str(xml)))
    cells = stored(engine)
    assert "Imported pilot" in cells[CITED[1]] and "888" not in cells
    assert b"Imported pilot" in assert_live(engine)


def test_import_xml_attaching_a_cited_pmid_fills_it(
    cli: Cli, engine: sa.Engine, tmp_path: Path
) -> None:
    """A page citing a PMID not yet stored: the import that stores it attaches the
    reference and its citation (`bulk_links.attach_studies`), and stores its cells."""
    page = tmp_path / "page.yaml"
    page.write_text(
        yaml.safe_dump(
            {
                "format": "ldn-evidence/1",
                "document": {"title": "A page", "text": "LDN helps.[1]"},
                "references": [{"id": "r1", "raw": "PMID 999", "kind": "pubmed", "pmid": "999"}],
                "claims": [{"text": "LDN helps.", "kind": "effect", "cites": ["r1"]}],
            }
        ),
        encoding="utf-8",
    )
    ok(cli("load", str(page)))
    assert not stored(engine)
    xml = tmp_path / "records.xml"
    xml.write_bytes(
        b"<PubmedArticleSet>" + make_article("999", "Attached", "Nine.") + b"</PubmedArticleSet>"
    )
    ok(cli("import-xml", str(xml)))
    assert "Attached" in stored(engine)["999"]
    assert b"Attached" in assert_live(engine)


def test_fetch_attaching_a_cited_pmid_fills_it(
    cli: Cli, engine: sa.Engine, fake: FakeEutils, seed_file: Path
) -> None:
    """`fetch` of a PMID a stored reference names: `linking.attach_studies` (the ORM path)."""
    ok(cli("load", str(seed_file)))
    with engine.begin() as conn:  # the curated pilot study goes; its reference stays
        conn.execute(sa.text("DELETE FROM studies WHERE pmid = :p"), {"p": CITED[1]})
    assert sorted(stored(engine)) == [CITED[0]]  # its row went with it (ON DELETE CASCADE)
    assert_live(engine)
    fake.add_article(CITED[1], make_article(CITED[1], "Fetched pilot", "Ten women."))
    ok(cli("fetch", CITED[1], "--json"))
    assert "Fetched pilot" in stored(engine)[CITED[1]]
    assert b"Fetched pilot" in assert_live(engine)


def test_verify_and_export_write_no_cells(cli: Cli, engine: sa.Engine, seed_file: Path) -> None:
    ok(cli("load", str(seed_file)))
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM study_cells"))
    ok(cli("verify"))
    ok(cli("export", "-f", "csv"))
    assert not stored(engine)
    assert_live(engine)


def _a_claim(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.text("SELECT min(id) FROM claims")).scalar_one())


def test_db_upgrade_stores_what_is_missing_or_stale(
    cli: Cli, engine: sa.Engine, seed_file: Path
) -> None:
    """A database upgraded to the store (or whose rows another version made) gets its
    cited studies' cells from `db upgrade`, which is safe to repeat."""
    ok(cli("load", str(seed_file)))
    with engine.begin() as conn:
        conn.execute(
            sa.text("DELETE FROM study_cells WHERE study_id = (SELECT min(id) FROM studies)")
        )
        conn.execute(sa.text("UPDATE study_cells SET basis = 'another version'"))
    result = cli("db", "upgrade")
    assert result.exit_code == 0 and "already at" in result.stdout
    assert "Stored the export cells of 2 cited studies." in result.stderr
    assert sorted(stored(engine)) == sorted(CITED)
    assert_live(engine)
    again = cli("db", "upgrade")
    assert again.exit_code == 0 and "Stored" not in again.stderr


def test_a_row_stored_meanwhile_is_written_over(
    cli: Cli, engine: sa.Engine, seed_file: Path
) -> None:
    """Another command's row for the same study (stored after this one deleted the old):
    written over, not a unique-key failure."""
    from ldn_evidence.services import study_cells

    ok(cli("load", str(seed_file)))
    with engine.begin() as conn:
        study_id, basis = conn.execute(sa.text("SELECT study_id, basis FROM study_cells")).first()
        conn.execute(sa.text("UPDATE study_cells SET csv = 'other'"))
        new = {"study_id": study_id, "basis": basis, "pmid": "1", "csv": "mine", "derived": "[]"}
        conn.execute(study_cells._upsert(conn), [new])
        assert (
            conn.execute(
                sa.text("SELECT csv FROM study_cells WHERE study_id = :i"), {"i": study_id}
            ).scalar_one()
            == "mine"
        )


# A value of every watched column (`tables.STORE_WATCHED` but the id) that differs from the
# study's, on SQLite and PostgreSQL alike (within each column's length and checks).
_CHANGED = {
    "pmid": "pmid || '9'",
    "doi": "COALESCE(doi, '') || 'x'",
    "pmcid": "COALESCE(pmcid, '') || 'x'",
    "pub_year": "COALESCE(pub_year, 0) + 1",
    "evidence_level": "CASE evidence_level WHEN 'rct' THEN 'case_report' ELSE 'rct' END",
    "retracted": "NOT retracted",
    "origin": "CASE origin WHEN 'curated' THEN 'file' ELSE 'curated' END",
    "raw_sha256": "CASE raw_sha256 WHEN 'changed' THEN NULL ELSE 'changed' END",
}


def _rows(engine: sa.Engine) -> dict[str, set[int]]:
    with engine.connect() as conn:
        return {
            table: set(conn.execute(sa.text(f"SELECT study_id FROM {table}")).scalars())
            for table in ("study_cells", "study_json")
        }


def test_the_database_deletes_a_studys_rows_when_a_watched_value_changes(
    cli: Cli, engine: sa.Engine, seed_file: Path
) -> None:
    """Whatever writes it (here plain SQL), a change to a value the rows were made with
    deletes the study's rows in both tables (the trigger of revision 0009), and nothing
    else does: so an export that reads a fresh row never reads the study itself."""
    from ldn_evidence.models.tables import STORE_WATCHED

    assert set(_CHANGED) == set(STORE_WATCHED) - {"id"}
    ok(cli("load", str(seed_file)))
    with engine.connect() as conn:
        ids = dict(conn.execute(sa.text("SELECT pmid, id FROM studies")).tuples().all())
    both = {ids[pmid] for pmid in CITED}
    assert _rows(engine) == {"study_cells": both, "study_json": both}
    with engine.begin() as conn:  # values the rows were not made with: kept
        conn.execute(sa.text("UPDATE studies SET fetched_at = NULL, curation_note = 'n'"))
        conn.execute(sa.text("UPDATE studies SET evidence_level = evidence_level"))
    assert _rows(engine) == {"study_cells": both, "study_json": both}
    first, second = (ids[pmid] for pmid in CITED)
    for column, value in _CHANGED.items():
        ok(cli("db", "upgrade"))  # stores the rows again
        assert _rows(engine) == {"study_cells": both, "study_json": both}, column
        with engine.begin() as conn:
            conn.execute(sa.text(f"UPDATE studies SET {column} = {value} WHERE id = {first}"))
        assert _rows(engine) == {"study_cells": {second}, "study_json": {second}}, column
        assert_live(engine)
