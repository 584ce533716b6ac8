"""The bulk write path: parsed records → studies and their parts, a chunk at a time.

`store_article` (services/studies.py) builds one ORM object graph per record; this module
writes a whole chunk in a few Core statements and produces exactly the same rows:

1. one query selects the stored (pmid, id, raw_sha256) of the chunk; a record whose
   sha256 matches is "unchanged" and not written;
2. publication types and MeSH terms are resolved to ids (cached across chunks, missing
   ones inserted with ON CONFLICT DO NOTHING: the vocabularies stay shared and unique);
3. one upsert (INSERT … ON CONFLICT (pmid) DO UPDATE) writes the studies rows: an updated
   study keeps its row and id, so the citations to it survive (SQLite: one DBAPI
   executemany, the new ids read back by PMID; PostgreSQL: COPY, then RETURNING id);
4. the child rows of updated studies are deleted and every child row is inserted with
   executemany (on PostgreSQL optionally COPY, see `COPY_CHILDREN`).

The CPU-heavy part — grading, hashing, building rows — is `prepare`, a pure function of
the record, so it can run in a worker process (services/importing.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Boolean,
    Connection,
    Dialect,
    Table,
    bindparam,
    delete,
    exists,
    select,
    update,
)

from ldn_evidence.models import tables
from ldn_evidence.models.tables import too_long as base_too_long
from ldn_evidence.pubmed.records import ArticleRecord, Author, MeshQualifier, MeshTerm
from ldn_evidence.services import study_cells

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

# PostgreSQL: write child rows with COPY instead of executemany (benchmarks/RESULTS.md).
COPY_CHILDREN = True
COPY_STUDIES = True

# The Core tables (`models.tables`): writing them maps no ORM class.
STUDIES = tables.studies
SECTIONS = tables.abstract_sections
AUTHORS = tables.study_authors
TYPES = tables.publication_types
MESH = tables.mesh_terms
STUDY_MESH = tables.study_mesh_terms
KEYWORDS = tables.keywords
LINKS = tables.study_links
STUDY_TYPES = tables.study_publication_types

# Child tables and their columns, in the order `prepare` builds the rows.
_CHILDREN: dict[Table, tuple[str, ...]] = {
    SECTIONS: ("study_id", "position", "label", "category", "text"),
    AUTHORS: ("study_id", "position", "last_name", "fore_name", "initials", "collective_name",
              "orcid", "affiliations"),
    STUDY_TYPES: ("study_id", "publication_type_id"),
    STUDY_MESH: ("study_id", "mesh_term_id", "position", "major_topic", "qualifiers"),
    KEYWORDS: ("study_id", "position", "text", "major_topic", "owner"),
    LINKS: ("study_id", "position", "ref_type", "pmid", "ref_source"),
}  # fmt: skip
_CHILD_TABLES = tuple(_CHILDREN)


@dataclass(slots=True)
class Prepared:
    """Everything a record becomes, except surrogate ids and fetched_at. Picklable."""

    pmid: str
    sha256: str
    row: dict[str, Any]  # studies columns but id and fetched_at (raw_xml: UTF-8 bytes)
    sections: list[tuple[Any, ...]]
    authors: list[tuple[Any, ...]]
    types: list[tuple[str, str | None]]  # (name, ui), unique by name, in record order
    mesh: list[tuple[str, str, int, bool, Any]]  # (key, name, position, major, qualifiers)
    keywords: list[tuple[Any, ...]]
    links: list[tuple[Any, ...]]


@dataclass(slots=True)
class Known:
    """A record the producer found already stored with this sha256: usually skipped.

    Carries the raw XML in case an earlier record of the same run changed the study
    meanwhile; the writer then re-parses and stores it.
    """

    pmid: str
    sha256: str
    raw_xml: bytes


Item = Prepared | Known


@dataclass
class BulkResult:
    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def prepare(record: ArticleRecord, *, origin: str = "file", sha256: str | None = None) -> Prepared:
    """The rows `store_article` would write for `record` (same grading, same values).
    `sha256`: the record's `sha256` when the caller has computed it already.

    Each of the record's lists is read once (the abstract is joined once, for the row and
    the grading): this runs for every record of an import."""
    from ldn_evidence.services.grading import grade_record

    sha = record.sha256 if sha256 is None else sha256
    abstract = record.abstract
    types: dict[str, str | None] = {}
    for t in record.publication_types:
        types.setdefault(t.name, t.ui)
    row = {
        "pmid": record.pmid,
        "pmid_version": record.pmid_version,
        "kind": record.kind,
        "doi": record.doi,
        "pmcid": record.pmcid,
        "title": record.title,
        "abstract": abstract or None,
        "journal_title": record.journal_title,
        "journal_iso": record.journal_iso,
        "issn": record.issn,
        "volume": record.volume,
        "issue": record.issue,
        "pages": record.pages,
        "pub_year": record.pub_year,
        "pub_date": record.pub_date,
        "article_date": record.article_date,
        "language": record.language,
        "publisher": record.publisher,
        "evidence_level": grade_record(record, abstract=abstract),
        "retracted": record.retracted,
        "origin": origin,
        "curation_note": None,
        "raw_xml": _utf8(record.raw_xml),
        "raw_sha256": sha,
    }
    return Prepared(
        pmid=record.pmid,
        sha256=sha,
        row=row,
        sections=[(i, s.label, s.category, s.text) for i, s in enumerate(record.abstract_sections)],
        authors=[_author(i, a) for i, a in enumerate(record.authors)],
        types=list(types.items()),
        mesh=_mesh_rows(record.mesh_terms),
        keywords=[(i, k.text, k.major_topic, k.owner) for i, k in enumerate(record.keywords)],
        links=[(i, x.ref_type, x.pmid, x.ref_source) for i, x in enumerate(record.links)],
    )


def _mesh_rows(terms: list[MeshTerm]) -> list[tuple[str, str, int, bool, str]]:
    """(key, name, position, major, qualifiers JSON) of each heading, the first of a
    descriptor only; key: the descriptor's UI, else its name."""
    rows = []
    seen: set[str] = set()
    position = 0
    for m in terms:
        key = m.descriptor_ui or m.descriptor_name
        if key not in seen:
            seen.add(key)
            q = _qualifiers_json(m.qualifiers) if m.qualifiers else "null"
            rows.append((key, m.descriptor_name, position, m.major_topic, q))
        position += 1
    return rows


