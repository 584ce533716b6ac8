"""What `claims list`, `studies list` and `documents list` read: the selected claims and
studies a batch at a time, and the pages with their counts, with Core statements on the
tables (`models.tables`) into records shaped as the entities (`rows.Record`), which the
one set of view builders turns into the list rows (`views.claim_brief`,
`views.study_brief`). Imports no ORM: a list command neither imports `sqlalchemy.orm`
nor maps the models.

The ORM readings (`claims.iter_claims(brief=True)`, `studies.iter_studies`) are kept as
the test oracle: the rows made from either are identical (tests/cli/test_list_core.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, exists, func, or_, select

from ldn_evidence.models import tables
from ldn_evidence.models.tables import CLAIM_DATA_COLUMNS
from ldn_evidence.services.claim_query import BATCH_SIZE
from ldn_evidence.services.grading import check_level
from ldn_evidence.services.rows import (
    NOTICE_MATCH,
    Record,
    cited_studies,
    columns,
    id_batches,
    ids,
)
from ldn_evidence.services.text_search import contains_any
from ldn_evidence.services.views import claim_brief, iso, study_brief
from ldn_evidence.viewmodel import DocumentRow
from ldn_evidence.vocab import RetractionNature

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from ldn_evidence.viewmodel import ClaimBrief, StudyView

_claim, _citation, _study = tables.claims.c, tables.citations.c, tables.studies.c
_reference, _document = tables.references.c, tables.source_documents.c

# What a claim's list row reads (`views.claim_brief`): the claim, and of each citation (by
# id, as `Claim.citations` orders them) its verdict and evidence and its study's brief.
_CLAIMS = select(*columns(tables.claims, "id", "document_id", "text", *CLAIM_DATA_COLUMNS)).where(
    _claim.id.in_(ids())
)
_CITATIONS = (
    select(
        *columns(
            tables.citations,
            "claim_id",
            "study_id",
            "origin",
            "verdict",
            "verdict_origin",
            "evidence_sentence",
        )
    )
    .where(_citation.claim_id.in_(ids()))
    .order_by(_citation.id)
)


def _page(query: Select[Any], offset: int, limit: int | None) -> Select[Any]:
    if offset:
        query = query.offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return query


def count(*, conn: Connection, query: Select[Any]) -> int:
    """How many rows `query` (a `claims_query` or `studies_query`) selects."""
    return conn.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0


# ---- claims list -----------------------------------------------------------------------------


def claim_briefs(
    *,
    conn: Connection,
    query: Select[Any],
    offset: int = 0,
    limit: int | None = None,
    size: int = BATCH_SIZE,
) -> Iterator[ClaimBrief]:
    """The list row (`views.claim_brief`) of each claim `query` (a `claims_query`) selects,
    in its order, read `size` claims at a time."""
    for batch in id_batches(conn=conn, query=_page(query, offset, limit), size=size):
        each = {"ids": batch}
        claims = {c.id: c for c in Record.rows(conn.execute(_CLAIMS, each), citations=list)}
        citations = list(Record.rows(conn.execute(_CITATIONS, each)))
        wanted = {c.study_id for c in citations if c.study_id is not None}
        studies = cited_studies(conn, wanted, brief=True) if wanted else {}
        for c in citations:
            c.study = studies.get(c.study_id)
            claims[c.claim_id].citations.append(c)
        for claim_id in batch:
            if claim_id in claims:
                yield claim_brief(claims[claim_id])


# ---- studies list ----------------------------------------------------------------------------

_RETRACTION = RetractionNature.RETRACTION.value


def studies_query(
    *,
    search: str | None = None,
    year: int | None = None,
    publication_type: str | None = None,
    retracted: bool = False,
    level: str | None = None,
) -> Select[Any]:
    """The ids of the studies selected, newest first. `search`: case-insensitive in title
    and abstract (LIKE); `publication_type`: case-insensitive name, e.g. "Randomized
    Controlled Trial"; `level`: an evidence level key (InputError for any other)."""
    if level is not None:
        check_level(level)
    query = select(_study.id).order_by(_study.pub_year.desc(), _study.pmid)
    if search:
        query = query.where(contains_any(search, _study.title, _study.abstract))
    if year is not None:
        query = query.where(_study.pub_year == year)
    if publication_type:
        types, kinds = tables.study_publication_types.c, tables.publication_types.c
        query = query.where(
            exists().where(
                types.study_id == _study.id,
                kinds.id == types.publication_type_id,
                func.lower(kinds.name) == publication_type.strip().lower(),
            )
        )
    if retracted:
        links, notices = tables.study_links.c, tables.retraction_notices.c
        query = query.where(
            or_(
                _study.retracted.is_(True),
                exists().where(links.study_id == _study.id, links.ref_type == "RetractionIn"),
                exists().where(NOTICE_MATCH, notices.nature == _RETRACTION),
            )
        )
    if level:
        query = query.where(_study.evidence_level == level)
    return query


def study_briefs(
    *,
    conn: Connection,
    query: Select[Any],
    offset: int = 0,
    limit: int | None = None,
    size: int = BATCH_SIZE,
) -> Iterator[StudyView[str]]:
    """The list row (`views.study_brief`) of each study `query` (a `studies_query`)
    selects, in its order, read `size` studies at a time."""
    for batch in id_batches(conn=conn, query=_page(query, offset, limit), size=size):
        studies = cited_studies(conn, batch)
        for study_id in batch:
            if study_id in studies:
                yield study_brief(studies[study_id])


# ---- documents list --------------------------------------------------------------------------


def _counts(conn: Connection, query: Any) -> dict[int, int]:
    return {doc_id: n for doc_id, n in conn.execute(query) if doc_id is not None}


def list_documents(*, conn: Connection) -> list[DocumentRow]:
    """Every document (newest id last) with its numbers of claims, references and
    unsourced claims (a figure and nothing cited for it)."""
    claims = _counts(
        conn, select(_claim.document_id, func.count(_claim.id)).group_by(_claim.document_id)
    )
    references = _counts(
        conn,
        select(_reference.document_id, func.count(_reference.id)).group_by(_reference.document_id),
    )
    cited = exists().where(_citation.claim_id == _claim.id)
    unsourced = _counts(
        conn,
        select(_claim.document_id, func.count(_claim.id))
        .where(_claim.figure_value.is_not(None), ~cited)
        .group_by(_claim.document_id),
    )
    shown = columns(
        tables.source_documents, "id", "title", "url", "version", "publisher", "retrieved_at"
    )
    rows = Record.rows(conn.execute(select(*shown).order_by(_document.id)))
    return [
        document_row(
            doc, claims.get(doc.id, 0), references.get(doc.id, 0), unsourced.get(doc.id, 0)
        )
        for doc in rows
    ]


def document_row(doc: Any, claims: int, references: int, unsourced: int) -> DocumentRow:
    """A `documents list` row: the page (a record or a `SourceDocument`) and its counts."""
    return DocumentRow(
        id=doc.id,
        title=doc.title,
        url=doc.url,
        version=doc.version,
        publisher=doc.publisher,
        retrieved_at=iso(doc.retrieved_at),
        claims=claims,
        references=references,
        unsourced_claims=unsourced,
    )
