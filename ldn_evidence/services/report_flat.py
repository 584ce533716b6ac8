"""The csv export's lines read straight from SQL: for a batch of claims, the claims in one
statement and their citations with each one's reference and the study's stored cells
(`study_cells`) in another, written as the csv's lines without building the report's
views (`ClaimEntry`, `CitationEntry`, `StudyRecord`) — what `csv_out.chunks_csv` writes
from a streamed report's claims, byte for byte, which the tests hold it to.

A cited study's cells are its stored ones while they are fresh (`study_cells.current_basis`,
no Retraction Watch notice); else its record is made as the report makes it
(`report_rows.study_records`) and its cells from that.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from sqlalchemy import Connection

from ldn_evidence.export.csv_out import END, SEP, evidence_cells, quoted, study_cells
from ldn_evidence.export.present import reason_of
from ldn_evidence.models import tables
from ldn_evidence.services.flat_rows import (
    FlatReader,
    FlatStatements,
    citation_order,
    reference_columns,
)
from ldn_evidence.services.study_cells import SEPARATOR
from ldn_evidence.services.views import figure_label
from ldn_evidence.viewmodel import StudyRecord
from ldn_evidence.vocab import citation_origin_label

_c = tables.citations.c
_STATEMENTS = FlatStatements(
    (
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
        *reference_columns("id", "position", "raw", "kind", "pmid", "doi", "title", "url"),
    ),
    tables.study_cells,
    ("csv",),
)
_STORED = _STATEMENTS.at["cells_csv"]

_NO_SOURCE = SEP.join([""] * 18)  # a claim without a source: citation_origin … note
_NO_DESIGN = SEP.join([""] * 3)  # … and design, participants, level_rule
_NO_STUDY = (SEP.join([""] * 6), _NO_DESIGN)  # a reference's cells after its title
_ORIGINS: dict[str, str] = {}  # a citation origin's label, quoted
_WORDS: dict[str, str] = {}  # a source kind or verdict (a few words of a vocabulary), quoted


class FlatCsv(FlatReader[tuple[str, str]]):
    """The csv lines of batches of claims (`lines`); a study's value is its two runs of
    cells (`csv_out.study_cells`)."""

    STATEMENTS = _STATEMENTS

    def stored(self, row: Any) -> tuple[str, str]:
        first, _, last = row[_STORED].partition(SEPARATOR)
        return first, last

    def made(self, record: StudyRecord) -> tuple[str, str]:
        return study_cells(record)

    def lines(self, batches: Iterator[Sequence[int]]) -> Iterator[str]:
        for batch in batches:
            yield from self._batch(list(batch))

    def _batch(self, batch: list[int]) -> Iterator[str]:
        selected, runs, studies = self.select(batch)
        q, words = quoted, _WORDS
        for claim, kept, _ in selected:
            (
                claim_id,
                document_id,
                text,
                position,
                _kind,
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
                kept = sorted(kept, key=citation_order)
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


_NO_STUDY_AT_ALL = (SEP.join([""] * 9), _NO_DESIGN)  # a citation of nothing stored


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
