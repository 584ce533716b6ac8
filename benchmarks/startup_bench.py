"""What a command that opens the database costs before its own query (issue #15: ≤ 0.35 s
CPU), and in all.

    python -m benchmarks.startup_bench [--db URL] [--write-db URL] [--repeat 5] [--claim ID]
        [--pmid PMID] [--document ID] [--only TEXT...] [--code DIR] [--against DIR]

The commands: the three shows, the three lists (a page of five rows), an export of one
claim in csv and json, and `db current`; then, on a database they may write to
(`--write-db`, else the demo database when no `--db` is given), the commands that reach
PubMed and PMC: `fetch PMID` (a stored PMID: nothing to fetch), `fetch --missing`,
`watch`, `watch --document ID`, `evidence CLAIM` and `import-pmc` of one local full text
(tests/pubmed/fixtures/fulltext.nxml). The network is never reached for the measure:
E-utilities and the ID Converter point to a closed local port, with no retries, so a
command that goes to PubMed after its first query (`watch`, `evidence`; `fetch` when the
PMID is not stored as a PubMed record, as in the demo database, whose studies are
curated) ends with PubMed's exit 3 and one error line (`NETWORK_EXIT`), noted in the
results. Each run notes whether `requests` (the HTTP client) and the verification engine
were imported by the first query.

Each command runs in a fresh interpreter, as a user runs it, with a hook on SQLAlchemy's
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

and the commands that write measured on a copy of it (`--write-db copy`, or a URL).

`--code DIR` measures another checkout's `ldn_evidence` (the code before a change) with the
same interpreter and packages; `--against DIR` measures DIR's too, run for run next to the
measured code's (rows get its figures under "against"); `--label` names the results file;
`--only` measures the commands whose label contains one of the texts given.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
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
loaded = {}  # at the first statement that is not the schema check: what was imported
WATCHED = ("requests", "ldn_evidence.verification.engine")

def _mark(conn, cursor, statement, parameters, context, executemany):
    marks.append((time.process_time(), time.time(), statement[:300]))
    if not loaded and "alembic_version" not in statement:
        loaded.update((name, name in sys.modules) for name in WATCHED)

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
                   "end_wall": time.time(), "loaded_before_query": loaded}, out)

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


# The commands that may go to PubMed after their first query: 0, or PubMed's exit code, the
# port being closed (with a one-line error, checked in `probe`).
NETWORK_EXIT = {"fetch": (0, 3), "watch": (0, 3), "evidence": (0, 3)}
FULL_TEXT = Path(__file__).resolve().parents[1] / "tests" / "pubmed" / "fixtures" / "fulltext.nxml"


def closed_port_env() -> dict[str, str]:
    """PubMed's URLs on a local port nothing listens on, no retries: a request fails at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return {
        "LDN_EVIDENCE_EUTILS_URL": f"http://127.0.0.1:{port}/",
        "LDN_EVIDENCE_IDCONV_URL": f"http://127.0.0.1:{port}/idconv/",
        "LDN_EVIDENCE_HTTP_RETRIES": "0",
    }


def probe(
    argv: list[str],
    code: Path | None = None,
    *,
    expect: tuple[int, ...] = (0,),
    env: dict[str, str] | None = None,
) -> dict:
    """One run of `ldn-evidence ARGV`: CPU and wall before its first query and in all.
    `code`: a checkout whose `ldn_evidence` is measured instead of the installed one;
    `expect`: the exit codes the command may end with (an error: one line on stderr)."""
    out = WORK / f"startup.{os.getpid()}.json"
    env = {**(env or {}), "LDN_STARTUP_OUT": str(out)}
    if code is not None:
        env["LDN_STARTUP_CODE"] = str(code)
    launched = time.time()
    run = measure([sys.executable, "-c", _CHILD, *argv], env=env)
    errors = [line for line in run.stderr.splitlines() if line.startswith("Error: ")]
    if run.returncode not in expect or (run.returncode and len(errors) != 1):
        out.unlink(missing_ok=True)
        raise SystemExit(
            f"ldn-evidence {' '.join(argv)} exited {run.returncode} (expected {expect}): "
            f"{run.stderr.strip()[-300:]}"
        )
    notes = json.loads(out.read_text())
    out.unlink()
    first = _first_query(notes["marks"])
    return {
        "cpu_before_query": first[0] if first else None,
        "wall_before_query": first[1] - launched if first else None,
        "statements": len(notes["marks"]),
        "schema_checks": sum("alembic_version" in m[2] for m in notes["marks"]),
        "alembic_imported": "alembic" in notes["modules"],
        "requests_before_query": notes["loaded_before_query"].get("requests"),
        "engine_before_query": notes["loaded_before_query"].get("ldn_evidence.verification.engine"),
        "exit_code": run.returncode,
        "cpu": run.cpu,
        "wall": run.wall,
    }


