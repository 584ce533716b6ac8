"""A new SQLite file is made at head from the models' metadata (`db.create_at_head`), not by
running the migrations: its schema must be the one the migrations make."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from ldn_evidence import db
from ldn_evidence.db import current_revision, downgrade, ensure_schema, make_engine, upgrade
from ldn_evidence.errors import DatabaseError
from ldn_evidence.models import all_tables


def _catalogue(path: Path) -> dict[tuple[str, str], object]:
    """Every table, index and automatic index, each statement as its head and the set of
    its clauses (column and constraint definitions in any order; whitespace, quotes and
    `IF NOT EXISTS`, which Alembic's table rebuilds add, left out)."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    finally:
        conn.close()
    found: dict[tuple[str, str], object] = {}
    for kind, name, table, sql in rows:
        if sql is None:  # an automatic index: its table is what it is
            found[(kind, name)] = table
            continue
        text = re.sub(r"\s+", " ", sql).replace("IF NOT EXISTS ", "").replace('"', "")
        head, _, body = text.partition("(")
        body = body.rstrip().removesuffix(")")  # the statement's closing parenthesis
        found[(kind, name)] = (head.strip(), sorted(p.strip() for p in body.split(", ")))
    return found


def _fresh(path: Path) -> sa.Engine:
    engine = make_engine(f"sqlite:///{path}")
    ensure_schema(engine)
    return engine


def test_fresh_file_has_the_migrated_schema(tmp_path: Path) -> None:
    made = _fresh(tmp_path / "fresh.db")
    migrated = make_engine(f"sqlite:///{tmp_path / 'migrated.db'}")
    upgrade(migrated)
    fresh, expected = _catalogue(tmp_path / "fresh.db"), _catalogue(tmp_path / "migrated.db")
    assert fresh.keys() == expected.keys()
    assert fresh == expected
    assert current_revision(made) == db.SCHEMA_HEAD
    with made.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(ctx, all_tables()) == []
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    made.dispose()
    migrated.dispose()


def test_fresh_file_migrates_down_and_up(tmp_path: Path) -> None:
    engine = _fresh(tmp_path / "fresh.db")
    downgrade(engine, "base")
    assert current_revision(engine) is None
    with engine.connect() as conn:
        assert set(sa.inspect(conn).get_table_names()) == {"alembic_version"}
    upgrade(engine)
    assert current_revision(engine) == db.SCHEMA_HEAD
    engine.dispose()


def test_a_failure_part_way_leaves_no_table(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    statements = db.schema_ddl(make_engine("sqlite://").dialect)
    broken = [*statements[:5], "CREATE TABLE broken (", *statements[5:]]
    monkeypatch.setattr(db, "schema_ddl", lambda dialect: broken)
    path = tmp_path / "fresh.db"
    engine = make_engine(f"sqlite:///{path}")
    with pytest.raises(DatabaseError, match=r"^cannot create the schema in .*: incomplete input$"):
        ensure_schema(engine)
    with engine.connect() as conn:
        assert sa.inspect(conn).get_table_names() == []
    monkeypatch.setattr(db, "schema_ddl", lambda dialect: statements)
    ensure_schema(engine)  # the same file, made whole on the next run
    assert current_revision(engine) == db.SCHEMA_HEAD
    engine.dispose()


def test_a_file_made_meanwhile_is_left_as_it_is(tmp_path: Path) -> None:
    """Two commands making the same new file: the second, once it holds the write lock,
    finds the tables and makes nothing; `ensure_schema` then finds the file at head."""
    path = tmp_path / "fresh.db"
    first = _fresh(path)
    assert db.create_at_head(first) is False
    assert current_revision(first) == db.SCHEMA_HEAD
    ensure_schema(make_engine(f"sqlite:///{path}"))
    first.dispose()


def test_a_file_with_tables_but_no_revision_is_not_made_over(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY)")
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseError, match="no ldn-evidence schema"):
        ensure_schema(make_engine(f"sqlite:///{path}"))


@pytest.mark.slow
def test_commands_making_the_same_new_file_at_once_all_succeed(tmp_path: Path) -> None:
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'shared.db'}"
    runs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "ldn_evidence",
                "--db",
                url,
                "claims",
                "add",
                f"Zinc cut colds by 3{i}%.",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(4)
    ]
    results = [(run.wait(timeout=120), run.stderr.read()) for run in runs]  # type: ignore[union-attr]
    assert results == [(0, "")] * 4
    engine = make_engine(url)
    assert current_revision(engine) == db.SCHEMA_HEAD
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM claims").scalar() == 4
    engine.dispose()