def _utf8(raw: bytes) -> bytes:
    """The record's XML as the UTF-8 bytes of its text (`raw.decode("utf-8", "replace")`):
    `raw` itself when it is UTF-8, as lxml writes it. Kept as bytes, not decoded: SQLite
    stores them as that text (`CAST(? AS TEXT)`), without a str to build and encode back
    (~0.3 s CPU and ~10 MB at the peak of a 30,000-record import)."""
    if not raw.isascii():
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            return raw.decode("utf-8", errors="replace").encode("utf-8")
    return raw


def _text_row(row: dict[str, Any]) -> dict[str, Any]:
    """`row` with raw_xml as text (str), for the writers that do not cast bytes."""
    raw = row["raw_xml"]
    return {**row, "raw_xml": raw.decode("utf-8")} if isinstance(raw, bytes) else row


def _limits(table: Table, columns: Sequence[str]) -> tuple[tuple[int, str, int], ...]:
    """(index, column, length) of the columns among `columns` with a length limit."""
    out = []
    for i, name in enumerate(columns):
        length = getattr(table.c[name].type, "length", None)
        if length is not None:
            out.append((i, name, length))
    return tuple(out)


# What each part of a Prepared record is written to (its tuples without study_id).
_ROW_LIMITS = {name: length for _i, name, length in _limits(STUDIES, list(STUDIES.c.keys()))}
_ROW_CHECKS = tuple(_ROW_LIMITS.items())
_PART_LIMITS = {
    table: (table.name, _limits(table, columns[1:])) for table, columns in _CHILDREN.items()
}
_TYPE_LIMITS = ("publication_types", _limits(TYPES, ("name", "ui")))
_MESH_LIMITS = ("mesh_terms", _limits(MESH, ("ui", "name")))


# The parts of a Prepared record after its row, in the order `too_long` reads them: the
# attribute, and the table and limits (index in the part's tuples, column, length).
_PARTS = tuple(
    (attr, table, limits)
    for attr, (table, limits) in (
        ("sections", _PART_LIMITS[SECTIONS]),
        ("authors", _PART_LIMITS[AUTHORS]),
        ("keywords", _PART_LIMITS[KEYWORDS]),
        ("links", _PART_LIMITS[LINKS]),
        ("types", _TYPE_LIMITS),
        ("mesh", _MESH_LIMITS),  # (key, name, …): the limits' indexes are ui's and name's
    )
    if limits
)


