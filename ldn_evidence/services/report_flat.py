"""The csv export's lines read straight from SQL: for a batch of claims, the claims in one
statement and their citations with each one's reference, study and the study's stored
cells (`study_cells`) in another, written as the csv's lines without building the report's
views (`ClaimEntry`, `CitationEntry`, `StudyRecord`) — what `csv_out.chunks_csv` writes
from a streamed report's claims, byte for byte, which the tests hold it to.

A cited study's cells are its stored ones while they are fresh (`study_cells.basis_of` the
study as read, no Retraction Watch notice); else its record is made as the report makes
it (`report_rows.study_records`) and its cells from that.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, exists, select

from ldn_evidence.export.csv_out import END, SEP, evidence_cells, quoted, study_cells
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
_AT = {column.key: i for i, column in enumerate(_CITATION_COLUMNS)}  # a value's place in a row
_BASIS = slice(_AT[f"s_{BASIS_COLUMNS[0]}"], _AT[f"s_{BASIS_COLUMNS[-1]}"] + 1)  # study values
_STUDY_ID, _STORED_BASIS, _STORED = _AT["study_id"], _AT["cells_basis"], _AT["cells"]
_NOTICED = len(_CITATION_COLUMNS)  # the column `_CITATIONS_NOTICED` adds
_CITATIONS = select(*_CITATION_COLUMNS).select_from(_FROM).where(_c.claim_id.in_(ids()))
# the same, each study with whether a Retraction Watch notice names it (then worked out)
_CITATIONS_NOTICED = (
    select(*_CITATION_COLUMNS, exists().where(NOTICE_MATCH).label("noticed"))
    .select_from(_FROM)
    .where(_c.claim_id.in_(ids()))
)

_NO_SOURCE = SEP.join([""] * 18)  # a claim without a source: citation_origin … note
_NO_DESIGN = SEP.join([""] * 3)  # … and design, participants, level_rule
_NO_STUDY = (SEP.join([""] * 6), _NO_DESIGN)  # a reference's cells after its title
_LAST = 10**9  # a citation without a reference position comes after those with one
_ORIGINS: dict[str, str] = {}  # a citation origin's label, quoted
_WORDS: dict[str, str] = {}  # a source kind or verdict (a few words of a vocabulary), quoted


class FlatCsv:
    """The csv lines of batches of claims (`lines`), with what the export keeps between
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
        self.noticed = conn.scalar(select(tables.retraction_notices.c.id).limit(1)) is not None
        self.statement = _CITATIONS_NOTICED if self.noticed else _CITATIONS
        self.records = StudyRecords()  # studies worked out, as the view-based export keeps
        self.live: dict[int, tuple[str, str]] = {}  # their cells, while their record is kept

    def lines(self, batches: Iterator[Sequence[int]]) -> Iterator[str]:
        for batch in batches:
            yield from self._batch(list(batch))

    def _keep(self, c: Any) -> bool:
        if self.verdict is not None and c.verdict != self.verdict:
            return False
        if self.pmids is None:
            return True
        pmid = c.s_pmid if c.study_id is not None else c.ref_pmid if c.ref_id is not None else None
        return pmid in self.pmids

    def _batch(self, batch: list[int]) -> Iterator[str]:
        conn = self.conn
        claims = {row[0]: row for row in conn.execute(_CLAIMS, {"ids": batch}).all()}
        cited: dict[int, list[Any]] = {}
        for row in conn.execute(self.statement, {"ids": batch}).all():
            cited.setdefault(row[0], []).append(row)
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
        studies = self._study_cells(c for _, kept in selected for c in kept)
        q, words = quoted, _WORDS
        for claim, kept in selected:
            (
                claim_id,
                document_id,
                position,
                text,
                condition,
                intervention,
                dose,
                outcome,
                population,
                *_,
            ) = claim
            first = '"' + SEP.join(
                (q(document_id), q(claim_id), q(position), q(text), q(figure_label(claim)))  # type: ignore[arg-type]
            )
            middle = SEP.join((q(condition), q(intervention), q(dose), q(outcome), q(population)))
            last = SEP.join(evidence_cells(runs.get(claim_id))) + END
            if not kept:
                yield SEP.join((first, _NO_SOURCE, middle, _NO_DESIGN, last))
                continue
            if len(kept) > 1:
                kept = sorted(kept, key=_order)
            for c in kept:
                (
                    _,
                    _,
                    origin,
                    verdict,
                    verdict_origin,
                    sentence,
                    reason,
                    note,
                    checked_at,
                    by,
                    study_id,
                    ref_id,
                    _,
                    ref_raw,
                    ref_kind,
                    ref_pmid,
                    ref_doi,
                    ref_title,
                    ref_url,
                    *_,
                ) = c
                if study_id is not None:
                    kind = "study"
                    study = studies[study_id]
                elif ref_id is not None:
                    kind = ref_kind
                    title = q(ref_title or ref_url)
                    study = (SEP.join((q(ref_pmid), q(ref_doi), title, _NO_STUDY[0])), _NO_DESIGN)
                else:
                    kind, study = "unknown", _NO_STUDY_AT_ALL
                label = _ORIGINS.get(origin)
                if label is None:
                    label = _ORIGINS[origin] = q(citation_origin_label(origin))
                kind_cell = words.get(kind)
                if kind_cell is None:
                    kind_cell = words[kind] = q(kind)
                verdict_cell = words.get(verdict)
                if verdict_cell is None:
                    verdict_cell = words[verdict] = q(verdict)
                if checked_at is None:
                    checked = reviewer = ""
                else:
                    checked = q(checked_at.isoformat())
                    reviewer = "automatic"
                if by:
                    reviewer = q(by)
                why = reason_of(reason, verdict, bool(checked or by), verdict_origin)
                yield SEP.join(
                    (
                        first,
                        label,
                        kind_cell,
                        q(ref_raw) if ref_id is not None else "",
                        study[0],
                        verdict_cell,
                        q(sentence) if sentence is not None else "",
                        reviewer,
                        checked,
                        q(why) if why is not None else "",
                        q(note) if note is not None else "",
                        middle,
                        study[1],
                        last,
                    )
                )

    def _study_cells(self, citations: Iterator[Any]) -> dict[int, tuple[str, str]]:
        """Each cited study's cells (`csv_out.study_cells`): stored and fresh, or worked
        out."""
        found: dict[int, tuple[str, str]] = {}
        wanted: set[int] = set()
        noticed = self.noticed
        for c in citations:
            study_id = c[_STUDY_ID]
            if study_id is None or study_id in found:
                continue
            stored = c[_STORED]
            if (
                stored is not None
                and not (noticed and c[_NOTICED])
                and c[_STORED_BASIS] == basis(c[_BASIS])
            ):
                first, _, last = stored.partition(SEPARATOR)
                found[study_id] = (first, last)
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


_NO_STUDY_AT_ALL = (SEP.join([""] * 9), _NO_DESIGN)  # a citation of nothing stored


def _order(c: Any) -> tuple[int, int]:
    position = c.ref_position if c.ref_id is not None and c.ref_position is not None else _LAST
    return (position, c.id)


def flat_lines(
    conn: Connection,
    batches: Callable[[], Iterator[Sequence[int]]],
    *,
    verdict: str | None,
    pmids: set[str] | None,
    evidence: bool,
) -> Iterator[str]:
    """The csv's lines (its header aside) of the claims `batches()` gives, in that order."""
    flat = FlatCsv(conn, verdict=verdict, pmids=pmids, evidence=evidence)
    return flat.lines(batches())
