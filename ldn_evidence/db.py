"""Engines, sessions and the schema-revision check. One place makes sessions."""

from __future__ import annotations

import importlib.resources
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import (
    ArgumentError,
    NoSuchModuleError,
    OperationalError,
    ProgrammingError,
    SQLAlchemyError,
)
from sqlalchemy.exc import DatabaseError as SADatabaseError

from ldn_evidence.config import redact_db_url
from ldn_evidence.errors import DatabaseError

if TYPE_CHECKING:  # the ORM is imported by session_scope: `db current` needs only Core
    from sqlalchemy.orm import Session

SQLITE_BUSY_TIMEOUT_MS = 30_000
# The newest revision in migrations/versions/: what `ensure_schema` compares a database's
# revision with, without importing Alembic. A new revision changes it (a test fails until
# it does).
SCHEMA_HEAD = "0011"
_VERSION_TABLE = "alembic_version"  # Alembic's default, which migrations/env.py keeps
_SQLITE_HEADER = b"SQLite format 3\x00"


def _normalise_url(url: str) -> str:
    shown = redact_db_url(url)
    try:
        parsed = make_url(url)
        port = parsed.port  # a port that is not a number fails here, not on connect
    except ArgumentError:
        raise DatabaseError(f"not a database URL: {shown!r}") from None
    except ValueError:
        raise DatabaseError(f"not a database URL: {shown!r} (the port is not a number)") from None
    if port is not None and not 0 < port < 65536:
        raise DatabaseError(f"not a database URL: {shown!r} (port {port} is not 1-65535)")
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _refuse_other_files(path: Path) -> None:
    """Stop before SQLite touches a file that is not an SQLite database: SQLite takes a
    one-byte file for an empty database and would overwrite it with a new schema."""
    try:
        with path.open("rb") as handle:
            head = handle.read(len(_SQLITE_HEADER))
    except (OSError, ValueError):
        return  # missing (created later), a directory, unreadable: reported later
    if head and head != _SQLITE_HEADER:
        raise DatabaseError(f"{path} is not an SQLite database")


def make_engine(url: str, *, pragmas: bool = True, create: bool = True) -> Engine:
    """An engine for `url`; SQLite gets foreign keys, WAL and a busy timeout.

    `create=False` (the commands that only read): an SQLite file that does not exist is
    a `DatabaseError`, and neither it nor its directory is made."""
    url = _normalise_url(url)
    parsed = make_url(url)
    kwargs: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        db = parsed.database
        # A URI filename (file:…?mode=ro&uri=true) is not a path: never mkdir it.
        uri = (db or "").startswith("file:") or parsed.query.get("uri") == "true"
        if db and db != ":memory:" and not uri:
            path = Path(db).expanduser()
            _refuse_other_files(path)
            if not create and not path.exists():
                raise DatabaseError(
                    f"no database at {path}: commands that only read never create one; "
                    "check --db or LDN_EVIDENCE_DB (a relative path is taken from the "
                    "current directory), or create it with `ldn-evidence db upgrade`"
                )
            parent = path.parent
            try:
                parent.mkdir(parents=True, exist_ok=True)
            except (OSError, ValueError) as exc:
                reason = getattr(exc, "strerror", None) or str(exc)
                raise DatabaseError(f"cannot create directory {parent}: {reason}") from None
        kwargs["connect_args"] = {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
    elif parsed.get_backend_name() == "postgresql":
        kwargs["connect_args"] = {"connect_timeout": 10}
    try:
        engine = create_engine(url, **kwargs)
    except (ArgumentError, NoSuchModuleError) as exc:
        shown = redact_db_url(parsed.render_as_string(hide_password=True))
        raise DatabaseError(f"cannot use database URL {shown!r}: {exc}") from None
    except ModuleNotFoundError as exc:
        hint = (
            "install ldn-evidence[postgres]"
            if parsed.get_backend_name() == "postgresql"
            else "ldn-evidence works with SQLite and PostgreSQL"
        )
        raise DatabaseError(
            f"missing driver for {parsed.get_backend_name()} ({exc.name}); {hint}"
        ) from None
    if pragmas and engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def migrations_dir() -> Path:
    """The Alembic scripts, installed as `ldn_evidence._migrations` (from `migrations/`)."""
    return Path(str(importlib.resources.files("ldn_evidence._migrations")))


def alembic_config(engine: Engine | None = None, url: str | None = None) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    if url is not None:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if engine is not None:
        cfg.attributes["engine"] = engine
    return cfg


def head_revision() -> str:
    """The schema revision this version needs: `SCHEMA_HEAD`, read without Alembic
    (tests/db/test_migrations.py holds it equal to the migration scripts' head)."""
    return SCHEMA_HEAD


def script_head() -> str | None:
    """The head of the migration scripts, as Alembic reads them (imports Alembic)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The database's schema revision, None for a database without one (empty, or not
    made by ldn-evidence). One query on a database that has a revision; Alembic is not
    imported."""
    with _connect(engine) as conn:
        revisions = _stored_revisions(conn)
    if revisions is None or not revisions:
        return None
    if len(revisions) > 1:
        raise DatabaseError(
            f"database {describe(engine)} records {len(revisions)} schema revisions "
            f"({', '.join(sorted(revisions))}); ldn-evidence has one line of revisions"
        )
    return revisions[0]


def _stored_revisions(conn: Connection) -> list[str] | None:
    """The rows of Alembic's version table; None when there is no such table."""
    try:
        return list(conn.exec_driver_sql(f"SELECT version_num FROM {_VERSION_TABLE}").scalars())
    except (OperationalError, ProgrammingError):
        # No version table, or another failure: ask the catalogue which (PostgreSQL
        # needs the failed statement rolled back first).
        conn.rollback()
        if inspect(conn).has_table(_VERSION_TABLE):
            raise
        return None


@contextmanager
def _connect(engine: Engine) -> Iterator[Any]:
    try:
        conn = engine.connect()
    except (OperationalError, SADatabaseError) as exc:
        raise DatabaseError(
            f"cannot open database {describe(engine)}: {_first_line(exc)}"
        ) from None
    try:
        yield conn
    finally:
        conn.close()


def _failed(engine: Engine, exc: BaseException) -> DatabaseError:
    """A database failure during a unit of work, as its one-line error."""
    return DatabaseError(f"database error on {describe(engine)}: {_first_line(exc)}")


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).strip().splitlines()
    return text[0] if text else type(orig).__name__


