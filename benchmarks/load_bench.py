"""`load` throughput: a generated CSV dataset of N claims, loaded into a fresh SQLite database.

    python -m benchmarks.load_bench [--claims 100000] [--repeat 3] [--studies 0]

The dataset (`load`'s CSV form, made once into $LDN_BENCH_DIR) has N distinct claims on
one page, each with a condition, intervention, dose, outcome, population and figure, citing
one to three PMIDs drawn from a pool of N/2 (so about 0.4 N PubMed references). With
`--studies M`, the database first holds M generated studies (`import-xml` of PMIDs
40 000 000 …, the pool's range), so the references are attached to studies as they load.

Each run copies an empty database migrated to head (or the one holding the studies) and
runs `ldn-evidence load FILE --json` on it; then `load` again on the loaded database
(nothing changes). Prints claims/s by CPU time and by wall time (the process's own,
start-up included), min and median of `--repeat` runs, and saves the results.
"""

from __future__ import annotations

import argparse
import csv
import random
import shlex
import shutil
import statistics
import sys
from pathlib import Path

from benchmarks._common import WORK, Run, cli, generated, measure, save

FIRST_PMID = 40_000_000
CONDITIONS = ("fibromyalgia", "migraine", "long COVID", "chronic pain", "Crohn's disease")
INTERVENTIONS = ("low-dose naltrexone", "magnesium", "vitamin D", "melatonin", "zinc")
OUTCOMES = ("pain", "fatigue", "sleep quality", "symptom days", "inflammation markers")
POPULATIONS = ("women", "adults", "patients", "older adults", "children")
QUALIFIERS = ("exact", "nearly", "about", "over", "up to")


def write_dataset(path: Path, n: int, *, seed: int = 15) -> Path:
    """`n` claims in `load`'s CSV form (one page; PMIDs from a pool of n/2)."""
    rng = random.Random(seed)
    pool = max(1, n // 2)
    columns = [
        "text",
        "condition",
        "intervention",
        "dose",
        "outcome",
        "population",
        "figure_value",
        "figure_qualifier",
        "figure_text",
        "pmids",
        "document_url",
        "document_title",
    ]
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(columns)
        for i in range(n):
            cond, inter = rng.choice(CONDITIONS), rng.choice(INTERVENTIONS)
            outcome, pop = rng.choice(OUTCOMES), rng.choice(POPULATIONS)
            qual = rng.choice(QUALIFIERS)
            value = rng.randint(5, 95)
            figure = f"{qual} {value}%" if qual != "exact" else f"{value}%"
            pmids = rng.sample(range(FIRST_PMID, FIRST_PMID + pool), k=min(pool, rng.randint(1, 3)))
            out.writerow(
                [
                    f"Claim {i}: {inter} improved {outcome} by {figure} in {pop} with {cond}.",
                    cond,
                    inter,
                    f"{rng.choice((1.5, 3, 4.5, 600, 1000))} mg daily",
                    outcome,
                    pop,
                    value,
                    qual,
                    figure,
                    ";".join(map(str, pmids)),
                    "https://pharmacy.example/bench" if i == 0 else "",
                    "Bench page" if i == 0 else "",
                ]
            )
    tmp.rename(path)
    return path


def dataset(n: int) -> Path:
    WORK.mkdir(parents=True, exist_ok=True)
    path = WORK / f"load_{n}.csv"
    return path if path.exists() else write_dataset(path, n)


def template(studies: int) -> Path:
    """An SQLite file migrated to head, holding `studies` generated studies; made once."""
    from ldn_evidence.db import make_engine, upgrade

    WORK.mkdir(parents=True, exist_ok=True)
    path = WORK / f"load_template_{studies}.db"
    if path.exists():
        return path
    tmp = path.with_suffix(".tmp.db")
    tmp.unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{tmp}")
    upgrade(engine)
    engine.dispose()
    if studies:
        run = measure([*cli(), "--db", f"sqlite:///{tmp}", "import-xml", str(generated(studies))])
        if run.returncode != 0:
            raise SystemExit(run.stderr)
    tmp.rename(path)
    return path


def _stats(n: int, runs: list[Run]) -> dict[str, float]:
    cpu = [r.cpu for r in runs]
    wall = [r.wall for r in runs]
    return {
        "cpu_min_s": round(min(cpu), 3),
        "cpu_median_s": round(statistics.median(cpu), 3),
        "wall_min_s": round(min(wall), 3),
        "wall_median_s": round(statistics.median(wall), 3),
        "claims_per_s_cpu_best": round(n / min(cpu), 1),
        "claims_per_s_cpu_median": round(n / statistics.median(cpu), 1),
        "claims_per_s_wall_best": round(n / min(wall), 1),
        "claims_per_s_wall_median": round(n / statistics.median(wall), 1),
        "peak_rss_mb_max": round(max(r.peak_rss_mb for r in runs), 1),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--studies", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--name", default="load_bench")
    parser.add_argument(
        "--cli", default="", help="the command to run instead of ldn-evidence (another checkout)"
    )
    args = parser.parse_args(argv)
    command = shlex.split(args.cli) if args.cli else cli()
    data = dataset(args.claims)
    empty = template(args.studies)
    db = WORK / f"{args.name}.db"
    first: list[Run] = []
    again: list[Run] = []
    for _ in range(args.repeat):
        for stale in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
            stale.unlink(missing_ok=True)
        shutil.copyfile(empty, db)
        for runs in (first, again):
            run = measure([*command, "--db", f"sqlite:///{db}", "load", str(data), "--json"])
            if run.returncode != 0:
                raise SystemExit(run.stderr)
            runs.append(run)
        print(f"  load {first[-1].cpu:.1f} s CPU, again {again[-1].cpu:.1f} s", file=sys.stderr)
    results = {
        "claims": args.claims,
        "studies": args.studies,
        "dataset_mb": round(data.stat().st_size / 2**20, 1),
        "summary": first[0].stdout.strip(),
        "load": _stats(args.claims, first),
        "load_again": _stats(args.claims, again),
    }
    for what in ("load", "load_again"):
        s = results[what]
        assert isinstance(s, dict)
        print(
            f"{what:10} {args.claims} claims: CPU {s['cpu_min_s']} / {s['cpu_median_s']} s "
            f"(min / median) = {s['claims_per_s_cpu_best']:,.0f} / "
            f"{s['claims_per_s_cpu_median']:,.0f} claims/s; wall {s['wall_min_s']} / "
            f"{s['wall_median_s']} s = {s['claims_per_s_wall_best']:,.0f} / "
            f"{s['claims_per_s_wall_median']:,.0f} claims/s; peak {s['peak_rss_mb_max']} MB"
        )
    save(args.name, results)


if __name__ == "__main__":
    main()
