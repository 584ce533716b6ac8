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

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from ldn_evidence.errors import NotFoundError
from ldn_evidence.models import Citation, Claim, SourceDocument, Study
from ldn_evidence.services.verdicts import AutomaticVerdict, set_automatic_verdicts
from ldn_evidence.services.verify_batch import (
    CLAIM_FIELDS,
    Checker,
    FullTexts,
    citations_query,
    claim_input,
    digest,
    load_study_inputs,
)
from ldn_evidence.verification.results import ClaimInput, StudyInput
from ldn_evidence.verification.version import ENGINE_VERSION
from ldn_evidence.vocab import ResolutionStatus


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


def study_input(study: Study) -> StudyInput:
    return StudyInput(
        title=study.title or "",
        abstract=study.abstract or "",
        publication_types=[t.name for t in study.publication_types],
    )


CLAIM_BATCH = 1000
"""Claims read, checked and written together: one query each for their claims,
citations, studies and full texts, one statement for their verdicts."""


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
    texts = FullTexts(session, enabled=not abstract_only)
    with Checker(jobs) as engine:
        for start in range(0, len(ids), CLAIM_BATCH):
            batch = ids[start : start + CLAIM_BATCH]
            _Batch(session, batch, texts, force, summary, engine).run()
    return summary


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
        texts: FullTexts,
        force: bool,
        summary: VerifySummary,
        engine: Checker,
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
                select(claims_t.c.id, *(claims_t.c[f] for f in CLAIM_FIELDS)).where(
                    claims_t.c.id.in_(self.claim_ids)
                )
            )
        }
        cites: dict[int, list[Any]] = {}
        for c in self.conn.execute(citations_query(self.claim_ids)):
            cites.setdefault(c.claim_id, []).append(c)
        studies = {c.study_id: c for rows in cites.values() for c in rows if c.s_id is not None}
        self.texts.prime(self.conn, studies.values())
        load_study_inputs(
            self.conn,
            [i for i, s in studies.items() if s.s_raw_sha256 is None and s.s_origin != "curated"],
            self._study_inputs,
        )
        pending: list[_Pending] = []
        for claim_id in self.claim_ids:
            claim = claims[claim_id]
            claim_digest = digest(ENGINE_VERSION, *(getattr(claim, f) for f in CLAIM_FIELDS))
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
                todo = self._classify(claim, claim_digest, c)
                if todo is not None:
                    pending.append(todo)
        if pending:
            self._check(claims, pending)

    def _classify(self, claim: Any, claim_digest: str, c: Any) -> _Pending | None:
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
            record = digest(si.title, si.abstract, si.publication_types)
        base = digest(claim_digest, c.study_id, record)
        with_full_text = digest(base, full_text)
        if not self.force and c.checked_inputs_sha256 in (base, with_full_text):
            self.summary.unchanged += 1
            return None
        self.summary.rows.append(row)
        return _Pending(row, c, base, with_full_text)

    def _check(self, claims: dict[int, Any], pending: list[_Pending]) -> None:
        load_study_inputs(self.conn, [p.cite.study_id for p in pending], self._study_inputs)
        inputs: dict[int, ClaimInput] = {}
        for p in pending:
            if p.cite.claim_id not in inputs:
                inputs[p.cite.claim_id] = claim_input(claims[p.cite.claim_id])
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
