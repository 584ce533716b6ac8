"""Two writers at once: processes writing one database both succeed (busy timeout on
SQLite, row locks on PostgreSQL), nothing is lost, and a reviewer's verdict is never
overwritten by a concurrent automatic `verify`."""

from __future__ import annotations

import json
import os
import subprocess
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml
from sqlalchemy.orm import Session

from tests.conftest import Cli
from tests.eutils_server import FakeEutils
from tests.helpers.studies import rich_article
from tests.reliability.conftest import console_script, count

pytestmark = pytest.mark.slow  # processes and threads writing at once


def _dataset(path: Path, tag: str, claims: int, studies: int, first_pmid: int) -> Path:
    pmids = [str(first_pmid + i) for i in range(studies)]
    data = {
        "format": "ldn-evidence/1",
        "document": {"title": f"Page {tag}", "url": f"https://pharmacy.example/{tag}"},
        "references": [
            {"id": f"r{p}", "raw": f"PMID: {p}", "kind": "pubmed", "pmid": p} for p in pmids
        ],
        "claims": [
            {
                "text": f"In trial {tag}-{i}, {i % 90 + 5}% of patients reported less pain.",
                "cites": [f"r{pmids[i % studies]}"],
            }
            for i in range(claims)
        ],
        "studies": [
            {
                "pmid": p,
                "title": f"Study {p} ({tag})",
                "year": 2020,
                "authors": [{"last_name": "Doe", "fore_name": "Jane", "initials": "J"}],
            }
            for p in pmids
        ],
    }
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def _run(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [console_script(), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )


def _finish(proc: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=120)
    return proc.returncode, out, err


def test_two_loads_at_once(cli: Cli, db_url: str, tmp_path: Path) -> None:
    a = _dataset(tmp_path / "a.yaml", "a", claims=120, studies=40, first_pmid=7_000_000)
    b = _dataset(tmp_path / "b.yaml", "b", claims=120, studies=40, first_pmid=8_000_000)
    procs = [_run("--db", db_url, "load", str(p)) for p in (a, b)]
    results = [_finish(p) for p in procs]
    for code, _out, err in results:
        assert code == 0, err
        assert "locked" not in err and "Traceback" not in err
    assert count(db_url, "claims") == 240
    assert count(db_url, "studies") == 80
    assert count(db_url, "citations") == 240
    assert count(db_url, "source_documents") == 2


def test_fetch_and_reviewer_checks_at_once(
    sqlite_cli: tuple[Cli, str], seed_file: Path, fake: FakeEutils
) -> None:
    """A 400-PMID fetch (two write transactions) while a reviewer records verdicts in
    separate processes, on one SQLite file: every command succeeds (they wait for each
    other's write lock), every verdict and record is kept. (Two writers on PostgreSQL:
    `test_two_loads_at_once` and the set_verdict tests below.)"""
    cli, db_url = sqlite_cli
    assert cli("load", str(seed_file)).exit_code == 0
    pmids = [str(6_000_000 + i) for i in range(400)]
    for p in pmids:
        fake.add_article(p, rich_article(p))
    fetch = _run("--db", db_url, "fetch", *pmids)
    checks = []
    verdicts = [
        "supported",
        "not_supported",
        "contradicted",
        "partially_supported",
        "not_in_abstract",
    ]
    for claim in (1, 2):
        for pmid in ("23359310",):
            checks.append(
                _run(
                    "--db",
                    db_url,
                    "claims",
                    "check",
                    str(claim),
                    pmid,
                    "--verdict",
                    verdicts[claim - 1],
                    "--by",
                    f"reviewer-{claim}",
                )
            )
    for code, _out, err in [_finish(p) for p in (fetch, *checks)]:
        assert code == 0, err
        assert "locked" not in err
    assert count(db_url, "studies") == 402
    assert count(db_url, "study_authors") == 2 * 400 + 6  # the curated ones have 3 each
    for claim in (1, 2):
        shown = json.loads(cli("claims", "show", str(claim), "--json").stdout)
        cited = {c["study"]["pmid"]: c for c in shown["citations"] if c["study"]}
        for pmid in ("23359310",):
            assert cited[pmid]["verdict"] == verdicts[claim - 1]
            assert cited[pmid]["verdict_origin"] == "reviewer"
    assert count(db_url, "citation_events") == 2


# ---- the conditional UPDATE of set_verdict ------------------------------------------


def _citation_id(engine: sa.Engine) -> int:
    from ldn_evidence.models import Citation

    with Session(engine) as s:
        return s.scalars(
            sa.select(Citation.id).where(Citation.study_id.is_not(None)).order_by(Citation.id)
        ).first()


def _verdict_and_events(engine: sa.Engine, cid: int) -> tuple[str, str, list[tuple]]:
    from ldn_evidence.models import Citation, CitationEvent

    with Session(engine) as s:
        c = s.get(Citation, cid)
        events = s.execute(
            sa.select(CitationEvent.origin, CitationEvent.new_verdict)
            .where(CitationEvent.citation_id == cid)
            .order_by(CitationEvent.id)
        ).all()
        return c.verdict, c.verdict_origin, [tuple(e) for e in events]


@pytest.fixture
def seeded(cli: Cli, engine: sa.Engine, seed_file: Path) -> int:
    assert cli("load", str(seed_file)).exit_code == 0
    return _citation_id(engine)


def test_reviewer_commits_after_verify_read_the_citation(engine: sa.Engine, seeded: int) -> None:
    """verify has read the citation (automatic); a reviewer's verdict is committed; then
    verify writes its automatic verdict: the reviewer's stays, with no automatic event."""
    from ldn_evidence.models import Citation
    from ldn_evidence.services.verdicts import set_verdict

    auto = Session(engine)
    citation = auto.get(Citation, seeded)
    assert citation.verdict_origin == "automatic"

    with Session(engine) as reviewer:
        set_verdict(
            session=reviewer,
            citation=reviewer.get(Citation, seeded),
            verdict="contradicted",
            origin="reviewer",
            by="J. Doe, PharmD",
        )
        reviewer.commit()

    changed = set_verdict(
        session=auto,
        citation=citation,
        verdict="supported",
        origin="automatic",
        evidence_sentence="It worked.",
    )
    auto.commit()
    auto.close()
    assert changed is False
    assert _verdict_and_events(engine, seeded) == (
        "contradicted",
        "reviewer",
        [("reviewer", "contradicted")],
    )


def test_verify_waits_for_an_uncommitted_reviewer_verdict(engine: sa.Engine, seeded: int) -> None:
    """The reviewer holds the row (not yet committed) when verify's UPDATE arrives: the
    UPDATE waits (row lock / SQLite busy timeout), then finds a reviewer verdict."""
    from ldn_evidence.models import Citation
    from ldn_evidence.services.verdicts import set_verdict

    auto = Session(engine)
    citation = auto.get(Citation, seeded)
    auto.commit()  # verify's read is over; its object still says "automatic"
    assert citation.verdict_origin == "automatic"

    reviewer = Session(engine)
    set_verdict(
        session=reviewer,
        citation=reviewer.get(Citation, seeded),
        verdict="not_supported",
        origin="reviewer",
        by="reviewer",
    )
    reviewer.flush()  # the row is written and locked, not committed

    outcome: dict[str, object] = {}

    def automatic() -> None:
        try:
            outcome["changed"] = set_verdict(
                session=auto, citation=citation, verdict="supported", origin="automatic"
            )
            auto.commit()
        except Exception as exc:  # noqa: BLE001 - reported below
            outcome["error"] = exc
            auto.rollback()

    thread = threading.Thread(target=automatic)
    thread.start()
    time.sleep(0.5)
    assert thread.is_alive(), f"verify did not wait for the reviewer: {outcome}"
    reviewer.commit()
    reviewer.close()
    thread.join(30)
    auto.close()
    assert "error" not in outcome, outcome
    assert outcome["changed"] is False
    assert _verdict_and_events(engine, seeded) == (
        "not_supported",
        "reviewer",
        [("reviewer", "not_supported")],
    )


def test_verify_command_never_overwrites_a_reviewer(
    cli: Cli, engine: sa.Engine, seeded: int
) -> None:
    from ldn_evidence.models import Citation

    with Session(engine) as s:
        c = s.get(Citation, seeded)
        claim, pmid = c.claim_id, c.study.pmid
    assert cli("claims", "check", str(claim), pmid, "--verdict", "contradicted").exit_code == 0
    assert cli("verify").exit_code == 0
    assert _verdict_and_events(engine, seeded)[:2] == ("contradicted", "reviewer")
