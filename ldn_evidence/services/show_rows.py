"""What `claims show`, `studies show` and `documents show` read: a claim, a study (with its
full text) or a page, read with Core statements on the tables (`models.tables`) into
records shaped as the entities and their relationships (`rows.Record`), which the one set
of view builders turns into the commands' views (`views.claim_detail`,
`views.study_detail`, `fulltext_views`, `entries.document_detail`). Imports no ORM: a
show command neither imports `sqlalchemy.orm` nor maps the models.

Each relationship is read in its order (`Claim.citations` by id, `Study.authors` by
position, `Study.retraction_notices` by date and record id, …); the ORM readings
(`claims.get_claim`, `studies.get_study`, `documents.get_document`; the full text by
`fulltext.full_text_for`) are kept as the test oracle: the views made from either are
identical (tests/cli/test_show_core.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, func, or_, select

from ldn_evidence.errors import NotFoundError
from ldn_evidence.models import tables
from ldn_evidence.services.fulltext_views import brief_of
from ldn_evidence.services.rows import NOTICE_MATCH, AuthorRecord, Record, cited_studies

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from ldn_evidence.viewmodel import FullTextBrief

_CHUNK = 500  # ids in one IN list, as the ORM's selectin loading sends them


def _all(table: Any, *without: str) -> list[Any]:
    """The table's columns, less `without` (large texts no view reads)."""
    return [c for c in table.c if c.name not in without]


def _records(
    conn: Connection, statement: Any, cls: type[Record] = Record, **more: Any
) -> list[Any]:
    return list(cls.rows(conn.execute(statement), **more))


def _chunks(values: Iterable[int]) -> Iterator[list[int]]:
    values = sorted(values)
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _studies(conn: Connection, wanted: Iterable[int | None]) -> dict[int, Any]:
    """`rows.cited_studies` of these ids, a chunk of ids a statement."""
    found: dict[int, Any] = {}
    for chunk in _chunks({i for i in wanted if i is not None}):
        found.update(cited_studies(conn, chunk))
    return found


def _by_id(conn: Connection, table: Any, wanted: Iterable[int | None]) -> dict[int, Any]:
    """Whole rows of `table` with these ids, by id."""
    found: dict[int, Any] = {}
    for chunk in _chunks({i for i in wanted if i is not None}):
        for row in _records(conn, select(table).where(table.c.id.in_(chunk))):
            found[row.id] = row
    return found


def _link_citations(conn: Connection, citations: list[Any]) -> None:
    """Each citation's `study` (as every view of a cited study reads it) and `reference`."""
    studies = _studies(conn, (c.study_id for c in citations))
    references = _by_id(conn, tables.references, (c.reference_id for c in citations))
    for c in citations:
        c.study = studies.get(c.study_id)
        c.reference = references.get(c.reference_id)


# ---- claims show -----------------------------------------------------------------------------


def read_claim(*, conn: Connection, claim_id: int) -> Any:
    """The claim, shaped as `claims.get_claim` loads it: its page (no text), its citations
    by id with their verdict history, studies and references. NotFoundError when absent."""
    c = tables.claims.c
    found = _records(conn, select(tables.claims).where(c.id == claim_id))
    if not found:
        raise NotFoundError(f"no claim with id {claim_id}")
    claim = found[0]
    docs = tables.source_documents
    claim.document = None
    if claim.document_id is not None:
        pages = _records(conn, select(*_all(docs, "text")).where(docs.c.id == claim.document_id))
        claim.document = pages[0] if pages else None
    cit, events = tables.citations.c, tables.citation_events.c
    claim.citations = _records(
        conn, select(tables.citations).where(cit.claim_id == claim_id).order_by(cit.id), events=list
    )
    if claim.citations:
        by_id = {x.id: x for x in claim.citations}
        history = (
            select(tables.citation_events)
            .where(events.citation_id.in_(list(by_id)))
            .order_by(events.citation_id, events.id)
        )
        for event in _records(conn, history):
            by_id[event.citation_id].events.append(event)
        _link_citations(conn, claim.citations)
    return claim


# ---- studies show ----------------------------------------------------------------------------


