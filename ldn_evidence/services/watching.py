"""`watch`: re-fetch every cited study, report what changed since its last check.

A study's last check is its latest `StudyCheck` (the snapshot of the record then); a
study never checked is compared with the record as stored. The new record is stored (as
`fetch --refresh` would) in the same transaction as the check and its changes, one
transaction per efetch batch, so a run PubMed breaks off keeps whole batches and never
stores a record without the change it brought. Retraction Watch notices imported (or
changed) since the study's last check (every notice, at its first check) are changes too.

Curated studies (facts typed into a dataset, no PubMed record) have nothing to compare
with and are listed, not checked: `fetch --missing` replaces them with their records.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ldn_evidence.errors import NotFoundError, PubMedError
from ldn_evidence.models import (
    Citation,
    Claim,
    SourceDocument,
    Study,
    StudyChange,
    StudyCheck,
    WatchRun,
    utcnow,
)
from ldn_evidence.services.fetching import parse_batch
from ldn_evidence.services.record_changes import compare, record_snapshot, study_snapshot
from ldn_evidence.services.studies import store_article
from ldn_evidence.vocab import (
    ALERT_CHANGES,
    CHANGE_LABELS,
    RETRACTION_NATURE_LABELS,
    ChangeKind,
    ChangeSource,
    CheckOutcome,
    RetractionNature,
    StudyOrigin,
)

if TYPE_CHECKING:  # the client makes its HTTP session with its first request
    from ldn_evidence.pubmed.client import PubMedClient
    from ldn_evidence.pubmed.records import ArticleRecord
    from ldn_evidence.viewmodel import StudyCheckView, WatchReport

UnitOfWork = Callable[[], AbstractContextManager[Session]]

NOTICE_CHANGES: dict[str, str] = {
    RetractionNature.RETRACTION.value: ChangeKind.RETRACTED.value,
    RetractionNature.EXPRESSION_OF_CONCERN.value: ChangeKind.EXPRESSION_OF_CONCERN.value,
    RetractionNature.CORRECTION.value: ChangeKind.CORRECTION.value,
    RetractionNature.REINSTATEMENT.value: ChangeKind.REINSTATED.value,
}


def cited_studies(*, session: Session, document_id: int | None = None) -> list[Study]:
    """Studies a claim cites (a claim of `document_id`, when given), by PMID."""
    cited = select(Citation.study_id).where(Citation.study_id.is_not(None))
    if document_id is not None:
        if session.get(SourceDocument, document_id) is None:
            raise NotFoundError(f"no document with id {document_id}")
        cited = cited.join(Claim, Claim.id == Citation.claim_id).where(
            Claim.document_id == document_id
        )
    studies = session.scalars(select(Study).where(Study.id.in_(cited)))
    return sorted(studies, key=lambda s: int(s.pmid))


def watch(
    *, units: UnitOfWork, client: PubMedClient, document_id: int | None = None
) -> WatchReport:
    """Check every cited study (of `document_id`'s claims, when given); see the module doc."""
    with units() as session:
        studies = cited_studies(session=session, document_id=document_id)
        curated = [s.pmid for s in studies if s.origin == StudyOrigin.CURATED]
        targets = [s.pmid for s in studies if s.origin != StudyOrigin.CURATED]
        run = WatchRun(document_id=document_id)
        session.add(run)
        session.flush()
        run_id, started_at = run.id, run.started_at
    # the views load once what to watch is read (a start-up that ends at the first query)
    from ldn_evidence.services.views import iso
    from ldn_evidence.viewmodel import WatchReport

    checked: list[StudyCheckView] = []
    requests = 0
    try:
        for batch in client.efetch(targets):
            requests += 1
            parsed, _refused = parse_batch(batch.xml, batch.pmids_requested)
            records = {r.pmid: r for r in parsed}
            with units() as session:
                for pmid in batch.pmids_requested:
                    checked.append(_check(session, run_id, pmid, records.get(pmid)))
    except PubMedError as exc:
        raise PubMedError(
            f"{exc}; checked {len(checked)} of {len(targets)} cited studies "
            "(those are stored): run `ldn-evidence watch` again for the rest"
        ) from None
    with units() as session:
        finished = session.get(WatchRun, run_id)
        if finished is not None:
            finished.finished_at = utcnow()
    return WatchReport(
        run_id=run_id,
        started_at=iso(started_at),
        document_id=document_id,
        requests=requests,
        alert=any(c.kind in ALERT_CHANGES for v in checked for c in v.changes),
        studies=checked,
        curated=curated,
    )


def _check(
    session: Session, run_id: int, pmid: str, record: ArticleRecord | None
) -> StudyCheckView:
    from ldn_evidence.services.views import iso, study_flags
    from ldn_evidence.viewmodel import ChangeView, StudyCheckView

    study = session.scalars(
        select(Study)
        .options(
            selectinload(Study.publication_types),
            selectinload(Study.links),
            selectinload(Study.retraction_notices),
            selectinload(Study.citations),
        )
        .where(Study.pmid == pmid)
    ).one()
    previous = session.scalars(
        select(StudyCheck)
        .where(StudyCheck.study_id == study.id)
        .order_by(StudyCheck.checked_at.desc(), StudyCheck.id.desc())
        .limit(1)
    ).first()
    since = previous.checked_at if previous is not None else None
    baseline = previous.snapshot if previous is not None and previous.snapshot else None
    baseline = baseline or study_snapshot(study)
    changes: list[tuple[str, str, str]] = []  # kind, source, detail
    if record is None:
        outcome, snapshot = CheckOutcome.NOT_FOUND.value, baseline
    else:
        snapshot = record_snapshot(record)
        changes += [(k, ChangeSource.PUBMED.value, d) for k, d in compare(baseline, snapshot)]
        store_article(session=session, record=record, origin=StudyOrigin.EFETCH.value)
        outcome = CheckOutcome.CHANGED.value if changes else CheckOutcome.UNCHANGED.value
    for notice in study.retraction_notices:
        if since is None or notice.updated_at > since:  # imported or changed since
            reasons = f": {'; '.join(notice.reasons)}" if notice.reasons else ""
            label = RETRACTION_NATURE_LABELS.get(notice.nature, notice.nature)
            detail = f"record {notice.record_id}: {label} {notice.notice_date or ''}".rstrip()
            source = ChangeSource.RETRACTION_WATCH.value
            changes.append((NOTICE_CHANGES[notice.nature], source, detail + reasons))
    if changes and outcome == CheckOutcome.UNCHANGED:
        outcome = CheckOutcome.CHANGED.value
    session.add(
        StudyCheck(
            run_id=run_id,
            study_id=study.id,
            outcome=outcome,
            record_sha256=study.raw_sha256,
            snapshot=snapshot,
            changes=[StudyChange(kind=k, source=s, detail=d) for k, s, d in changes],
        )
    )
    session.flush()
    return StudyCheckView(
        pmid=study.pmid,
        title=study.title,
        outcome=outcome,
        changes=[
            ChangeView(kind=k, label=CHANGE_LABELS.get(k, k), source=s, detail=d)
            for k, s, d in changes
        ],
        flags=study_flags(study),
        cited_by_claims=sorted({c.claim_id for c in study.citations}),
        previous_check=iso(since),
    )
