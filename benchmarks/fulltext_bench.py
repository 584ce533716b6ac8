"""PMC full text (JATS): our parser against pubmed_parser, and memory over 1,000 files
(run by hand; the `bench` extra installs pubmed-parser and psutil).

    python -m benchmarks.fulltext_bench [DIR] [--files 1000] [--repeat 3]

DIR defaults to ../shared/pmc (real open-access articles, read in place). The timed runs
read a directory of `--files` copies of them, each with its own PMCID and PMID, made once
under /tmp/ldn-bench (never in the repository).

- **Speed**: each contender parses every file of the directory in its own process; the
  best CPU time (user + sys) of `--repeat` runs counts. Ours: `iter_full_texts` (sections,
  paragraphs, tables, figure legends, footnotes, licence, raw XML). pubmed_parser:
  `parse_pubmed_xml` + `parse_pubmed_paragraph(all_paragraph=True)` +
  `parse_pubmed_table`, the three calls that give the article, its paragraphs and its
  tables (each reads the file again).
- **Text kept**, on the distinct files: passages (ours: paragraphs, tables, figure
  legends, footnotes; theirs: paragraphs and tables), table cells (theirs: column names
  and values) and characters of body text.
- **Memory**: peak RSS of each contender's process over 100 and over all files, and of
  `ldn-evidence import-pmc` of 100 and of all files into a fresh SQLite database: flat
  means the same peak whatever the number of files.

Writes the table into `benchmarks/RESULTS.md` between the fulltext-bench markers, with
the date and the machine, and the raw numbers to `benchmarks/results/fulltext.json`.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import time
import warnings
from pathlib import Path

from benchmarks._common import HERE, WORK, cli, machine, measure, python, save

DEFAULT_DIR = HERE.parent.parent / "shared" / "pmc"
START, END = "<!-- fulltext-bench:start -->", "<!-- fulltext-bench:end -->"
CONTENDERS = ("ours", "pubmed_parser")
TARGET_SPEEDUP = 1.5
_PMC_ID = re.compile(rb'(<article-id pub-id-type="pmc">)(\d+)(</article-id>)')
_PMID = re.compile(rb'(<article-id pub-id-type="pmid">)(\d+)(</article-id>)')


def copies(source: Path, n: int) -> Path:
    """A directory of `n` copies of the articles of `source`, each with its own PMCID and
    PMID (so an import stores every one), made once and reused."""
    articles = sorted(source.glob("*.nxml"))
    if not articles:
        sys.exit(f"no .nxml files in {source}")
    target = WORK / f"pmc_{n}"
    if target.is_dir() and len(list(target.glob("*.nxml"))) == n:
        return target
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    data = [a.read_bytes() for a in articles]
    for i in range(n):
        text = data[i % len(data)]
        text = _PMC_ID.sub(rb"\g<1>" + str(9_000_000 + i).encode() + rb"\g<3>", text, count=1)
        text = _PMID.sub(rb"\g<1>" + str(80_000_000 + i).encode() + rb"\g<3>", text, count=1)
        (target / f"{i:05d}-{articles[i % len(articles)].name}").write_bytes(text)
    return target


# ---- one contender, in its own process ------------------------------------------------------


def _ours(path: Path) -> tuple[int, int, int]:
    from ldn_evidence.pubmed.jats import iter_full_texts

    passages = cells = chars = 0
    for rec in iter_full_texts(path):
        sections = rec.sections
        body = [p for p in rec.passages
                if p.section is None or sections[p.section].kind != "abstract"]  # fmt: skip
        passages += len(body)
        cells += sum(p.cells for p in body)
        chars += sum(len(p.text) for p in body)
    return passages, cells, chars


def _pubmed_parser(path: Path) -> tuple[int, int, int]:
    import pubmed_parser as pp

    name = str(path)
    pp.parse_pubmed_xml(name)
    paragraphs = pp.parse_pubmed_paragraph(name, all_paragraph=True) or []
    tables = pp.parse_pubmed_table(name, return_xml=False) or []
    cells = sum(len(t["table_columns"] or []) + sum(map(len, t["table_values"])) for t in tables)
    chars = sum(len(p["text"]) for p in paragraphs)
    chars += sum(len(" ".join(t["table_columns"] or [])) for t in tables)
    chars += sum(len(" ".join(v)) for t in tables for v in t["table_values"])
    return len(paragraphs) + len(tables), cells, chars


def run_one(name: str, directory: Path, limit: int | None) -> dict[str, float]:
    fn = {"ours": _ours, "pubmed_parser": _pubmed_parser}[name]
    if name == "pubmed_parser":
        import pubmed_parser  # noqa: F401 - imported outside the timed loop
    else:
        import ldn_evidence.pubmed.jats  # noqa: F401
    files = sorted(directory.glob("*.nxml"))[:limit]
    totals = [0, 0, 0]
    wall, cpu = time.perf_counter(), time.process_time()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for path in files:
            for i, n in enumerate(fn(path)):
                totals[i] += n
    return {
        "files": len(files),
        "passages": totals[0],
        "cells": totals[1],
        "chars": totals[2],
        "cpu": time.process_time() - cpu,
        "wall": time.perf_counter() - wall,
    }


# ---- the runs ---------------------------------------------------------------------------------


def _speed(directory: Path, repeat: int) -> dict[str, dict[str, float]]:
    results: dict[str, dict[str, float]] = {}
    for name in CONTENDERS:
        best: dict[str, float] | None = None
        for _ in range(repeat):
            run = measure([python(), "-m", "benchmarks.fulltext_bench", "--one", name,
                           str(directory)])  # fmt: skip
            if run.returncode != 0:
                sys.exit(f"{name} failed:\n{run.stderr[-2000:]}")
            got = json.loads(run.stdout)
            got["peak_rss_mb"] = run.peak_rss_mb
            if best is None or got["cpu"] < best["cpu"]:
                best = got
        assert best is not None
        best["files_per_s_cpu"] = best["files"] / best["cpu"]
        results[name] = best
        print(f"{name:14} {best['files']:>5} files {best['cpu']:6.2f} s CPU "
              f"{best['files_per_s_cpu']:7.1f} files/s {best['peak_rss_mb']:5.0f} MB",
              file=sys.stderr)  # fmt: skip
    return results


def _memory(directory: Path, sizes: list[int]) -> list[dict[str, float]]:
    rows: list[dict[str, float]] = []
    for n in sizes:
        for name in CONTENDERS:
            run = measure([python(), "-m", "benchmarks.fulltext_bench", "--one", name,
                           str(directory), "--limit", str(n)])  # fmt: skip
            rows.append({"what": f"parse ({name})", "files": n, "peak_rss_mb": run.peak_rss_mb,
                         "wall": run.wall})  # fmt: skip
        subset = WORK / f"pmc_subset_{n}"
        shutil.rmtree(subset, ignore_errors=True)
        subset.mkdir(parents=True)
        for path in sorted(directory.glob("*.nxml"))[:n]:
            (subset / path.name).symlink_to(path)
        db = WORK / f"fulltext_{n}.db"
        db.unlink(missing_ok=True)
        run = measure([*cli(), "--db", str(db), "import-pmc", str(subset)])
        if run.returncode != 0:
            sys.exit(f"import-pmc failed:\n{run.stderr[-2000:]}")
        rows.append({"what": "import-pmc (SQLite)", "files": n, "peak_rss_mb": run.peak_rss_mb,
                     "wall": run.wall, "cpu": run.cpu, "line": run.stdout.strip()})  # fmt: skip
        print(f"{rows[-1]}", file=sys.stderr)
    return rows


def _kept(source: Path) -> dict[str, dict[str, float]]:
    """Text kept by each contender on the distinct articles of `source`, and how many of
    one's passages (other than tables) the other keeps too."""
    kept: dict[str, dict] = {name: run_one(name, source, None) for name in CONTENDERS}  # type: ignore[type-arg]
    for name, (found, total, missed) in _both_ways(source).items():
        kept[name].update(in_other=found, compared=total, missed=missed)
    return kept