def describe(engine: Engine) -> str:
    """The engine's URL as it may be shown: every credential masked (`redact_db_url`)."""
    return redact_db_url(engine.url.render_as_string(hide_password=True))


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    with _connect(engine) as conn:
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
        conn.commit()


def downgrade(engine: Engine, revision: str) -> None:
    from alembic import command

    with _connect(engine) as conn:
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)
        conn.commit()


def schema_ddl(dialect: Any) -> list[str]:
    """The statements that make the schema at `SCHEMA_HEAD` on `dialect`: every table and
    index of `models.tables.metadata`, then Alembic's version table (its own definition:
    `alembic_version`, `version_num VARCHAR(32)`, primary key `alembic_version_pkc`), then
    the trigger that keeps the stored export values fresh (`tables.STORE_TRIGGERS`)."""
    from sqlalchemy import Column, MetaData, PrimaryKeyConstraint, String, Table
    from sqlalchemy.schema import CreateIndex, CreateTable

    from ldn_evidence.models.tables import STORE_TRIGGERS, metadata

    version = Table(
        _VERSION_TABLE,
        MetaData(),
        Column("version_num", String(32), nullable=False),
        PrimaryKeyConstraint("version_num", name="alembic_version_pkc"),
    )
    statements = []
    for table in [*metadata.sorted_tables, version]:
        statements.append(str(CreateTable(table).compile(dialect=dialect)).strip())
        for index in sorted(table.indexes, key=lambda i: i.name or ""):
            statements.append(str(CreateIndex(index).compile(dialect=dialect)).strip())
    return statements + STORE_TRIGGERS[dialect.name]


def create_at_head(engine: Engine) -> bool:
    """Make a new, empty SQLite database at head as Alembic's cookbook builds a database
    from scratch ("create_all, then stamp head"): the tables from the models' metadata
    and the revision stamped, in one transaction, without importing Alembic or running
    the migrations one by one (~0.2 s CPU less for every command that makes a database).
    False, and nothing done, when the file has tables by the time its write lock is
    held (another process made it meanwhile).

    The schema is the one the migrations make (tests/db/test_fresh_schema.py compares them
    clause by clause, and `alembic check` finds nothing to do); only the order of the
    columns that later revisions added differs, and nothing reads columns by position."""
    import sqlite3

    with _connect(engine) as conn:
        driver = conn.connection.driver_connection
        try:
            driver.execute("BEGIN IMMEDIATE")  # the write lock, before looking again
            try:
                if driver.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                    driver.rollback()
                    return False
                for statement in schema_ddl(engine.dialect):
                    driver.execute(statement)
                driver.execute(
                    f"INSERT INTO {_VERSION_TABLE} (version_num) VALUES (?)", (SCHEMA_HEAD,)
                )
                driver.commit()
            except BaseException:
                driver.rollback()
                raise
        except sqlite3.Error as exc:
            raise DatabaseError(
                f"cannot create the schema in {describe(engine)}: {_first_line(exc)}"
            ) from None
    return True


