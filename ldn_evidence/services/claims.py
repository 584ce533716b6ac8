"""Query claims."""

from __future__ import annotations

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session, selectinload

from ldn_evidence.errors import InputError, NotFoundError
from ldn_evidence.models import Citation, Claim, SourceDocument, Study
from ldn_evidence.services.grading import levels_from
from ldn_evidence.services.text_search import contains_any
from ldn_evidence.services.verdicts import check_verdict

# Claim views never read a page's full text or a study's raw XML: leave them unloaded.
_CLAIM_LOAD = (
    selectinload(Claim.document).defer(SourceDocument.text),
    selectinload(Claim.citations).selectinload(Citation.study).defer(Study.raw_xml),
    selectinload(Claim.citations).selectinload(Citation.study).selectinload(Study.authors),
    selectinload(Claim.citations)
    .selectinload(Citation.study)
    .selectinload(Study.publication_types),
    selectinload(Claim.citations).selectinload(Citation.study).selectinload(Study.links),
    selectinload(Claim.citations)
    .selectinload(Citation.study)
    .selectinload(Study.retraction_notices),
    selectinload(Claim.citations).selectinload(Citation.reference),
    selectinload(Claim.citations).selectinload(Citation.events),
)

SORTS = {
    "position": (Claim.document_id.is_(None), Claim.document_id, Claim.position, Claim.id),
    "id": (Claim.id,),
    "figure": (Claim.figure_value.is_(None), Claim.figure_value.desc(), Claim.id),
    "created": (Claim.created_at, Claim.id),
    "updated": (Claim.updated_at.desc(), Claim.id),
}


def list_claims(
    *,
    session: Session,
    document_id: int | None = None,
    verdict: str | None = None,
    level: str | None = None,
    unsourced: bool = False,
    search: str | None = None,
    sort: str = "position",
) -> list[Claim]:
    """Claims, filtered. `level`: claims citing a study at this evidence level or stronger
    (`grading.levels_from`).

    `search` is case-insensitive over the claim text and the cited studies' titles and
    abstracts (LIKE on both engines).
    """
    if sort not in SORTS:
        raise InputError(f"unknown sort {sort!r}; choose one of {', '.join(SORTS)}")
    query = select(Claim).options(*_CLAIM_LOAD).order_by(*SORTS[sort])
    if document_id is not None:
        query = query.where(Claim.document_id == document_id)
    if verdict is not None:
        check_verdict(verdict)
        query = query.where(
            exists().where(Citation.claim_id == Claim.id, Citation.verdict == verdict)
        )
    if level is not None:
        levels = levels_from(level)
        query = query.where(
            exists().where(
                Citation.claim_id == Claim.id,
                Citation.study_id == Study.id,
                Study.evidence_level.in_(levels),
            )
        )
    if unsourced:
        query = query.where(
            Claim.figure_value.is_not(None), ~exists().where(Citation.claim_id == Claim.id)
        )
    if search:
        in_study = exists().where(
            Citation.claim_id == Claim.id,
            Citation.study_id == Study.id,
            contains_any(search, Study.title, Study.abstract),
        )
        query = query.where(or_(contains_any(search, Claim.text), in_study))
    return list(session.scalars(query))


def get_claim(*, session: Session, claim_id: int) -> Claim:
    claim = session.scalars(select(Claim).options(*_CLAIM_LOAD).where(Claim.id == claim_id)).first()
    if claim is None:
        raise NotFoundError(f"no claim with id {claim_id}")
    return claim