def _words(text: str) -> set[str]:
    from unidecode import unidecode  # pubmed_parser's own dependency

    return set(re.findall(r"[a-z]+", unidecode(text).lower()))


def _both_ways(source: Path) -> dict[str, tuple[int, int, list[str]]]:
    """Per contender: (its paragraphs, legends and footnotes whose words the other keeps
    — all but 5 % —, how many there are, the start of those it does not). Words, not
    exact text: pubmed_parser drops the text of some inline elements ("p<sub>R</sub>
    promoter" → "ppromoter")."""
    import pubmed_parser as pp

    from ldn_evidence.pubmed.jats import iter_full_texts

    counts = {"ours": [0, 0], "pubmed_parser": [0, 0]}
    missed: dict[str, list[str]] = {"ours": [], "pubmed_parser": []}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for path in sorted(source.glob("*.nxml")):
            (rec,) = iter_full_texts(path)
            ours = [p.text for p in rec.passages
                    if (p.section is None or rec.sections[p.section].kind != "abstract")
                    and p.kind != "table"]  # fmt: skip
            tables = [p.text for p in rec.passages if p.kind == "table"]
            theirs = [p["text"] for p in pp.parse_pubmed_paragraph(str(path), all_paragraph=True)]
            their_tables = [
                " ".join([*(t["table_columns"] or []), *(" ".join(v) for v in t["table_values"])])
                for t in pp.parse_pubmed_table(str(path), return_xml=False) or []
            ]
            pools = {
                "ours": _words(" ".join(theirs + their_tables)),
                "pubmed_parser": _words(" ".join(ours + tables)),
            }
            for name, texts in (("ours", ours), ("pubmed_parser", theirs)):
                for text in texts:
                    words = _words(text)
                    counts[name][1] += 1
                    if len(words - pools[name]) <= len(words) * 0.05:
                        counts[name][0] += 1
                    else:
                        missed[name].append(f"{path.name}: {text[:40]}…")
    return {name: (found, total, missed[name]) for name, (found, total) in counts.items()}


