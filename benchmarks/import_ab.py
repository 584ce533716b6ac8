"""`import-xml` / parse, this checkout against another, in interleaved rounds.

    python -m benchmarks.import_ab --before /path/to/other/checkout [FILE] [--rounds 5]

This machine's speed drifts by ±15% within minutes, so a ratio taken from runs minutes
apart says little. Each round runs, back to back: the parse phase (this checkout's
`import_bench --phase parse`, in-process CPU), then `import-xml` of FILE into a new SQLite
file with the other checkout's code (`PYTHONPATH`), then with this checkout's. CPU is
user + sys of the whole command, start-up included. The other checkout needs its
`ldn_evidence/_migrations` and `_data` (a symbolic link to its `migrations/` and `data/`)
when it is not installed.

Writes `results/import_ab.json` (or `--out`): each round's three times, and the medians
and ranges of import / parse and of after / before paired by round.
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path

from benchmarks._common import RESULTS, WORK, cli, machine, measure, python
from benchmarks.import_bench import DEFAULT


def _parse_cpu(path: Path) -> float:
    run = measure([python(), "-m", "benchmarks.import_bench", str(path), "--phase", "parse"])
    if run.returncode:
        raise SystemExit(f"parse phase failed: {run.stderr.strip()}")
    return float(json.loads(run.stdout.strip().splitlines()[-1])["cpu"])


def _import_cpu(path: Path, db: Path, pythonpath: str | None) -> float:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    args = ["--db", f"sqlite:///{db}", "import-xml", str(path)]
    if pythonpath is None:
        run = measure([*cli(), *args])
    else:  # the other checkout's package (-P: not this directory's)
        run = measure([python(), "-P", "-m", "ldn_evidence", *args], env={"PYTHONPATH": pythonpath})
    if run.returncode:
        raise SystemExit(f"import-xml failed: {run.stderr.strip()}")
    return run.cpu


def _spread(values: list[float]) -> dict[str, float]:
    return {
        "median": round(statistics.median(values), 3),
        "min": round(min(values), 3),
        "max": round(max(values), 3),
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file", nargs="?", type=Path, default=DEFAULT)
    ap.add_argument("--before", type=Path, required=True, help="the other checkout")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--out", type=Path, default=RESULTS / "import_ab.json")
    args = ap.parse_args(argv)
    WORK.mkdir(parents=True, exist_ok=True)
    before_path = str(args.before.resolve())
    rounds = []
    for i in range(args.rounds):
        parse = _parse_cpu(args.file)
        before = _import_cpu(args.file, WORK / "import_ab_before.db", before_path)
        after = _import_cpu(args.file, WORK / "import_ab_after.db", None)
        rounds.append(
            {"parse": round(parse, 3), "before": round(before, 2), "after": round(after, 2)}
        )
        print(
            f"round {i + 1}: parse {parse:.2f} s, before {before:.2f} s "
            f"({before / parse:.3f}x), after {after:.2f} s ({after / parse:.3f}x)",
            flush=True,
        )
    summary = {
        "before / parse": _spread([r["before"] / r["parse"] for r in rounds]),
        "after / parse": _spread([r["after"] / r["parse"] for r in rounds]),
        "after / before": _spread([r["after"] / r["before"] for r in rounds]),
    }
    for name, spread in summary.items():
        print(f"{name}: median {spread['median']} ({spread['min']}-{spread['max']})")
    result = {
        "file": str(args.file),
        "before": before_path,
        "machine": machine(),
        "rounds": rounds,
        "summary": summary,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
