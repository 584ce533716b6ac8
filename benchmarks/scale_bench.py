"""Issue #15's targets, measured on the scale database (1M studies, 100k claims).

    python -m benchmarks.scale_bench --label after [--cli PATH] [--repeat 3]
    python -m benchmarks.scale_bench --table        # the before/after table, printed

The database comes from `benchmarks.scale_db` (built once). Each label works on its own
copy (`$LDN_BENCH_DIR/bench_<label>.db`, brought to the schema head of the CLI measured
with `db upgrade`), so a `verify` run never changes what the other label reads.
`--cli` names the `ldn-evidence` executable to measure (default: the one beside this
interpreter), so the code before a change can be measured from its own checkout.

Every command runs `--repeat` times (min and median of CPU and wall are kept); a command
that takes longer than `--slow-after` seconds on its first run is run once only, and the
table says so. `verify` is timed twice in a row: the first run on citations whose
verdicts were reset (every pair checked), then a re-run with nothing changed.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import statistics
import sys
from pathlib import Path

from benchmarks._common import RESULTS, Run, cli, machine, measure
from benchmarks.scale_db import SCALE_DIR, default_path

STUDIES, CLAIMS = 1_000_000, 100_000


def _commands(db: str, out: Path) -> list[tuple[str, list[str], int | None]]:
    """(label, argv, rows the command handles or None)."""
    exports = [
        (f"export --format {fmt}", ["--db", db, "export", "--format", fmt, "-o", str(out)], CLAIMS)
        for fmt in ("csv", "json", "markdown", "html", "ris", "bibtex", "csljson")
    ]
    return [
        ("claims show (1 of 100k)", ["--db", db, "claims", "show", "54321"], None),
        ("studies show (1 of 1M)", ["--db", db, "studies", "show", "40654321"], None),
        ("claims list --json", ["--db", db, "claims", "list", "--json"], CLAIMS),
        ("claims list (piped)", ["--db", db, "claims", "list"], CLAIMS),
        ("studies list --json", ["--db", db, "studies", "list", "--json"], STUDIES),
        *exports,
    ]


def _reset_verdicts(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        cols = {r[1] for r in conn.execute("PRAGMA table_info(citations)")}
        sets = ["verdict = 'unchecked'", "verdict_origin = 'automatic'"]
        sets += [
            f"{c} = NULL"
            for c in ("study_figure", "evidence_sentence", "evidence_location", "reason",
                      "checked_at", "checked_by", "checked_record_sha256", "checked_fingerprint",
                      "verified_fingerprint", "fingerprint", "checked_inputs_sha256")
            if c in cols
        ]  # fmt: skip
        conn.execute(f"UPDATE citations SET {', '.join(sets)}")
        conn.execute("DELETE FROM citation_events")
        return int(conn.execute("SELECT count(*) FROM citations").fetchone()[0])


def _row(label: str, runs: list[Run], rows: int | None) -> dict:
    failed = [r for r in runs if r.returncode != 0]
    for r in failed:
        if r.returncode == 124 and not r.stderr.strip():
            r.stderr = f"timed out after {r.wall:.0f} s"
    cpu = [r.cpu for r in runs]
    wall = [r.wall for r in runs]
    row = {
        "command": label,
        "runs": len(runs),
        "min_wall": min(wall),
        "median_wall": statistics.median(wall),
        "min_cpu": min(cpu),
        "median_cpu": statistics.median(cpu),
        "peak_rss_mb": max(r.peak_rss_mb for r in runs),
        "rows": rows,
        "rows_per_s_wall": rows / statistics.median(wall) if rows else None,
        "failed": failed[0].stderr.strip()[-300:] if failed else None,
        "stdout_tail": runs[-1].stdout.strip()[-300:],
    }
    print(
        f"{label:32} n={len(runs)} wall {row['min_wall']:7.2f}/{row['median_wall']:7.2f} s  "
        f"cpu {row['min_cpu']:7.2f}/{row['median_cpu']:7.2f} s  {row['peak_rss_mb']:6.0f} MB"
        + (f"  {row['rows_per_s_wall']:,.0f} rows/s" if rows else "")
        + (f"  FAILED: {row['failed']}" if failed else ""),
        file=sys.stderr,
    )
    return row


def _repeat(argv: list[str], repeat: int, slow_after: float, limit: int = 0) -> list[Run]:
    """`argv` `repeat` times (once when the first run is slow); `limit` > 0 stops a run
    after that many seconds (coreutils `timeout`: exit status 124, shown as failed)."""
    if limit:
        argv = ["timeout", str(limit), *argv]
    first = measure(argv)
    runs = [first]
    if first.wall <= slow_after:
        runs += [measure(argv) for _ in range(repeat - 1)]
    return runs


def run(
    label: str, exe: list[str], repeat: int, slow_after: float, only: list[str], limit: int
) -> Path:
    source = default_path(STUDIES, CLAIMS)
    if not source.exists():
        raise SystemExit(f"no scale database at {source}: python -m benchmarks.scale_db")
    copy = SCALE_DIR / f"bench_{label}.db"
    if not copy.exists():
        shutil.copyfile(source, copy)
    db = f"sqlite:///{copy}"
    up = measure([*exe, "--db", db, "db", "upgrade"])
    if up.returncode != 0:
        raise SystemExit(up.stderr)
    rows = []
    out = SCALE_DIR / f"export_{label}.out"
    for name, argv, n in _commands(db, out):
        if only and not any(o in name for o in only):
            continue
        rows.append(_row(name, _repeat([*exe, *argv], repeat, slow_after, limit), n))
    if not only or any("verify" in o for o in only):
        pairs = _reset_verdicts(copy)
        first = measure([*exe, "--db", db, "verify"])
        rows.append(_row("verify (every pair)", [first], pairs))
        again = _repeat([*exe, "--db", db, "verify"], repeat, slow_after)
        rows.append(_row("verify (re-run, nothing changed)", again, pairs))
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"scale_{label}.json"
    old = json.loads(path.read_text())["results"]["commands"] if path.exists() and only else []
    names = {r["command"] for r in rows}
    merged = [r for r in old if r["command"] not in names] + rows
    payload = {"machine": machine(), "results": {"label": label, "commands": merged}}
    path.write_text(json.dumps(payload, indent=2) + "\n")
    print(f"wrote {path}", file=sys.stderr)
    return path


def table() -> str:
    def load(label: str) -> dict[str, dict]:
        path = RESULTS / f"scale_{label}.json"
        if not path.exists():
            return {}
        return {r["command"]: r for r in json.loads(path.read_text())["results"]["commands"]}

    before, after = load("before"), load("after")

    def cell(r: dict | None) -> str:
        if r is None:
            return "—"
        if r["failed"] and "timed out" in r["failed"]:
            return (
                f"stopped after {r['min_wall']:.0f} s wall ({r['min_cpu']:.0f} s CPU), "
                f"{r['peak_rss_mb']:.0f} MB by then"
            )
        if r["failed"]:
            return "failed"
        text = (
            f"{r['min_cpu']:.2f} / {r['median_cpu']:.2f} CPU, "
            f"{r['min_wall']:.2f} / {r['median_wall']:.2f} wall"
        )
        if r["rows_per_s_wall"]:
            text += f", {r['rows_per_s_wall']:,.0f}/s"
        text += f", {r['peak_rss_mb']:.0f} MB"
        return text + ("" if r["runs"] > 1 else " (1 run)")

    lines = [
        "| command | before: s min / median, rate, peak RSS "
        "| after: s min / median, rate, peak RSS |",
        "|---|---|---|",
    ]
    for name in list(dict.fromkeys([*before, *after])):
        lines.append(f"| `{name}` | {cell(before.get(name))} | {cell(after.get(name))} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--label", default="after")
    ap.add_argument("--cli", help="the ldn-evidence executable to measure")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--slow-after", type=float, default=120.0)
    ap.add_argument("--only", nargs="*", default=[], help="commands whose label contains …")
    ap.add_argument("--timeout", type=int, default=900, help="seconds a run may take (0: no limit)")
    ap.add_argument("--table", action="store_true")
    args = ap.parse_args(argv)
    if args.table:
        print(table())
        return
    exe = [args.cli] if args.cli else cli()
    run(args.label, exe, args.repeat, args.slow_after, args.only, args.timeout)


if __name__ == "__main__":
    main()
