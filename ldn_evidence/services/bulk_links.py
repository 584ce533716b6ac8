"""`linking.attach_studies` in Core, for the bulk paths: references pointed at the stored
studies their PMIDs name, and their citations with them, a chunk of PMIDs a query."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any, TypeVar

from sqlalchemy import Connection, bindparam, or_, select, update

from ldn_evidence.models import tables
from ldn_evidence.services import study_cells
from ldn_evidence.vocab import ResolutionStatus, StudyOrigin

CHUNK = 1000
REFERENCES = tables.references
CITATIONS = tables.citations
STUDIES = tables.studies
RESOLVED = ResolutionStatus.RESOLVED.value
NOT_FOUND = ResolutionStatus.NOT_FOUND.value
CURATED = StudyOrigin.CURATED.value

T = TypeVar("T")


def chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    it = iter(items)
    while part := list(islice(it, size)):
        yield part


def attach_studies(conn: Connection, pmids: Iterable[str]) -> list[tuple[int, int, str, Any]]:
    """Every reference (of any page) with one of `pmids` is pointed at the stored study of
    that PMID and, unless the study is curated and PubMed said the PMID does not exist,
    resolved; its citations follow (unless the claim cites that study already). Returns
    the references changed: [(id, study id, status, error)]."""
    # in the order SQLite walks `pmid IN (…)` on its index, as the ORM path met them
    R, S = REFERENCES.c, STUDIES.c
    out: list[tuple[int, int, str, Any]] = []
    for part in chunks(sorted(set(pmids)), CHUNK):
        query = (
            select(R.id, R.status, R.error, S.id.label("sid"), S.origin)
            .join_from(REFERENCES, STUDIES, S.pmid == R.pmid)
            .where(
                R.pmid.in_(part),
                or_(R.study_id.is_(None), R.study_id != S.id, R.status != RESOLVED),
            )
            .order_by(R.pmid, R.id)
        )
        found = conn.execute(query).all()
        if not found:
            continue
        updates = []
        for row in found:
            status, error = row.status, row.error
            if row.origin != CURATED or status != NOT_FOUND:
                status, error = RESOLVED, None
            updates.append({"b_id": row.id, "b_sid": row.sid, "b_st": status, "b_err": error})
            out.append((row.id, row.sid, status, error))
        conn.execute(
            update(REFERENCES)
            .where(R.id == bindparam("b_id"))
            .values(
                study_id=bindparam("b_sid"), status=bindparam("b_st"), error=bindparam("b_err")
            ),
            updates,
        )
        _follow(conn, [(row.id, row.sid) for row in found])
    study_cells.fill(conn, {sid for _id, sid, _st, _err in out})  # cited now: cells stored
    return out


def _follow(conn: Connection, moved: list[tuple[int, int]]) -> None:
    """Point the citations of the references `moved` ([(reference id, study id)], in
    order) at their study, unless their claim has a citation of that study already."""
    C = CITATIONS.c
    by_ref: dict[int, list[Any]] = {ref_id: [] for ref_id, _sid in moved}
    for row in conn.execute(
        select(C.id, C.claim_id, C.reference_id, C.study_id)
        .where(C.reference_id.in_(list(by_ref)))
        .order_by(C.id)
    ):
        by_ref[row.reference_id].append(row)
    todo = [(c, sid) for ref_id, sid in moved for c in by_ref[ref_id] if c.study_id != sid]
    if not todo:
        return
    claims = list({c.claim_id for c, _sid in todo})
    taken: dict[tuple[int, int], int] = {}  # (claim, study): the citation holding it
    for part in chunks(claims, CHUNK):
        for cid, claim_id, sid in conn.execute(
            select(C.id, C.claim_id, C.study_id).where(
                C.claim_id.in_(part), C.study_id.is_not(None)
            )
        ):
            taken[(claim_id, sid)] = cid
    moves = []
    for c, sid in todo:
        if taken.get((c.claim_id, sid), c.id) != c.id:
            continue  # the claim cites that study through another citation
        moves.append({"b_id": c.id, "b_sid": sid})
        if c.study_id is not None:
            taken.pop((c.claim_id, c.study_id), None)
        taken[(c.claim_id, sid)] = c.id
    if moves:
        conn.execute(
            update(CITATIONS).where(C.id == bindparam("b_id")).values(study_id=bindparam("b_sid")),
            moves,
        )