def read_study(*, conn: Connection, pmid: str) -> Any:
    """The study, shaped as `studies.get_study` loads it (no raw XML): its abstract
    sections, authors, publication types, MeSH headings with their terms, keywords, links,
    Retraction Watch notices and the citations of it with their claims. NotFoundError when
    no study has this PMID."""
    studies = tables.studies
    found = _records(conn, select(*_all(studies, "raw_xml")).where(studies.c.pmid == pmid.strip()))
    if not found:
        raise NotFoundError(f"no study with PMID {pmid}")
    study = found[0]

    def part(table: Any) -> list[Any]:
        cls = AuthorRecord if table is tables.study_authors else Record
        statement = select(table).where(table.c.study_id == study.id).order_by(table.c.position)
        return _records(conn, statement, cls)

    study.abstract_sections = part(tables.abstract_sections)
    study.authors = part(tables.study_authors)
    study.keywords = part(tables.keywords)
    study.links = part(tables.study_links)
    study.mesh = part(tables.study_mesh_terms)
    terms = _by_id(conn, tables.mesh_terms, (m.mesh_term_id for m in study.mesh))
    for heading in study.mesh:
        heading.term = terms[heading.mesh_term_id]
    kinds, types = tables.publication_types, tables.study_publication_types
    study.publication_types = _records(
        conn,
        select(kinds)
        .join_from(types, kinds)
        .where(types.c.study_id == study.id)
        .order_by(kinds.c.name),
    )
    notices = tables.retraction_notices
    study.retraction_notices = _records(
        conn,
        select(notices)
        .join_from(studies, notices, NOTICE_MATCH)
        .where(studies.c.id == study.id)
        .order_by(notices.c.notice_date, notices.c.record_id),
    )
    cit, claims = tables.citations.c, tables.claims.c
    study.citations = [
        Record(claim_id=claim_id, verdict=verdict, origin=origin, claim=Record(text=text))
        for claim_id, verdict, origin, text in conn.execute(
            select(cit.claim_id, cit.verdict, cit.origin, claims.text)
            .join_from(tables.citations, tables.claims)
            .where(cit.study_id == study.id)
            .order_by(cit.id)
        )
    ]
    return study


def read_full_text(*, conn: Connection, study: Any, passages: bool = True) -> Any | None:
    """The study's full text as `fulltext.full_text_for` finds it (linked to the study, or
    stored before it with its PMID or PMCID; no XML), with its sections and, unless
    `passages` is False, its passages (each with its `section`). None when there is none."""
    texts = tables.full_texts
    ft = texts.c
    unlinked = [ft.pmid == study.pmid]
    if study.pmcid:
        unlinked.append(ft.pmcid == study.pmcid)
    found = _records(
        conn,
        select(*_all(texts, "raw_xml"))
        .where(or_(ft.study_id == study.id, and_(ft.study_id.is_(None), or_(*unlinked))))
        .order_by(ft.study_id.is_(None), ft.id.desc())
        .limit(1),
    )
    if not found:
        return None
    row = found[0]
    sections, parts = tables.full_text_sections, tables.full_text_passages
    row.sections = _records(
        conn,
        select(sections).where(sections.c.full_text_id == row.id).order_by(sections.c.position),
    )
    if passages:
        by_id = {s.id: s for s in row.sections}
        row.passages = _records(
            conn, select(parts).where(parts.c.full_text_id == row.id).order_by(parts.c.position)
        )
        for passage in row.passages:
            passage.section = by_id.get(passage.section_id)
    return row


def full_text_summary(*, conn: Connection, study: Any) -> FullTextBrief | None:
    """The brief of the study's full text (`fulltext_views.full_text_brief`) with its
    passages counted by the database, not read. None when no full text is stored."""
    row = read_full_text(conn=conn, study=study, passages=False)
    if row is None:
        return None
    counts: Counter[str] = Counter()
    per_section: Counter[int] = Counter()
    positions = {s.id: s.position for s in row.sections}
    parts = tables.full_text_passages.c
    for kind, section_id, n in conn.execute(
        select(parts.kind, parts.section_id, func.count())
        .where(parts.full_text_id == row.id)
        .group_by(parts.kind, parts.section_id)
    ):
        counts[kind] += n
        if section_id is not None and section_id in positions:
            per_section[positions[section_id]] += n
    return brief_of(row, counts, per_section)


# ---- documents show --------------------------------------------------------------------------


def read_document(*, conn: Connection, document_id: int) -> Any:
    """The page, shaped as `documents.get_document` loads it: its references by position
    (each with its study's PMID), its claims by position, each with its citations by id
    (their studies and references). NotFoundError when absent."""
    docs = tables.source_documents
    found = _records(conn, select(docs).where(docs.c.id == document_id))
    if not found:
        raise NotFoundError(f"no document with id {document_id}")
    doc = found[0]
    refs, claims, cit = tables.references.c, tables.claims.c, tables.citations.c
    doc.references = _records(
        conn,
        select(tables.references).where(refs.document_id == document_id).order_by(refs.position),
    )
    studies = tables.studies
    pmids: dict[int, str] = {}
    for chunk in _chunks({r.study_id for r in doc.references if r.study_id is not None}):
        statement = select(studies.c.id, studies.c.pmid).where(studies.c.id.in_(chunk))
        pmids.update({study_id: pmid for study_id, pmid in conn.execute(statement)})
    for ref in doc.references:
        ref.study = Record(pmid=pmids[ref.study_id]) if ref.study_id in pmids else None
    doc.claims = _records(
        conn,
        select(tables.claims).where(claims.document_id == document_id).order_by(claims.position),
        citations=list,
    )
    by_id = {c.id: c for c in doc.claims}
    page_claims = select(claims.id).where(claims.document_id == document_id)
    citations = _records(
        conn, select(tables.citations).where(cit.claim_id.in_(page_claims)).order_by(cit.id)
    )
    for c in citations:
        by_id[c.claim_id].citations.append(c)
    _link_citations(conn, citations)
    return doc
