"""Import throughput (parse + store) on SQLite and PostgreSQL, against parse alone and
against plain `sqlite3.executemany` of the same rows, in one run.

    python -m benchmarks.import_bench [FILE] [--pg URL] [--orm-sample 1000]

FILE defaults to the real baseline file (30 000 records). --pg (default:
$LDN_EVIDENCE_TEST_PG_URL) adds the PostgreSQL rows, each in a fresh schema, with COPY
(the default) and with plain executemany. Every step runs in its own process; CPU is
user+sys of that process and the workers it waited for.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import time
import uuid
from pathlib import Path

from benchmarks._common import WORK, cli, measure, python, save

DEFAULT = Path(__file__).resolve().parents[2] / "shared/pubmed/baseline/pubmed20n0014.xml.gz"


def _records(path: Path, limit: int | None = None) -> list:  # type: ignore[type-arg]
    import itertools

    from ldn_evidence.pubmed.parser import iter_articles
    from ldn_evidence.pubmed.records import ArticleRecord

    it = (r for r in iter_articles(path) if isinstance(r, ArticleRecord))
    return list(itertools.islice(it, limit)) if limit else list(it)


def phase(name: str, path: Path, url: str | None, limit: int | None) -> dict[str, float]:
    """One in-process step; timed around the work only."""
    from ldn_evidence.services import bulk

    if name == "parse":
        from ldn_evidence.pubmed.parser import iter_articles

        t, c = time.perf_counter(), time.process_time()
        n = sum(1 for _ in iter_articles(path))
        return {"records": n, "wall": time.perf_counter() - t, "cpu": time.process_time() - c}
    if name == "parse_prepare":  # parse + grade + rows: the producer's work, no database
        from ldn_evidence.services.importing import produce

        t, c = time.perf_counter(), time.process_time()
        n = sum(len(ch.items) for ch in produce(path, lookup=None))
        return {"records": n, "wall": time.perf_counter() - t, "cpu": time.process_time() - c}
    records = _records(path, limit)
    prepared = [bulk.prepare(r) for r in records]
    from ldn_evidence.db import make_engine, upgrade

    engine = make_engine(url or "sqlite://")
    upgrade(engine)
    t, c = time.perf_counter(), time.process_time()
    if name == "store_bulk":  # our writer alone, rows prepared beforehand
        from ldn_evidence.db import session_scope

        vocab = bulk.Vocabulary()
        for i in range(0, len(prepared), 500):
            with session_scope(engine) as s:
                bulk.store_prepared(conn=s.connection(), items=prepared[i : i + 500], vocab=vocab)
            vocab.commit()
    elif name == "store_sqlite3":  # the floor: the same rows, sqlite3.executemany
        _plain_sqlite3(engine.url.database, prepared)
    elif name == "store_orm":  # store_article, one ORM object graph per record
        from ldn_evidence.db import session_scope
        from ldn_evidence.services.studies import store_article

        for i in range(0, len(records), 500):
            with session_scope(engine) as s:
                for r in records[i : i + 500]:
                    store_article(session=s, record=r, origin="file")
    return {
        "records": len(prepared),
        "wall": time.perf_counter() - t,
        "cpu": time.process_time() - c,
    }


def _plain_sqlite3(db: str | None, prepared: list) -> None:  # type: ignore[type-arg]
    """The same rows with sqlite3 alone: ids assigned here, vocabularies from dicts,
    executemany per table, a commit every 500 records, the app's PRAGMAs."""
    from datetime import UTC, datetime

    from ldn_evidence.services.bulk import _CHILDREN

    conn = sqlite3.connect(db or ":memory:")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    types: dict[str, int] = {}
    mesh: dict[str, int] = {}
    cols = [*prepared[0].row, "fetched_at"]
    marks = ", ".join("CAST(? AS TEXT)" if c == "raw_xml" else "?" for c in cols)
    study_sql = f"INSERT INTO studies (id, {', '.join(cols)}) VALUES (?, {marks})"
    child_sql = {
        t.name: f"INSERT INTO {t.name} ({', '.join(c)}) VALUES ({', '.join('?' * len(c))})"
        for t, c in _CHILDREN.items()
    }
    now = datetime.now(UTC).isoformat(" ")
    for start in range(0, len(prepared), 500):
        chunk = prepared[start : start + 500]
        rows: dict[str, list[tuple]] = {name: [] for name in child_sql}  # type: ignore[type-arg]
        new_types, new_mesh = [], []
        studies = []
        for i, p in enumerate(chunk, start=start + 1):
            studies.append((i, *p.row.values(), now))
            rows["abstract_sections"] += [(i, *r) for r in p.sections]
            rows["study_authors"] += [(i, *r) for r in p.authors]
            for name, ui in p.types:
                if name not in types:
                    types[name] = len(types) + 1
                    new_types.append((types[name], name, ui))
                rows["study_publication_types"].append((i, types[name]))
            for key, name, pos, major, q in p.mesh:
                if key not in mesh:
                    mesh[key] = len(mesh) + 1
                    new_mesh.append((mesh[key], key, name))
                rows["study_mesh_terms"].append((i, mesh[key], pos, major, q))
            rows["keywords"] += [(i, *r) for r in p.keywords]
            rows["study_links"] += [(i, *r) for r in p.links]
        conn.executemany("INSERT INTO publication_types (id, name, ui) VALUES (?, ?, ?)", new_types)
        conn.executemany("INSERT INTO mesh_terms (id, ui, name) VALUES (?, ?, ?)", new_mesh)
        conn.executemany(study_sql, studies)
        for name, sql in child_sql.items():
            conn.executemany(sql, rows[name])
        conn.commit()
    conn.close()


