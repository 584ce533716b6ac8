"""`verify`: check each claim ↔ study citation against the study's fetched abstract, and
against its PubMed Central full text when the abstract does not settle it.

A citation whose abstract verdict is not_in_abstract, not_supported or unchecked (or
whose study has no abstract) is checked again on the stored full text
(`verification.full_text`): a verdict the full text settles replaces it, with the
location of its deciding sentence ("full text, Results, ¶4", "Table 2"); so does a
partial match where the abstract said nothing. So is a claim with a figure that the
abstract supports only in part for want of a figure ("60% of patients …" against an
abstract without figures): the full text's verdict replaces it when a figure decided
it. `abstract_only` keeps to the abstract.

A reviewer's verdict is never touched; automatic verdicts are recomputed (and recorded
in citation_events only when they change, e.g. after the abstract changed).

What each automatic verdict was computed from is kept with it
(`citations.checked_inputs_sha256`: the claim's checked fields, the study record, the
full text when the verdict read it, `verification.ENGINE_VERSION`): a re-run checks only
the citations where one of them changed, and counts the others as unchanged (`force`
checks them all). Claims go a batch at a time (`CLAIM_BATCH`): their citations, studies
and full texts read in a few queries, the verdicts written in a few statements
(`verdicts.set_automatic_verdicts`).
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Protocol

from sqlalchemy import Connection, Select, and_, func, or_, select
from sqlalchemy.orm import Session, selectinload

from ldn_evidence.errors import NotFoundError
from ldn_evidence.figures import Figure
from ldn_evidence.models import (
    Citation,
    Claim,
    FullText,
    FullTextPassage,
    PublicationTypeRow,
    Reference,
    SourceDocument,
    Study,
)
from ldn_evidence.models.studies import study_publication_types
from ldn_evidence.services.fulltext import check_passages
from ldn_evidence.services.verdicts import AutomaticVerdict, set_automatic_verdicts
from ldn_evidence.verification import ENGINE_VERSION, ClaimInput, StudyInput
from ldn_evidence.verification.decision import Decision, FullTextInput, decide, decide_given
from ldn_evidence.vocab import FullTextStatus, ResolutionStatus


@dataclass
class VerifyRow:
    claim_id: int
    claim: str
    pmid: str | None
    verdict: str
    origin: str
    sentence: str | None
    study_figure: str | None
    reason: str | None
    evidence_location: str | None = None  # None: the abstract
    changed: bool = False
    skipped: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class NotChecked:
    """A claim's source with no study to check it against, and why."""

    claim_id: int
    claim: str
    reference: str | None  # the reference as the page writes it
    pmid: str | None
    status: str | None  # the reference's resolution status
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class VerifySummary:
    rows: list[VerifyRow] = field(default_factory=list)
    no_source: list[int] = field(default_factory=list)  # claims with no study to check
    not_checked: list[NotChecked] = field(default_factory=list)  # sources without a study
    unchanged: int = 0  # citations not checked again: nothing they were checked on changed

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for r in self.rows:
            key = "skipped" if r.skipped else r.verdict
            out[key] = out.get(key, 0) + 1
        return out


def claim_input(claim: Claim) -> ClaimInput:
    figure = None
    if claim.figure_value is not None:
        figure = Figure(
            value=claim.figure_value,
            unit=claim.figure_unit or "%",
            qualifier=claim.figure_qualifier or "exact",
            text=claim.figure_text or "",
        )
    # Whether the figure is a difference from placebo is read from the text by the engine
    # (`claim_terms.claim_versus_placebo`): "compared with duloxetine" is not placebo.
    return ClaimInput(
        text=claim.text,
        figure=figure,
        outcome=claim.outcome,
        population=claim.population,
        condition=claim.condition,
        intervention=claim.intervention,
    )


def study_input(study: Study) -> StudyInput:
    return StudyInput(
        title=study.title or "",
        abstract=study.abstract or "",
        publication_types=[t.name for t in study.publication_types],
    )


CLAIM_BATCH = 1000
"""Claims read, checked and written together: one query each for their claims,
citations, studies and full texts, one statement for their verdicts."""

