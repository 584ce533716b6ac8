"""Make baseline-format PubMed files of N records by re-numbering real records.

    python -m benchmarks.generate OUT.xml.gz N [SOURCE …] [--start 40000000]

SOURCE files (default: ../shared/pubmed/baseline/*.xml.gz) are read once; their
PubmedArticle / PubmedBookArticle records are used in turn, each copy given a new PMID
(the record's own PMID and its ArticleId IdType="pubmed"; cited PMIDs are left alone),
so a file of 200 000 records holds 200 000 distinct studies. Output is gzip-compressed
when OUT ends in .gz, like NLM's baseline files.
"""

from __future__ import annotations

import argparse
import gzip
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from lxml import etree

SHARED = Path(__file__).resolve().parents[2] / "shared" / "pubmed"
HEADER = (
    b'<?xml version="1.0" encoding="utf-8"?>\n'
    b'<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2019//EN" '
    b'"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_190101.dtd">\n'
    b"<PubmedArticleSet>\n"
)
FOOTER = b"</PubmedArticleSet>\n"
_OWN_PMID = re.compile(rb'(<PMID Version="\d+">)\d+(</PMID>)')


def default_sources() -> list[Path]:
    return sorted((SHARED / "baseline").glob("*.xml.gz"))


def templates(
    sources: Iterable[Path], limit: int | None = None
) -> list[tuple[bytes, bytes, bytes]]:
    """Each record split around its own PMID: (before, between, after) where `between`
    runs from the PMID to its ArticleId copy (empty when it has none)."""
    out = []
    for source in sources:
        opener = gzip.open if source.suffix == ".gz" else open
        with opener(source, "rb") as f:
            events = etree.iterparse(
                f, tag=("PubmedArticle", "PubmedBookArticle"), resolve_entities=False,
                load_dtd=False, no_network=True,
            )  # fmt: skip
            for _event, elem in events:
                raw = etree.tostring(elem, encoding="utf-8", with_tail=False)
                elem.clear(keep_tail=False)
                out.append(_split(raw))
                if limit and len(out) >= limit:
                    return out
    if not out:
        raise SystemExit("no PubmedArticle records in the sources")
    return out


def _split(raw: bytes) -> tuple[bytes, bytes, bytes]:
    own = _OWN_PMID.search(raw)
    if own is None:
        raise ValueError("record without a PMID")
    before, rest = raw[: own.end(1)], raw[own.start(2) :]
    pmid = raw[own.end(1) : own.start(2)]
    mark = b'<ArticleId IdType="pubmed">' + pmid + b"</ArticleId>"
    at = rest.find(mark)  # its own id, not a cited one (books list references first)
    if at < 0:
        return before, b"", rest
    head = at + len(mark) - len(pmid) - len(b"</ArticleId>")
    return before, rest[:head], rest[head + len(pmid) :]


def records(templates: list[tuple[bytes, bytes, bytes]], n: int, start: int) -> Iterator[bytes]:
    for i in range(n):
        before, between, after = templates[i % len(templates)]
        pmid = str(start + i).encode()
        yield before + pmid + (between + pmid if between else b"") + after


def write(out: IO[bytes], items: Iterable[bytes], *, tail: bytes = b"") -> None:
    out.write(HEADER)
    for rec in items:
        out.write(rec)
        out.write(b"\n")
    out.write(tail)
    out.write(FOOTER)


def generate(
    path: Path,
    n: int,
    sources: Iterable[Path] | None = None,
    *,
    start: int = 40_000_000,
    tail: bytes = b"",
    level: int = 6,
) -> Path:
    """Write `n` re-numbered records (PMIDs start … start+n-1) to `path`; `tail` is raw
    XML put after them (a DeleteCitation block, say)."""
    tpl = templates(list(sources) if sources is not None else default_sources(), limit=n)
    if path.suffix == ".gz":
        with gzip.open(path, "wb", compresslevel=level) as out:
            write(out, records(tpl, n, start), tail=tail)
    else:
        with open(path, "wb") as out:
            write(out, records(tpl, n, start), tail=tail)
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("n", type=int)
    parser.add_argument("sources", type=Path, nargs="*")
    parser.add_argument("--start", type=int, default=40_000_000)
    args = parser.parse_args(argv)
    generate(args.out, args.n, args.sources or None, start=args.start)
    print(f"{args.out}: {args.n} records", file=sys.stderr)


if __name__ == "__main__":
    main()
