"""The one place a citation's verdict changes, and the audit trail that records it.

Rules:
- every change adds a `CitationEvent` (who, when, origin, old and new verdict, note, and
  the sha256 of the study record the verdict was reached against);
- a reviewer's verdict always wins, and an automatic verdict never replaces it;
- setting the same automatic verdict and evidence again changes nothing (no event), so
  `verify` can be re-run safely;
- a reviewer who sets ``unchecked`` withdraws their verdict: the citation goes back to
  automatic verification.

Concurrency: `verify` (automatic) and `claims check` (reviewer) may run at the same time
on a shared PostgreSQL database. The automatic update is therefore a conditional
``UPDATE citations SET … WHERE id = :id AND verdict_origin = 'automatic'`` whose row count
says whether it happened: a reviewer's verdict committed after the automatic run read the
citation makes the condition false (PostgreSQL re-checks the WHERE clause against the
newest committed row, waiting for a writer that holds the row), so the reviewer's verdict
stays. The reviewer path locks the row (``SELECT … FOR UPDATE``) before reading the old
verdict, so the event's "old" is the verdict actually replaced. On SQLite writers are
serialised by the database lock, and a write from a stale snapshot fails instead of
overwriting.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from ldn_evidence.errors import InputError
from ldn_evidence.models import Citation, CitationEvent, utcnow
from ldn_evidence.vocab import VERDICT_ORIGINS, VERDICTS, unknown_verdict_message

__all__ = ["check_verdict", "set_verdict"]


def check_verdict(verdict: str) -> str:
    """`verdict` if it is one of VERDICTS, else InputError listing the allowed ones."""
    if verdict not in VERDICTS:
        raise InputError(unknown_verdict_message(verdict))
    return verdict


def set_verdict(
    *,
    session: Session,
    citation: Citation,
    verdict: str,
    origin: str,
    by: str | None = None,
    note: str | None = None,
    evidence_sentence: str | None = None,
    study_figure: str | None = None,
    reason: str | None = None,
    evidence_location: str | None = None,
) -> bool:
    """Set the verdict of `citation` as `origin` ("automatic" or "reviewer").

    `evidence_location` says where the evidence sentence is when it is not in the
    abstract ("full text, Results, ¶4", "Table 2"); it goes with the sentence.

    An automatic verdict replaces the whole automatic result (evidence sentence, study
    figure, reason, note as given) and never a reviewer's verdict. A reviewer's verdict
    always applies and is always recorded (a re-check is part of the audit trail); its
    note replaces the previous note, its reason replaces the automatic reason, and the
    evidence sentence and study figure are kept unless given. Returns whether anything
    changed.
    """
    check_verdict(verdict)
    if origin not in VERDICT_ORIGINS:
        raise InputError(
            f"unknown verdict origin {origin!r}; choose one of: {', '.join(VERDICT_ORIGINS)}"
        )
    session.flush()  # a new citation needs its id; pending edits must not be lost
    evidence = (evidence_sentence, evidence_location)
    if origin == "automatic":
        return _automatic(session, citation, verdict, by, note, evidence, study_figure, reason)
    return _reviewer(session, citation, verdict, by, note, evidence, study_figure, reason)


def _record_sha(citation: Citation) -> str | None:
    return citation.study.raw_sha256 if citation.study is not None else None


def _automatic(
    session: Session,
    citation: Citation,
    verdict: str,
    by: str | None,
    note: str | None,
    evidence: tuple[str | None, str | None],
    study_figure: str | None,
    reason: str | None,
) -> bool:
    if citation.verdict_origin == "reviewer":
        return False
    sha = _record_sha(citation)
    values: dict[str, Any] = {
        "verdict": verdict,
        "evidence_sentence": evidence[0],
        "evidence_location": evidence[1],
        "study_figure": study_figure,
        "reason": reason,
        "note": note,
        "checked_record_sha256": sha,
    }
    if all(getattr(citation, key) == value for key, value in values.items()):
        return False
    now = utcnow()
    values.update(verdict_origin="automatic", checked_at=now, checked_by=by)
    result = session.execute(
        update(Citation)
        .where(Citation.id == citation.id, Citation.verdict_origin == "automatic")
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        # A reviewer's verdict arrived since this citation was read: it wins.
        session.refresh(citation)
        return False
    old = citation.verdict
    for key, value in values.items():
        set_committed_value(citation, key, value)
    _event(
        session,
        citation,
        at=now,
        by=by,
        origin="automatic",
        old=old,
        new=verdict,
        note=note,
        sha=sha,
    )
    return True


def _reviewer(
    session: Session,
    citation: Citation,
    verdict: str,
    by: str | None,
    note: str | None,
    evidence: tuple[str | None, str | None],
    study_figure: str | None,
    reason: str | None,
) -> bool:
    # Lock the row and read the verdict it holds now (not what this session saw earlier).
    session.refresh(citation, with_for_update=True)
    old = citation.verdict
    now = utcnow()
    sha = _record_sha(citation)
    citation.verdict = verdict
    # "unchecked" from a reviewer withdraws the reviewer's verdict: verify may set it again.
    citation.verdict_origin = "automatic" if verdict == "unchecked" else "reviewer"
    citation.checked_at = now
    citation.checked_by = by
    citation.checked_record_sha256 = sha
    citation.note = note
    citation.reason = reason
    if evidence[0] is not None:
        citation.evidence_sentence, citation.evidence_location = evidence
    if study_figure is not None:
        citation.study_figure = study_figure
    _event(
        session,
        citation,
        at=now,
        by=by,
        origin="reviewer",
        old=old,
        new=verdict,
        note=note,
        sha=sha,
    )
    return True


def _event(
    session: Session,
    citation: Citation,
    *,
    at: Any,
    by: str | None,
    origin: str,
    old: str | None,
    new: str,
    note: str | None,
    sha: str | None,
) -> None:
    event = CitationEvent(
        citation=citation,
        at=at,
        by=by,
        origin=origin,
        old_verdict=old,
        new_verdict=new,
        note=note,
        record_sha256=sha,
    )
    session.add(event)
    session.flush()
