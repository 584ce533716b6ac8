"""`db.write_scope` (a Core unit of work, as `import-xml` writes a chunk) and
`db.joined_session` (ORM work inside it), on both engines."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from ldn_evidence.db import joined_session, write_scope
from ldn_evidence.errors import DatabaseError, InputError
from ldn_evidence.models import Claim

_ADD = sa.text(
    "INSERT INTO claims (text, created_at, updated_at) "
    "VALUES (:text, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
)


def _texts(engine: sa.Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(sa.text("SELECT text FROM claims ORDER BY id")).scalars())


def test_write_scope_commits_what_it_wrote(engine: sa.Engine) -> None:
    with write_scope(engine) as conn:
        conn.execute(_ADD, {"text": "core"})
        with joined_session(conn) as session:
            session.add(Claim(text="orm"))
    assert _texts(engine) == ["core", "orm"]


def test_an_error_rolls_back_the_core_and_the_orm_work(engine: sa.Engine) -> None:
    with pytest.raises(RuntimeError, match="stop"):
        with write_scope(engine) as conn:
            conn.execute(_ADD, {"text": "core"})
            with joined_session(conn) as session:
                session.add(Claim(text="orm"))
            raise RuntimeError("stop")
    assert _texts(engine) == []


def test_joined_session_refuses_an_over_long_value_and_nothing_is_kept(
    engine: sa.Engine,
) -> None:
    too_long = "x" * 3000  # claims.condition is at most 200 characters
    with pytest.raises(InputError, match=r"field claims\.condition is 3,000 characters long"):
        with write_scope(engine) as conn:
            conn.execute(_ADD, {"text": "core"})
            with joined_session(conn) as session:
                session.add(Claim(text="orm", condition=too_long))
    assert _texts(engine) == []


def test_a_database_failure_is_one_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """As in `session_scope`: the driver's operational errors (SQLite's here; a server
    that fails is PostgreSQL's) become one-line DatabaseErrors."""
    from ldn_evidence.db import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with pytest.raises(DatabaseError) as caught:
        with write_scope(engine) as conn:
            conn.exec_driver_sql("SELECT * FROM no_such_table")
    assert str(caught.value).startswith("database error on ")
    assert "no such table: no_such_table" in str(caught.value)
    assert "\n" not in str(caught.value)
    engine.dispose()
