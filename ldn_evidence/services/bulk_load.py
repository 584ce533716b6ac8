"""The bulk write path of `load`: a dataset's references, claims and citations, a chunk at
a time, in a few Core statements per chunk.

It stores exactly what the ORM path did (one object and one flush per reference, claim
and citation; `services/linking.cite` and `attach_studies`), in the same order, so rows
get the same ids and the summary the same counts:

1. references, `CHUNK` at a time: one query finds the stored ones of the page by their
   raw text, new ones are inserted (RETURNING their ids), changed ones updated;
2. references whose PMID names a stored study are pointed at it, their citations with
   them (`bulk_links.attach_studies`, as `linking.attach_studies`);
3. claims, `CHUNK` at a time: one query finds the stored ones of the page by their text
   and one their citations; each claim is compared, cited and counted in memory as the
   ORM path did one by one; then the new claims are inserted (RETURNING ids), the changed
   ones updated, the new citations inserted and the changed ones updated.

Everything runs in the caller's transaction (the file is one unit of work). A value
longer than its column is refused in the order the ORM's flushes would have met it
(`db._refuse_over_long`): references, then claims, each in file order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from ldn_evidence.errors import InputError
from ldn_evidence.models import tables
from ldn_evidence.models.tables import CLAIM_DATA_COLUMNS, too_long
from ldn_evidence.services.bulk_links import attach_studies, chunks
from ldn_evidence.vocab import CitationOrigin, ResolutionStatus, Verdict, VerdictOrigin

if TYPE_CHECKING:
    from ldn_evidence.services.dataset import ClaimData, ReferenceData
    from ldn_evidence.services.loading import LoadSummary

CHUNK = 1000
REFERENCES = tables.references
CLAIMS = tables.claims
CITATIONS = tables.citations

REF_COLUMNS = ("kind", "url", "title", "pmid", "doi", "marker", "position", "status", "error")
RESOLVED = ResolutionStatus.RESOLVED.value
NOT_FOUND = ResolutionStatus.NOT_FOUND.value
PAGE, CLAIM = CitationOrigin.PAGE.value, CitationOrigin.CLAIM.value
UNCHECKED, AUTOMATIC = Verdict.UNCHECKED.value, VerdictOrigin.AUTOMATIC.value


def _limits(table: Table) -> tuple[tuple[str, int], ...]:
    """(column, length) of `table`'s length-limited columns, in the model's order."""
    out = []
    for column in table.columns:
        length = getattr(column.type, "length", None)
        if length:
            out.append((column.name, int(length)))
    return tuple(out)


_REF_LIMITS = _limits(REFERENCES)
_CLAIM_LIMITS = _limits(CLAIMS)


def _refuse_over_long(table: Table, limits: Sequence[tuple[str, int]], row: dict[str, Any]) -> None:
    for name, limit in limits:
        value = row.get(name)
        if value is not None and len(value) > limit:  # the limited columns hold text
            raise InputError(too_long(table.name, name, value, limit))


@dataclass(slots=True)
class _Ref:
    """A reference of this load: its row id (None until inserted) and current values."""

    id: int | None
    raw: str
    values: dict[str, Any]
    study_id: int | None = None
    new: bool = False
    dirty: bool = False


@dataclass(slots=True)
class _Citation:
    id: int | None
    reference_id: int | None
    study_id: int | None
    origin: str
    dirty: bool = False


@dataclass(slots=True)
class _Claim:
    id: int | None
    text: str
    values: dict[str, Any]
    citations: list[_Citation] = field(default_factory=list)
    new: bool = False
    dirty: bool = False


def _same_page(table: Table, document_id: int | None) -> Any:
    col = table.c.document_id
    return col == document_id if document_id is not None else col.is_(None)


def store_references(
    *,
    session: Session,
    document_id: int | None,
    references: Iterable[ReferenceData],
    summary: LoadSummary,
) -> dict[str, _Ref]:
    """Store the dataset's references (positions 1, 2, … in order) and point them at the
    stored studies their PMIDs name; {key: reference}."""
    conn = session.connection()
    by_key: dict[str, _Ref] = {}
    by_id: dict[int, _Ref] = {}  # this load's references once stored
    pos = 0
    for part in chunks(references, CHUNK):
        raws = list(dict.fromkeys(r.raw for r in part))
        stored: dict[str, _Ref] = {}
        cols = [REFERENCES.c[c] for c in REF_COLUMNS]
        for raws_part in chunks(raws, CHUNK):
            query = (
                select(REFERENCES.c.id, REFERENCES.c.raw, REFERENCES.c.study_id, *cols)
                .where(_same_page(REFERENCES, document_id), REFERENCES.c.raw.in_(raws_part))
                .order_by(REFERENCES.c.id)
            )
            for row in conn.execute(query):
                if row.raw in stored:  # the first of a page's references so written counts
                    continue
                values = {c: row._mapping[c] for c in REF_COLUMNS}
                stored[row.raw] = by_id.get(row.id) or _Ref(row.id, row.raw, values, row.study_id)
        chunk: dict[str, _Ref] = {}
        for data in part:
            pos += 1
            ref, changed = _reference(
                chunk.get(data.raw) or stored.get(data.raw), data, pos, summary
            )
            if changed:
                _refuse_over_long(REFERENCES, _REF_LIMITS, ref.values)
            chunk[data.raw] = ref
            by_key[data.key] = ref
        _write_references(conn, document_id, list(chunk.values()))
        by_id.update((r.id, r) for r in chunk.values() if r.id is not None)
    _attach(conn, by_id)
    return by_key


def _reference(
    ref: _Ref | None, data: ReferenceData, pos: int, summary: LoadSummary
) -> tuple[_Ref, bool]:
    """`ref` updated from `data` (a new one when None), and whether anything changed."""
    status = "web" if data.kind == "web" else (RESOLVED if data.pmid else "unresolved")
    values: dict[str, Any] = {
        "kind": data.kind,
        "url": data.url,
        "title": data.title,
        "pmid": data.pmid,
        "doi": data.doi,
        "marker": data.marker,
        "position": pos,
        "status": status,
    }
    if ref is None:
        summary.count("references", True)
        return _Ref(None, data.raw, {**values, "error": None}, new=True), True
    current = ref.values
    if status == RESOLVED and current["pmid"] == data.pmid:
        if current["status"] in (RESOLVED, NOT_FOUND):  # PubMed's answer on that PMID stays
            values.pop("status")
    if "status" in values and values["status"] != current["status"]:
        values["error"] = None
    changed = {k: v for k, v in values.items() if current[k] != v}
    if not changed:
        return ref, False
    current.update(changed)
    ref.dirty = True
    summary.count("references", False)
    return ref, True


def _write_references(conn: Connection, document_id: int | None, refs: list[_Ref]) -> None:
    new = [r for r in refs if r.new]
    if new:
        rows = [{"document_id": document_id, "raw": r.raw, **r.values} for r in new]
        # one multi-row INSERT … RETURNING a batch (rows keep their order, so their ids
        # come in file order); matched back by raw text, unique among a chunk's new ones
        ins = insert(REFERENCES).returning(REFERENCES.c.raw, REFERENCES.c.id)
        ids: dict[str, int] = {key: id_ for key, id_ in conn.execute(ins, rows)}
        for r in new:
            r.id = ids[r.raw]
    dirty = [r for r in refs if r.dirty and not r.new]
    if dirty:
        stmt = (
            update(REFERENCES)
            .where(REFERENCES.c.id == bindparam("b_id"))
            .values({c: bindparam(f"b_{c}") for c in REF_COLUMNS})
        )
        conn.execute(
            stmt, [{"b_id": r.id, **{f"b_{c}": r.values[c] for c in REF_COLUMNS}} for r in dirty]
        )
    for r in refs:
        r.new = r.dirty = False


def _attach(conn: Connection, mine: dict[int, _Ref]) -> None:
    """`linking.attach_studies` for the PMIDs of `mine` (this load's references), which
    are kept up to date."""
    pmids = {r.values["pmid"] for r in mine.values() if r.values["pmid"]}
    for ref_id, study_id, status, error in attach_studies(conn, pmids):
        if (ref := mine.get(ref_id)) is not None:
            ref.study_id = study_id
            ref.values["status"], ref.values["error"] = status, error


def store_claims(
    *,
    session: Session,
    document_id: int | None,
    claims: Iterable[ClaimData],
    references: dict[str, _Ref],
    summary: LoadSummary,
) -> None:
    """Store the dataset's claims (position: theirs, else 1, 2, … in order) and their
    citations: to the references they cite ("claim"), else to every reference ("page")."""
    conn = session.connection()
    every = list(references.values())
    pos = 0
    for part in chunks(claims, CHUNK):
        stored = _stored_claims(conn, document_id, list(dict.fromkeys(c.text for c in part)))
        chunk: dict[str, _Claim] = {}
        created: list[tuple[_Claim, _Citation]] = []  # new citations, in the order made
        for data in part:
            pos += 1
            if data.cites is None:
                targets, origin = every, PAGE
            else:
                targets, origin = [references[k] for k in data.cites], CLAIM
            claim = chunk.get(data.text) or stored.get(data.text)
            claim = _claim(claim, data, pos, summary)
            chunk[data.text] = claim
            for ref in targets:
                if (citation := _cite(claim, ref, origin, summary)) is not None:
                    created.append((claim, citation))
        _write_claims(conn, document_id, list(chunk.values()), created)


def _stored_claims(
    conn: Connection, document_id: int | None, texts: list[str]
) -> dict[str, _Claim]:
    """The page's stored claims among `texts` (the first of each text), citations loaded."""
    out: dict[str, _Claim] = {}
    if not texts:
        return out
    cols = [CLAIMS.c[c] for c in CLAIM_DATA_COLUMNS]
    query = (
        select(CLAIMS.c.id, CLAIMS.c.text, *cols)
        .where(_same_page(CLAIMS, document_id), CLAIMS.c.text.in_(texts))
        .order_by(CLAIMS.c.id)
    )
    for row in conn.execute(query):
        if row.text not in out:
            values = {c: row._mapping[c] for c in CLAIM_DATA_COLUMNS}
            out[row.text] = _Claim(row.id, row.text, values)
    if out:
        by_id = {c.id: c for c in out.values()}
        C = CITATIONS.c
        query = (
            select(C.id, C.claim_id, C.reference_id, C.study_id, C.origin)
            .where(C.claim_id.in_(list(by_id)))
            .order_by(C.id)
        )
        for cid, claim_id, ref_id, study_id, origin in conn.execute(query):
            by_id[claim_id].citations.append(_Citation(cid, ref_id, study_id, origin))
    return out


def _claim(claim: _Claim | None, data: ClaimData, pos: int, summary: LoadSummary) -> _Claim:
    values = {c: getattr(data, c) for c in CLAIM_DATA_COLUMNS}
    if data.position is None:
        values["position"] = pos
    if claim is None:
        summary.count("claims", True)
        _refuse_over_long(CLAIMS, _CLAIM_LIMITS, values)
        return _Claim(None, data.text, values, new=True)
    changed = {k: v for k, v in values.items() if claim.values[k] != v}
    if changed:
        claim.values.update(changed)
        claim.dirty = True
        summary.count("claims", False)
        _refuse_over_long(CLAIMS, _CLAIM_LIMITS, claim.values)
    return claim


def _cite(claim: _Claim, ref: _Ref, origin: str, summary: LoadSummary) -> _Citation | None:
    """`linking.cite` of `claim` to `ref` (and its study) on the in-memory claim; the new
    citation, or None when the claim had one of that reference or study (which takes the
    other only when no other citation of the claim holds it, as `linking.cite`)."""
    study_id = ref.study_id
    for existing in claim.citations:
        same_ref = existing.reference_id == ref.id
        same_study = study_id is not None and existing.study_id == study_id
        if same_ref or same_study:
            others = [c for c in claim.citations if c is not existing]
            if existing.reference_id is None and all(c.reference_id != ref.id for c in others):
                existing.reference_id, existing.dirty = ref.id, True
            if (
                existing.study_id is None
                and study_id is not None
                and all(c.study_id != study_id for c in others)
            ):
                existing.study_id, existing.dirty = study_id, True
            if origin == CLAIM and existing.origin == PAGE:
                existing.origin, existing.dirty = origin, True  # a per-claim marker is stronger
            return None
    citation = _Citation(None, ref.id, study_id, origin)
    claim.citations.append(citation)
    summary.count("citations", True)
    return citation


def _write_claims(
    conn: Connection,
    document_id: int | None,
    claims: list[_Claim],
    created: list[tuple[_Claim, _Citation]],
) -> None:
    now = datetime.now(UTC)
    new = [c for c in claims if c.new]
    if new:
        rows = [
            {
                "document_id": document_id,
                "text": c.text,
                **c.values,
                "created_at": now,
                "updated_at": now,
            }
            for c in new
        ]
        ins = insert(CLAIMS).returning(CLAIMS.c.text, CLAIMS.c.id)  # texts: unique here
        ids: dict[str, int] = {key: id_ for key, id_ in conn.execute(ins, rows)}
        for c in new:
            c.id = ids[c.text]
    dirty = [c for c in claims if c.dirty and not c.new]
    if dirty:
        stmt = (
            update(CLAIMS)
            .where(CLAIMS.c.id == bindparam("b_id"))
            .values({c: bindparam(f"b_{c}") for c in (*CLAIM_DATA_COLUMNS, "updated_at")})
        )
        conn.execute(
            stmt,
            [
                {"b_id": c.id, "b_updated_at": now, **{f"b_{k}": v for k, v in c.values.items()}}
                for c in dirty
            ],
        )
    new_cites = [
        {
            "claim_id": claim.id,
            "reference_id": cit.reference_id,
            "study_id": cit.study_id,
            "origin": cit.origin,
            "verdict": UNCHECKED,
            "verdict_origin": AUTOMATIC,
            "created_at": now,
        }
        for claim, cit in created
    ]
    moved = [
        {"b_id": cit.id, "b_ref": cit.reference_id, "b_sid": cit.study_id, "b_origin": cit.origin}
        for claim in claims
        for cit in claim.citations
        if cit.dirty and cit.id is not None
    ]
    if new_cites:
        conn.execute(insert(CITATIONS), new_cites)
    if moved:
        conn.execute(
            update(CITATIONS)
            .where(CITATIONS.c.id == bindparam("b_id"))
            .values(
                reference_id=bindparam("b_ref"),
                study_id=bindparam("b_sid"),
                origin=bindparam("b_origin"),
            ),
            moved,
        )
