"""Source documents: the list with counts, and one document with its references and claims."""

from __future__ import annotations

from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, selectinload

from ldn_evidence.errors import NotFoundError
from ldn_evidence.models import Citation, Claim, Reference, SourceDocument
from ldn_evidence.services.report import claim_entry, document_entry
from ldn_evidence.services.views import claim_brief, document_brief, iso, reference_view
from ldn_evidence.viewmodel import DocumentDetail, DocumentReference, DocumentRow, extend

__all__ = ["document_detail", "get_document", "list_documents"]


def _counts(session: Session, query: Any) -> dict[int, int]:
    return {doc_id: n for doc_id, n in session.execute(query) if doc_id is not None}


def list_documents(*, session: Session) -> list[DocumentRow]:
    """Every document (newest id last) with its numbers of claims, references and
    unsourced claims (a figure and nothing cited for it)."""
    claims = _counts(
        session, select(Claim.document_id, func.count(Claim.id)).group_by(Claim.document_id)
    )
    references = _counts(
        session,
        select(Reference.document_id, func.count(Reference.id)).group_by(Reference.document_id),
    )
    cited = exists().where(Citation.claim_id == Claim.id)
    unsourced = _counts(
        session,
        select(Claim.document_id, func.count(Claim.id))
        .where(Claim.figure_value.is_not(None), ~cited)
        .group_by(Claim.document_id),
    )
    rows = []
    for doc in session.scalars(select(SourceDocument).order_by(SourceDocument.id)):
        rows.append(
            DocumentRow(
                id=doc.id,
                title=doc.title,
                url=doc.url,
                version=doc.version,
                publisher=doc.publisher,
                retrieved_at=iso(doc.retrieved_at),
                claims=claims.get(doc.id, 0),
                references=references.get(doc.id, 0),
                unsourced_claims=unsourced.get(doc.id, 0),
            )
        )
    return rows


def get_document(*, session: Session, document_id: int) -> SourceDocument:
    """The document with its references and claims loaded; NotFoundError when absent."""
    doc = session.scalars(
        select(SourceDocument)
        .options(
            selectinload(SourceDocument.references).selectinload(Reference.study),
            selectinload(SourceDocument.claims).selectinload(Claim.citations),
        )
        .where(SourceDocument.id == document_id)
    ).first()
    if doc is None:
        raise NotFoundError(f"no document with id {document_id}")
    return doc


def document_detail(doc: SourceDocument) -> DocumentDetail:
    """The document, its references (numbered from 1 in page order; kind, status,
    resolved PMID, error, candidates), its claims in page order (citation count,
    verdicts) and its red flags (as the report lists them)."""
    references = [
        extend(
            reference_view(ref),
            DocumentReference,
            position=number,
            resolved_pmid=ref.study.pmid if ref.study is not None else ref.pmid,
            study_stored=ref.study is not None,
        )
        for number, ref in enumerate(doc.references, start=1)
    ]
    claims = sorted(doc.claims, key=lambda c: (c.position is None, c.position or 0, c.id))
    briefs = [claim_brief(c) for c in claims]
    entry = document_entry(doc, [claim_entry(c) for c in claims])
    return extend(
        document_brief(doc),
        DocumentDetail,
        references=references,
        claims=briefs,
        unsourced_claims=sum(1 for b in briefs if b.unsourced),
        red_flags=entry.red_flags,
    )
