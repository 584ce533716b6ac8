"""The one place a citation's verdict changes, and the audit trail that records it.

Rules:
- every change adds a `CitationEvent` (who, when, origin, old and new verdict, note, and
  the sha256 of the study record the verdict was reached against);
- a reviewer's verdict always wins, and an automatic verdict never replaces it;
- setting the same automatic verdict and evidence again changes nothing (no event), so
  `verify` can be re-run safely;
- a reviewer who sets ``unchecked`` withdraws their verdict: the citation goes back to
  automatic verification.

`verify` writes its verdicts a batch at a time through `set_automatic_verdicts`, under the
same rules; it also records what each verdict was computed from
(`citations.checked_inputs_sha256`), so that a re-run skips what has not changed. Any other
write (a reviewer's, or `set_verdict`'s automatic one) clears it: the next `verify`
checks that citation again.

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

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from ldn_evidence.errors import InputError
from ldn_evidence.models import Citation, CitationEvent, utcnow
from ldn_evidence.services.checks import check_verdict
from ldn_evidence.vocab import VERDICT_ORIGINS

__all__ = ["AutomaticVerdict", "check_verdict", "set_automatic_verdicts", "set_verdict"]

CITATIONS: Table = Citation.__table__  # type: ignore[assignment]
EVENTS: Table = CitationEvent.__table__  # type: ignore[assignment]


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
    values.update(
        verdict_origin="automatic", checked_at=now, checked_by=by, checked_inputs_sha256=None
    )
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
    citation.checked_inputs_sha256 = None  # withdrawn ("unchecked"): verify checks it again
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


_RESULT = (
    "verdict",
    "evidence_sentence",
    "evidence_location",
    "study_figure",
    "reason",
    "note",
    "checked_record_sha256",
)
"""The columns an automatic verdict sets; the same values again change nothing."""


@dataclass(frozen=True, slots=True)
class AutomaticVerdict:
    """`verify`'s verdict on one citation, and what the citation held when it was read
    (`read`: the `_RESULT` columns)."""

    citation_id: int
    read: dict[str, Any]
    verdict: str
    evidence_sentence: str | None
    evidence_location: str | None
    study_figure: str | None
    reason: str | None
    record_sha256: str | None  # the study record's sha256, as `set_verdict` records it
    inputs_sha256: str | None  # what the verdict was computed from
    read_inputs_sha256: str | None = None  # what the citation held

    def values(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict,
            "evidence_sentence": self.evidence_sentence,
            "evidence_location": self.evidence_location,
            "study_figure": self.study_figure,
            "reason": self.reason,
            "note": None,
            "checked_record_sha256": self.record_sha256,
        }


def set_automatic_verdicts(
    *, session: Session, items: Sequence[AutomaticVerdict], by: str | None = None
) -> dict[int, bool | None]:
    """`set_verdict(origin="automatic")` for many citations in a few statements.

    Per citation id: True when the verdict or its evidence changed (the row updated, an
    event recorded), False when they are what the citation held (only its inputs
    recorded, no event), None when a reviewer's verdict is there (nothing written: it
    arrived after the citation was read, as in `set_verdict`'s conditional update).
    """
    for item in items:
        check_verdict(item.verdict)
    if not items:
        return {}
    session.flush()
    conn = session.connection()
    table = CITATIONS
    now = utcnow()
    changed = [i for i in items if any(i.read[k] != v for k, v in i.values().items())]
    moved = {i.citation_id for i in changed}
    refreshed = [
        i for i in items if i.citation_id not in moved and i.inputs_sha256 != i.read_inputs_sha256
    ]
    automatic = (table.c.id == bindparam("b_id"), table.c.verdict_origin == "automatic")
    if changed:
        conn.execute(
            update(table).where(*automatic),
            [
                {
                    "b_id": i.citation_id,
                    **i.values(),
                    "verdict_origin": "automatic",
                    "checked_at": now,
                    "checked_by": by,
                    "checked_inputs_sha256": i.inputs_sha256,
                }
                for i in changed
            ],
        )
    if refreshed:
        conn.execute(
            update(table).where(*automatic),
            [{"b_id": i.citation_id, "checked_inputs_sha256": i.inputs_sha256} for i in refreshed],
        )
    ids = [i.citation_id for i in items]
    # A row this transaction updated is locked (PostgreSQL) or the database is (SQLite):
    # a reviewer's verdict seen now arrived before the update, which left it alone.
    lost: set[int] = set()
    for start in range(0, len(ids), 5000):
        lost.update(
            conn.execute(
                select(table.c.id).where(
                    table.c.id.in_(ids[start : start + 5000]), table.c.verdict_origin == "reviewer"
                )
            ).scalars()
        )
    events = [
        {
            "citation_id": i.citation_id,
            "at": now,
            "by": by,
            "origin": "automatic",
            "old_verdict": i.read["verdict"],
            "new_verdict": i.verdict,
            "note": None,
            "record_sha256": i.record_sha256,
        }
        for i in changed
        if i.citation_id not in lost
    ]
    if events:
        conn.execute(insert(EVENTS), events)
    for citation_id in ids:  # objects this session holds read the rows again
        held = session.identity_map.get(identity_key(Citation, citation_id))
        if held is not None:
            session.expire(held)
    return {i.citation_id: None if i.citation_id in lost else i.citation_id in moved for i in items}


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