def _fits_source() -> str:
    """The source of `_fits(p)`: True when no value of `p` is longer than its column,
    each length compared with its limit in one expression, every limit a constant
    (`len(v or "")`: a value is a str or None). A loop over the limits, as `too_long`
    reads them, costs twice as much, and this runs for every record of an import."""

    def over(checks: Iterable[tuple[str, int]]) -> str:
        return " or ".join(f"len({value} or '') > {limit}" for value, limit in checks)

    lines = [
        "def _fits(p):",
        "    row = p.row",
        f"    if {over((f'row[{name!r}]', limit) for name, limit in _ROW_CHECKS)}:",
        "        return False",
    ]
    for attr, _table, limits in _PARTS:
        lines += [
            f"    for r in p.{attr}:",
            f"        if {over((f'r[{i}]', limit) for i, _name, limit in limits)}:",
            "            return False",
        ]
    return "\n".join([*lines, "    return True", ""])


_FITS: dict[str, Any] = {}
exec(compile(_fits_source(), "<bulk._fits>", "exec"), _FITS)  # noqa: S102 - our own source
_fits = _FITS["_fits"]


def too_long(p: Prepared) -> str | None:
    """The first value of `p` longer than its column keeps, as "the field … is N
    characters long; at most M fit", or None. SQLite would store it and PostgreSQL refuse
    it: the record is refused on both, so both hold the same.

    `_fits` answers for nearly every record; a record it does not clear (or a value
    that is neither str nor None) is read value by value for the message."""
    try:
        if _fits(p):
            return None
    except (TypeError, KeyError):
        pass
    row = p.row
    for name, limit in _ROW_CHECKS:  # the studies columns in order, as `prepare` fills them
        value = row.get(name)
        if isinstance(value, str) and len(value) > limit:
            return base_too_long("studies", name, value, limit)
    for attr, table, limits in _PARTS:
        problem = _first_too_long(table, limits, getattr(p, attr))
        if problem is not None:
            return problem
    return None


def _first_too_long(
    table: str, limits: tuple[tuple[int, str, int], ...], rows: Sequence[tuple[Any, ...]]
) -> str | None:
    """The message for the first over-long value of `rows`, row by row."""
    for r in rows:
        for i, name, limit in limits:
            value = r[i]
            if isinstance(value, str) and len(value) > limit:
                return base_too_long(table, name, value, limit)
    return None


def _author(i: int, a: Author) -> tuple[Any, ...]:
    affiliations = json.dumps(list(a.affiliations)) if a.affiliations else "null"
    return (i, a.last_name, a.fore_name, a.initials, a.collective_name, a.orcid, affiliations)


# A MeSH term's qualifiers column by its qualifiers' (name, ui, major): the same few
# thousand combinations recur in every file. Keyed by plain tuples, not the frozen
# dataclasses, whose hash and equality run Python code for each qualifier.
_QUALIFIERS: dict[tuple[tuple[str, str | None, bool], ...], str] = {}
_QUALIFIERS_MAX = 8192  # then the cache starts again: memory stays flat (~2 MB)


def _qualifiers_json(qualifiers: tuple[MeshQualifier, ...]) -> str:
    """A MeSH term's qualifiers column: JSON as the ORM path writes it."""
    key = tuple([(q.name, q.ui, q.major_topic) for q in qualifiers])
    text = _QUALIFIERS.get(key)
    if text is None:
        if len(_QUALIFIERS) >= _QUALIFIERS_MAX:
            _QUALIFIERS.clear()
        quals = [{"ui": ui, "name": name, "major_topic": major} for name, ui, major in key]
        text = _QUALIFIERS[key] = _json(quals or None)
    return text


def _json(value: Any) -> str:
    """A JSON column's value as SQLAlchemy's JSON type writes it with the default
    serialiser (`json.dumps`; Python None is JSON null, as in the ORM path)."""
    return "null" if value is None else json.dumps(value)


