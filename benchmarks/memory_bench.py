"""Peak memory (and throughput) of `ldn-evidence import-xml` at 10k, 50k and 200k records.

    python -m benchmarks.memory_bench [--sizes 10000 50000 200000] [--jobs 1 2]

Files are generated once into $LDN_BENCH_DIR (default /tmp/ldn-bench) by re-numbering the
real baseline records. Each import goes into a fresh SQLite file. "peak RSS" is the CLI
process's own (wait4 ru_maxrss); "tree" is the sampled peak of the CLI plus its workers.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from benchmarks._common import WORK, cli, generated, measure, save


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[10_000, 50_000, 200_000])
    ap.add_argument("--jobs", nargs="*", default=["1", "2"])
    args = ap.parse_args(argv)
    rows = []
    for n in args.sizes:
        path = generated(n)
        for jobs in args.jobs:
            db = WORK / f"memory_{n}_{jobs}.db"
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
            run = measure([*cli(), "--db", str(db), "import-xml", "-j", jobs, str(path)])
            found = re.findall(r": (\d+) records \(", run.stderr)
            row = {
                "records": n,
                "jobs": jobs,
                "ok": run.returncode == 0 and found == [str(n)],
                "wall": run.wall,
                "cpu": run.cpu,
                "per_s_wall": n / run.wall,
                "peak_rss_mb": run.peak_rss_mb,
                "tree_rss_mb": run.tree_rss_mb,
                "file_mb": path.stat().st_size / 2**20,
            }
            rows.append(row)
            print(
                f"{n:>7} records --jobs {jobs}: {run.wall:6.1f} s, {row['per_s_wall']:5.0f}/s, "
                f"peak RSS {run.peak_rss_mb:5.0f} MB, tree {run.tree_rss_mb:5.0f} MB"
                + ("" if row["ok"] else f"  FAILED: {run.stderr[-300:]}"),
                file=sys.stderr,
            )
            db.unlink(missing_ok=True)
    save("memory", rows)


if __name__ == "__main__":
    main()
