"""`ldn-evidence import-xml`: streaming, chunks, resume, DeleteCitation, faults, --jobs."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from ldn_evidence.db import session_scope
from ldn_evidence.models import Citation, Claim, Study
from tests.conftest import Cli, shared_path
from tests.helpers.studies import dump, wipe

START = 60_000_000


def generated(tmp_path: Path, n: int, *, start: int = START, name: str = "", tail: bytes = b""):  # type: ignore[no-untyped-def]
    """A baseline-format file of `n` real records (the efetch samples) re-numbered."""
    from benchmarks.generate import generate

    sources = sorted(shared_path("pubmed", "efetch").glob("*.xml"))
    return generate(tmp_path / (name or f"gen_{start}_{n}.xml"), n, sources, start=start, tail=tail)


def summaries(result) -> list[dict]:  # type: ignore[no-untyped-def]
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def count(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.text("SELECT count(*) FROM studies")).scalar_one()


@pytest.mark.slow
def test_import_then_rerun_skips_what_is_stored(cli: Cli, engine, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = generated(tmp_path, 230)
    (first,) = summaries(cli("import-xml", "--chunk-size", "100", "--json", str(path)))
    assert (first["new"], first["updated"], first["unchanged"]) == (230, 0, 0)
    assert first["records_per_second"] > 0
    (again,) = summaries(cli("import-xml", "--json", str(path)))
    assert (again["new"], again["updated"], again["unchanged"]) == (0, 0, 230)
    assert count(engine) == 230


def test_progress_line_per_file(cli: Cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = generated(tmp_path, 12)
    result = cli("import-xml", str(path))
    assert result.exit_code == 0
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"{path}: 12 records (12 new, 0 updated, 0 unchanged), 0 deleted in ")
    assert line.endswith(" records/s)")


def test_delete_citation_applied_in_order_and_cited_studies_kept(
    cli: Cli, engine, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    base = generated(tmp_path, 12)
    summaries(cli("import-xml", "--json", str(base)))
    with session_scope(engine) as s:
        study = s.scalars(sa.select(Study).where(Study.pmid == str(START + 1))).one()
        s.add(Citation(claim=Claim(text="cited"), study=study))
    gone = [START, START + 1, START + 2, START + 10, 99_999_999]
    block = "".join(f'<PMID Version="1">{p}</PMID>' for p in gone)
    # Two revised records, then the DeleteCitation block (which deletes one of them).
    update = generated(
        tmp_path,
        2,
        start=START + 10,
        name="update.xml",
        tail=f"<DeleteCitation>{block}</DeleteCitation>\n".encode(),
    )
    (s,) = summaries(cli("import-xml", "--json", str(update)))
    assert (s["updated"], s["deleted"], s["kept_cited"]) == (2, 3, [str(START + 1)])
    with engine.connect() as conn:
        pmids = set(conn.execute(sa.text("SELECT pmid FROM studies")).scalars())
    assert pmids == {str(START + i) for i in range(12)} - {
        str(p) for p in (START, START + 2, START + 10)
    }


def test_malformed_file_keeps_earlier_chunks_and_exits_1(cli: Cli, engine, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = generated(tmp_path, 250, tail=b"<PubmedArticle><MedlineCitation></PubmedArticle>\n")
    result = cli("import-xml", "--chunk-size", "100", str(path))
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"Error: {path}, line ")
    assert "malformed XML" in line and "kept the 250 records before it" in line
    assert count(engine) == 250


@pytest.mark.slow  # worker processes
def test_jobs_2_gives_the_same_result_as_jobs_1(cli: Cli, engine, tmp_path) -> None:  # type: ignore[no-untyped-def]
    block = f'<DeleteCitation><PMID Version="1">{START + 1}</PMID></DeleteCitation>\n'.encode()
    files = [
        generated(tmp_path, 150),
        generated(tmp_path, 40, start=START + 100, name="upd.xml", tail=block),
        generated(tmp_path, 70, start=START + 500),
    ]
    args = ["import-xml", "--json", "--chunk-size", "32", *map(str, files)]
    one = summaries(cli(*args))
    by_one = dump(engine)
    wipe(engine)
    two = summaries(cli(*args[:1], "--jobs", "2", *args[1:]))
    assert dump(engine) == by_one
    keys = ("file", "new", "updated", "unchanged", "deleted")
    assert [{k: x[k] for k in keys} for x in two] == [{k: x[k] for k in keys} for x in one]
    assert [x["deleted"] for x in one] == [0, 1, 0]


@pytest.mark.slow  # worker processes
def test_jobs_2_reports_a_malformed_file(cli: Cli, engine, tmp_path) -> None:  # type: ignore[no-untyped-def]
    good = generated(tmp_path, 30)
    bad = generated(tmp_path, 20, start=START + 100, tail=b"<PubmedArticle>\n")
    result = cli("import-xml", "--jobs", "2", str(good), str(bad))
    assert result.exit_code == 1
    (error,) = [x for x in result.stderr.splitlines() if x.startswith("Error:")]
    assert error.startswith(f"Error: {bad}, line ") and "kept the 20 records" in error
    assert count(engine) == 50


@pytest.mark.slow  # SIGKILLs a subprocess
def test_sigkill_mid_file_then_rerun_resumes(db_url: str, engine, tmp_path) -> None:  # type: ignore[no-untyped-def]
    total, chunk = 2000, 100
    path = generated(tmp_path, total)
    cmd = [sys.executable, "-m", "ldn_evidence", "--db", db_url, "import-xml"]
    proc = subprocess.Popen(
        [*cmd, "--chunk-size", str(chunk), str(path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    while count(engine) < 3 * chunk and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read() if proc.stderr else ""
    stored = count(engine)
    assert 0 < stored < total, "the import was not interrupted mid-file"
    assert stored % chunk == 0  # one transaction per chunk: whole chunks or nothing
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar_one() == "ok"
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        assert conn.execute(sa.text("SELECT count(DISTINCT pmid) FROM studies")).scalar_one() == (
            stored
        )
        before = dict(conn.execute(sa.text("SELECT pmid, fetched_at FROM studies")).all())
    (s,) = summaries(Cli(db_url)("import-xml", "--json", str(path)))
    assert (s["new"], s["updated"], s["unchanged"]) == (total - stored, 0, stored)
    with engine.connect() as conn:
        after = dict(conn.execute(sa.text("SELECT pmid, fetched_at FROM studies")).all())
    assert len(after) == total
    assert {p: after[p] for p in before} == before  # the earlier ones untouched
    complete = dump(engine)
    wipe(engine)
    summaries(Cli(db_url)("import-xml", "--json", str(path)))
    assert dump(engine) == complete  # resumed = imported in one go


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_missing_file_is_refused_before_anything_is_read(cli: Cli, engine, tmp_path, jobs) -> None:  # type: ignore[no-untyped-def]
    path = generated(tmp_path, 5)
    result = cli("import-xml", "--jobs", jobs, str(path), str(tmp_path / "nope.xml"))
    assert result.exit_code == 1
    assert result.stderr == f"Error: {tmp_path / 'nope.xml'}: no such file\n"
    assert count(engine) == 0


def test_import_points_references_at_the_new_studies(cli: Cli, engine, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from ldn_evidence.models import Reference

    with session_scope(engine) as s:
        s.add(Reference(raw="ref a", kind="pubmed", pmid=str(START + 3), status="not_found"))
        s.add(Reference(raw="ref b", kind="pubmed", pmid="99999998", status="unresolved"))
    path = generated(tmp_path, 8)
    summaries(cli("import-xml", "--chunk-size", "3", "--json", str(path)))
    with session_scope(engine) as s:
        refs = {r.raw: r for r in s.scalars(sa.select(Reference))}
        study = s.scalars(sa.select(Study).where(Study.pmid == str(START + 3))).one()
        assert (refs["ref a"].study_id, refs["ref a"].status) == (study.id, "resolved")
        assert (refs["ref b"].study_id, refs["ref b"].status) == (None, "unresolved")


def test_the_collector_runs_rarely_while_importing_and_as_before_after(
    cli: Cli, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    import gc

    from ldn_evidence.services import importing

    seen = []
    real = importing._store_chunk

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(gc.get_threshold())
        return real(*args, **kwargs)

    monkeypatch.setattr(importing, "_store_chunk", spy)
    before = gc.get_threshold()
    summaries(cli("import-xml", "--json", str(generated(tmp_path, 3))))
    assert seen == [importing.GC_THRESHOLD]
    assert gc.get_threshold() == before


def test_the_default_chunk_is_the_services() -> None:
    """The command's --chunk-size default is `importing.CHUNK` (written out there, as the
    CLI does not import the services before a command runs)."""
    import inspect

    from ldn_evidence.cli.import_xml import import_xml
    from ldn_evidence.services.importing import CHUNK

    assert inspect.signature(import_xml).parameters["chunk_size"].default == CHUNK
