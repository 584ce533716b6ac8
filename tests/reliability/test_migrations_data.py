"""Upgrading from each released schema revision keeps the data.

`migration_data/<revision>.json` is a database as it stood at that revision: the seed
dataset, PubMed records imported from the parser fixtures (authors, MeSH, links, a
book), a citation added by a reviewer with a verdict and its event, automatic verdicts,
and (from revision 0005) a PMC full text with its sections and passages. Each test
loads a snapshot into a fresh database at its revision (rows as stored then, inserted
through the schema of then), upgrades to head and checks every stored value is still
there and the commands work. When a new revision is released, add
its snapshot with::

    python -m tests.reliability.test_migrations_data   # writes migration_data/<head>.json
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.conftest import Cli

DATA = Path(__file__).parent / "migration_data"
FIXTURES = Path(__file__).parents[1] / "pubmed" / "fixtures"


def _revisions() -> list[str]:
    from alembic.script import ScriptDirectory

    from ldn_evidence.db import alembic_config

    script = ScriptDirectory.from_config(alembic_config())
    return [r.revision for r in reversed(list(script.walk_revisions()))]


SNAPSHOTS = sorted(p.stem for p in DATA.glob("*.json"))


# ---- snapshots ----------------------------------------------------------------------


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"$datetime"}:
        return datetime.fromisoformat(value["$datetime"])
    return value


def build(url: str) -> dict[str, Any]:
    """Fill the (head) database at `url` through the CLI and return its snapshot."""
    from ldn_evidence.db import current_revision, make_engine
    from ldn_evidence.services.seed import seed_path

    cli = Cli(url)
    steps = [
        ("load", str(seed_path())),
        ("import-xml", str(FIXTURES / "features.xml"), str(FIXTURES / "book.xml")),
        ("import-pmc", str(FIXTURES / "fulltext.nxml")),
        (
            "claims",
            "add",
            "Zinc shortened colds by 33% in adults.",
            "--figure",
            "33%",
            "--condition",
            "common cold",
            "--intervention",
            "zinc",
        ),
        ("verify",),
        (
            "claims",
            "check",
            "4",
            "23359310",
            "--verdict",
            "partially_supported",
            "--note",
            "60% is the responder rate",
            "--by",
            "J. Doe, PharmD",
        ),
    ]
    for step in steps:
        result = cli(*step)
        assert result.exit_code == 0, (step, result.output)
    pmids = [s["pmid"] for s in json.loads(cli("studies", "list", "--json").stdout)]
    fetched = next(p for p in pmids if p not in {"23359310", "19453963"})
    for step in (
        ("claims", "cite", "6", fetched),
        ("claims", "check", "6", fetched, "--verdict", "not_in_abstract"),
    ):
        result = cli(*step)
        assert result.exit_code == 0, (step, result.output)
    engine = make_engine(url)
    try:
        tables = {
            name: [{k: _encode(v) for k, v in r.items()} for r in rows]
            for name, rows in _rows(engine).items()
        }
        revision = current_revision(engine)
    finally:
        engine.dispose()
    return {"revision": revision, "tables": tables}


def _rows(engine: sa.Engine) -> dict[str, list[Any]]:
    """Every table's rows, typed through the reflected schema (datetimes as datetimes)."""
    meta = sa.MetaData()
    meta.reflect(engine)
    with engine.connect() as conn:
        return {
            t.name: list(conn.execute(sa.select(t)).mappings())
            for t in meta.sorted_tables
            if t.name != "alembic_version"
        }


def _restore(engine: sa.Engine, snapshot: dict[str, Any]) -> None:
    """Insert the snapshot's rows through the schema the database has now."""
    meta = sa.MetaData()
    meta.reflect(engine)
    with engine.begin() as conn:
        for table in meta.sorted_tables:
            rows = snapshot["tables"].get(table.name)
            if rows:
                conn.execute(table.insert(), [{k: _decode(v) for k, v in r.items()} for r in rows])
        if engine.dialect.name == "postgresql":  # rows came with their ids
            for table in meta.sorted_tables:
                if "id" in table.c and snapshot["tables"].get(table.name):
                    conn.execute(
                        sa.text(
                            f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                            f'(SELECT MAX(id) FROM "{table.name}"))'
                        )
                    )


