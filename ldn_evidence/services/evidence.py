"""`evidence`: search PubMed for stronger studies on a claim's question, rank them with the
studies the claim cites, and verify the claim against each.

The query (`evidence_query.build_query`) runs through ESearch; the hits are fetched and
stored like any study (`fetching.fetch`: ≤200 a request, graded as they are stored); the
claim is verified against each hit's abstract (`verification.verify_claim`); hits and
cited studies are ranked (`verification.ranking`). The run and its ranking are stored
(`EvidenceRun`), and nothing is linked to the claim: a reviewer cites a study with
`claims cite`. A stored run is read back by `services.evidence_runs`.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ldn_evidence.errors import NotFoundError
from ldn_evidence.models import Citation, Claim, EvidenceResult, EvidenceRun, Study
from ldn_evidence.services.evidence_query import build_query
from ldn_evidence.vocab import Verdict, VerdictOrigin

# What fetches, verifies, ranks and shows the hits is imported where it is used, once the
# claim is read: a command's start-up ends at its first query (and the client makes its
# HTTP session with its first request).
if TYPE_CHECKING:
    from ldn_evidence.pubmed.client import PubMedClient
    from ldn_evidence.verification.results import ClaimInput
    from ldn_evidence.viewmodel import EvidenceReport

UnitOfWork = Callable[[], AbstractContextManager[Session]]

DEFAULT_LIMIT = 20
_STUDY_LOAD = (
    selectinload(Study.publication_types),
    selectinload(Study.links),
    selectinload(Study.retraction_notices),
)


@dataclass
class _Row:
    study: Study
    cited: bool
    verdict: str
    verdict_origin: str | None
    sentence: str | None
    reason: str | None


def find_evidence(
    *,
    units: UnitOfWork,
    client: PubMedClient,
    claim_id: int,
    limit: int = DEFAULT_LIMIT,
    since: int | None = None,
    query: str | None = None,
) -> EvidenceReport:
    """Run the search for `claim_id` and store the run; see the module docstring."""
    with units() as session:
        claim = _claim(session, claim_id)
        built = build_query(
            claim_text=claim.text,
            intervention=claim.intervention,
            condition=claim.condition,
            since=since,
            query=query,
        )
    from ldn_evidence.services.evidence_runs import evidence_report
    from ldn_evidence.services.fetching import fetch

    found = client.esearch(built.term, retmax=limit)
    if found.pmids:
        fetch(units=units, client=client, pmids=found.pmids)
    with units() as session:
        claim = _claim(session, claim_id)
        rows = _rows(session, claim, found.pmids)
        run = EvidenceRun(
            claim_id=claim.id,
            query=built.term,
            query_source=built.source,
            since_year=since,
            max_results=limit,
            found=found.count,
            results=_ranked(rows),
        )
        session.add(run)
        session.flush()
        return evidence_report(run, claim)


def _claim(session: Session, claim_id: int) -> Claim:
    claim = session.scalars(
        select(Claim)
        .options(selectinload(Claim.citations).selectinload(Citation.study).options(*_STUDY_LOAD))
        .where(Claim.id == claim_id)
    ).first()
    if claim is None:
        raise NotFoundError(f"no claim with id {claim_id}")
    return claim


def _rows(session: Session, claim: Claim, hits: list[str]) -> list[_Row]:
    """The cited studies with their citations' verdicts, then each hit verified."""
    from ldn_evidence.services.verification import claim_input

    rows = {
        c.study.pmid: _Row(
            c.study, True, c.verdict, c.verdict_origin, c.evidence_sentence, c.reason
        )
        for c in claim.citations
        if c.study is not None
    }
    studies = {
        s.pmid: s
        for s in session.scalars(select(Study).options(*_STUDY_LOAD).where(Study.pmid.in_(hits)))
    }
    ci = claim_input(claim)
    for pmid in hits:
        if pmid not in rows and pmid in studies:  # a hit PubMed did not return is left out
            rows[pmid] = _verified(ci, studies[pmid])
    return list(rows.values())


def _verified(ci: ClaimInput, study: Study) -> _Row:
    from ldn_evidence.services.verification import study_input
    from ldn_evidence.verification.verdict import verify_claim  # the engine: only to verify

    if not study.abstract:
        reason = "the PubMed record has no abstract"
        return _Row(study, False, Verdict.UNCHECKED.value, None, None, reason)
    result = verify_claim(ci, study_input(study))
    sentence = " … ".join(result.sentences) if result.sentences else None
    origin = VerdictOrigin.AUTOMATIC.value
    return _Row(study, False, result.verdict, origin, sentence, result.reason)


def _ranked(rows: list[_Row]) -> list[EvidenceResult]:
    from ldn_evidence.services.views import study_flags, study_modifiers
    from ldn_evidence.verification.ranking import Candidate, rank, stronger_than_cited

    by_pmid = {r.study.pmid: r for r in rows}
    flags = {r.study.pmid: study_flags(r.study) for r in rows}
    sizes = {r.study.pmid: study_modifiers(r.study).get("participants") for r in rows}
    ranked = rank(
        Candidate(
            pmid=r.study.pmid,
            level=r.study.evidence_level,
            participants=sizes[r.study.pmid],
            year=r.study.pub_year,
            article_date=r.study.article_date,
            retracted="retracted" in flags[r.study.pmid],
            cited=r.cited,
        )
        for r in rows
    )
    stronger = stronger_than_cited(ranked)
    results = []
    for position, candidate in enumerate(ranked, start=1):
        row = by_pmid[candidate.pmid]
        study = row.study
        results.append(
            EvidenceResult(
                rank=position,
                pmid=study.pmid,
                study_id=study.id,
                title=study.title,
                year=study.pub_year,
                journal=(study.journal_iso or study.journal_title or None),
                level=study.evidence_level,
                participants=candidate.participants,
                flags=flags[study.pmid],
                cited=row.cited,
                stronger=study.pmid in stronger,
                verdict=row.verdict,
                verdict_origin=row.verdict_origin,
                evidence_sentence=row.sentence,
                reason=row.reason,
            )
        )
    return results
