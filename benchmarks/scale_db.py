"""Make the scale database of issue #15: 1 000 000 studies and 100 000 claims.

    python -m benchmarks.scale_db [--studies 1000000] [--claims 100000] [--db URL]

Without --db the database is `$LDN_BENCH_DIR/scale_<studies>_<claims>.db` (SQLite,
default /tmp/ldn-scale/…), made once: an existing file is left alone.

Studies: the real records of `../shared/pubmed/baseline/` (30 000), each parsed and
graded once (`bulk.prepare`, as `import-xml` does) and then stored again and again under
new PMIDs (40 000 000 onwards) through the import's own bulk writer, so every study has
its authors, sections, MeSH terms, publication types and raw XML like an imported one.

Claims: pages of 100 claims each, every claim citing one study (every tenth a second one,
a page reference per study). The claim texts are made from the cited studies themselves
so that `verify` sees what it sees on real pages, in four kinds taken in turn: a
conclusion sentence of the study's abstract, the study's title as a statement, a figure
claim ("nearly 30% of patients improved …"), and a sentence of an unrelated study's
abstract (a claim the study does not support). The cited studies' export cells are
stored as the commands that cite a study store them (`study_cells.fill`).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

SCALE_DIR = Path(os.environ.get("LDN_BENCH_DIR", "/tmp/ldn-scale"))
FIRST_PMID = 40_000_000
CLAIMS_PER_PAGE = 100
CHUNK = 2_000


def _templates(
    limit: int | None, sources: list[Path] | None = None
) -> list[tuple[object, tuple[str, str, str]]]:
    """(Prepared, raw XML split around its own PMID) for each baseline record."""
    from benchmarks.generate import default_sources, templates
    from ldn_evidence.pubmed.parser import parse_articles
    from ldn_evidence.services.bulk import prepare

    out = []
    for before, between, after in templates(sources or default_sources(), limit=limit):
        raw = before + b"1" + (between + b"1" if between else b"") + after
        try:
            (record,) = parse_articles(raw, name="template")
        except Exception:  # a record the parser refuses is not a template
            continue
        parts = (before.decode(), between.decode(), after.decode())
        out.append((prepare(record, origin="file"), parts))
    return out


def _studies(templates: list, n: int) -> Iterator[object]:
    for i in range(n):
        prepared, (before, between, after) = templates[i % len(templates)]
        pmid = str(FIRST_PMID + i)
        raw = before + pmid + (between + pmid if between else "") + after
        sha = hashlib.sha256(raw.encode()).hexdigest()
        row = {**prepared.row, "pmid": pmid, "raw_xml": raw, "raw_sha256": sha}
        yield replace(prepared, pmid=pmid, sha256=sha, row=row)


def store_studies(engine, n: int, templates: list) -> None:
    from ldn_evidence.db import session_scope
    from ldn_evidence.services.bulk import Vocabulary, store_prepared

    vocab = Vocabulary()
    chunk: list = []
    started = time.perf_counter()
    done = 0
    for prepared in _studies(templates, n):
        chunk.append(prepared)
        if len(chunk) == CHUNK:
            with session_scope(engine) as session:
                store_prepared(conn=session.connection(), items=chunk, vocab=vocab)
            vocab.commit()
            done += len(chunk)
            chunk = []
            if done % 50_000 == 0:
                rate = done / (time.perf_counter() - started)
                print(f"  {done:,} studies ({rate:,.0f}/s)", file=sys.stderr)
    if chunk:
        with session_scope(engine) as session:
            store_prepared(conn=session.connection(), items=chunk, vocab=vocab)
        vocab.commit()


def _sentences(text: str) -> list[str]:
    from ldn_evidence.sentences import ABSTRACT, sentence_texts

    return [s for s in sentence_texts(text, ABSTRACT) if 40 <= len(s) <= 400]


def _claim_text(kind: int, study: tuple, other: tuple, rng: random.Random) -> tuple[str, dict]:
    """The text of a claim citing `study` and the stored fields that go with it."""
    title, abstract = study
    sentences = _sentences(abstract or "")
    if kind == 0 and sentences:
        return sentences[-1], {"kind": "effect"}
    if kind == 1 and title:
        return title.strip("[]").rstrip(".]"), {"kind": "statement"}
    if kind == 2:
        value = rng.choice((10, 20, 25, 30, 40, 50, 60, 75))
        subject = (title or "the treatment").strip("[]").split(":")[0].rstrip(".]")[:120]
        text = f"Nearly {value}% of patients improved in the study of {subject}"
        return text, {
            "kind": "figure", "figure_value": float(value), "figure_unit": "%",
            "figure_qualifier": "nearly", "figure_text": f"nearly {value}%",
        }  # fmt: skip
    other_sentences = _sentences(other[1] or "")
    if other_sentences:
        return rng.choice(other_sentences), {"kind": "effect"}
    return (title or "A study was done").rstrip("."), {"kind": "statement"}


def store_claims(engine, n_claims: int, n_studies: int, seed: int = 15) -> int:
    """Pages, claims, references and citations; returns the number of citations."""
    import sqlalchemy as sa

    from ldn_evidence.models import Citation, Claim, Reference, SourceDocument, Study
    from ldn_evidence.services import study_cells

    rng = random.Random(seed)
    now = datetime.now(UTC)
    docs_t, claims_t = SourceDocument.__table__, Claim.__table__
    refs_t, cites_t, studies_t = Reference.__table__, Citation.__table__, Study.__table__
    citations = 0
    with engine.connect() as conn:
        first_id, last_id = conn.execute(sa.select(sa.func.min(studies_t.c.id),
                                                   sa.func.max(studies_t.c.id))).one()  # fmt: skip
    for page_start in range(0, n_claims, CLAIMS_PER_PAGE * 10):
        with engine.begin() as conn:
            for page in range(page_start, min(page_start + CLAIMS_PER_PAGE * 10, n_claims),
                              CLAIMS_PER_PAGE):  # fmt: skip
                count = min(CLAIMS_PER_PAGE, n_claims - page)
                doc_id = conn.execute(
                    sa.insert(docs_t).returning(docs_t.c.id),
                    {"url": f"https://pharmacy.example/scale/{page // CLAIMS_PER_PAGE}",
                     "title": f"Scale page {page // CLAIMS_PER_PAGE}", "version": 1,
                     "retrieved_at": now, "created_at": now},
                ).scalar_one()  # fmt: skip
                cited = [
                    [rng.randint(first_id, last_id)] + (
                        [rng.randint(first_id, last_id)] if (page + i) % 10 == 9 else [])
                    for i in range(count)
                ]  # fmt: skip
                wanted = {s for ids in cited for s in ids}
                rows = conn.execute(
                    sa.select(studies_t.c.id, studies_t.c.pmid, studies_t.c.title,
                              studies_t.c.abstract).where(studies_t.c.id.in_(wanted))
                ).all()  # fmt: skip
                info = {r.id: r for r in rows}
                pool = list(info)
                claim_rows = []
                for i, ids in enumerate(cited):
                    study = info[ids[0]]
                    other = info[rng.choice(pool)]
                    text, fields = _claim_text((page + i) % 4, (study.title, study.abstract),
                                               (other.title, other.abstract), rng)  # fmt: skip
                    claim_rows.append({
                        "document_id": doc_id, "text": text[:2000], "position": i,
                        "condition": None, "intervention": None, "dose": None,
                        "outcome": None, "population": None, "figure_value": None,
                        "figure_unit": None, "figure_qualifier": None, "figure_text": None,
                        "created_at": now, "updated_at": now, **fields,
                    })  # fmt: skip
                claim_ids = conn.execute(
                    sa.insert(claims_t).returning(claims_t.c.id, sort_by_parameter_order=True),
                    claim_rows,
                ).scalars().all()  # fmt: skip
                page_studies = list(dict.fromkeys(s for ids in cited for s in ids))
                ref_ids = conn.execute(
                    sa.insert(refs_t).returning(refs_t.c.id, sort_by_parameter_order=True),
                    [{"document_id": doc_id, "position": k, "marker": str(k + 1),
                      "raw": f"PMID: {info[s].pmid}", "kind": "pubmed", "pmid": info[s].pmid,
                      "study_id": s, "status": "resolved", "resolved_at": now}
                     for k, s in enumerate(page_studies)],
                ).scalars().all()  # fmt: skip
                ref_of = dict(zip(page_studies, ref_ids, strict=True))
                cite_rows = [
                    {"claim_id": c, "study_id": s, "reference_id": ref_of[s], "origin": "claim",
                     "verdict": "unchecked", "verdict_origin": "automatic", "created_at": now}
                    for c, ids in zip(claim_ids, cited, strict=True) for s in ids
                ]  # fmt: skip
                conn.execute(sa.insert(cites_t), cite_rows)
                # cited now: their export cells stored, as the product's citing commands do
                study_cells.fill(conn, page_studies)
                citations += len(cite_rows)
        print(f"  {min(page_start + CLAIMS_PER_PAGE * 10, n_claims):,} claims", file=sys.stderr)
    return citations


def build(
    url: str,
    studies: int,
    claims: int,
    templates: int | None = None,
    sources: list[Path] | None = None,
) -> None:
    from ldn_evidence.db import ensure_schema, make_engine

    engine = make_engine(url)
    ensure_schema(engine)
    started = time.perf_counter()
    tpl = _templates(templates, sources)
    print(f"{len(tpl):,} templates parsed and graded in {time.perf_counter() - started:.0f} s",
          file=sys.stderr)  # fmt: skip
    store_studies(engine, studies, tpl)
    print(f"{studies:,} studies stored at {time.perf_counter() - started:.0f} s", file=sys.stderr)
    cites = store_claims(engine, claims, studies)
    print(f"{claims:,} claims, {cites:,} citations at {time.perf_counter() - started:.0f} s",
          file=sys.stderr)  # fmt: skip
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
    engine.dispose()


def default_path(studies: int, claims: int) -> Path:
    return SCALE_DIR / f"scale_{studies}_{claims}.db"


def ensure(studies: int = 1_000_000, claims: int = 100_000) -> str:
    """The URL of the default scale database, built first when it is missing."""
    path = default_path(studies, claims)
    if not path.exists():
        SCALE_DIR.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".building")
        tmp.unlink(missing_ok=True)
        build(f"sqlite:///{tmp}", studies, claims)
        tmp.rename(path)
    return f"sqlite:///{path}"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--studies", type=int, default=1_000_000)
    ap.add_argument("--claims", type=int, default=100_000)
    ap.add_argument("--db", help="database URL (default: a SQLite file under $LDN_BENCH_DIR)")
    ap.add_argument("--templates", type=int, help="use only the first N baseline records")
    args = ap.parse_args(argv)
    if args.db:
        build(args.db, args.studies, args.claims, args.templates)
        print(args.db)
    else:
        print(ensure(args.studies, args.claims))


if __name__ == "__main__":
    main()
