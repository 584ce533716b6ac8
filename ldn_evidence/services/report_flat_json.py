"""The json export's claims read straight from SQL: for a batch of claims, the claims in one
statement and their citations with each one's reference, study and the study's stored
values (`study_json`: the study object as the file holds it, its red-flag marks and their
basis) in another, each claim written by `json_out.claim_text` without the report's views
(`ClaimEntry`, `CitationEntry`, `StudyRecord`) — the bytes `json_out` writes from a
streamed report's claims, which the tests hold it to.

With each claim comes what its page's red flags read of it (`red_flags.PageFlags.add`):
the claim's text, figure and flags, its citations' verdicts and references, and each cited
study's `figure_marks.Marks` (flags, title, the abstract's figures), so a page is flagged
without reading an abstract.

A cited study's text and marks are its stored ones while they are fresh
(`study_cells.current_basis`, no Retraction Watch notice); else its record is made as the
report makes it (`report_rows.study_records`), written, and flagged from its abstract.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import fields
from typing import Any

from ldn_evidence.export.json_out import claim_text, study_text
from ldn_evidence.figures import Figure as ClaimFigure
from ldn_evidence.models import tables
from ldn_evidence.services.figure_marks import Marks, figure_in_marks, marks_of
from ldn_evidence.services.flat_rows import (
    FlatReader,
    FlatStatements,
    citation_order,
    reference_columns,
)
from ldn_evidence.services.views import figure_label
from ldn_evidence.viewmodel import Figure, JsonText, ReferenceEntry, StudyRecord
from ldn_evidence.vocab import citation_origin_label

_c = tables.citations.c
_STATEMENTS = FlatStatements(
    (
        _c.claim_id,
        _c.id,
        _c.origin,
        _c.verdict,
        _c.verdict_origin,
        _c.study_figure,
        _c.evidence_sentence,
        _c.evidence_location,
        _c.reason,
        _c.note,
        tables.UTCDateTime.raw(_c.checked_at),  # as stored, made ISO here (`UTCDateTime.iso`)
        _c.checked_by,
        _c.checked_record_sha256,
        _c.study_id,
        # the reference's position, then its `ReferenceEntry` fields in their order
        *reference_columns("position", *(f.name for f in fields(ReferenceEntry))),
    ),
    tables.study_json,
    ("json", "marks"),
    as_bytes=("json",),  # spliced into the claim's bytes as it stands
)
_REFERENCE = slice(_STATEMENTS.at["ref_id"], _STATEMENTS.at["ref_error"] + 1)
_PMID = _STATEMENTS.at["s_pmid"]
_JSON, _MARKS = _STATEMENTS.at["cells_json"], _STATEMENTS.at["cells_marks"]
_ORIGINS: dict[str, str] = {}  # a citation origin's label
iso = tables.UTCDateTime.iso


class FlagCitation:
    """A citation as a page's red flags read it (`CitationEntry`'s verdict, reference and
    study: a stored study's `Marks`, or a study worked out, its `StudyRecord`)."""

    __slots__ = ("verdict", "verdict_origin", "reason", "note", "reference", "study")

    def __init__(
        self,
        verdict: str,
        verdict_origin: str,
        reason: str | None,
        note: str | None,
        reference: ReferenceEntry | None,
        study: Any,
    ) -> None:
        self.verdict = verdict
        self.verdict_origin = verdict_origin
        self.reason = reason
        self.note = note
        self.reference = reference
        self.study = study

    @property
    def source_label(self) -> str:  # as `CitationEntry.source_label`
        ref = self.reference
        if ref is None:
            return ""
        return ref.title or ref.url or ref.raw


class FlagClaim:
    """A claim as a page's red flags read it (`ClaimEntry`'s id, text, figure, flags and
    citations)."""

    __slots__ = ("id", "text", "figure", "figure_label", "unsourced", "citations")

    def __init__(
        self,
        id: int,
        text: str,
        figure: Figure | None,
        figure_label: str,
        unsourced: bool,
        citations: list[FlagCitation],
    ) -> None:
        self.id = id
        self.text = text
        self.figure = figure
        self.figure_label = figure_label
        self.unsourced = unsourced
        self.citations = citations


