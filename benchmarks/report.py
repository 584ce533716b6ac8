"""benchmarks/results/*.json → the Markdown tables of RESULTS.md (printed)."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks._common import RESULTS


def _load(name: str) -> dict | None:  # type: ignore[type-arg]
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def _row(*cells: str) -> str:
    return "| " + " | ".join(cells) + " |"


def main() -> None:
    out: list[str] = []
    if parse := _load("parse"):
        res = parse["results"]["contenders"]
        ours = res["iter_articles"]
        out += [
            f"### Parse ({Path(parse['results']['file']).name}, {ours['records']:,} records)",
            "",
        ]
        out += [_row("parser", "records/s (CPU)", "records/s (wall)", "CPU s",
                     "iter_articles is … × faster (CPU)", "peak RSS MB")]  # fmt: skip
        out += ["|---|---:|---:|---:|---:|---:|"]
        for name, r in res.items():
            out.append(
                f"| {name} | {r['per_s_cpu']:,.0f} | {r['per_s_wall']:,.0f} | {r['cpu']:.1f} | "
                f"{r['cpu'] / ours['cpu']:.2f} | {r['peak_rss_mb']:.0f} |"
            )
        out.append("")
    if imp := _load("import"):
        steps = imp["results"]["steps"]
        if diag := _load("import_diagnostic"):  # run separately: python -m … --diagnostic
            steps = steps + [
                {**d, "label": f"{d['label']} (separate run)"} for d in diag["results"]
            ]
        parse_cpu = next((s["cpu"] for s in steps if s["label"].startswith("parse only")), None)
        out += [f"### Import ({Path(imp['results']['file']).name})", ""]
        out += [_row("step", "records", "wall s", "CPU s", "records/s (wall)", "records/s (CPU)",
                     "CPU ÷ parse CPU", "peak MB (tree)")]  # fmt: skip
        out += ["|---|---:|---:|---:|---:|---:|---:|---:|"]
        for s in steps:
            if "failed" in s:
                out.append(f"| {s['label']} | failed | | | | | | |")
                continue
            ratio = f"{s['cpu'] / parse_cpu:.2f}" if parse_cpu else ""
            out.append(
                f"| {s['label']} | {s['records'] or 0:,} | {s['wall']:.1f} | {s['cpu']:.1f} | "
                f"{s['per_s_wall'] or 0:,.0f} | {s['per_s_cpu'] or 0:,.0f} | {ratio} | "
                f"{s['tree_rss_mb']:.0f} |"
            )
        out.append("")
    if mem := _load("memory"):
        out += ["### Memory (`import-xml` of generated files, fresh SQLite)", ""]
        out += [_row("records", "--jobs", "wall s", "CPU s", "records/s (wall)",
                     "peak RSS MB (CLI process)", "peak MB (CLI + workers)")]  # fmt: skip
        out += ["|---:|---:|---:|---:|---:|---:|---:|"]
        for r in mem["results"]:
            flag = "" if r["ok"] else " (failed)"
            out.append(
                f"| {r['records']:,}{flag} | {r['jobs']} | {r['wall']:.0f} | {r['cpu']:.0f} | "
                f"{r['per_s_wall']:,.0f} | {r['peak_rss_mb']:.0f} | {r['tree_rss_mb']:.0f} |"
            )
        out.append("")
    if c := _load("cli"):
        res = c["results"]
        out += [f"### CLI ({res['studies']:,} studies, {res['claims']:,} claims, SQLite)", ""]
        out += ["| command | median wall s | min wall s | median CPU s | peak RSS MB |"]
        out += ["|---|---:|---:|---:|---:|"]
        for r in res["commands"]:
            flag = " (failed)" if r["failed"] else ""
            out.append(
                f"| `{r['command']}`{flag} | {r['median_wall']:.2f} | {r['min_wall']:.2f} | "
                f"{r['median_cpu']:.2f} | {r['peak_rss_mb']:.0f} |"
            )
        out.append("")
    machine = next((d["machine"] for d in (parse, imp, mem, c) if d), None)
    if machine:
        out += ["Machine: " + "; ".join(f"{k}: {v}" for k, v in machine.items())]
    print("\n".join(out))


if __name__ == "__main__":
    main()
