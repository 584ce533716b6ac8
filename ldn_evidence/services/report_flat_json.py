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

A cited study's text and marks are its stored ones while they are fresh (the basis of the
study as read, no Retraction Watch notice); else its record is made as the report makes
it (`report_rows.study_records`), written, and flagged from its abstract.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, exists, select

from ldn_evidence.export.json_out import claim_text, study_text
from ldn_evidence.figures import Figure as ClaimFigure
from ldn_evidence.models import tables
from ldn_evidence.services.evidence_runs import latest_evidence_for
from ldn_evidence.services.figure_marks import Marks, figure_in_marks, marks_of
from ldn_evidence.services.report_rows import StudyRecords, study_records
from ldn_evidence.services.rows import NOTICE_MATCH, columns, ids
from ldn_evidence.services.study_cells import BASIS_COLUMNS, basis
from ldn_evidence.services.views import figure_label
from ldn_evidence.viewmodel import Figure, JsonText
from ldn_evidence.vocab import citation_origin_label

_c, _r, _s, _json = (
    tables.citations.c,
    tables.references.c,
    tables.studies.c,
    tables.study_json.c,
)
_CLAIMS = select(
    *columns(
        tables.claims,
        "id",
        "document_id",
        "position",
        "text",
        "kind",
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
    _c.study_figure,
    _c.evidence_sentence,
    _c.evidence_location,
    _c.reason,
    _c.note,
    _c.checked_at,
    _c.checked_by,
    _c.checked_record_sha256,
    _c.study_id,
    _r.id.label("ref_id"),
    _r.position.label("ref_position"),
    _r.raw.label("ref_raw"),
    _r.kind.label("ref_kind"),
    _r.url.label("ref_url"),
    _r.title.label("ref_title"),
    _r.pmid.label("ref_pmid"),
    _r.doi.label("ref_doi"),
    _r.status.label("ref_status"),
    _r.error.label("ref_error"),
    *(_s[name].label(f"s_{name}") for name in BASIS_COLUMNS),
    _json.basis.label("cells_basis"),
    _json.json.label("cells_json"),
    _json.marks.label("cells_marks"),
)
_FROM = (
    tables.citations.outerjoin(tables.references, _r.id == _c.reference_id)
    .outerjoin(tables.studies, _s.id == _c.study_id)
    .outerjoin(tables.study_json, _json.study_id == _c.study_id)
)
_AT = {column.key: i for i, column in enumerate(_CITATION_COLUMNS)}  # a value's place in a row
_BASIS = slice(_AT[f"s_{BASIS_COLUMNS[0]}"], _AT[f"s_{BASIS_COLUMNS[-1]}"] + 1)
_STUDY_ID, _PMID = _AT["study_id"], _AT["s_pmid"]
_STORED_BASIS, _JSON, _MARKS = _AT["cells_basis"], _AT["cells_json"], _AT["cells_marks"]
_NOTICED = len(_CITATION_COLUMNS)  # the column `_CITATIONS_NOTICED` adds
_CITATIONS = select(*_CITATION_COLUMNS).select_from(_FROM).where(_c.claim_id.in_(ids()))
# the same, each study with whether a Retraction Watch notice names it (then worked out)
_CITATIONS_NOTICED = (
    select(*_CITATION_COLUMNS, exists().where(NOTICE_MATCH).label("noticed"))
    .select_from(_FROM)
    .where(_c.claim_id.in_(ids()))
)
_LAST = 10**9  # a citation without a reference position comes after those with one
_ORIGINS: dict[str, str] = {}  # a citation origin's label


@dataclass(slots=True)
class FlagReference:
    """A cited reference: what the file holds (`ReferenceEntry`'s fields, in its order:
    orjson writes a dataclass as it writes the view) and a page's red flags read."""

    id: int
    raw: str
    kind: str
    url: str | None
    title: str | None
    pmid: str | None
    doi: str | None
    status: str
    error: str | None


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
        reference: FlagReference | None,
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


class FlatJson:
    """The json of batches of claims (`claims`: each claim's `JsonText` with its
    `FlagClaim`), with what the export keeps between batches: the studies worked out
    already, whether any notice or evidence run exists."""

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
        self.live: dict[int, tuple[str, Any]] = {}  # their text, while their record is kept

    def claims(self, batches: Iterator[Sequence[int]]) -> Iterator[tuple[JsonText, FlagClaim]]:
        for batch in batches:
            yield from self._batch(list(batch))

    def _keep(self, c: Any) -> bool:
        if self.verdict is not None and c.verdict != self.verdict:
            return False
        if self.pmids is None:
            return True
        pmid = c.s_pmid if c.study_id is not None else c.ref_pmid if c.ref_id is not None else None
        return pmid in self.pmids

    def _batch(self, batch: list[int]) -> Iterator[tuple[JsonText, FlagClaim]]:
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
        studies = self._studies(c for _, kept, _ in selected for c in kept)
        origins = _ORIGINS
        for claim, kept, any_cited in selected:
            (
                claim_id,
                document_id,
                position,
                text,
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
                kept = sorted(kept, key=_order)
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
                    ref_id,
                    _,
                    ref_raw,
                    ref_kind,
                    ref_url,
                    ref_title,
                    ref_pmid,
                    ref_doi,
                    ref_status,
                    ref_error,
                    *_,
                ) = c
                ref: FlagReference | None = None
                text_of: str | None = None
                study: Any = None
                if ref_id is not None:
                    ref = FlagReference(
                        ref_id,
                        ref_raw,
                        ref_kind,
                        ref_url,
                        ref_title,
                        ref_pmid,
                        ref_doi,
                        ref_status,
                        ref_error,
                    )
                if study_id is not None:
                    source_kind = "study"
                    text_of, study = studies[study_id]
                else:
                    source_kind = ref_kind if ref_id is not None else "unknown"
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
                        "checked_at": checked_at.isoformat() if checked_at is not None else None,
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

    def _studies(self, citations: Iterator[Any]) -> dict[int, tuple[str, Any]]:
        """Each cited study's text (`json_out.study_text`) and what its red flags read:
        stored and fresh (its `Marks`), or worked out (its `StudyRecord`)."""
        found: dict[int, tuple[str, Any]] = {}
        wanted: set[int] = set()
        noticed = self.noticed
        for c in citations:
            study_id = c[_STUDY_ID]
            if study_id is None or study_id in found:
                continue
            stored = c[_JSON]
            if (
                stored is not None
                and not (noticed and c[_NOTICED])
                and c[_STORED_BASIS] == basis(c[_BASIS])
            ):
                found[study_id] = (stored, marks_of(c[_PMID], c[_MARKS]))
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
                found[study_id] = self.live[study_id] = (study_text(record), record)
            for study_id in list(self.live):
                if self.records.get(study_id) is None:
                    del self.live[study_id]
        return found


def _order(c: Any) -> tuple[int, int]:
    position = c.ref_position if c.ref_id is not None and c.ref_position is not None else _LAST
    return (position, c.id)