class Vocabulary:
    """Ids of publication types (by name) and MeSH terms (by UI), cached across the
    chunks of one import. Ids learnt in a transaction are kept once it commits
    (`commit`); after a rollback, `rollback` forgets them so none is reused."""

    def __init__(self) -> None:
        self.types: dict[str, tuple[int, str | None]] = {}  # name: (id, ui)
        self.mesh: dict[str, tuple[int, str | None]] = {}  # ui: (id, ui)
        self._new: dict[str, dict[str, tuple[int, str | None]]] = {"types": {}, "mesh": {}}

    def commit(self) -> None:
        self.types.update(self._new["types"])
        self.mesh.update(self._new["mesh"])
        self.rollback()

    def rollback(self) -> None:
        self._new = {"types": {}, "mesh": {}}

    def ids(
        self, conn: Connection, kind: str, wanted: dict[str, tuple[Any, ...]]
    ) -> dict[str, int]:
        """{key: id} of `wanted` ({key: the row to insert if missing: (name, ui) for kind
        "types", (ui, name) for "mesh"})."""
        table, key = (TYPES, TYPES.c.name) if kind == "types" else (MESH, MESH.c.ui)
        cached, new = getattr(self, kind), self._new[kind]
        missing = [k for k in wanted if k not in cached and k not in new]
        for attempt in (1, 2):
            if not missing:
                break
            query = f"SELECT {key.name}, id, ui FROM {table.name} WHERE {key.name} IN ({{}})"
            found = {k: (id_, ui) for k, id_, ui in select_in(conn, query, missing)}
            new.update(found)
            missing = [k for k in missing if k not in found]
            if missing and attempt == 1:  # insert, then read the ids (ours or a racer's)
                cols = ("name", "ui") if kind == "types" else ("ui", "name")
                rows = [wanted[k] for k in missing]
                conn.exec_driver_sql(
                    f"INSERT INTO {table.name} ({', '.join(cols)}) VALUES ({_marks(conn, 2)}) "
                    "ON CONFLICT DO NOTHING",
                    rows,
                )

        def known(k: str) -> tuple[int, str | None]:
            return new.get(k) or cached[k]

        fill = [k for k in wanted if wanted[k][1] and not known(k)[1]] if kind == "types" else []
        if fill:  # the ORM path sets a type's missing UI when a record carries one
            conn.execute(
                update(TYPES)
                .where(TYPES.c.id == bindparam("b_id"), TYPES.c.ui.is_(None))
                .values(ui=bindparam("b_ui")),
                [{"b_id": known(k)[0], "b_ui": wanted[k][1]} for k in fill],
            )
            for k in fill:
                new[k] = (known(k)[0], wanted[k][1])
        return {k: (new.get(k) or cached[k])[0] for k in wanted}


def select_in(conn: Connection, query: str, keys: Sequence[Any]) -> list[Any]:
    """The rows of `query` (SQL with one `IN ({})`) for `keys`, 1,000 at a time, through
    the DBAPI: a Core `in_()` of a chunk's keys costs more to render than to run."""
    rows: list[Any] = []
    for start in range(0, len(keys), 1000):
        part = tuple(keys[start : start + 1000])
        rows += conn.exec_driver_sql(query.format(_marks(conn, len(part))), part).all()
    return rows


def _marks(conn: Connection, n: int) -> str:
    """`n` positional placeholders in the DBAPI's style (sqlite3: ?, psycopg: %s)."""
    return ", ".join(["?" if conn.dialect.paramstyle == "qmark" else "%s"] * n)


def _insert(conn: Connection, table: Table) -> Any:
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table)


def store_prepared(
    *, conn: Connection, items: Sequence[Item], vocab: Vocabulary, origin: str = "file"
) -> BulkResult:
    """Write a chunk of prepared records (in order: a later record of a PMID wins) in
    `conn`'s transaction (an ORM session's: `session.connection()`).

    Outcomes are counted as `store_article` would count them one record at a time.
    """
    result = BulkResult()
    if not items:
        return result
    pmids = list(dict.fromkeys(i.pmid for i in items))
    query = "SELECT pmid, id, raw_sha256 FROM studies WHERE pmid IN ({})"
    stored = {pmid: (id_, sha) for pmid, id_, sha in select_in(conn, query, pmids)}
    current = {pmid: sha for pmid, (_id, sha) in stored.items()}
    final: dict[str, Item] = {}
    for item in items:
        before = current.get(item.pmid, _ABSENT)
        if before == item.sha256:
            result.unchanged.append(item.pmid)
        else:
            (result.new if before is _ABSENT else result.updated).append(item.pmid)
        current[item.pmid] = item.sha256
        final[item.pmid] = item
    todo: list[Prepared] = []
    for pmid, item in final.items():
        if pmid in stored and stored[pmid][1] == item.sha256:
            continue  # what is stored is what the last record says
        todo.append(item if isinstance(item, Prepared) else _reprepare(item, origin))
    if todo:
        known = {p.pmid: stored[p.pmid][0] for p in todo if p.pmid in stored}
        _write(conn, todo, vocab, known)
    return result


_ABSENT = object()