def _table(data: dict, info: dict[str, str]) -> str:  # type: ignore[type-arg]
    speed, kept, memory = data["speed"], data["kept"], data["memory"]
    ours, theirs = speed["ours"], speed["pubmed_parser"]
    ratio = theirs["cpu"] / ours["cpu"]
    met = "met" if ratio >= TARGET_SPEEDUP else "not met"
    out = [
        START,
        "",
        f"Run {info['date']} with `python -m benchmarks.fulltext_bench` (load average "
        f"{info['load_average']}; {info['cpu'] or 'CPU'}, {info['nproc']} CPUs, Python "
        f"{info['python']}).",
        "",
        f"**Speed** over {ours['files']:,} files (copies of the {kept['ours']['files']} "
        f"articles of `../shared/pmc/`), best CPU time of {data['repeat']} runs: ours "
        f"**{ratio:.2f}×** faster than pubmed_parser (target ≥ {TARGET_SPEEDUP}×: {met}).",
        "",
        "| parser | files | CPU s | files/s (CPU) | wall s | peak RSS MB |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, label in (("ours", "`iter_full_texts`"), ("pubmed_parser",
                        "pubmed_parser: xml + paragraph + table")):  # fmt: skip
        r = speed[name]
        out.append(
            f"| {label} | {r['files']:,} | {r['cpu']:.2f} | {r['files_per_s_cpu']:.0f} | "
            f"{r['wall']:.2f} | {r['peak_rss_mb']:.0f} |"
        )
    out += [
        "",
        f"**Text kept** from the {kept['ours']['files']} distinct articles (the body: the "
        "abstract left out on both sides):",
        "",
        "| parser | passages | table cells | characters of text | its passages (not tables) "
        "the other keeps |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, label in (("ours", "ours (paragraphs, tables, figure legends, footnotes)"),
                        ("pubmed_parser", "pubmed_parser (paragraphs, tables)")):  # fmt: skip
        r = kept[name]
        out.append(
            f"| {label} | {r['passages']:,} | {r['cells']:,} | {r['chars']:,} | "
            f"{r['in_other']:,} of {r['compared']:,} |"
        )
    out += [
        "",
        "**Memory** (peak RSS of the process, MB): flat when it does not grow with the "
        "number of files.",
        "",
        "| what | files | peak RSS MB | wall s |",
        "|---|---:|---:|---:|",
    ]
    for r in memory:
        out.append(f"| {r['what']} | {r['files']:,} | {r['peak_rss_mb']:.0f} | {r['wall']:.1f} |")
    out += [
        "",
        "A passage the other keeps: all but 5 % of its words are in the other's text of "
        "the same article (words, not exact text: pubmed_parser drops the text of some "
        'inline elements, "p<sub>R</sub> promoter" → "ppromoter").',
        "",
        *(
            f"- {label} does not keep: " + "; ".join(f"`{m}`" for m in kept[name]["missed"])
            for name, label in (("ours", "pubmed_parser"), ("pubmed_parser", "ours"))
            if kept[name]["missed"]
        ),
        "",
        "Notes: pubmed_parser's paragraphs are every `<p>` under `<body>` (table footnotes "
        "and figure-caption paragraphs each count as one); ours count a list as one "
        "paragraph and a table's notes as part of the table, and keep the tables of a "
        "`floats-group` and the article's footnotes, which pubmed_parser does not read. "
        "pubmed_parser keeps a table only when it has rows (`tbody/tr`) and drops rows "
        "whose length differs from the most common one.",
        "",
        END,
    ]
    return "\n".join(out)


def write_results(block: str) -> None:
    path = HERE / "RESULTS.md"
    text = path.read_text(encoding="utf-8")
    if START in text and END in text:
        text = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: block, text,
                      flags=re.DOTALL)  # fmt: skip
    else:
        text = text.rstrip() + "\n\n## PMC full text (JATS)\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("dir", type=Path, nargs="?", default=DEFAULT_DIR)
    ap.add_argument("--files", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--one", choices=CONTENDERS)
    ap.add_argument("--limit", type=int)
    args = ap.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(args.one, args.dir, args.limit)))
        return
    directory = copies(args.dir, args.files)
    data = {
        "repeat": args.repeat,
        "speed": _speed(directory, args.repeat),
        "kept": _kept(args.dir),
        "memory": _memory(directory, sorted({min(100, args.files), args.files})),
    }
    info = machine()
    save("fulltext", data)
    block = _table(data, info)
    write_results(block)
    print(block)


if __name__ == "__main__":
    main()
