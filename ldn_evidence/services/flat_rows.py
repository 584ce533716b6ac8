"""What the exports written straight from SQL (`report_flat`: csv, `report_flat_json`:
json) share: the two statements of a batch of claims (the claims; their citations with
each one's reference and the study's stored values in a store table), the pair filters,
the claims a batch keeps, and each cited study's values — its stored ones while they are
fresh (`study_cells.current_basis()`, no Retraction Watch notice), else made from its
record as the report makes it (`report_rows.study_records`), kept while the record is.

A fresh row is kept so by the database (the trigger `tables.STORE_TRIGGERS`), so the
statement reads nothing of `studies` but the PMID of a study without a row: a study's row
there is large (its record), and seeking it was a third of the statement's time.

Each writer names its own columns and what it makes of a stored row or a record; the
rows are read by position (`FlatStatements.at`), the fastest way a row is read.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from typing import Any, Generic, TypeVar

from sqlalchemy import Column, ColumnElement, Connection, Select, Table, exists, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import NullType

from ldn_evidence.models import tables
from ldn_evidence.models.tables import CLAIM_DATA_COLUMNS
from ldn_evidence.services.evidence_runs import latest_evidence_for
from ldn_evidence.services.report_rows import StudyRecords, study_records
from ldn_evidence.services.rows import NOTICE_MATCH, any_notice, columns, ids
from ldn_evidence.services.study_cells import current_basis
from ldn_evidence.viewmodel import StudyRecord

T = TypeVar("T")

_c, _r, _s = tables.citations.c, tables.references.c, tables.studies.c
# A claim's columns, as the streamed report reads them (`report_rows`): id, document_id,
# text, then `CLAIM_DATA_COLUMNS` in their order.
CLAIM_COLUMNS = ("id", "document_id", "text", *CLAIM_DATA_COLUMNS)
LAST = 10**9  # a citation without a reference position comes after those with one


class FlatStatements:
    """A writer's statements: `claims` (`CLAIM_COLUMNS`) and
    `citations` / `citations_noticed` (the citation's and reference's columns given, the
    study's PMID as `s_pmid` (its stored row's, else its own), the `store` table's
    `stored` columns as `cells_<name>` (those in `as_bytes` as their UTF-8 bytes,
    `utf8_bytes`), its `basis` as `cells_basis`; the second joins the
    study, for whether a Retraction Watch notice names it, last). The claim id comes first
    and the study id is named `study_id`."""

    def __init__(
        self,
        citation_columns: Sequence[ColumnElement[Any]],
        store: Table,
        stored: Sequence[str],
        as_bytes: Sequence[str] = (),
    ) -> None:
        kept = store.c
        self.claims: Select[Any] = select(*columns(tables.claims, *CLAIM_COLUMNS)).where(
            tables.claims.c.id.in_(ids())
        )
        own = tables.studies.alias("own")  # not the one `citations_noticed` joins
        own_pmid = select(own.c.pmid).where(own.c.id == _c.study_id).scalar_subquery()
        every = (
            *citation_columns,
            # the stored row's PMID; the study's own is sought only for a study without one
            func.coalesce(kept.pmid, own_pmid).label("s_pmid"),
            kept.basis.label("cells_basis"),
            *(
                (utf8_bytes(kept[name]) if name in as_bytes else kept[name]).label(f"cells_{name}")
                for name in stored
            ),
        )
        joined = tables.citations.outerjoin(tables.references, _r.id == _c.reference_id).outerjoin(
            store, kept.study_id == _c.study_id
        )
        self.citations: Select[Any] = (
            select(*every).select_from(joined).where(_c.claim_id.in_(ids()))
        )
        self.citations_noticed: Select[Any] = (
            select(*every, exists().where(NOTICE_MATCH).label("noticed"))
            .select_from(joined.outerjoin(tables.studies, _s.id == _c.study_id))
            .where(_c.claim_id.in_(ids()))
        )
        self.at = {column.key: i for i, column in enumerate(every)}  # a value's place
        self.study_id = self.at["study_id"]
        self.stored_basis = self.at["cells_basis"]
        self.first_stored = self.at[f"cells_{stored[0]}"]
        self.noticed = len(every)  # the column `citations_noticed` adds


class utf8_bytes(FunctionElement[Any]):  # noqa: N801  (a SQL function's name)
    """A text column's value as its UTF-8 bytes, as the driver reads a blob: not decoded
    into a str (nor encoded back by a writer of bytes; a third of the studies' json is not
    ASCII). SQLite: `CAST(x AS BLOB)`; PostgreSQL: `convert_to(x, 'UTF8')`."""

    type = NullType()  # no result processing: the driver's bytes as they come
    inherit_cache = True
    name = "utf8_bytes"


@compiles(utf8_bytes)
def _cast_as_blob(element: utf8_bytes, compiler: Any, **kw: Any) -> str:
    return f"CAST({compiler.process(element.clauses, **kw)} AS BLOB)"


@compiles(utf8_bytes, "postgresql")
def _convert_to_utf8(element: utf8_bytes, compiler: Any, **kw: Any) -> str:
    return f"convert_to({compiler.process(element.clauses, **kw)}, 'UTF8')"


def reference_columns(*names: str) -> list[Column[Any]]:
    """The reference's columns, each labelled `ref_<name>`."""
    return [_r[name].label(f"ref_{name}") for name in names]  # type: ignore[misc]


