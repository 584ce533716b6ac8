"""Stored `evidence` runs read back: the view `evidence` prints (`evidence_report`), the
claim's last run (`latest_evidence`), and the last run of many claims at once as the
report shows it under each claim (`latest_evidence_for`).

Reading a run needs neither the PubMed client nor the verification engine, so the report
loads this module, not `services.evidence`; the report's reading (`latest_evidence_for`)
is Core statements and imports no ORM.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from sqlalchemy import func, or_, select

from ldn_evidence.models import tables
from ldn_evidence.services.rows import Record
from ldn_evidence.services.views import iso
from ldn_evidence.viewmodel import EvidenceReport, EvidenceStudy, StrongerEvidence
from ldn_evidence.vocab import Verdict, level_label

VERDICT_VERBS: dict[str, tuple[str, str]] = {
    Verdict.SUPPORTED: ("supports", "support"),
    Verdict.PARTIALLY_SUPPORTED: ("partly supports", "partly support"),
    Verdict.CONTRADICTED: ("contradicts", "contradict"),
    Verdict.NOT_SUPPORTED: ("does not support", "do not support"),
    Verdict.NOT_IN_ABSTRACT: ("does not address it", "do not address it"),
    Verdict.UNCHECKED: ("unchecked", "unchecked"),
}
"""How the summary line says a verdict (one study, several); in the summary's order."""

IDS_PER_QUERY = 500
"""Claims whose runs one statement reads (`latest_evidence_for`); well under the bound
parameters SQLite and PostgreSQL allow."""

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.orm import Session

    from ldn_evidence.models import Claim, EvidenceResult, EvidenceRun

_run, _result = tables.evidence_runs.c, tables.evidence_results.c
# What the report shows of a run (no limit: `evidence_report` alone shows it).
_RUN_SHOWN = [
    _run.id, _run.claim_id, _run.ran_at, _run.query, _run.query_source, _run.since_year, _run.found
]  # fmt: skip
# The latest run first: the same order for one claim and for many.
_LATEST_FIRST = (_run.ran_at.desc(), _run.id.desc())


def latest_evidence(*, session: Session, claim_id: int) -> EvidenceReport | None:
    """The claim's last `evidence` run, as it was reported, or None."""
    from sqlalchemy.orm import selectinload

    from ldn_evidence.models import Claim, EvidenceRun

    run = session.scalars(
        select(EvidenceRun)
        .options(selectinload(EvidenceRun.results))
        .where(EvidenceRun.claim_id == claim_id)
        .order_by(*_LATEST_FIRST)
        .limit(1)
    ).first()
    if run is None:
        return None
    claim = session.get(Claim, claim_id)
    assert claim is not None  # runs go with their claim (ON DELETE CASCADE)
    return evidence_report(run, claim)


def latest_evidence_for(
    *, db: Connection | Session, claim_ids: Iterable[int]
) -> dict[int, StrongerEvidence]:
    """Each claim's last `evidence` run, by claim id, as the report shows it; a claim
    never searched has no key. Two statements per `IDS_PER_QUERY` claims (the runs with
    their ranking's size, then only their cited and stronger studies), whatever the
    number of claims or runs: a report reads it once per batch of claims. Core statements:
    `db` is the export's `Connection` or a `Session`."""
    ids = list(dict.fromkeys(claim_ids))
    found: dict[int, StrongerEvidence] = {}
    for start in range(0, len(ids), IDS_PER_QUERY):
        found |= _latest_runs(db, ids[start : start + IDS_PER_QUERY])
    return found


def _latest_runs(db: Connection | Session, claim_ids: list[int]) -> dict[int, StrongerEvidence]:
    newest = (
        select(
            _run.id,
            func.row_number().over(partition_by=_run.claim_id, order_by=_LATEST_FIRST).label("n"),
        )
        .where(_run.claim_id.in_(claim_ids))
        .subquery()
    )
    ranked = select(func.count(_result.id)).where(_result.run_id == _run.id).scalar_subquery()
    statement = (
        select(*_RUN_SHOWN, ranked.label("ranked"))
        .join(newest, newest.c.id == _run.id)
        .where(newest.c.n == 1)
    )
    runs = {run.id: run for run in Record.rows(db.execute(statement))}
    if not runs:
        return {}
    shown: dict[int, list[EvidenceStudy]] = {run_id: [] for run_id in runs}
    results = (
        select(tables.evidence_results)
        .where(_result.run_id.in_(list(runs)), or_(_result.cited, _result.stronger))
        .order_by(_result.run_id, _result.rank)
    )
    for result in Record.rows(db.execute(results)):
        shown[result.run_id].append(study_view(result))
    out = {}
    for run_id, run in runs.items():
        cited = [s for s in shown[run_id] if s.cited]
        stronger = [s for s in shown[run_id] if s.stronger]
        out[run.claim_id] = StrongerEvidence(
            run_id=run.id,
            ran_at=iso(run.ran_at),
            query=run.query,
            query_source=run.query_source,
            since=run.since_year,
            found=run.found,
            ranked=run.ranked,
            summary=summary_line(stronger, cited_any=bool(cited)),
            cited=cited,
            stronger=stronger,
        )
    return out


def evidence_report(run: EvidenceRun, claim: Claim) -> EvidenceReport:
    """A stored run as `evidence` reports it."""
    ranking = [study_view(r) for r in run.results]
    cited = [s for s in ranking if s.cited]
    stronger = [s for s in ranking if s.stronger]
    return EvidenceReport(
        run_id=run.id,
        claim_id=claim.id,
        claim=claim.text,
        ran_at=iso(run.ran_at),
        query=run.query,
        query_source=run.query_source,
        since=run.since_year,
        limit=run.max_results,
        found=run.found,
        ranked=len(ranking),
        cited=cited,
        stronger=stronger,
        ranking=ranking,
        summary=summary_line(stronger, cited_any=bool(cited)),
    )


def study_view(r: EvidenceResult) -> EvidenceStudy:
    return EvidenceStudy(
        rank=r.rank,
        pmid=r.pmid,
        title=r.title,
        year=r.year,
        journal=r.journal,
        level=r.level,
        level_label=level_label(r.level),
        participants=r.participants,
        flags=list(r.flags or []),
        cited=r.cited,
        stronger=r.stronger,
        verdict=r.verdict,
        verdict_origin=r.verdict_origin,
        evidence_sentence=r.evidence_sentence,
        reason=r.reason,
    )


def summary_line(stronger: list[EvidenceStudy], *, cited_any: bool) -> str:
    """ "2 stronger studies: 1 supports, 1 contradicts"; "no stronger study found"."""
    n = len(stronger)
    if n == 0:
        return "no stronger study found" if cited_any else "no study found"
    counts: dict[str, int] = {}
    for s in stronger:
        counts[s.verdict] = counts.get(s.verdict, 0) + 1
    parts = [
        f"{counts[v]} {VERDICT_VERBS[v][0 if counts[v] == 1 else 1]}"
        for v in VERDICT_VERBS
        if v in counts
    ]
    head = f"{n} stronger stud{'y' if n == 1 else 'ies'}"
    if not cited_any:
        head += " (the claim cites none)"
    return f"{head}: {', '.join(parts)}"
