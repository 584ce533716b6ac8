"""Claims loaded as entities (the ORM): a claim with everything `claims show` shows
(`get_claim`, the test oracle of `show_rows.read_claim`), the report built whole
(`list_claims`) and batches of claims (`iter_claims`). Which claims, in which order:
`claim_query.claims_query`."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, defer, selectinload

from ldn_evidence.errors import NotFoundError
from ldn_evidence.models import Citation, Claim, Reference, SourceDocument, Study
from ldn_evidence.services.claim_query import BATCH_SIZE, SORTS, claims_query

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
    See `claim_query.claims_query`."""
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
    """`claim_batches`, a claim at a time. With `brief`: the test oracle of
    `list_rows.claim_briefs` (what `claims list` reads)."""
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