def _writable_copy(url: str) -> str:
    """A copy of an SQLite database (a file URL, read-only or not) in $LDN_BENCH_DIR, for
    the commands that write; other URLs are used as they are."""
    if not url.startswith("sqlite:///"):
        return url
    path = url.removeprefix("sqlite:///").removeprefix("file:").split("?")[0]
    copy = WORK / f"startup-write-{Path(path).name}"
    if not copy.exists():
        WORK.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, copy)
    return f"sqlite:///{copy}"


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
    ap.add_argument("--pmid", default="23359310", help="the study `studies show`, `fetch` name")
    ap.add_argument("--document", default="1", help="the page `watch --document` watches")
    ap.add_argument(
        "--write-db",
        help="database URL for the commands that write (fetch, watch, evidence, import-pmc); "
        "'copy' copies --db's SQLite file to $LDN_BENCH_DIR (default: the demo database "
        "when no --db is given, else those commands are not run)",
    )
    ap.add_argument(
        "--only", nargs="+", metavar="TEXT", help="only the commands whose label contains a TEXT"
    )
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument(
        "--code", type=Path, help="a checkout to measure (its ldn_evidence is imported first)"
    )
    ap.add_argument(
        "--against",
        type=Path,
        metavar="DIR",
        help="also measure DIR's ldn_evidence, each run next to one of the measured code's "
        "(alternating which goes first), so both meet the same load",
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
    commands = {label: ["--db", db, *command] for label, command in commands.items()}
    write_db = args.write_db or (None if args.db else db)
    if write_db == "copy":
        write_db = _writable_copy(db)
    if write_db is not None:
        network = {
            f"fetch {args.pmid}": ["fetch", args.pmid],
            "fetch --missing": ["fetch", "--missing"],
            "watch": ["watch"],
            f"watch --document {args.document}": ["watch", "--document", args.document],
            f"evidence {args.claim}": ["evidence", args.claim],
            "import-pmc FILE": ["import-pmc", str(FULL_TEXT)],
        }
        commands |= {label: ["--db", write_db, *command] for label, command in network.items()}
    if args.only:
        commands = {
            label: command
            for label, command in commands.items()
            if any(text in label for text in args.only)
        }
    env = closed_port_env()
    rows = []
    for label, command in commands.items():
        expect = NETWORK_EXIT.get(label.split()[0], (0,))
        runs: list[dict] = []
        others: list[dict] = []
        for i in range(args.repeat):
            if args.against is not None and i % 2:  # each code first in every other round
                others.append(probe(command, args.against, expect=expect, env=env))
            runs.append(probe(command, args.code, expect=expect, env=env))
            if args.against is not None and not i % 2:
                others.append(probe(command, args.against, expect=expect, env=env))
        row = _summary(label, runs)
        if others:
            row["against"] = other = _summary(label, others)
            _print(f"{label} ({args.against})", other)
        _print(label, row)
        rows.append(row)
    code = str(args.code) if args.code else "installed"
    against = str(args.against) if args.against else None
    save(
        args.label,
        {
            "db": db,
            "write_db": write_db,
            "code": code,
            "against": against,
            "repeat": args.repeat,
            "commands": rows,
        },
    )


def _summary(label: str, runs: list[dict]) -> dict[str, object]:
    """Min and median of the runs of one command."""
    row: dict[str, object] = {"command": label, "runs": len(runs)}
    for key in ("cpu_before_query", "wall_before_query", "cpu", "wall"):
        values = [r[key] for r in runs if r[key] is not None]
        row[f"min_{key}"] = min(values) if values else None
        row[f"median_{key}"] = statistics.median(values) if values else None
    row["schema_checks"] = runs[0]["schema_checks"]
    row["alembic_imported"] = any(r["alembic_imported"] for r in runs)
    row["requests_before_query"] = any(r["requests_before_query"] for r in runs)
    row["engine_before_query"] = any(r["engine_before_query"] for r in runs)
    row["exit_code"] = runs[0]["exit_code"]
    return row


def _print(label: str, row: dict[str, object]) -> None:
    def pair(key: str) -> str:
        lo, mid = row[f"min_{key}"], row[f"median_{key}"]
        return "—" if lo is None else f"{lo:5.2f}/{mid:5.2f}"

    print(
        f"{label:28} before query: cpu {pair('cpu_before_query')} s, wall "
        f"{pair('wall_before_query')} s | whole: cpu {pair('cpu')} s, wall {pair('wall')} s"
        f" | schema checks {row['schema_checks']}, alembic "
        f"{'imported' if row['alembic_imported'] else 'not imported'}"
        f"{', requests before query' if row['requests_before_query'] else ''}"
        f"{', engine before query' if row['engine_before_query'] else ''}"
        f"{', exit ' + str(row['exit_code']) if row['exit_code'] else ''}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