class FlatReader(ABC, Generic[T]):
    """Batches of claims read for a writer (`STATEMENTS`), with what the export keeps
    between batches: the studies worked out already (`records`, and each one's value,
    `live`), whether any notice exists. `stored` and `made` say what a study's value is,
    from its stored row or from its record."""

    STATEMENTS: FlatStatements

    def __init__(
        self,
        conn: Connection,
        *,
        verdict: str | None,
        pmids: set[str] | None,
        evidence: bool,
    ) -> None:
        self.conn = conn
        self.verdict = verdict
        self.pmids = pmids
        self.pair_filter = verdict is not None or pmids is not None
        self.evidence = evidence
        self.noticed = any_notice(conn)
        s = self.STATEMENTS
        self.statement = s.citations_noticed if self.noticed else s.citations
        self.records = StudyRecords()  # studies worked out, as the view-based export keeps
        self.live: dict[int, T] = {}  # their values, while their record is kept

    @abstractmethod
    def stored(self, row: Any) -> T:
        """A study's value from its fresh stored row (`row`: a citation's)."""

    @abstractmethod
    def made(self, record: StudyRecord) -> T:
        """A study's value from its record, worked out."""

    def _keep(self, c: Any) -> bool:
        if self.verdict is not None and c.verdict != self.verdict:
            return False
        if self.pmids is None:
            return True
        pmid = c.s_pmid if c.study_id is not None else c.ref_pmid if c.ref_id is not None else None
        return pmid in self.pmids

    def select(
        self, batch: list[int]
    ) -> tuple[list[tuple[Any, list[Any], bool]], dict[int, Any], dict[int, T]]:
        """The batch's claims in its order, each with its citations the filters keep and
        whether it cites anything at all (a claim whose citations are all filtered out is
        left out); the claims' last evidence runs; the cited studies' values."""
        conn = self.conn
        rows = conn.execute(self.STATEMENTS.claims, {"ids": batch}).all()  # all: one fetch
        claims = {row[0]: row for row in rows}
        cited: dict[int, list[Any]] = {}
        for row in conn.execute(self.statement, {"ids": batch}).all():
            cited.setdefault(row[0], []).append(row)
        selected = []
        for claim_id in batch:
            claim = claims.get(claim_id)
            if claim is None:
                continue
            every = cited.get(claim_id, [])
            kept = every
            if self.pair_filter:
                kept = [c for c in every if self._keep(c)]
                if not kept:
                    continue
            selected.append((claim, kept, bool(every)))
        runs = (
            latest_evidence_for(db=conn, claim_ids=[c.id for c, _, _ in selected])
            if self.evidence
            else {}
        )
        return selected, runs, self._studies(c for _, kept, _ in selected for c in kept)

    def _studies(self, citations: Iterable[Any]) -> dict[int, T]:
        s = self.STATEMENTS
        at_id, at_stored, at_basis, at_noticed = (
            s.study_id,
            s.first_stored,
            s.stored_basis,
            s.noticed,
        )
        current = current_basis()
        found: dict[int, T] = {}
        wanted: set[int] = set()
        noticed = self.noticed
        for c in citations:
            study_id = c[at_id]
            if study_id is None or study_id in found:
                continue
            if (
                c[at_stored] is not None
                and not (noticed and c[at_noticed])
                and c[at_basis] == current
            ):
                found[study_id] = self.stored(c)
                continue
            live = self.live.get(study_id)
            if live is not None and self.records.get(study_id) is not None:
                found[study_id] = live
            else:
                wanted.add(study_id)
        if wanted:
            records = study_records(conn=self.conn, ids=wanted, records=self.records)
            for study_id, record in records.items():
                if study_id is None:
                    continue
                found[study_id] = self.live[study_id] = self.made(record)
            for study_id in list(self.live):
                if self.records.get(study_id) is None:
                    del self.live[study_id]
        return found


def citation_order(c: Any) -> tuple[int, int]:
    """A claim's citations in the report's order: by reference position, then id."""
    position = c.ref_position if c.ref_id is not None and c.ref_position is not None else LAST
    return (position, c.id)
