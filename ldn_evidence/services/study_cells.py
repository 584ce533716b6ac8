"""A cited study's csv cells, stored (`tables.study_cells`) so that an export reads them
instead of working the study out again (its design, modifiers and level rule are read off
the abstract: most of an export's time).

The store is a cache. A row is used only while it is fresh: its `basis` is `current_basis()`,
a sha256 over `code_version()` (the source of the code that makes a study's record and its
cells). A row is made from the study's values, and the database deletes it when one of
those an export writes beside it changes (`tables.STORE_WATCHED`: its id, PMID, DOI,
record hash, level, retraction, origin …; the trigger `tables.STORE_TRIGGERS`), whatever
wrote the change; so an export reading a fresh row never reads the study's own. A study
with a Retraction Watch notice is never stored: the notices are matched when read.
Anything else that changes a study's cells rewrites the study (its record, its authors,
types, links): those writes `refresh` it in the same transaction (`studies.store_article`,
the bulk writer, the curated `load`); a deleted study's row goes with it (ON DELETE
CASCADE). Whatever the store holds, an export is the same: a study without a fresh row is
worked out as before.

Filled (`fill`) when a study becomes cited (`linking`, `bulk_links`, `load`, `claims
cite`) or a cited study is rewritten; never by `verify` or an export, which only read.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select

from ldn_evidence.models import tables

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.orm import Session

SEPARATOR = "\x1f"  # between the stored runs of cells: a control character, never in a cell
CHUNK = 500  # studies read and written in one statement

_PACKAGE = Path(__file__).resolve().parent.parent
# The code that makes a study's record and its csv cells (`entries.study_record`, the
# views and grading it calls, the modifiers and design read off the abstract, the AMA
# citation, the csv's neutralising) and reads the study's rows.
_SOURCES = (
    "services/study_cells.py",
    "services/entries.py",
    "services/views.py",
    "services/rows.py",
    "services/grading.py",
    "export/ama.py",
    "export/csv_out.py",
    "export/json_out.py",
    "services/figure_marks.py",
    "export/present.py",
    "viewmodel.py",
    "vocab.py",
    "textsafe.py",
    "models/tables.py",
)


def source_files() -> list[Path]:
    """`_SOURCES` and the verification package (modifiers, design, grading)."""
    own = [_PACKAGE / name for name in _SOURCES]
    return own + sorted((_PACKAGE / "verification").glob("*.py"))


@lru_cache(maxsize=1)
def code_version() -> str:
    """sha256 of `source_files()` (name and text, line endings normalised): any change to
    them makes every stored row stale."""
    from ldn_evidence.verification.version import sources_sha256

    return sources_sha256(source_files(), lambda path: str(path.relative_to(_PACKAGE)))


def current_basis() -> str:
    """The basis of a row this code stores, and of the rows it uses: sha256 of
    `code_version()`."""
    return _basis(code_version())


@lru_cache(maxsize=2)
def _basis(version: str) -> str:
    return hashlib.sha256(version.encode() + b"\0").hexdigest()


_TABLES = tables.STORE_TABLES


def forget(db: Connection | Session, study_ids: Iterable[int | None]) -> None:
    """Delete the stored cells of these studies (a write is rewriting them)."""
    ids = sorted({i for i in study_ids if i is not None})
    for start in range(0, len(ids), CHUNK):
        part = ids[start : start + CHUNK]
        for table in _TABLES:
            db.execute(delete(table).where(table.c.study_id.in_(part)))


def refresh(db: Connection | Session, study_ids: Iterable[int | None]) -> int:
    """`forget` these studies, then `fill` those that are cited: for a write that rewrote
    them. Returns the rows stored."""
    ids = {i for i in study_ids if i is not None}
    forget(db, ids)
    return fill(db, ids)


def fill(db: Connection | Session, study_ids: Iterable[int | None]) -> int:
    """Store the cells of those of these studies that are cited and have no fresh row
    (none, or one of another basis). Returns the rows stored."""
    ids = sorted({i for i in study_ids if i is not None})
    if not ids:
        return 0
    flush = getattr(db, "flush", None)
    if flush is not None:  # a Session: its pending rows are read below
        flush()
    s, cells, cites = tables.studies.c, tables.study_cells.c, tables.citations.c
    current = current_basis()
    made = 0
    for start in range(0, len(ids), CHUNK):
        part = ids[start : start + CHUNK]
        cited = select(cites.study_id).where(cites.study_id.in_(part))
        query = (
            select(s.id, cells.basis.label("stored"))
            .outerjoin(tables.study_cells, cells.study_id == s.id)
            .where(s.id.in_(cited))
        )
        stale = [row.id for row in db.execute(query) if row.stored != current]
        if stale:
            made += _store(db, stale)
    return made


def row_of(study: Any) -> dict[str, Any]:
    """What a study's rows store, from its record as `entries.study_record` makes it: its
    csv cells (the two runs of `csv_out.study_cells`, joined by `SEPARATOR`), its level
    rule, design and modifiers (`derived`, JSON) in `study_cells`; the study as the json
    export writes it (`json_out.study_text`) and what a page's red flags read of it
    (`figure_marks.marks_text`) in `study_json`."""
    from ldn_evidence.export.csv_out import study_cells
    from ldn_evidence.export.json_out import study_text
    from ldn_evidence.services.entries import study_record
    from ldn_evidence.services.figure_marks import marks_text

    record = study_record(study)
    derived = [record.level_rule, record.design, record.modifiers]
    return {
        "study_id": study.id,
        "basis": current_basis(),
        "pmid": study.pmid,
        "csv": SEPARATOR.join(study_cells(record)),
        "derived": json.dumps(derived, ensure_ascii=False),
        "json": study_text(record),
        "marks": marks_text(record),
    }


def derived_of(text: str) -> tuple[str, str, dict[str, Any]]:
    """A stored `derived` as `entries.study_record` takes it: (level rule, design,
    modifiers)."""
    level_rule, design, modifiers = json.loads(text)
    return level_rule, design, modifiers


def stored_derived(db: Connection, studies: dict[int, Any]) -> dict[int, Any]:
    """{study id: `derived_of` its row} of those of `studies` (records with their
    `retraction_notices`, `rows.cited_studies`) whose stored row is fresh."""
    if not studies:
        return {}
    cells = tables.study_cells.c
    query = select(cells.study_id, cells.basis, cells.derived).where(
        cells.study_id.in_(list(studies))
    )
    current = current_basis()
    found = {}
    for study_id, stored, derived in db.execute(query):
        study = studies[study_id]
        if not study.retraction_notices and stored == current:
            found[study_id] = derived_of(derived)
    return found


def _store(db: Connection | Session, ids: list[int]) -> int:
    from ldn_evidence.services.rows import cited_studies

    studies = cited_studies(db, ids)
    rows = [
        row_of(study)
        for study in studies.values()
        if not study.retraction_notices  # matched when read: such a study is worked out
    ]
    for table in _TABLES:
        db.execute(delete(table).where(table.c.study_id.in_(ids)))
    if rows:
        for table in _TABLES:
            names = [c.name for c in table.c]
            db.execute(_upsert(db, table), [{n: row[n] for n in names} for row in rows])
    return len(rows)


def _upsert(db: Connection | Session, table: Any = tables.study_cells) -> Any:
    """INSERT … ON CONFLICT (study_id) DO UPDATE: a command storing the same study at once
    (PostgreSQL) makes this one wait for it, then write over its row, not fail."""
    from sqlalchemy.dialects import postgresql, sqlite

    dialect = getattr(db, "dialect", None) or db.get_bind().dialect  # type: ignore[union-attr]
    ins: Any = (postgresql if dialect.name == "postgresql" else sqlite).insert(table)
    values = {c.name: ins.excluded[c.name] for c in table.c if c.name != "study_id"}
    return ins.on_conflict_do_update(index_elements=[table.c.study_id], set_=values)


def fill_cited(db: Connection | Session) -> int:
    """`fill` every cited study (a database made or upgraded before the store, or whose
    rows went stale with the code). Returns the rows stored."""
    cites = tables.citations.c
    query = select(cites.study_id).where(cites.study_id.is_not(None)).distinct()
    ids = sorted(db.execute(query).scalars())
    made = 0
    for start in range(0, len(ids), CHUNK * 10):
        made += fill(db, ids[start : start + CHUNK * 10])
    return made
