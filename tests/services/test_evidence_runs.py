"""`latest_evidence_for`: the last `evidence` run of many claims, read in a fixed number of
statements (runs stored through the models, no server), the same as `latest_evidence`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from tests.helpers.workflows import units

DAY = datetime(2026, 5, 1, tzinfo=UTC)


def _run(claim_id: int, day: int, stronger: list[tuple[str, str]]):  # type: ignore[no-untyped-def]
    """A run on 2026-05-`day`: the stronger studies (pmid, verdict), then the cited PMID 1,
    then a weaker hit PMID 2."""
    from ldn_evidence.models import EvidenceResult, EvidenceRun

    results = [
        EvidenceResult(
            rank=i, pmid=pmid, title=f"Study {pmid}", level="rct", stronger=True, verdict=verdict
        )
        for i, (pmid, verdict) in enumerate(stronger, start=1)
    ]
    n = len(results)
    results += [
        EvidenceResult(
            rank=n + 1,
            pmid="1",
            title="Cited",
            level="case_series",
            cited=True,
            verdict="unchecked",
        ),
        EvidenceResult(
            rank=n + 2, pmid="2", title="Weaker", level="case_series", verdict="supported"
        ),
    ]
    return EvidenceRun(
        claim_id=claim_id,
        ran_at=DAY.replace(day=day),
        query=f"query {day}",
        query_source="the query given",
        max_results=20,
        found=len(results) - 1,
        results=results,
    )


@pytest.fixture
def claim_ids(engine: sa.Engine) -> list[int]:
    """Four claims: the first three searched twice (the later run stored first, so the
    latest is not the highest id), the fourth never."""
    from ldn_evidence.models import Claim

    with units(engine)() as s:
        claims = [Claim(text=f"Claim {i}") for i in range(4)]
        s.add_all(claims)
        s.flush()
        ids = [c.id for c in claims]
        for n, claim_id in enumerate(ids[:3]):
            s.add(_run(claim_id, 20, [(f"1{n}", "contradicted")]))
            s.flush()
            s.add(_run(claim_id, 3, [("99", "supported")]))
        s.flush()
    return ids


@contextmanager
def _statements(engine: sa.Engine) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        seen.append(statement)

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)


def test_the_latest_run_of_each_claim(engine: sa.Engine, claim_ids: list[int]) -> None:
    from ldn_evidence.services.evidence_runs import latest_evidence, latest_evidence_for

    with units(engine)() as s, _statements(engine) as seen:
        found = latest_evidence_for(db=s, claim_ids=claim_ids + claim_ids[:1])
    assert len(seen) == 2  # the runs, then their cited and stronger studies
    assert sorted(found) == claim_ids[:3]  # the claim never searched has no key
    for n, claim_id in enumerate(claim_ids[:3]):
        ev = found[claim_id]
        assert ev.ran_at == "2026-05-20T00:00:00+00:00" and ev.query == "query 20"
        assert ev.ranked == 3 and ev.found == 2
        assert [s.pmid for s in ev.stronger] == [f"1{n}"]
        assert [(s.pmid, s.rank) for s in ev.cited] == [("1", 2)]
        assert ev.summary == "1 stronger study: 1 contradicts"
        with units(engine)() as s:
            one = latest_evidence(session=s, claim_id=claim_id)
        assert one is not None
        assert (one.run_id, one.ran_at, one.summary, one.cited, one.stronger, one.ranked) == (
            ev.run_id,
            ev.ran_at,
            ev.summary,
            ev.cited,
            ev.stronger,
            ev.ranked,
        )


def test_many_claims_in_batches(
    engine: sa.Engine, claim_ids: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    from ldn_evidence.services import evidence_runs

    monkeypatch.setattr(evidence_runs, "IDS_PER_QUERY", 2)
    with units(engine)() as s, _statements(engine) as seen:
        found = evidence_runs.latest_evidence_for(db=s, claim_ids=claim_ids)
    assert len(seen) == 4  # two batches of two claims
    assert sorted(found) == claim_ids[:3]
    with units(engine)() as s, _statements(engine) as seen:
        assert evidence_runs.latest_evidence_for(db=s, claim_ids=[]) == {}
        assert evidence_runs.latest_evidence_for(db=s, claim_ids=claim_ids[3:]) == {}
    assert len(seen) == 1  # no claim: no statement; a claim never searched: one