def present(figure: ClaimFigure, study: Any) -> bool:
    """Whether a cited study's abstract states the figure: from a stored study's marks, or
    read off a worked-out study's abstract (`red_flags.PageFlags`'s `present`)."""
    if type(study) is Marks:
        return figure_in_marks(figure, study)
    from ldn_evidence.verification.figure_presence import figure_in_abstract

    return figure_in_abstract(figure, study.abstract)


class FlatJson(FlatReader[tuple[str | bytes, Any]]):
    """The json of batches of claims (`claims`: each claim's `JsonText` with its
    `FlagClaim`); a study's value is its text (`json_out.study_text`) and what its red
    flags read: stored and fresh, its `Marks`; worked out, its `StudyRecord`."""

    STATEMENTS = _STATEMENTS

    def stored(self, row: Any) -> tuple[str | bytes, Any]:
        return row[_JSON], marks_of(row[_PMID], row[_MARKS])

    def made(self, record: StudyRecord) -> tuple[str | bytes, Any]:
        return study_text(record), record

    def claims(self, batches: Iterator[Sequence[int]]) -> Iterator[tuple[JsonText, FlagClaim]]:
        for batch in batches:
            yield from self._batch(list(batch))

    def _batch(self, batch: list[int]) -> Iterator[tuple[JsonText, FlagClaim]]:
        selected, runs, studies = self.select(batch)
        origins = _ORIGINS
        for claim, kept, any_cited in selected:
            (
                claim_id,
                document_id,
                text,
                position,
                kind,
                condition,
                intervention,
                dose,
                outcome,
                population,
                figure_value,
                figure_unit,
                figure_qualifier,
                figure_text,
            ) = claim
            if len(kept) > 1:
                kept = sorted(kept, key=citation_order)
            citations = []
            flagged = []
            for c in kept:
                (
                    _,
                    citation_id,
                    origin,
                    verdict,
                    verdict_origin,
                    study_figure,
                    sentence,
                    location,
                    reason,
                    note,
                    checked_at,
                    checked_by,
                    checked_sha256,
                    study_id,
                    *_,
                ) = c
                reference = c[_REFERENCE]
                ref = ReferenceEntry(*reference) if reference[0] is not None else None
                text_of: str | bytes | None = None
                study: Any = None
                if study_id is not None:
                    source_kind = "study"
                    text_of, study = studies[study_id]
                else:
                    source_kind = ref.kind if ref is not None else "unknown"
                label = origins.get(origin)
                if label is None:
                    label = origins[origin] = citation_origin_label(origin)
                citations.append(
                    {
                        "id": citation_id,
                        "origin": origin,
                        "origin_label": label,
                        "source_kind": source_kind,
                        "verdict": verdict,
                        "verdict_origin": verdict_origin,
                        "study_figure": study_figure,
                        "evidence_sentence": sentence,
                        "evidence_source": (
                            None if not sentence else "full_text" if location else "abstract"
                        ),
                        "evidence_location": location,
                        "reason": reason,
                        "note": note,
                        "checked_at": iso(checked_at),
                        "checked_by": checked_by,
                        "checked_record_sha256": checked_sha256,
                        "reference": ref,
                        "study": text_of,
                    }
                )
                flagged.append(FlagCitation(verdict, verdict_origin, reason, note, ref, study))
            if figure_value is None:
                figure = None
                label_text = ""
            else:
                figure = Figure(figure_value, figure_unit, figure_qualifier, figure_text)
                label_text = figure_label(claim)  # type: ignore[arg-type]  # a Row shaped as a Claim
            unsourced = figure_value is not None and not any_cited
            data = {
                "id": claim_id,
                "document_id": document_id,
                "position": position,
                "text": text,
                "kind": kind,
                "figure": figure,
                "figure_label": label_text,
                "condition": condition,
                "intervention": intervention,
                "dose": dose,
                "outcome": outcome,
                "population": population,
                "unsourced": unsourced,
                "citations": citations,
                "stronger_evidence": runs.get(claim_id),
            }
            yield (
                claim_text(data),
                FlagClaim(claim_id, text, figure, label_text, unsourced, flagged),
            )