def _reprepare(item: Known, origin: str) -> Prepared:
    from ldn_evidence.pubmed.parser import parse_articles

    (record,) = parse_articles(item.raw_xml, name=f"PMID {item.pmid}")
    return prepare(record, origin=origin)


def store_articles(
    *,
    session: Session,
    records: Iterable[ArticleRecord],
    origin: str = "file",
    vocab: Vocabulary | None = None,
) -> BulkResult:
    """`store_article` for many records at once (the same rows, far fewer statements)."""
    return store_prepared(
        conn=session.connection(),
        items=[prepare(r, origin=origin) for r in records],
        vocab=vocab or Vocabulary(),
        origin=origin,
    )


def _write(
    conn: Connection, todo: list[Prepared], vocab: Vocabulary, known: dict[str, int]
) -> None:
    """Write `todo`; `known`: {pmid: id} of those already stored (their parts replaced)."""
    types: dict[str, tuple[str, str | None]] = {}  # name: (name, ui)
    mesh: dict[str, tuple[str, str]] = {}  # ui: (ui, name)
    for p in todo:
        for name, ui in p.types:
            given = types.get(name)
            if given is None or not given[1]:  # the first UI given wins, as in the ORM
                types[name] = (name, ui)
        for key, name, _pos, _major, _q in p.mesh:
            if key not in mesh:
                mesh[key] = (key, name)
    type_ids = vocab.ids(conn, "types", types)
    mesh_ids = vocab.ids(conn, "mesh", mesh)
    replace = list(known.values())
    if replace:
        for table in _CHILD_TABLES:
            conn.execute(delete(table).where(table.c.study_id.in_(replace)))
    ids = _upsert_studies(conn, todo, known)
    children: dict[Table, list[tuple[Any, ...]]] = {t: [] for t in _CHILD_TABLES}
    sections, authors, study_types = children[SECTIONS], children[AUTHORS], children[STUDY_TYPES]
    study_mesh, keywords, links = children[STUDY_MESH], children[KEYWORDS], children[LINKS]
    for p in todo:  # (most records have no sections, keywords or links)
        sid = ids[p.pmid]
        first = (sid,)
        if p.sections:
            sections += [first + r for r in p.sections]
        if p.authors:
            authors += [first + r for r in p.authors]
        for name, _ui in p.types:
            study_types.append((sid, type_ids[name]))
        for k, _n, pos, major, q in p.mesh:
            study_mesh.append((sid, mesh_ids[k], pos, major, q))
        if p.keywords:
            keywords += [first + r for r in p.keywords]
        if p.links:
            links += [first + r for r in p.links]
    copy = COPY_CHILDREN and conn.dialect.name == "postgresql"
    for table, rows in children.items():
        if not rows:
            continue
        cols = ", ".join(_CHILDREN[table])
        if copy:
            _copy(conn, f'COPY "{table.name}" ({cols}) FROM STDIN', rows)
        else:  # one DBAPI executemany (psycopg pipelines it), no per-row Core overhead
            mark = _marks(conn, len(rows[0]))
            conn.exec_driver_sql(f'INSERT INTO "{table.name}" ({cols}) VALUES ({mark})', rows)
    if replace:  # rewritten: their stored export cells go, the cited ones' made again
        study_cells.refresh(conn, replace)


def _upsert_studies(
    conn: Connection, todo: list[Prepared], known: dict[str, int]
) -> dict[str, int]:
    """INSERT … ON CONFLICT (pmid) DO UPDATE of the studies rows; {pmid: id}.

    SQLite: one DBAPI executemany of the statement (no per-row Core work), then the new
    rows' ids in one query. PostgreSQL: COPY into a temporary table, then one INSERT …
    SELECT … ON CONFLICT … RETURNING (psycopg parses a 26 000-placeholder VALUES statement
    client-side far slower than COPY runs); without COPY, a Core upsert … RETURNING.
    """
    now = datetime.now(UTC)
    cols = [*todo[0].row, "fetched_at"]
    if conn.dialect.name == "sqlite":
        return _upsert_sqlite(conn, todo, cols, now, known)
    if conn.dialect.name != "postgresql" or not COPY_STUDIES:
        ins = _insert(conn, STUDIES)
        upsert = ins.on_conflict_do_update(
            index_elements=[STUDIES.c.pmid],
            set_={c: ins.excluded[c] for c in cols if c != "pmid"},
        ).returning(STUDIES.c.pmid, STUDIES.c.id)
        values = [{**_text_row(p.row), "fetched_at": now} for p in todo]
        return dict(conn.execute(upsert, values).all())
    names = ", ".join(cols)
    conn.exec_driver_sql(
        "CREATE TEMPORARY TABLE ldn_studies_stage ON COMMIT DROP AS "
        f"SELECT {names} FROM studies WITH NO DATA"
    )
    _copy(
        conn,
        f"COPY ldn_studies_stage ({names}) FROM STDIN",
        [(*_text_row(p.row).values(), now) for p in todo],
    )
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in cols if c != "pmid")
    rows = conn.exec_driver_sql(
        f"INSERT INTO studies ({names}) SELECT {names} FROM ldn_studies_stage "
        f"ON CONFLICT (pmid) DO UPDATE SET {updates} RETURNING pmid, id"
    ).all()
    conn.exec_driver_sql("DROP TABLE ldn_studies_stage")
    return dict(rows)  # type: ignore[arg-type]