def ensure_schema(engine: Engine, *, create: bool = True) -> None:
    """Stop unless the database is at head. A new, empty SQLite file is created at head,
    unless `create` is False (the commands that only read).

    A shared (non-SQLite) database is never migrated silently. A database at head costs
    one query (`current_revision`); Alembic is imported only to migrate.
    """
    head = SCHEMA_HEAD
    current = current_revision(engine)
    if current == head:
        return
    if current is None and create and engine.dialect.name == "sqlite":
        with _connect(engine) as conn:
            tables = inspect(conn).get_table_names()
        if not tables:
            if not create_at_head(engine):  # made by another process meanwhile: look again
                ensure_schema(engine, create=False)
            return
    if current is None:
        raise DatabaseError(
            f"database {describe(engine)} has no ldn-evidence schema; run `ldn-evidence db upgrade`"
        )
    raise DatabaseError(
        f"database {describe(engine)} is at schema revision {current}, this version needs "
        f"{head}; run `ldn-evidence db upgrade`"
    )


def _refuse_over_long(session: Session, _context: Any, _instances: Any) -> None:
    """Before each flush: a value longer than its column is refused on every engine
    (SQLite would store it, PostgreSQL refuse it with the whole transaction)."""
    from ldn_evidence.errors import InputError
    from ldn_evidence.models.base import length_problem

    for obj in (*session.new, *session.dirty):
        problem = length_problem(obj)
        if problem is not None:
            raise InputError(problem)


@contextmanager
def database_errors(engine: Engine) -> Iterator[None]:
    """Database failures as one-line DatabaseErrors, like session_scope's: SQLAlchemy's
    and the driver's own (PostgreSQL COPY goes through psycopg directly)."""
    try:
        yield
    except Exception as exc:
        if not (isinstance(exc, SQLAlchemyError) or type(exc).__module__.startswith("psycopg")):
            raise
        raise _failed(engine, exc) from None


@contextmanager
def read_scope(engine: Engine) -> Iterator[Connection]:
    """A unit of work that only reads, in SQLAlchemy Core (no ORM is imported): one
    connection and one transaction, rolled back at the end (nothing is ever committed).
    Database failures are one-line DatabaseErrors, as in `session_scope`."""
    try:
        with _connect(engine) as conn:
            conn.begin()
            try:
                yield conn
            finally:
                conn.rollback()
    except OperationalError as exc:
        raise _failed(engine, exc) from None


@contextmanager
def write_scope(engine: Engine) -> Iterator[Connection]:
    """A unit of work in SQLAlchemy Core (no ORM is imported): one connection and one
    transaction, committed on success and rolled back on error (`joined_session` adds
    ORM work to it). Database failures are one-line DatabaseErrors, as in
    `session_scope`."""
    try:
        with _connect(engine) as conn, conn.begin():
            yield conn
    except OperationalError as exc:
        raise _failed(engine, exc) from None


@contextmanager
def joined_session(conn: Connection) -> Iterator[Session]:
    """An ORM session inside `conn`'s transaction (`write_scope`), under the same length
    rule as `session_scope`'s: flushed at the end; what it wrote commits or rolls back
    with the rest of the transaction."""
    from sqlalchemy.orm import Session

    session = Session(bind=conn, expire_on_commit=False)
    event.listen(session, "before_flush", _refuse_over_long)
    try:
        yield session
        session.flush()
    finally:
        session.close()


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on error, always close."""
    from sqlalchemy.orm import sessionmaker

    factory = sessionmaker(engine, expire_on_commit=False)
    event.listen(factory, "before_flush", _refuse_over_long)
    try:
        with factory.begin() as session:
            yield session
    except OperationalError as exc:
        raise _failed(engine, exc) from None
