"""Query claims."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ldn_evidence.errors import NotFoundError
from ldn_evidence.models import Citation, Claim, Study

_CLAIM_LOAD = (
    selectinload(Claim.document),
    selectinload(Claim.citations).selectinload(Citation.study).selectinload(Study.authors),
    selectinload(Claim.citations)
    .selectinload(Citation.study)
    .selectinload(Study.publication_types),
    selectinload(Claim.citations).selectinload(Citation.study).selectinload(Study.links),
    selectinload(Claim.citations).selectinload(Citation.reference),
    selectinload(Claim.citations).selectinload(Citation.events),
)


def list_claims(*, session: Session, document_id: int | None = None) -> list[Claim]:
    query = (
        select(Claim).options(*_CLAIM_LOAD).order_by(Claim.document_id, Claim.position, Claim.id)
    )
    if document_id is not None:
        query = query.where(Claim.document_id == document_id)
    return list(session.scalars(query))


def get_claim(*, session: Session, claim_id: int) -> Claim:
    claim = session.scalars(select(Claim).options(*_CLAIM_LOAD).where(Claim.id == claim_id)).first()
    if claim is None:
        raise NotFoundError(f"no claim with id {claim_id}")
    return claim