def _pg_schema(base: str, name: str, drop: bool = False) -> str:
    import sqlalchemy as sa

    from ldn_evidence.db import make_engine, upgrade

    admin = make_engine(base)
    with admin.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        if not drop:
            conn.execute(sa.text(f'CREATE SCHEMA "{name}"'))
    admin.dispose()
    sep = "&" if "?" in base else "?"
    url = f"{base}{sep}options=-csearch_path%3D{name}"
    if not drop:
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
    return url


NO_GRADING = (  # diagnostic only: how much of an import is grading (grade_record → None)
    "import sys, ldn_evidence.services.grading as g; g.grade_record = lambda r: None; "
    "from ldn_evidence.cli import main; sys.argv[0] = 'ldn-evidence'; main()"
)
NO_COPY = (
    "import sys, ldn_evidence.services.bulk as b; b.COPY_CHILDREN = b.COPY_STUDIES = False; "
    "from ldn_evidence.cli import main; sys.argv[0] = 'ldn-evidence'; main()"
)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("file", type=Path, nargs="?", default=DEFAULT)
    ap.add_argument("--pg", default=os.environ.get("LDN_EVIDENCE_TEST_PG_URL"))
    ap.add_argument("--orm-sample", type=int, default=1000)
    ap.add_argument("--phase")
    ap.add_argument("--url")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--diagnostic", action="store_true", help="only the grading-off import")
    args = ap.parse_args(argv)
    if args.phase:
        print(json.dumps(phase(args.phase, args.file, args.url, args.limit)))
        return
    WORK.mkdir(parents=True, exist_ok=True)
    if args.diagnostic:
        db = WORK / "import_no_grading.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        cmd = [python(), "-c", NO_GRADING, "--db", f"sqlite:///{db}", "import-xml", str(args.file)]
        save("import_diagnostic", [_run("grading stubbed out, --jobs 1", cmd)])
        return
    steps: list[tuple[str, list[str], int | None]] = []  # (label, command, records if known)

    def in_process(label: str, name: str, url: str | None = None, limit: int | None = None) -> None:
        cmd = [python(), "-m", "benchmarks.import_bench", str(args.file), "--phase", name]
        cmd += ["--url", url] if url else []
        cmd += ["--limit", str(limit)] if limit else []
        steps.append((label, cmd, None))

    def sqlite_db(tag: str) -> str:
        db = WORK / f"import_{tag}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{db}"

    in_process("parse only (iter_articles)", "parse")
    in_process("parse + grade + rows (no database)", "parse_prepare")
    in_process("store only, bulk path (SQLite)", "store_bulk", sqlite_db("store_bulk"))
    in_process("store only, plain sqlite3.executemany", "store_sqlite3", sqlite_db("plain"))
    in_process(
        f"store only, ORM path, first {args.orm_sample}",
        "store_orm",
        sqlite_db("orm"),
        args.orm_sample,
    )
    results = []
    for label, cmd, _ in steps:
        results.append(_run(label, cmd))
    for jobs in ("1", "2"):
        url = sqlite_db(f"cli_j{jobs}")
        results.append(
            _run(
                f"import-xml SQLite --jobs {jobs}",
                [*cli(), "--db", url, "import-xml", "-j", jobs, str(args.file)],
            )
        )
    url = sqlite_db("no_grading")
    label = "import-xml SQLite --jobs 1, grading stubbed out (diagnostic)"
    results.append(
        _run(label, [python(), "-c", NO_GRADING, "--db", url, "import-xml", str(args.file)])
    )
    url = sqlite_db("cli_j1")
    results.append(
        _run(
            "import-xml SQLite, fresh then re-run (all unchanged)",
            [*cli(), "--db", url, "import-xml", str(args.file)],
            warmup=True,
        )
    )
    if args.pg:
        for label, prefix in (("COPY", cli()), ("executemany", [python(), "-c", NO_COPY])):
            for jobs in ("1", "2"):
                schema = f"bench_{uuid.uuid4().hex[:8]}"
                url = _pg_schema(args.pg, schema)
                try:
                    cmd = [*prefix, "--db", url, "import-xml", "-j", jobs, str(args.file)]
                    results.append(_run(f"import-xml PostgreSQL ({label}) --jobs {jobs}", cmd))
                finally:
                    _pg_schema(args.pg, schema, drop=True)
    save("import", {"file": str(args.file), "steps": results})


def _run(label: str, cmd: list[str], warmup: bool = False) -> dict[str, object]:
    if warmup:
        measure(cmd)
    run = measure(cmd)
    if run.returncode != 0:
        print(f"{label}: failed\n{run.stderr[-3000:]}", file=sys.stderr)
        return {"label": label, "failed": run.stderr[-500:]}
    try:
        inner = json.loads(run.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        inner = {}
    records = inner.get("records") or _records_from(run.stderr)
    wall = inner.get("wall", run.wall)
    cpu = inner.get("cpu", run.cpu)
    row = {
        "label": label,
        "records": records,
        "wall": wall,
        "cpu": cpu,
        "per_s_wall": records / wall if records else None,
        "per_s_cpu": records / cpu if records else None,
        "peak_rss_mb": run.peak_rss_mb,
        "tree_rss_mb": run.tree_rss_mb,
    }
    print(
        f"{label:58} {records or 0:>7} rec  {wall:7.1f} s wall  {cpu:7.1f} s cpu  "
        f"{row['per_s_wall'] or 0:7,.0f}/s  {run.tree_rss_mb:5.0f} MB",
        file=sys.stderr,
    )
    return row


def _records_from(stderr: str) -> int | None:
    import re

    found = re.findall(r": (\d+) records \(", stderr)
    return sum(int(x) for x in found) or None


if __name__ == "__main__":
    main()
