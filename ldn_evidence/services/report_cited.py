"""A streamed report's cited studies (`ReportStream.cited`), for the bibliographies: each
study once, in order of first citation, with the claims that cite it.

`Report.cited` finds them by reading every claim's entry; here SQL gives the same
studies in the same order without building a claim: the selected citations' study ids in
report order (documents in the report's order, a page's claims by position and id, a
claim's citations by reference position and id, as `entries.claim_entry` sorts them), the
first of each kept, then a batch of studies at a time with the claims that cite them
(`cited_studies`), or only what their citation keys are made of (`study_names`).
What is held is a bit for each study already written (`IdBits`), not the studies.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import islice
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Connection, case, func, select

from ldn_evidence.models import tables
from ldn_evidence.services.claim_query import BATCH_SIZE
from ldn_evidence.services.report_rows import study_records
from ldn_evidence.viewmodel import CitedStudy, Citing, StudyName

if TYPE_CHECKING:
    from ldn_evidence.services.report_stream import _Selection

_citation, _claim, _reference = tables.citations.c, tables.claims.c, tables.references.c
_study, _author = tables.studies.c, tables.study_authors.c

_LAST = 10**9  # a citation without a reference position sorts after those with one
# Studies made a batch at a time: a study's rows (authors above all) cost ~20 KB loaded,
# so a batch of 200 holds ~5 MB.
STUDY_BATCH = 200


def cited_studies(
    *,
    conn: Connection,
    sel: _Selection,
    documents: Sequence[int | None],
    detail: bool = True,
    batch_size: int = STUDY_BATCH,
) -> Iterator[CitedStudy]:
    """The studies cited by the selected claims of `documents` (ids in report order; None:
    the claims without a document), `batch_size` studies at a time; `detail`: see
    `entries.study_record`."""
    first = _first_citations(conn, sel, documents, batch_size)
    while ids := list(islice(first, batch_size)):
        records = study_records(conn=conn, ids=ids, detail=detail)
        citing = _citing(conn, sel, ids)
        for study_id in ids:
            yield CitedStudy(records[study_id], citing.get(study_id, []))


def study_names(
    *,
    conn: Connection,
    sel: _Selection,
    documents: Sequence[int | None],
    batch_size: int = BATCH_SIZE,
) -> Iterator[StudyName]:
    """`cited_studies`' studies, only what their citation keys are made of (`StudyName`),
    read as plain rows: no study is built."""
    first = _first_citations(conn, sel, documents, batch_size)
    while ids := list(islice(first, batch_size)):
        rows = conn.execute(
            select(_study.id, _study.pmid, _study.pub_year, _study.title).where(_study.id.in_(ids))
        )
        studies = {study_id: (pmid, year, title) for study_id, pmid, year, title in rows}
        authors = conn.execute(
            select(_author.study_id, _author.last_name, _author.collective_name)
            .where(_author.study_id.in_(ids))
            .order_by(_author.study_id, _author.position)
        )
        firsts: dict[int, tuple[str | None, str | None]] = {}
        for study_id, family, literal in authors:
            firsts.setdefault(study_id, (family, literal))
        for study_id in ids:
            pmid, year, title = studies[study_id]
            family, literal = firsts.get(study_id, (None, None))
            yield StudyName(pmid, family, literal, year, title or "")


def _pairs(sel: _Selection) -> list[ColumnElement[bool]]:
    """The selected citations of a study: the pair filters, and the chosen claims.
    (`sel.claims` also asks that a claim have a citation passing the pair filters: this
    citation passes them.)"""
    where = [_citation.study_id.is_not(None), *sel.pair]
    if sel.claim_ids:
        where.append(_claim.id.in_(sel.claim_ids))
    return where


def _first_citations(
    conn: Connection, sel: _Selection, documents: Sequence[int | None], batch_size: int
) -> Iterator[int]:
    """Each cited study's id once, in order of first citation."""
    seen = IdBits()
    order = (_claim.position, _claim.id, func.coalesce(_reference.position, _LAST), _citation.id)
    for document_id in documents:
        on_page = (
            _claim.document_id.is_(None)
            if document_id is None
            else _claim.document_id == document_id
        )
        query = (
            select(_citation.study_id)
            .join(tables.claims, _claim.id == _citation.claim_id)
            .outerjoin(tables.references, _reference.id == _citation.reference_id)
            .where(on_page, *_pairs(sel))
            .order_by(*order)
            .execution_options(yield_per=batch_size)
        )
        for study_id in conn.scalars(query):
            if study_id is not None and seen.add(study_id):
                yield study_id


class IdBits:
    """A set of row ids as one bit each: a million studies' ids in 125 KB, where a set of
    ints costs ~100 bytes an id."""

    def __init__(self) -> None:
        self._bits = bytearray()

    def add(self, row_id: int) -> bool:
        """Add `row_id`; True when it was not there before."""
        byte, bit = divmod(row_id, 8)
        if byte >= len(self._bits):
            self._bits.extend(bytes(max(byte + 1, 2 * len(self._bits)) - len(self._bits)))
        mask = 1 << bit
        if self._bits[byte] & mask:
            return False
        self._bits[byte] |= mask
        return True


def _citing(
    conn: Connection, sel: _Selection, ids: Sequence[int]
) -> dict[int | None, list[Citing]]:
    """Study id -> the selected claims citing it, in report order."""
    if sel.doc_ids:
        rank = {doc_id: n for n, doc_id in enumerate(sel.doc_ids)}
        pages: tuple[Any, ...] = (case(rank, value=_claim.document_id),)
        on_pages = [_claim.document_id.in_(sel.doc_ids)]
    else:
        pages = (_claim.document_id.is_(None), _claim.document_id)
        on_pages = []
    query = (
        select(
            _citation.study_id,
            _claim.id,
            _claim.document_id,
            _claim.text,
            _citation.verdict,
            _citation.verdict_origin,
            _citation.checked_by,
            _citation.reason,
            _citation.note,
        )
        .join(tables.claims, _claim.id == _citation.claim_id)
        .outerjoin(tables.references, _reference.id == _citation.reference_id)
        .where(_citation.study_id.in_(ids), *on_pages, *_pairs(sel))
        .order_by(
            *pages,
            _claim.position,
            _claim.id,
            func.coalesce(_reference.position, _LAST),
            _citation.id,
        )
    )
    out: dict[int | None, list[Citing]] = {}
    for row in conn.execute(query):
        study_id, claim_id, document_id, text, verdict, origin, by, reason, note = row
        out.setdefault(study_id, []).append(
            Citing(claim_id, document_id, text, verdict, origin, by, reason, note)
        )
    return out
