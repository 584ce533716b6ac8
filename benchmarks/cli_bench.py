"""CLI start-up and `claims show` / `claims list` / `export` times on a database of
100 000 studies and 10 000 claims.

    python -m benchmarks.cli_bench [--studies 100000] [--claims 10000] [--repeat 5]

The studies come from a generated file through `import-xml --jobs 2` (made once into
$LDN_BENCH_DIR/cli.db); the claims, each citing one study, are inserted directly.
The median of `--repeat` runs of each command counts (wall time, process start included).
"""

from __future__ import annotations

import argparse
import statistics
import sys

from benchmarks._common import WORK, cli, generated, measure, save

VERDICTS = ("unchecked", "supported", "partially_supported", "not_supported", "not_in_abstract")


def build(db: str, studies: int, claims: int) -> None:
    import sqlalchemy as sa

    from ldn_evidence.db import make_engine

    run = measure([*cli(), "--db", db, "import-xml", "-j", "2", str(generated(studies))])
    if run.returncode != 0:
        raise SystemExit(run.stderr)
    engine = make_engine(db)
    with engine.begin() as conn:
        ids = conn.execute(sa.text("SELECT id FROM studies ORDER BY id")).scalars().all()
        doc = conn.execute(
            sa.text(
                "INSERT INTO source_documents (url, title, retrieved_at, version, created_at) "
                "VALUES ('https://pharmacy.example/bench', 'Bench page', CURRENT_TIMESTAMP, 1, "
                "CURRENT_TIMESTAMP) "
                "RETURNING id"
            )
        ).scalar_one()
        conn.execute(
            sa.text(
                "INSERT INTO claims (document_id, text, position, kind, figure_value, "
                "figure_unit, figure_qualifier, created_at, updated_at) VALUES (:d, :t, :p, "
                "'figure', :v, '%', 'nearly', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            ),
            [
                {
                    "d": doc,
                    "t": f"Claim {i}: it cut symptoms by nearly {i % 90 + 5}%",
                    "p": i,
                    "v": i % 90 + 5,
                }
                for i in range(claims)
            ],  # fmt: skip
        )
        claim_ids = conn.execute(sa.text("SELECT id FROM claims ORDER BY id")).scalars().all()
        conn.execute(
            sa.text(
                "INSERT INTO citations (claim_id, study_id, origin, verdict, verdict_origin, "
                "created_at) VALUES (:c, :s, 'page', :v, 'automatic', CURRENT_TIMESTAMP)"
            ),
            [
                {"c": c, "s": ids[(i * 7919) % len(ids)], "v": VERDICTS[i % len(VERDICTS)]}
                for i, c in enumerate(claim_ids)
            ],
        )
    engine.dispose()


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--studies", type=int, default=100_000)
    ap.add_argument("--claims", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    WORK.mkdir(parents=True, exist_ok=True)
    db_path = WORK / f"cli_{args.studies}_{args.claims}.db"
    db = f"sqlite:///{db_path}"
    if not db_path.exists():
        build(db, args.studies, args.claims)
    out = WORK / "export.out"
    commands = {
        "ldn-evidence --help": ["--help"],
        "claims show 5000": ["--db", db, "claims", "show", "5000"],
        "claims show 5000 --json": ["--db", db, "claims", "show", "5000", "--json"],
        f"claims list --json ({args.claims} claims)": ["--db", db, "claims", "list", "--json"],
        "export --format csv": ["--db", db, "export", "--format", "csv", "-o", str(out)],
        "export --format json": ["--db", db, "export", "--format", "json", "-o", str(out)],
        "export --format markdown": ["--db", db, "export", "--format", "markdown", "-o", str(out)],
        "export --format html": ["--db", db, "export", "--format", "html", "-o", str(out)],
        "studies show (one of 100k)": ["--db", db, "studies", "show", "40050000"],
    }
    rows = []
    for label, argv_ in commands.items():
        runs = [measure([*cli(), *argv_]) for _ in range(args.repeat)]
        failed = [r for r in runs if r.returncode != 0]
        row = {
            "command": label,
            "median_wall": statistics.median(r.wall for r in runs),
            "min_wall": min(r.wall for r in runs),
            "median_cpu": statistics.median(r.cpu for r in runs),
            "peak_rss_mb": max(r.peak_rss_mb for r in runs),
            "failed": failed[0].stderr[-300:] if failed else None,
        }
        rows.append(row)
        print(
            f"{label:45} median {row['median_wall']:6.2f} s  min {row['min_wall']:6.2f} s  "
            f"cpu {row['median_cpu']:6.2f} s  {row['peak_rss_mb']:5.0f} MB"
            + (f"  FAILED {row['failed']}" if failed else ""),
            file=sys.stderr,
        )
    save("cli", {"studies": args.studies, "claims": args.claims, "commands": rows})


if __name__ == "__main__":
    main()