def _upsert_sqlite(
    conn: Connection, todo: list[Prepared], cols: list[str], now: datetime, known: dict[str, int]
) -> dict[str, int]:
    """The SQLite upsert: the rows as tuples in one executemany. Values are bound as Core
    would bind them: `fetched_at` through its type's processor (once: it is the same for
    every row); the others need none (a bool binds as the integer Core would send: the
    tests hold `plain_columns` true), but raw_xml, UTF-8 bytes stored as text by a cast."""
    stamp = _fetched_at_processor(conn.dialect)(now)
    names = ", ".join(cols)
    marks = ", ".join("CAST(? AS TEXT)" if c == "raw_xml" else "?" for c in cols)
    updates = ", ".join(f"{c} = excluded.{c}" for c in cols if c != "pmid")
    conn.exec_driver_sql(
        f"INSERT INTO studies ({names}) VALUES ({marks}) "
        f"ON CONFLICT (pmid) DO UPDATE SET {updates}",
        [(*p.row.values(), stamp) for p in todo],
    )
    new = [p.pmid for p in todo if p.pmid not in known]
    found = select_in(conn, "SELECT pmid, id FROM studies WHERE pmid IN ({})", new)
    return {**known, **dict(found)}


@lru_cache(maxsize=4)
def _fetched_at_processor(dialect: Dialect) -> Any:
    """How Core binds `studies.fetched_at` on `dialect` (SQLite: a text timestamp)."""
    process = STUDIES.c.fetched_at.type.dialect_impl(dialect).bind_processor(dialect)
    return process or (lambda value: value)


def plain_columns(dialect: Dialect) -> bool:
    """Every studies column but fetched_at binds its Python value unchanged on SQLite, or
    (Boolean) as the integer sqlite3 binds a bool as."""
    for column in STUDIES.c:
        if column.name == "fetched_at" or isinstance(column.type, Boolean):
            continue
        if column.type.dialect_impl(dialect).bind_processor(dialect) is not None:
            return False
    return True


def _copy(conn: Connection, sql: str, rows: list[tuple[Any, ...]]) -> None:
    """PostgreSQL COPY … FROM STDIN (psycopg 3) in the session's transaction."""
    raw: Any = conn.connection.dbapi_connection
    with raw.cursor() as cur, cur.copy(sql) as out:
        for r in rows:
            out.write_row(r)


def delete_pmids(*, conn: Connection, pmids: Iterable[str]) -> tuple[list[str], list[str]]:
    """Apply a DeleteCitation as `delete_studies` does: remove uncited studies (their parts
    with them), keep cited ones. Returns (deleted, kept because cited)."""
    wanted = list(dict.fromkeys(pmids))
    deleted: list[str] = []
    kept: list[str] = []
    ids: list[int] = []
    for start in range(0, len(wanted), 1000):
        part = wanted[start : start + 1000]
        cited = exists().where(tables.citations.c.study_id == STUDIES.c.id)
        query = select(STUDIES.c.id, STUDIES.c.pmid, cited).where(STUDIES.c.pmid.in_(part))
        for id_, pmid, is_cited in conn.execute(query):
            if is_cited:
                kept.append(pmid)
            else:
                deleted.append(pmid)
                ids.append(id_)
    for start in range(0, len(ids), 1000):
        part_ids = ids[start : start + 1000]
        for table in _CHILD_TABLES:
            conn.execute(delete(table).where(table.c.study_id.in_(part_ids)))
        study_cells.forget(conn, part_ids)
        conn.execute(delete(STUDIES).where(STUDIES.c.id.in_(part_ids)))
    return deleted, kept
