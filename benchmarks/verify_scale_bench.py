"""`verify` at scale: claim × study pairs a second on the first run, on a re-run with
nothing changed, and on a re-run after 1% of the claims were edited.

    python -m benchmarks.verify_scale_bench [--db FILE.db] [--studies 1000000] [--claims 100000]
                                            [--jobs 1]

The database is the issue #15 scale database (`benchmarks/scale_db.py`; without --db its
default file, built first when missing), copied to $LDN_BENCH_DIR/verify_scale.db and
upgraded there: the original is never written. Each run is the CLI with its table
output piped (what a user waits for), timed as wall and CPU (user + sys, workers
included). "pairs" are the citations with a study that a run dealt with: checked by the
engine, skipped (no abstract, a reviewer's verdict) or found unchanged; "checked" are
those the engine decided.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sqlite3
import sys
from pathlib import Path

from benchmarks._common import WORK, Run, cli, measure, save

_CHECKED = re.compile(r"^(\d+) citations checked: (.*)$", re.M)
_UNCHANGED = re.compile(r"^([\d,]+) citations unchanged since", re.M)


def _counts(run: Run) -> dict[str, int]:
    found = _CHECKED.search(run.stdout)
    if run.returncode != 0 or found is None:
        raise SystemExit(f"verify failed ({run.returncode}): {run.stderr[-500:]}")
    by_kind = {
        kind: int(n) for n, kind in (part.split(" ", 1) for part in found.group(2).split(", "))
    } if found.group(2) != "none" else {}  # fmt: skip
    unchanged = _UNCHANGED.search(run.stdout)
    rows = int(found.group(1))
    skipped = by_kind.get("skipped", 0)
    return {
        "rows": rows,
        "checked": rows - skipped,
        "skipped": skipped,
        "unchanged": int(unchanged.group(1).replace(",", "")) if unchanged else 0,
    }


def _report(label: str, run: Run) -> dict[str, object]:
    counts = _counts(run)
    pairs = counts["rows"] + counts["unchanged"]
    row: dict[str, object] = {
        "run": label,
        **counts,
        "pairs": pairs,
        "wall": round(run.wall, 2),
        "cpu": round(run.cpu, 2),
        "pairs_per_s_wall": round(pairs / run.wall),
        "pairs_per_s_cpu": round(pairs / run.cpu),
        "checked_per_s_cpu": round(counts["checked"] / run.cpu),
        "peak_rss_mb": round(run.peak_rss_mb),
    }
    print(
        f"{label:28} {pairs:>8,} pairs ({counts['checked']:,} checked, {counts['skipped']:,} "
        f"skipped, {counts['unchanged']:,} unchanged)  wall {run.wall:7.1f} s  "
        f"cpu {run.cpu:7.1f} s  {row['pairs_per_s_wall']:>7,} pairs/s wall  "
        f"{row['pairs_per_s_cpu']:>7,} pairs/s cpu  {row['checked_per_s_cpu']:>6,} checked/s cpu  "
        f"{run.peak_rss_mb:5.0f} MB",
        file=sys.stderr,
    )
    return row


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", type=Path, help="a scale database (SQLite file) to copy")
    ap.add_argument("--studies", type=int, default=1_000_000)
    ap.add_argument("--claims", type=int, default=100_000)
    ap.add_argument("--jobs", type=int, default=1, help="verify --jobs (default 1)")
    args = ap.parse_args(argv)
    source = args.db
    if source is None:
        from benchmarks.scale_db import default_path, ensure

        ensure(args.studies, args.claims)
        source = default_path(args.studies, args.claims)
    WORK.mkdir(parents=True, exist_ok=True)
    copy = WORK / "verify_scale.db"
    for stale in (copy, copy.with_name(copy.name + "-wal"), copy.with_name(copy.name + "-shm")):
        stale.unlink(missing_ok=True)
    shutil.copyfile(source, copy)
    db = f"sqlite:///{copy}"
    upgraded = measure([*cli(), "--db", db, "db", "upgrade"])
    if upgraded.returncode != 0:
        raise SystemExit(upgraded.stderr)
    verify = [*cli(), "--db", db, "verify", *(["--jobs", str(args.jobs)] if args.jobs > 1 else [])]
    rows = [
        _report("first run", measure(verify)),
        _report("re-run, nothing changed", measure(verify)),
    ]
    with sqlite3.connect(copy) as conn:  # 1% of the claims edited
        edited = conn.execute("UPDATE claims SET text = text || ' (edited)' WHERE id % 100 = 0")
        print(f"{edited.rowcount:,} claims edited", file=sys.stderr)
    rows.append(_report("re-run, 1% claims edited", measure(verify)))
    save(
        "verify_scale",
        {"source": str(source), "jobs": args.jobs, "upgrade_wall": upgraded.wall, "runs": rows},
    )
    copy.unlink()


if __name__ == "__main__":
    main()
