"""The parts of `verify` around its decisions: reading a batch of claims' citations with
their references and studies (`citations_query`), the studies' inputs
(`load_study_inputs`), their full texts (`FullTexts`), the fingerprint of a verdict's
inputs (`digest`), and running the engine on the pairs to check, here or in worker
processes (`Checker`).

The engine (`verification.combined`) and the full-text entities are imported only when a
pair is checked (`Checker.run`, `FullTexts.load`): a re-run where nothing changed, or a
claim without a study, never loads them."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
from collections.abc import Iterable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Select, and_, func, or_, select

from ldn_evidence.figures import Figure
from ldn_evidence.models import tables
from ldn_evidence.verification.results import ClaimInput, StudyInput
from ldn_evidence.vocab import FullTextStatus

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from ldn_evidence.verification.combined import Decision, FullTextInput

CLAIM_FIELDS = (
    "text",
    "figure_value",
    "figure_unit",
    "figure_qualifier",
    "figure_text",
    "outcome",
    "population",
    "condition",
    "intervention",
)
"""What `claim_input` reads of a claim: a verdict is computed from these."""


_JSON = json.JSONEncoder(default=str)
"""`json.dumps(…, default=str)`'s own encoder, made once (dumps makes one a call)."""


def digest(*parts: object) -> str:
    """sha256 of `parts` (JSON; datetimes and other values as their str)."""
    return hashlib.sha256(_JSON.encode(parts).encode()).hexdigest()


def load_study_inputs(
    conn: Connection, study_ids: Iterable[int], into: dict[int, StudyInput]
) -> None:
    """`verification.study_input` of each study (title, abstract, publication types) not
    in `into` yet, read in two queries."""
    wanted = [i for i in dict.fromkeys(study_ids) if i not in into]
    if not wanted:
        return
    st, pt = tables.studies, tables.publication_types
    study_publication_types = tables.study_publication_types
    types: dict[int, list[str]] = {}
    for study_id, name in conn.execute(
        select(study_publication_types.c.study_id, pt.c.name)
        .join(pt, pt.c.id == study_publication_types.c.publication_type_id)
        .where(study_publication_types.c.study_id.in_(wanted))
        .order_by(study_publication_types.c.study_id, pt.c.name)
    ):
        types.setdefault(study_id, []).append(name)
    for r in conn.execute(select(st.c.id, st.c.title, st.c.abstract).where(st.c.id.in_(wanted))):
        into[r.id] = StudyInput(
            title=r.title or "",
            abstract=r.abstract or "",
            publication_types=types.get(r.id, []),
        )


class Checker:
    """`decide` on a list of pairs: here, or in `jobs` worker processes (started when
    first needed)."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self._pool: Any = None

    def __enter__(self) -> Checker:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()

    def run(
        self, pairs: list[tuple[ClaimInput, StudyInput, int]], texts: FullTexts
    ) -> list[Decision]:
        """The decision on each (claim, study, study id)."""
        from ldn_evidence.verification.combined import decide, decide_given

        if self.jobs <= 1 or len(pairs) < 2 * self.jobs:
            return [decide(ci, si, partial(texts.load, study_id)) for ci, si, study_id in pairs]
        if self._pool is None:
            self._pool = multiprocessing.get_context("spawn").Pool(self.jobs)
        items = [(ci, si, texts.load(study_id)) for ci, si, study_id in pairs]
        chunk = max(1, min(50, len(items) // (self.jobs * 4)))
        return list(self._pool.map(decide_given, items, chunksize=chunk))


def citations_query(claim_ids: Sequence[int]) -> Select[Any]:
    """The claims' citations (in id order), each with its reference and study."""
    c, r, s = tables.citations, tables.references, tables.studies
    return (
        select(
            c.c.id,
            c.c.claim_id,
            c.c.study_id,
            c.c.verdict,
            c.c.verdict_origin,
            c.c.evidence_sentence,
            c.c.evidence_location,
            c.c.study_figure,
            c.c.reason,
            c.c.note,
            c.c.checked_record_sha256,
            c.c.checked_inputs_sha256,
            r.c.id.label("r_id"),
            r.c.raw.label("r_raw"),
            r.c.pmid.label("r_pmid"),
            r.c.status.label("r_status"),
            r.c.error.label("r_error"),
            s.c.id.label("s_id"),
            s.c.pmid.label("s_pmid"),
            s.c.pmcid.label("s_pmcid"),
            s.c.origin.label("s_origin"),
            s.c.raw_sha256.label("s_raw_sha256"),
            s.c.fetched_at.label("s_fetched_at"),
            func.length(s.c.abstract).label("s_abstract_length"),
        )
        .select_from(
            c.outerjoin(r, r.c.id == c.c.reference_id).outerjoin(s, s.c.id == c.c.study_id)
        )
        .where(c.c.claim_id.in_(claim_ids))
        .order_by(c.c.claim_id, c.c.id)
    )


