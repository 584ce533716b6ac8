"""The csv export's rows read straight from SQL: for a batch of claims, the claims in one
statement and their citations with each one's reference, study and the study's stored
cells (`study_cells`) in another, made into the csv's cells without building the report's
views (`ClaimEntry`, `CitationEntry`, `StudyRecord`) — what `csv_out.rows` writes from a
streamed report, cell for cell, which the tests hold it to.

A cited study's cells are its stored ones while they are fresh (`study_cells.basis_of` the
study as read, no Retraction Watch notice); else its record is made as the report makes
it (`report_rows.study_records`) and its cells from that.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from operator import attrgetter
from typing import Any

from sqlalchemy import Connection, exists, select

from ldn_evidence.export.csv_out import evidence_cells, neutralise, study_cells
from ldn_evidence.export.present import reason_of
from ldn_evidence.models import tables
from ldn_evidence.services.evidence_runs import latest_evidence_for
from ldn_evidence.services.report_rows import StudyRecords, study_records
from ldn_evidence.services.rows import NOTICE_MATCH, columns, ids
from ldn_evidence.services.study_cells import BASIS_COLUMNS, SEPARATOR, basis
from ldn_evidence.services.views import figure_label
from ldn_evidence.vocab import citation_origin_label

_c, _r, _s, _cells = (
    tables.citations.c,
    tables.references.c,
    tables.studies.c,
    tables.study_cells.c,
)
_CLAIMS = select(
    *columns(
        tables.claims,
        "id",
        "document_id",
        "position",
        "text",
        "condition",
        "intervention",
        "dose",
        "outcome",
        "population",
        "figure_value",
        "figure_unit",
        "figure_qualifier",
        "figure_text",
    )
).where(tables.claims.c.id.in_(ids()))
_CITATION_COLUMNS = (
    _c.claim_id,
    _c.id,
    _c.origin,
    _c.verdict,
    _c.verdict_origin,
    _c.evidence_sentence,
    _c.reason,
    _c.note,
    _c.checked_at,
    _c.checked_by,
    _c.study_id,
    _r.id.label("ref_id"),
    _r.position.label("ref_position"),
    _r.raw.label("ref_raw"),
    _r.kind.label("ref_kind"),
    _r.pmid.label("ref_pmid"),
    _r.doi.label("ref_doi"),
    _r.title.label("ref_title"),
    _r.url.label("ref_url"),
    *(_s[name].label(f"s_{name}") for name in BASIS_COLUMNS),
    _cells.basis.label("cells_basis"),
    _cells.csv.label("cells"),
)
_FROM = (
    tables.citations.outerjoin(tables.references, _r.id == _c.reference_id)
    .outerjoin(tables.studies, _s.id == _c.study_id)
    .outerjoin(tables.study_cells, _cells.study_id == _c.study_id)
)
_CITATIONS = select(*_CITATION_COLUMNS).select_from(_FROM).where(_c.claim_id.in_(ids()))
# the same, each study with whether a Retraction Watch notice names it (then worked out)
_CITATIONS_NOTICED = (
    select(*_CITATION_COLUMNS, exists().where(NOTICE_MATCH).label("noticed"))
    .select_from(_FROM)
    .where(_c.claim_id.in_(ids()))
)

_NO_STUDY = [""] * 12  # a study's cells (`csv_out.STUDY_COLUMNS`)
_NO_SOURCE = [""] * 18  # a claim without a source: citation_origin … note
_NO_DESIGN = [""] * 3  # … and design, participants, level_rule
_BASIS = attrgetter(*(f"s_{name}" for name in BASIS_COLUMNS))  # a row's study values
_LAST = 10**9  # a citation without a reference position comes after those with one


class FlatCsv:
    """The csv rows of batches of claims (`rows`), with what the export keeps between
    batches: the studies worked out already, whether any notice or evidence run exists."""

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
        noticed = conn.scalar(select(tables.retraction_notices.c.id).limit(1)) is not None
        self.noticed = noticed
        self.statement = _CITATIONS_NOTICED if noticed else _CITATIONS
        self.records = StudyRecords()  # studies worked out, as the view-based export keeps
        self.live: dict[int, list[str]] = {}  # their cells, while their record is kept

    def rows(self, batches: Iterator[Sequence[int]]) -> Iterator[list[str]]:
        for batch in batches:
            yield from self._batch(list(batch))

    def _keep(self, c: Any) -> bool:
        if self.verdict is not None and c.verdict != self.verdict:
            return False
        if self.pmids is None:
            return True
        pmid = c.s_pmid if c.study_id is not None else c.ref_pmid if c.ref_id is not None else None
        return pmid in self.pmids

    def _batch(self, batch: list[int]) -> Iterator[list[str]]:
        conn = self.conn
        claims = {row.id: row for row in conn.execute(_CLAIMS, {"ids": batch}).all()}
        cited: dict[int, list[Any]] = {}
        for row in conn.execute(self.statement, {"ids": batch}).all():
            cited.setdefault(row.claim_id, []).append(row)
        selected = []
        for claim_id in batch:
            claim = claims.get(claim_id)
            if claim is None:
                continue
            kept = cited.get(claim_id, [])
            if self.pair_filter:
                kept = [c for c in kept if self._keep(c)]
                if not kept:
                    continue
            selected.append((claim, kept))
        runs = (
            latest_evidence_for(db=conn, claim_ids=[c.id for c, _ in selected])
            if self.evidence
            else {}
        )
        cells = self._study_cells(c for _, kept in selected for c in kept)
        n = neutralise
        for claim, kept in selected:
            head = [
                n(claim.document_id),
                n(claim.id),
                n(claim.position),
                n(claim.text),
                n(figure_label(claim)),  # type: ignore[arg-type]  # a row shaped as a Claim
            ]
            middle = [
                n(claim.condition),
                n(claim.intervention),
                n(claim.dose),
                n(claim.outcome),
                n(claim.population),
            ]
            tail = evidence_cells(runs.get(claim.id))
            if not kept:
                yield [*head, *_NO_SOURCE, *middle, *_NO_DESIGN, *tail]
                continue
            if len(kept) > 1:
                kept = sorted(kept, key=_order)
            for c in kept:
                study = cells.get(c.study_id, _NO_STUDY) if c.study_id is not None else None
                if study is None:
                    if c.ref_id is not None:
                        study = [n(c.ref_pmid), n(c.ref_doi), n(c.ref_title or c.ref_url)]
                        study += _NO_STUDY[3:]
                    else:
                        study = _NO_STUDY
                    kind = c.ref_kind if c.ref_id is not None else "unknown"
                else:
                    kind = "study"
                checked = c.checked_at.isoformat() if c.checked_at is not None else None
                by = c.checked_by
                yield [
                    *head,
                    n(citation_origin_label(c.origin)),
                    n(kind),
                    n(c.ref_raw) if c.ref_id is not None else "",
                    *study[:9],
                    n(c.verdict),
                    n(c.evidence_sentence),
                    n(by or ("automatic" if checked else "")),
                    n(checked),
                    n(
                        reason_of(
                            c.reason, c.verdict, bool(checked or c.checked_by), c.verdict_origin
                        )
                    ),
                    n(c.note),
                    *middle,
                    *study[9:],
                    *tail,
                ]

    def _study_cells(self, citations: Iterator[Any]) -> dict[int, list[str]]:
        """Each cited study's cells: stored and fresh, or worked out."""
        found: dict[int, list[str]] = {}
        wanted: set[int] = set()
        noticed = self.noticed
        for c in citations:
            study_id = c.study_id
            if study_id is None or study_id in found:
                continue
            stored = c.cells
            if (
                stored is not None
                and not (noticed and c.noticed)
                and c.cells_basis == basis(_BASIS(c))
            ):
                found[study_id] = stored.split(SEPARATOR)
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
                found[study_id] = self.live[study_id] = study_cells(record)
            for study_id in list(self.live):
                if self.records.get(study_id) is None:
                    del self.live[study_id]
        return found


def _order(c: Any) -> tuple[int, int]:
    position = c.ref_position if c.ref_id is not None and c.ref_position is not None else _LAST
    return (position, c.id)


def flat_rows(
    conn: Connection,
    batches: Callable[[], Iterator[Sequence[int]]],
    *,
    verdict: str | None,
    pmids: set[str] | None,
    evidence: bool,
) -> Iterator[list[str]]:
    """The csv's rows (cells in `csv_out.COLUMNS` order, neutralised, the header aside) of
    the claims `batches()` gives, in that order."""
    flat = FlatCsv(conn, verdict=verdict, pmids=pmids, evidence=evidence)
    return flat.rows(batches())
