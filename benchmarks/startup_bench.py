"""What a command that opens the database costs before its own query (issue #15: ≤ 0.35 s
CPU), and in all.

    python -m benchmarks.startup_bench [--db URL] [--repeat 5] [--claim ID] [--pmid PMID]

The commands: the three shows, the three lists (a page of five rows), an export of one
claim in csv and json, and `db current`. Each command runs in a fresh interpreter, as a
user runs it, with a hook on SQLAlchemy's
`before_cursor_execute` that notes the process's CPU time (user + system, interpreter
start-up included) and the wall time since the launch at each SQL statement. "Before
the query" is the first statement that is not the schema-revision check (the version
table): by then the command has started, imported what it uses, opened the database and
checked its revision. The hook is put on when the command imports SQLAlchemy, so imports
happen in the command's own order (until 2026-11-30 the hook imported SQLAlchemy first,
before the CLI raised its collector threshold: ~0.02 s more CPU before the query than a
user's run). Whole-command CPU and wall come from wait4, as `/usr/bin/time` reports
them.

Without --db the demo database is made (`ldn-evidence demo`) in $LDN_BENCH_DIR. The scale
database (`benchmarks.scale_db`, 1M studies) can be read in place, read-only:

    python -m benchmarks.startup_bench --claim 54321 --pmid 40654321 \
        --db 'sqlite:///file:/tmp/ldn-scale/scale_1000000_100000.db?mode=ro&uri=true'

`--code DIR` measures another checkout's `ldn_evidence` (the code before a change) with the
same interpreter and packages; `--label` names the results file.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks._common import WORK, cli, measure, save

# Runs in the measured interpreter: note each statement, run the CLI, write the notes.
_CHILD = """
import atexit, importlib.util, json, os, sys, time
if os.environ.get("LDN_STARTUP_CODE"):
    sys.path.insert(0, os.environ["LDN_STARTUP_CODE"])

marks = []

def _mark(conn, cursor, statement, parameters, context, executemany):
    marks.append((time.process_time(), time.time(), statement[:300]))

class _HookWhenImported:
    # The hook goes on when the command itself imports SQLAlchemy: imported here first,
    # SQLAlchemy would load before the CLI has set its start-up collector threshold.
    def find_spec(self, name, path=None, target=None):
        if name != "sqlalchemy":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        run = spec.loader.exec_module

        def exec_module(module):
            run(module)
            from sqlalchemy import event
            from sqlalchemy.engine import Engine
            event.listen(Engine, "before_cursor_execute", _mark)

        spec.loader.exec_module = exec_module
        return spec

sys.meta_path.insert(0, _HookWhenImported())

def _write():
    with open(os.environ["LDN_STARTUP_OUT"], "w") as out:
        json.dump({"marks": marks, "modules": sorted(sys.modules), "end": time.process_time(),
                   "end_wall": time.time()}, out)

atexit.register(_write)
sys.argv = ["ldn-evidence", *sys.argv[1:]]
from ldn_evidence.cli import main
main()
"""


def _first_query(marks: list) -> tuple[float, float] | None:
    """The command's first statement: the first that does not read the schema revision
    (else, for `db current`, whose query that is, the first)."""
    for cpu, at, statement in marks:
        if "alembic_version" not in statement:
            return cpu, at
    return (marks[0][0], marks[0][1]) if marks else None


def probe(argv: list[str], code: Path | None = None) -> dict:
    """One run of `ldn-evidence ARGV`: CPU and wall before its first query and in all.
    `code`: a checkout whose `ldn_evidence` is measured instead of the installed one."""
    out = WORK / f"startup.{os.getpid()}.json"
    env = {"LDN_STARTUP_OUT": str(out)}
    if code is not None:
        env["LDN_STARTUP_CODE"] = str(code)
    launched = time.time()
    run = measure([sys.executable, "-c", _CHILD, *argv], env=env)
    if run.returncode != 0:
        raise SystemExit(f"ldn-evidence {' '.join(argv)} failed: {run.stderr.strip()[-300:]}")
    notes = json.loads(out.read_text())
    out.unlink()
    first = _first_query(notes["marks"])
    return {
        "cpu_before_query": first[0] if first else None,
        "wall_before_query": first[1] - launched if first else None,
        "statements": len(notes["marks"]),
        "schema_checks": sum("alembic_version" in m[2] for m in notes["marks"]),
        "alembic_imported": "alembic" in notes["modules"],
        "cpu": run.cpu,
        "wall": run.wall,
    }


def _demo_db() -> str:
    WORK.mkdir(parents=True, exist_ok=True)
    target = WORK / "startup-demo"
    db = target / "demo.db"
    if not db.exists():
        subprocess.run([*cli(), "demo", "--dir", str(target)], check=True, capture_output=True)
    return f"sqlite:///{db}"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", help="database URL (default: a demo database made once)")
    ap.add_argument("--claim", default="4", help="the claim `claims show` shows")
    ap.add_argument("--pmid", default="23359310", help="the study `studies show` shows")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument(
        "--code", type=Path, help="a checkout to measure (its ldn_evidence is imported first)"
    )
    ap.add_argument("--label", default="startup", help="results/<label>.json")
    args = ap.parse_args(argv)
    db = args.db or _demo_db()
    commands = {
        f"claims show {args.claim}": ["claims", "show", args.claim],
        f"claims show {args.claim} --json": ["claims", "show", args.claim, "--json"],
        f"studies show {args.pmid}": ["studies", "show", args.pmid],
        "documents show 1": ["documents", "show", "1"],
        "claims list --limit 5": ["claims", "list", "--limit", "5"],
        "studies list --limit 5": ["studies", "list", "--limit", "5"],
        "documents list": ["documents", "list"],
        f"export csv --claim {args.claim}": ["export", "-f", "csv", "--claim", args.claim],
        f"export json --claim {args.claim}": ["export", "-f", "json", "--claim", args.claim],
        "db current": ["db", "current"],
    }
    rows = []
    for label, command in commands.items():
        runs = [probe(["--db", db, *command], args.code) for _ in range(args.repeat)]
        row: dict[str, object] = {"command": label, "runs": len(runs)}
        for key in ("cpu_before_query", "wall_before_query", "cpu", "wall"):
            values = [r[key] for r in runs if r[key] is not None]
            row[f"min_{key}"] = min(values) if values else None
            row[f"median_{key}"] = statistics.median(values) if values else None
        row["schema_checks"] = runs[0]["schema_checks"]
        row["alembic_imported"] = any(r["alembic_imported"] for r in runs)
        rows.append(row)

        def pair(key: str, row: dict[str, object] = row) -> str:
            lo, mid = row[f"min_{key}"], row[f"median_{key}"]
            return "—" if lo is None else f"{lo:5.2f}/{mid:5.2f}"

        print(
            f"{label:28} before query: cpu {pair('cpu_before_query')} s, wall "
            f"{pair('wall_before_query')} s | whole: cpu {pair('cpu')} s, wall {pair('wall')} s"
            f" | schema checks {row['schema_checks']}, alembic "
            f"{'imported' if row['alembic_imported'] else 'not imported'}",
            file=sys.stderr,
        )
    code = str(args.code) if args.code else "installed"
    save(args.label, {"db": db, "code": code, "repeat": args.repeat, "commands": rows})


if __name__ == "__main__":
    main()
