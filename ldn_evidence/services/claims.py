"""Query claims."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from sqlalchemy import Select, exists, or_, select
from sqlalchemy.orm import Session, defer, selectinload

from ldn_evidence.errors import InputError, NotFoundError
from ldn_evidence.models import Citation, Claim, Reference, SourceDocument, Study
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


# Columns no claim view (`views.claim_brief`, `entries.claim_entry`) reads: left unloaded
# in the batches, where decoding them (dates, JSON) costs more than anything else per row.
_UNREAD = (
    defer(Claim.created_at),
    defer(Claim.updated_at),
)
_UNREAD_CITATION = (defer(Citation.checked_inputs_sha256), defer(Citation.created_at))
_UNREAD_STUDY = (
    defer(Study.raw_xml),
    defer(Study.pmid_version),
    defer(Study.kind),
    defer(Study.article_date),
    defer(Study.publisher),
    defer(Study.fetched_at),
    defer(Study.curation_note),
)
_UNREAD_REFERENCE = (
    defer(Reference.candidates),
    defer(Reference.resolved_at),
    defer(Reference.marker),
)


# What a report entry reads of a claim, loaded per batch: no page text, no raw XML, no
# verdict history (`claims show` alone shows events). `brief`: what a list row reads
# (`views.claim_brief`): neither the studies' abstracts nor their authors.
def batch_load(*, brief: bool = False) -> tuple[object, ...]:
    citations = selectinload(Claim.citations).options(*_UNREAD_CITATION)
    study = selectinload(Claim.citations).selectinload(Citation.study)
    parts = [
        selectinload(Study.publication_types),
        selectinload(Study.links),
        selectinload(Study.retraction_notices),
    ]
    if brief:
        parts += [defer(Study.abstract)]
    else:
        parts += [selectinload(Study.authors)]
    return (
        *_UNREAD,
        citations,
        study.options(*_UNREAD_STUDY, *parts),
        selectinload(Claim.citations).selectinload(Citation.reference).options(*_UNREAD_REFERENCE),
    )


BATCH_SIZE = 1000

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
    """Claims, filtered (all loaded at once: `iter_claims` streams them in batches).
    See `claims_query`."""
    query = claims_query(
        document_id=document_id,
        verdict=verdict,
        level=level,
        unsourced=unsourced,
        search=search,
        sort=sort,
    )
    return list(
        session.scalars(
            select(Claim).options(*_CLAIM_LOAD).where(Claim.id.in_(query)).order_by(*SORTS[sort])
        )
    )


def claims_query(
    *,
    document_id: int | None = None,
    verdict: str | None = None,
    level: str | None = None,
    unsourced: bool = False,
    search: str | None = None,
    sort: str = "position",
) -> Select[int]:
    """The ids of the claims selected, in order. `level`: claims citing a study at this
    evidence level or stronger (`grading.levels_from`).

    `search` is case-insensitive over the claim text and the cited studies' titles and
    abstracts (LIKE on both engines).
    """
    if sort not in SORTS:
        raise InputError(f"unknown sort {sort!r}; choose one of {', '.join(SORTS)}")
    query = select(Claim.id).order_by(*SORTS[sort])
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
    return query


def count_claims(*, session: Session, query: Select[int]) -> int:
    """How many claims `query` (a `claims_query`) selects."""
    from sqlalchemy import func

    return session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0


def claim_batches(
    *,
    session: Session,
    query: Select[int],
    size: int = BATCH_SIZE,
    brief: bool = False,
    offset: int = 0,
    limit: int | None = None,
) -> Iterator[list[Claim]]:
    """The claims `query` selects (a select of claim ids, ordered), `size` at a time: the
    ids are read from one cursor, each batch's claims, citations, studies and references in
    a few queries (`batch_load`). Nothing is kept between batches: the session's identity
    map holds loaded rows weakly, so memory does not grow with the number of claims."""
    if offset:
        query = query.offset(offset)
    if limit is not None:
        query = query.limit(limit)
    result = session.execute(query.execution_options(yield_per=size))
    options = batch_load(brief=brief)
    for ids in result.scalars().partitions(size):
        yield load_claims(session=session, ids=ids, options=options)


def load_claims(*, session: Session, ids: Sequence[int], options: Sequence[object]) -> list[Claim]:
    """The claims with these ids, in this order, loaded with `options`."""
    rows = session.scalars(select(Claim).options(*options).where(Claim.id.in_(ids)))  # type: ignore[arg-type]
    loaded = {c.id: c for c in rows}
    return [loaded[i] for i in ids if i in loaded]


def iter_claims(
    *, session: Session, query: Select[int], brief: bool = False, **page: int | None
) -> Iterator[Claim]:
    """`claim_batches`, a claim at a time."""
    for batch in claim_batches(session=session, query=query, brief=brief, **page):  # type: ignore[arg-type]
        yield from batch


def get_claim(*, session: Session, claim_id: int) -> Claim:
    """The claim with its page, citations, studies, references and verdict history loaded.

    The test oracle of `show_rows.read_claim` (what `claims show` reads): the same
    `views.claim_detail` made from either is identical (tests/cli/test_show_core.py)."""
    claim = session.scalars(select(Claim).options(*_CLAIM_LOAD).where(Claim.id == claim_id)).first()
    if claim is None:
        raise NotFoundError(f"no claim with id {claim_id}")
    return claim