_CLAIM_FIELDS = (
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


def verify(
    *,
    session: Session,
    claim_ids: Sequence[int] = (),
    document_id: int | None = None,
    abstract_only: bool = False,
    force: bool = False,
    jobs: int = 1,
) -> VerifySummary:
    """Check the claims' citations (all, `claim_ids`, or `document_id`'s).

    A citation whose automatic verdict was computed from what it would be computed from
    now (the claim as checked, the study record, the full text when it was read, the
    engine's `ENGINE_VERSION`) is not checked again but counted in `unchanged`, unless
    `force`. With `jobs` > 1 the engine runs in that many worker processes (the reading
    and writing stay here)."""
    claims_t = Claim.__table__
    query = select(claims_t.c.id).order_by(
        claims_t.c.document_id, claims_t.c.position, claims_t.c.id
    )
    if claim_ids:
        query = query.where(claims_t.c.id.in_(claim_ids))
    if document_id is not None:
        if session.get(SourceDocument, document_id) is None:
            raise NotFoundError(f"no document with id {document_id}")
        query = query.where(claims_t.c.document_id == document_id)
    session.flush()
    conn = session.connection()
    ids = list(conn.execute(query).scalars())
    if claim_ids:
        missing = sorted(set(claim_ids) - set(ids))
        if missing:
            raise NotFoundError(f"no claim with id {', '.join(map(str, missing))}")
    summary = VerifySummary()
    texts = _FullTexts(session, enabled=not abstract_only)
    with _Engine(jobs) as engine:
        for start in range(0, len(ids), CLAIM_BATCH):
            batch = ids[start : start + CLAIM_BATCH]
            _Batch(session, batch, texts, force, summary, engine).run()
    return summary


class _Engine:
    """`decide` on a list of pairs: here, or in `jobs` worker processes (started when
    first needed)."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self._pool: Any = None

    def __enter__(self) -> _Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()

    def run(
        self, pairs: list[tuple[ClaimInput, StudyInput, int]], texts: _FullTexts
    ) -> list[Decision]:
        """The decision on each (claim, study, study id)."""
        if self.jobs <= 1 or len(pairs) < 2 * self.jobs:
            return [decide(ci, si, partial(texts.load, study_id)) for ci, si, study_id in pairs]
        if self._pool is None:
            self._pool = multiprocessing.get_context("spawn").Pool(self.jobs)
        items = [(ci, si, texts.load(study_id)) for ci, si, study_id in pairs]
        chunk = max(1, min(50, len(items) // (self.jobs * 4)))
        return list(self._pool.map(decide_given, items, chunksize=chunk))


def no_study_reason(reference: _ReferenceLike | None) -> str:
    """Why a cited reference gives no study to check: "PMID 99999991 is not in PubMed",
    the resolution's error, a PMID not fetched yet, a web page."""
    if reference is None:
        return "no reference"
    if reference.status == ResolutionStatus.WEB:
        return "a web page, not a study"
    if reference.status == ResolutionStatus.RESOLVED and reference.pmid:
        return f"PMID {reference.pmid} is not stored: run `ldn-evidence fetch --missing`"
    return reference.error or f"reference {reference.status}"


class _ReferenceLike(Protocol):
    @property
    def status(self) -> str: ...
    @property
    def pmid(self) -> str | None: ...
    @property
    def error(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class _Ref:
    raw: str
    pmid: str | None
    status: str
    error: str | None


def _digest(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()


@dataclass(slots=True)
class _Pending:
    """A citation to check: its row in the summary, what it held, its inputs."""

    row: VerifyRow
    cite: Any  # the citation's row as read
    base: str  # inputs without the full text
    with_full_text: str  # inputs with the full text (or its absence)


class _Batch:
    """One batch of claims: read, decide which citations to check, check, write."""

    def __init__(
        self,
        session: Session,
        claim_ids: list[int],
        texts: _FullTexts,
        force: bool,
        summary: VerifySummary,
        engine: _Engine,
    ) -> None:
        self.engine = engine
        self.session, self.conn = session, session.connection()
        self.claim_ids, self.texts, self.force, self.summary = claim_ids, texts, force, summary
        self._study_inputs: dict[int, StudyInput] = {}

    def run(self) -> None:
        claims_t = Claim.__table__
        claims = {
            r.id: r
            for r in self.conn.execute(
                select(claims_t.c.id, *(claims_t.c[f] for f in _CLAIM_FIELDS)).where(
                    claims_t.c.id.in_(self.claim_ids)
                )
            )
        }
        cites: dict[int, list[Any]] = {}
        for c in self.conn.execute(_citations_query(self.claim_ids)):
            cites.setdefault(c.claim_id, []).append(c)
        studies = {c.study_id: c for rows in cites.values() for c in rows if c.s_id is not None}
        self.texts.prime(self.conn, studies.values())
        self._load_inputs(
            [s for s in studies.values() if s.s_raw_sha256 is None and s.s_origin != "curated"]
        )
        pending: list[_Pending] = []
        for claim_id in self.claim_ids:
            claim = claims[claim_id]
            digest = _digest(ENGINE_VERSION, *(getattr(claim, f) for f in _CLAIM_FIELDS))
            rows = cites.get(claim_id, [])
            self.summary.not_checked += [
                NotChecked(
                    claim_id=claim_id,
                    claim=claim.text,
                    reference=c.r_raw if c.r_id is not None else None,
                    pmid=c.r_pmid if c.r_id is not None else None,
                    status=c.r_status if c.r_id is not None else None,
                    reason=no_study_reason(_reference(c)),
                )
                for c in rows
                if c.s_id is None
            ]
            studied = [c for c in rows if c.s_id is not None]
            if not studied:
                self.summary.no_source.append(claim_id)
                continue
            for c in studied:
                todo = self._classify(claim, digest, c)
                if todo is not None:
                    pending.append(todo)
        if pending:
            self._check(claims, pending)

    def _classify(self, claim: Any, digest: str, c: Any) -> _Pending | None:
        """The citation's row in the summary (skipped, or to be checked: returned), or
        None when its inputs are unchanged."""
        row = VerifyRow(
            claim_id=claim.id,
            claim=claim.text,
            pmid=c.s_pmid,
            verdict=c.verdict,
            origin=c.verdict_origin,
            sentence=c.evidence_sentence,
            study_figure=c.study_figure,
            reason=c.reason,
            evidence_location=c.evidence_location,
        )
        ref = _reference(c)
        full_text = self.texts.state(c.study_id)
        if c.verdict_origin == "reviewer":
            row.skipped = "decided by a reviewer"
        elif ref is not None and ref.status == ResolutionStatus.NOT_FOUND:  # a curated study
            row.skipped = no_study_reason(ref)
        elif c.s_origin == "curated":
            row.skipped = "curated record, no abstract on file: run `ldn-evidence fetch --missing`"
        elif not c.s_abstract_length and full_text is None:
            row.skipped = "the PubMed record has no abstract"
        if row.skipped:
            self.summary.rows.append(row)
            return None
        if c.s_raw_sha256 is not None:
            record = f"{c.s_raw_sha256} {c.s_fetched_at}"
        else:  # a study stored without its record: what verification reads of it
            si = self._study_inputs[c.study_id]
            record = _digest(si.title, si.abstract, si.publication_types)
        base = _digest(digest, c.study_id, record)
        with_full_text = _digest(base, full_text)
        if not self.force and c.checked_inputs_sha256 in (base, with_full_text):
            self.summary.unchanged += 1
            return None
        self.summary.rows.append(row)
        return _Pending(row, c, base, with_full_text)

    def _load_inputs(self, studies: Sequence[Any]) -> None:
        """`study_input` of each study (title, abstract, publication types), in two queries."""
        wanted = [s.study_id for s in studies if s.study_id not in self._study_inputs]
        if not wanted:
            return
        st, pt = Study.__table__, PublicationTypeRow.__table__
        types: dict[int, list[str]] = {}
        for study_id, name in self.conn.execute(
            select(study_publication_types.c.study_id, pt.c.name)
            .join(pt, pt.c.id == study_publication_types.c.publication_type_id)
            .where(study_publication_types.c.study_id.in_(wanted))
            .order_by(study_publication_types.c.study_id, pt.c.name)
        ):
            types.setdefault(study_id, []).append(name)
        for r in self.conn.execute(
            select(st.c.id, st.c.title, st.c.abstract).where(st.c.id.in_(wanted))
        ):
            self._study_inputs[r.id] = StudyInput(
                title=r.title or "",
                abstract=r.abstract or "",
                publication_types=types.get(r.id, []),
            )

    def _check(self, claims: dict[int, Any], pending: list[_Pending]) -> None:
        self._load_inputs([p.cite for p in pending])
        inputs: dict[int, ClaimInput] = {}
        for p in pending:
            if p.cite.claim_id not in inputs:
                inputs[p.cite.claim_id] = _claim_input(claims[p.cite.claim_id])
        decisions = self.engine.run(
            [
                (inputs[p.cite.claim_id], self._study_inputs[p.cite.study_id], p.cite.study_id)
                for p in pending
            ],
            self.texts,
        )
        items: list[AutomaticVerdict] = []
        for p, decision in zip(pending, decisions, strict=True):
            c = p.cite
            result = decision.result
            items.append(
                AutomaticVerdict(
                    citation_id=c.id,
                    read={k: getattr(c, k) for k in _READ},
                    verdict=result.verdict,
                    evidence_sentence=" … ".join(result.sentences) if result.sentences else None,
                    evidence_location=decision.location,
                    study_figure=result.study_figure,
                    reason=result.reason,
                    record_sha256=c.s_raw_sha256,
                    inputs_sha256=p.with_full_text if decision.read_full_text else p.base,
                    read_inputs_sha256=c.checked_inputs_sha256,
                )
            )
        outcome = set_automatic_verdicts(session=self.session, items=items, by=_BY)
        lost = [i for i in items if outcome[i.citation_id] is None]
        reviewed = self._reviewed([i.citation_id for i in lost])
        for p, item in zip(pending, items, strict=True):
            row, changed = p.row, outcome[item.citation_id]
            if changed is None:  # a concurrent reviewer won the race
                row.skipped = "decided by a reviewer"
                values = reviewed[item.citation_id]
                row.origin = "reviewer"
            else:
                row.changed = changed
                values = item.values()
                row.origin = "automatic"
            row.verdict, row.sentence = values["verdict"], values["evidence_sentence"]
            row.study_figure, row.reason = values["study_figure"], values["reason"]
            row.evidence_location = values["evidence_location"]

    def _reviewed(self, ids: list[int]) -> dict[int, dict[str, Any]]:
        if not ids:
            return {}
        t = Citation.__table__
        rows = self.conn.execute(select(t.c.id, *(t.c[k] for k in _READ)).where(t.c.id.in_(ids)))
        return {r.id: {k: getattr(r, k) for k in _READ} for r in rows}


_BY = "ldn-evidence verify"
_READ = (
    "verdict",
    "evidence_sentence",
    "evidence_location",
    "study_figure",
    "reason",
    "note",
    "checked_record_sha256",
)


def _reference(c: Any) -> _Ref | None:
    if c.r_id is None:
        return None
    return _Ref(raw=c.r_raw, pmid=c.r_pmid, status=c.r_status, error=c.r_error)


def _citations_query(claim_ids: Sequence[int]) -> Select[Any]:
    """The claims' citations (in id order), each with its reference and study."""
    c, r, s = Citation.__table__, Reference.__table__, Study.__table__
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


def _claim_input(row: Any) -> ClaimInput:
    """`claim_input` of a claim's row as read."""
    figure = None
    if row.figure_value is not None:
        figure = Figure(
            value=row.figure_value,
            unit=row.figure_unit or "%",
            qualifier=row.figure_qualifier or "exact",
            text=row.figure_text or "",
        )
    return ClaimInput(
        text=row.text,
        figure=figure,
        outcome=row.outcome,
        population=row.population,
        condition=row.condition,
        intervention=row.intervention,
    )


class _FullTexts:
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
        ft = FullText.__table__
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
            row = self.session.get(FullText, state[0], options=_LOAD)
            self._loaded[study_id] = (row.pmcid, check_passages(row)) if row is not None else None
        return self._loaded[study_id]


_LOAD = (
    selectinload(FullText.sections),
    selectinload(FullText.passages).selectinload(FullTextPassage.section),
)