# ---- tests --------------------------------------------------------------------------


def test_the_first_revision_has_a_snapshot() -> None:
    assert _revisions()[0] in SNAPSHOTS
    assert set(SNAPSHOTS) <= set(_revisions()), "a snapshot of an unknown revision"


@pytest.mark.parametrize("revision", SNAPSHOTS)
@pytest.mark.slow
def test_upgrade_from_a_released_revision_keeps_the_data(revision: str, db_url: str) -> None:
    from ldn_evidence.db import current_revision, head_revision, make_engine, upgrade

    snapshot = json.loads((DATA / f"{revision}.json").read_text(encoding="utf-8"))
    assert snapshot["revision"] == revision
    engine = make_engine(db_url)
    try:
        upgrade(engine, revision)
        _restore(engine, snapshot)
        upgrade(engine)
        assert current_revision(engine) == head_revision()
        now_rows = _rows(engine)
    finally:
        engine.dispose()
    for name, rows in snapshot["tables"].items():
        stored = now_rows[name]
        assert len(stored) == len(rows), name
        if rows and "id" in rows[0]:
            by_id = {r["id"]: r for r in stored}
            pairs = [(by_id[row["id"]], row) for row in rows]
        else:  # association tables: match on every column of then

            def key(r: Any, cols: list[str] = list(rows[0]) if rows else []) -> str:
                return repr([str(r[c]) for c in cols])

            pairs = list(
                zip(
                    sorted(stored, key=key),
                    sorted(({k: _decode(v) for k, v in r.items()} for r in rows), key=key),
                    strict=True,
                )
            )
        for now, then in pairs:
            for column, value in then.items():
                assert _same(now[column], _decode(value)), (name, column, then.get("id"))

    cli = Cli(db_url)
    claims = json.loads(cli("claims", "list", "--json").stdout)
    assert len(claims) == len(snapshot["tables"]["claims"])
    four = json.loads(cli("claims", "show", "4", "--json").stdout)
    reviewed = [c for c in four["citations"] if c["verdict_origin"] == "reviewer"]
    assert [c["verdict"] for c in reviewed] == ["partially_supported"]
    assert reviewed[0]["events"][-1]["by"] == "J. Doe, PharmD"
    studies = json.loads(cli("studies", "list", "--json").stdout)
    assert len(studies) == len(snapshot["tables"]["studies"])
    assert cli("export", "-f", "json").exit_code == 0
    added = cli("claims", "add", "A claim added after the upgrade: 12% fewer colds.")
    assert added.exit_code == 0, added.output
    # verify checks what it has no inputs for (rows from before 0006), then nothing
    first = json.loads(cli("verify", "--json").stdout)
    checked = [r for r in first["citations"] if not r["skipped"]]
    again = json.loads(cli("verify", "--json").stdout)
    assert [r for r in again["citations"] if not r["skipped"]] == []
    assert again["unchanged"] == first["unchanged"] + len(checked)


def _same(now: Any, then: Any) -> bool:
    if isinstance(now, datetime) and isinstance(then, datetime):
        return now.replace(tzinfo=None) == then.replace(tzinfo=None)
    if isinstance(now, str) and isinstance(then, dict | list):
        return json.loads(now) == then
    return bool(now == then)


def main() -> None:  # pragma: no cover - run by hand when a revision is released
    import tempfile

    from ldn_evidence.db import make_engine, upgrade

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/snapshot.db"
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        snapshot = build(url)
    DATA.mkdir(exist_ok=True)
    out = DATA / f"{snapshot['revision']}.json"
    out.write_text(json.dumps(snapshot, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