def claim_input(claim: Any) -> ClaimInput:
    """What the engine reads of a claim: a `Claim`, or a claim's row as read (the same
    column names). Whether the figure is a difference from placebo is read from the text
    by the engine (`claim_terms.claim_versus_placebo`): "compared with duloxetine" is not
    placebo."""
    figure = None
    if claim.figure_value is not None:
        figure = Figure(
            value=claim.figure_value,
            unit=claim.figure_unit or "%",
            qualifier=claim.figure_qualifier or "exact",
            text=claim.figure_text or "",
        )
    return ClaimInput(
        text=claim.text,
        figure=figure,
        outcome=claim.outcome,
        population=claim.population,
        condition=claim.condition,
        intervention=claim.intervention,
    )


class FullTexts:
    """Which full text each study has (read a batch at a time) and, when a check needs
    it, its passages (read once a run). None: none, not open, or `enabled` False for
    `--abstract-only`; a curated study's is never read."""

    def __init__(self, session: Session, *, enabled: bool) -> None:
        self.session, self.enabled = session, enabled
        self._state: dict[int, tuple[int, str | None, str] | None] = {}
        self._loaded: dict[int, FullTextInput | None] = {}

    def prime(self, conn: Connection, studies: Iterable[Any]) -> None:
        """Find the full text of each study (`c.study_id`, `s_pmid`, `s_pmcid`,
        `s_origin`) as `fulltext.full_text_for` would: linked to it, else stored before
        it with its PMID or PMCID (the newest)."""
        todo = [s for s in studies if s.study_id not in self._state]
        for s in todo:
            self._state[s.study_id] = None
        todo = [s for s in todo if s.s_origin != "curated"]
        if not self.enabled or not todo:
            return
        ft = tables.full_texts
        ids = [s.study_id for s in todo]
        pmids = [s.s_pmid for s in todo]
        pmcids = [s.s_pmcid for s in todo if s.s_pmcid]
        unlinked = [ft.c.pmid.in_(pmids)] + ([ft.c.pmcid.in_(pmcids)] if pmcids else [])
        rows = conn.execute(
            select(
                ft.c.id, ft.c.study_id, ft.c.pmid, ft.c.pmcid, ft.c.status, ft.c.raw_sha256,
                ft.c.fetched_at,
            ).where(or_(ft.c.study_id.in_(ids), and_(ft.c.study_id.is_(None), or_(*unlinked))))
        ).all()  # fmt: skip
        for s in todo:
            mine = [
                r
                for r in rows
                if r.study_id == s.study_id
                or (
                    r.study_id is None
                    and (r.pmid == s.s_pmid or (s.s_pmcid and r.pmcid == s.s_pmcid))
                )
            ]
            if not mine:
                continue
            best = min(mine, key=lambda r: (r.study_id is None, -r.id))
            if best.status == FullTextStatus.OPEN:
                self._state[s.study_id] = (best.id, best.raw_sha256, str(best.fetched_at))

    def state(self, study_id: int) -> tuple[int, str | None, str] | None:
        """(id, sha256, fetched at) of the study's open full text: part of a verdict's
        inputs when the verdict read it."""
        return self._state.get(study_id)

    def load(self, study_id: int) -> FullTextInput | None:
        """(PMCID, passages) of the study's open full text."""
        state = self._state.get(study_id)
        if state is None:
            return None
        if study_id not in self._loaded:
            from sqlalchemy.orm import selectinload

            from ldn_evidence.models import FullText, FullTextPassage
            from ldn_evidence.services.fulltext import check_passages

            load = (
                selectinload(FullText.sections),
                selectinload(FullText.passages).selectinload(FullTextPassage.section),
            )
            row = self.session.get(FullText, state[0], options=load)
            self._loaded[study_id] = (row.pmcid, check_passages(row)) if row is not None else None
        return self._loaded[study_id]
