"""One source document with its references and claims as entities (`get_document`, the
ORM reading of `documents show`, which reads Core rows: `show_rows.read_document`; the
list with counts is `list_rows.list_documents`)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ldn_evidence.errors import NotFoundError
from ldn_evidence.models import Claim, Reference, SourceDocument

__all__ = ["get_document"]


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
