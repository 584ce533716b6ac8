"""Every benchmark, one after the other, then the tables for RESULTS.md.

python -m benchmarks.run_all          # ~30-40 min on 2 CPUs
python -m benchmarks.report           # the tables again, from benchmarks/results/
"""

from __future__ import annotations

from benchmarks import cli_bench, fulltext_bench, import_bench, memory_bench, parse_bench, report


def main() -> None:
    parse_bench.main([])
    fulltext_bench.main([])  # writes its own section of RESULTS.md
    import_bench.main([])
    memory_bench.main([])
    cli_bench.main([])
    report.main()


if __name__ == "__main__":
    main()
