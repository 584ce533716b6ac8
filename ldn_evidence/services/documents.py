"""Source documents: the list with counts, and one document with its references and claims
as entities (`get_document`, the ORM reading of `documents show`, which reads Core rows:
`show_rows.read_document`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, selectinload

from ldn_evidence.errors import NotFoundError
from ldn_evidence.models import Citation, Claim, Reference, SourceDocument
from ldn_evidence.services.views import iso
from ldn_evidence.viewmodel import DocumentRow

__all__ = ["get_document", "list_documents"]


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
    """The document with its references and claims loaded; NotFoundError when absent.

    The test oracle of `show_rows.read_document` (what `documents show` reads): the same
    `entries.document_detail` made from either is identical (tests/cli/test_show_core.py)."""
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
