"""Rows read with Core statements (`models.tables`), shaped as the mapped entities are, so
the one set of view builders (`services.views`, `services.entries`) makes the same views
from either: `Record` (a row by attribute, with the entity's relationships as attributes
set by the reader), and the cited studies with the parts every study view reads (authors,
publication types, links, Retraction Watch notices), which the streamed export
(`report_rows`) and the show commands (`show_rows`) read alike. Imports no ORM."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, func, or_, select

from ldn_evidence.models import tables
from ldn_evidence.models.tables import author_name

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.orm import Session


ROWS_AT_ONCE = 500  # rows fetched from the cursor at a time


class Record:
    """A row read by attribute, as the entity of the same columns reads: what the view
    builders are given in place of a `Claim`, `Citation`, `Reference` or `Study`."""

    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)

    @classmethod
    def rows(cls, result: Any, **more: Any) -> Iterator[Any]:
        """A record of each row of `result`, with `more` (each a factory: list)."""
        keys = list(result.keys())
        new = cls.__new__
        factories = list(more.items())
        for part in result.partitions(ROWS_AT_ONCE):  # fetchmany: not a call per row
            for row in part:
                record = new(cls)
                values = record.__dict__ = dict(zip(keys, row, strict=True))
                for name, factory in factories:
                    values[name] = factory()
                yield record

    def __getattr__(self, name: str) -> Any:  # only for a name never set: typed as Any
        raise AttributeError(name)


class AuthorRecord(Record):
    """A `study_authors` row, named as `StudyAuthor.display_name` names it."""

    @property
    def display_name(self) -> str:
        return author_name(self.collective_name, self.last_name, self.initials, self.fore_name)


def ids() -> Any:
    return bindparam("ids", expanding=True)  # a list of ids given at each execution


def id_batches(
    *, conn: Connection, query: Any, size: int, params: dict[str, Any] | None = None
) -> Iterator[list[int]]:
    """The ids `query` selects (ordered; with `params`), `size` at a time, read from one
    cursor."""
    result = conn.execute(query, params or {}, execution_options={"yield_per": size})
    for batch in result.scalars().partitions(size):
        yield list(batch)


def columns(table: Any, *names: str) -> list[Any]:
    return [table.c[name] for name in names]


# What every view of a cited study reads (`views.study_brief`, `entries.study_record`),
# each statement made once (its SQL compiled once, and cached by SQLAlchemy).
_s, _authors, _links, _types, _kinds, _notices = (
    tables.studies.c,
    tables.study_authors.c,
    tables.study_links.c,
    tables.study_publication_types.c,
    tables.publication_types.c,
    tables.retraction_notices.c,
)
STUDY_COLUMNS = columns(
    tables.studies,
    "id",
    "pmid",
    "doi",
    "pmcid",
    "title",
    "abstract",
    "journal_title",
    "journal_iso",
    "issn",
    "pub_year",
    "pub_date",
    "volume",
    "issue",
    "pages",
    "language",
    "evidence_level",
    "retracted",
    "origin",
    "raw_sha256",
)
_STUDIES = select(*STUDY_COLUMNS).where(_s.id.in_(ids()))
_AUTHORS = (
    select(
        _authors.study_id,
        _authors.last_name,
        _authors.fore_name,
        _authors.initials,
        _authors.collective_name,
    )
    .where(_authors.study_id.in_(ids()))
    .order_by(_authors.study_id, _authors.position)
)
_TYPES = (
    select(_types.study_id, _kinds.name)
    .join_from(tables.study_publication_types, tables.publication_types)
    .where(_types.study_id.in_(ids()))
    .order_by(_types.study_id, _kinds.name)
)
_LINKS = (
    select(_links.study_id, _links.ref_type)
    .where(_links.study_id.in_(ids()))
    .order_by(_links.study_id, _links.position)
)
# `Study.retraction_notices`: matched by PMID or DOI, in the relationship's order
NOTICE_MATCH = or_(_s.pmid == _notices.original_pmid, func.lower(_s.doi) == _notices.original_doi)
_ANY_NOTICE = select(_notices.id).limit(1)


def any_notice(conn: Connection) -> bool:
    """Whether the database holds any Retraction Watch notice (most hold none: then no
    study needs matching against them)."""
    return conn.scalar(_ANY_NOTICE) is not None


_NOTICES = (
    select(_s.id, _notices.notice_date, _notices.record_id, _notices.nature)
    .join_from(tables.studies, tables.retraction_notices, NOTICE_MATCH)
    .where(_s.id.in_(ids()))
    .order_by(_s.id, _notices.notice_date, _notices.record_id)
)


# What a list row's source reads (`views.claim_brief`): the study's PMID, level and flags.
_BRIEF_STUDIES = select(
    *columns(tables.studies, "id", "pmid", "evidence_level", "retracted", "origin")
).where(_s.id.in_(ids()))


def cited_studies(
    db: Connection | Session, wanted: Iterable[int], *, brief: bool = False
) -> dict[int, Any]:
    """The studies with these ids as records shaped as `Study` is (no raw XML, article
    date, publisher, fetch date or curation note), each with the parts its views read:
    `authors` (names), `publication_types` (names), `links` (types) and
    `retraction_notices` (date, record id, nature), in the relationships' orders.
    `brief`: only what a claim list's source shows (PMID, level, flags: no authors)."""
    each = {"ids": list(wanted)}
    parts = {"publication_types": list, "links": list, "retraction_notices": list}
    if not brief:
        parts["authors"] = list
    statement = _BRIEF_STUDIES if brief else _STUDIES
    studies = {s.id: s for s in Record.rows(db.execute(statement, each), **parts)}
    if not studies:
        return studies
    if not brief:
        for author in AuthorRecord.rows(db.execute(_AUTHORS, each)):
            studies[author.study_id].authors.append(author)
    for study_id, name in db.execute(_TYPES, each):
        studies[study_id].publication_types.append(Record(name=name))
    for study_id, ref_type in db.execute(_LINKS, each):
        studies[study_id].links.append(Record(ref_type=ref_type))
    for study_id, notice_date, record_id, nature in db.execute(_NOTICES, each):
        studies[study_id].retraction_notices.append(
            Record(notice_date=notice_date, record_id=record_id, nature=nature)
        )
    return studies
