"""The report query: a `Report` (`ldn_evidence.viewmodel`) from the database, with the
export filters; `ldn_evidence.export` renders it in each format.

The rows are read through `services.claims.list_claims` (eager loads) and turned into
views with the helpers of `services.views`, so exports show what `claims show` shows.
Each claim's last `evidence` run comes from `services.evidence_runs.latest_evidence_for`,
read for all the report's claims at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ldn_evidence.errors import InputError, NotFoundError
from ldn_evidence.export.ama import ama_citation
from ldn_evidence.models import Citation, Claim, Reference, SourceDocument, Study
from ldn_evidence.services.claims import list_claims
from ldn_evidence.services.evidence_runs import latest_evidence_for
from ldn_evidence.services.grading import level_rule
from ldn_evidence.services.red_flags import page_red_flags, skipped_sentences
from ldn_evidence.services.verdicts import check_verdict
from ldn_evidence.services.views import (
    citation_fields,
    claim_fields,
    document_brief,
    figure_label,
    reference_entry,
    study_design,
    study_flags,
    study_modifiers,
)
from ldn_evidence.viewmodel import (
    SCHEMA,
    Author,
    CitationEntry,
    ClaimEntry,
    DocumentEntry,
    Filters,
    Report,
    StrongerEvidence,
    StudyRecord,
    Summary,
    extend,
)
from ldn_evidence.vocab import (
    NOT_IN_ABSTRACT,
    PARTIALLY_SUPPORTED,
    SUPPORTED,
    UNCHECKED,
    UNSUPPORTED_VERDICTS,
    StudyOrigin,
    citation_origin_label,
    normalize_pmid,
    pubmed_url,
)


def build_report(
    *,
    session: Session,
    document_ids: Sequence[int] | None = None,
    claim_ids: Sequence[int] | None = None,
    verdict: str | None = None,
    pmids: Sequence[str] | None = None,
    generated_at: datetime | None = None,
) -> Report:
    """The report over the selected claims. Empty filters (None or []) select everything.

    `verdict` and `pmids` select claim–source pairs; claims left with none are omitted.
    Unknown document or claim ids and PMIDs the database has never seen raise
    `NotFoundError`; a malformed verdict or PMID raises `InputError`.
    """
    doc_ids = _unique(document_ids)
    wanted_claims = _unique(claim_ids)
    pmid_set = _check_pmids(session, pmids)
    if verdict is not None:
        check_verdict(verdict)

    documents = _documents(session, doc_ids)
    if doc_ids:
        claims = [c for d in doc_ids for c in list_claims(session=session, document_id=d)]
    else:
        claims = list_claims(session=session)
    if wanted_claims:
        _check_claims(session, wanted_claims)
        claims = [c for c in claims if c.id in set(wanted_claims)]

    pair_filter = verdict is not None or pmid_set is not None
    selected: list[tuple[Claim, list[Citation]]] = []
    for claim in claims:
        kept = [c for c in claim.citations if _keep(c, verdict, pmid_set)]
        if pair_filter and not kept:
            continue
        selected.append((claim, kept))
    evidence = latest_evidence_for(session=session, claim_ids=[c.id for c, _ in selected])
    entries = [claim_entry(c, kept, stronger=evidence.get(c.id)) for c, kept in selected]

    by_doc: dict[int, list[ClaimEntry]] = {}
    loose: list[ClaimEntry] = []
    for entry in entries:
        if entry.document_id is None:
            loose.append(entry)
        else:
            by_doc.setdefault(entry.document_id, []).append(entry)
    narrowed = bool(wanted_claims) or pair_filter
    doc_entries = [
        document_entry(doc, by_doc.get(doc.id, []), whole_page=not narrowed)
        for doc in documents
        if doc.id in by_doc or doc_ids or not narrowed
    ]
    stamp = (generated_at or datetime.now(UTC)).astimezone(UTC)
    return Report(
        schema=SCHEMA,
        generated_at=stamp.isoformat(timespec="seconds"),
        filters=Filters(
            document_ids=doc_ids or None,
            claim_ids=wanted_claims or None,
            verdict=verdict,
            pmids=sorted(pmid_set) if pmid_set is not None else None,
        ),
        summary=summarise(entries),
        documents=doc_entries,
        claims_without_document=[] if doc_ids else loose,
    )


def summarise(claims: Iterable[ClaimEntry]) -> Summary:
    claims = list(claims)
    verdicts = [c.verdict for claim in claims for c in claim.citations]
    retracted = {
        c.study.pmid
        for claim in claims
        for c in claim.citations
        if c.study is not None and "retracted" in c.study.flags
    }
    return Summary(
        claims=len(claims),
        citations=len(verdicts),
        supported=verdicts.count(SUPPORTED),
        partially_supported=verdicts.count(PARTIALLY_SUPPORTED),
        unsupported=sum(verdicts.count(v) for v in UNSUPPORTED_VERDICTS),
        not_in_abstract=verdicts.count(NOT_IN_ABSTRACT),
        unchecked=verdicts.count(UNCHECKED),
        unsourced=sum(1 for c in claims if c.unsourced),
        retracted_sources=len(retracted),
    )


def _unique(ids: Sequence[int] | None) -> list[int]:
    return list(dict.fromkeys(ids or ()))


def _check_pmids(session: Session, pmids: Sequence[str] | None) -> set[str] | None:
    if not pmids:
        return None
    bad = sorted(str(p).strip() for p in pmids if normalize_pmid(p) is None)
    if bad:
        raise InputError(f"not a PMID: {bad[0]!r} (PMIDs are digits, e.g. 23359310)")
    wanted = {pmid for pmid in map(normalize_pmid, pmids) if pmid is not None}
    known = set(session.scalars(select(Study.pmid).where(Study.pmid.in_(wanted))))
    known |= set(session.scalars(select(Reference.pmid).where(Reference.pmid.in_(wanted))))
    missing = sorted(wanted - known, key=int)
    if missing:
        raise NotFoundError(f"no study or reference with PMID {', '.join(missing)}")
    return wanted


def _check_claims(session: Session, ids: list[int]) -> None:
    found = set(session.scalars(select(Claim.id).where(Claim.id.in_(ids))))
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise NotFoundError(f"no claim with id {', '.join(missing)}")


def _documents(session: Session, ids: list[int]) -> list[SourceDocument]:
    query = select(SourceDocument).options(selectinload(SourceDocument.references))
    if ids:
        docs = {d.id: d for d in session.scalars(query.where(SourceDocument.id.in_(ids)))}
        missing = [str(i) for i in ids if i not in docs]
        if missing:
            raise NotFoundError(f"no document with id {', '.join(missing)}")
        return [docs[i] for i in ids]
    return list(session.scalars(query.order_by(SourceDocument.id)))


def _pmid_of(citation: Citation) -> str | None:
    if citation.study is not None:
        return citation.study.pmid
    return citation.reference.pmid if citation.reference is not None else None


def _keep(citation: Citation, verdict: str | None, pmids: set[str] | None) -> bool:
    if verdict is not None and citation.verdict != verdict:
        return False
    return pmids is None or _pmid_of(citation) in pmids


def _order(citation: Citation) -> tuple[int, int]:
    ref = citation.reference
    position = ref.position if ref is not None and ref.position is not None else 10**9
    return (position, citation.id)


def claim_entry(
    claim: Claim,
    citations: list[Citation] | None = None,
    *,
    stronger: StrongerEvidence | None = None,
    records: dict[int, StudyRecord] | None = None,
    detail: bool = True,
) -> ClaimEntry:
    """The claim as the report shows it, with `citations` (default: all of them) and the
    claim's last `evidence` run (`evidence_runs.latest_evidence_for`), if any.
    `records`: study records already made, by study id (a study cited by several claims
    of a batch is made once). `detail`: see `study_record`."""
    if citations is None:
        citations = list(claim.citations)
    if records is None:
        records = {}
    return ClaimEntry(
        **claim_fields(claim),
        figure_label=figure_label(claim),
        citations=[
            _citation_entry(c, records, detail=detail) for c in sorted(citations, key=_order)
        ],
        stronger_evidence=stronger,
    )


def _citation_entry(
    citation: Citation, records: dict[int, StudyRecord], *, detail: bool = True
) -> CitationEntry:
    study = None
    if citation.study is not None:
        study = records.get(citation.study.id)
        if study is None:
            study = records[citation.study.id] = study_record(citation.study, detail=detail)
    return CitationEntry(
        **citation_fields(citation),
        origin_label=citation_origin_label(citation.origin),
        reference=reference_entry(citation.reference) if citation.reference else None,
        study=study,
    )


def document_entry(
    doc: SourceDocument, claims: list[ClaimEntry], *, whole_page: bool = True
) -> DocumentEntry:
    """The page with its selected `claims` and its red flags. `whole_page`: every claim
    of the page is selected, so the page's own flags (uncited references that do not
    resolve, sentences the extractor skipped) are listed too."""
    references = [reference_entry(r) for r in doc.references]
    skipped = skipped_sentences(doc.text, [c.text for c in doc.claims]) if whole_page else []
    return extend(
        document_brief(doc),
        DocumentEntry,
        references=references,
        claims=claims,
        red_flags=page_red_flags(claims, references, skipped, whole_page=whole_page),
    )


def record_version(study: Study) -> str:
    if study.raw_sha256:
        return study.raw_sha256[:12]
    return "curated" if study.origin == StudyOrigin.CURATED else "unrecorded"


def study_record(study: Study, *, detail: bool = True) -> StudyRecord:
    """The study as the report shows it. `detail`: with its design, the modifiers it is
    read from and the rule that decided its level, the costliest fields (read off the
    title and abstract); without, those three are empty, for renderers that never show
    them (the bibliographies)."""
    authors = [
        Author(
            family=a.last_name,
            given=a.fore_name,
            initials=a.initials,
            literal=a.collective_name,
            display=a.display_name,
        )
        for a in study.authors
    ]
    flags = study_flags(study)
    modifiers = study_modifiers(study) if detail else {}
    return StudyRecord(
        pmid=study.pmid,
        doi=study.doi,
        pmcid=study.pmcid,
        title=study.title or "",
        authors=authors,
        journal=study.journal_title,
        journal_iso=study.journal_iso,
        issn=study.issn,
        year=study.pub_year,
        pub_date=study.pub_date,
        volume=study.volume,
        issue=study.issue,
        pages=study.pages,
        language=study.language,
        abstract=study.abstract,
        publication_types=[t.name for t in study.publication_types],
        evidence_level=study.evidence_level,
        retracted="retracted" in flags,
        flags=flags,
        origin=study.origin,
        record_sha256=study.raw_sha256,
        record_version=record_version(study),
        url=pubmed_url(study.pmid),
        citation=ama_citation(
            authors=authors,
            title=study.title,
            journal_iso=study.journal_iso,
            journal=study.journal_title,
            year=study.pub_year,
            volume=study.volume,
            issue=study.issue,
            pages=study.pages,
            doi=study.doi,
            pmid=study.pmid,
        ),
        level_rule=level_rule(study) if detail else "",
        design=study_design(study, modifiers) if detail else "",
        modifiers=modifiers,
    )
