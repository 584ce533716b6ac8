"""The bulk write path (services/bulk.py) writes exactly what `store_article` writes."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
import sqlalchemy as sa

from ldn_evidence.db import session_scope
from ldn_evidence.models import Citation, Claim, Study
from ldn_evidence.pubmed.parser import iter_articles, parse_articles
from ldn_evidence.pubmed.records import ArticleRecord
from ldn_evidence.services import bulk
from ldn_evidence.services.studies import delete_studies, store_article
from tests.conftest import shared_path
from tests.helpers.studies import dump, wipe


def efetch_records() -> list[ArticleRecord]:
    folder = shared_path("pubmed", "efetch")
    out: list[ArticleRecord] = []
    for path in sorted(folder.glob("*.xml*")):
        out += [r for r in iter_articles(path) if isinstance(r, ArticleRecord)]
    return out


@pytest.fixture(scope="module")
def records() -> list[ArticleRecord]:
    """Real records: every efetch sample (books, MathML, retractions, collective authors)
    and the first 150 of a baseline file."""
    baseline = shared_path("pubmed", "baseline", "pubmed20n0014.xml.gz")
    head = itertools.islice(iter_articles(baseline), 150)
    return efetch_records() + [r for r in head if isinstance(r, ArticleRecord)]


def changed(record: ArticleRecord) -> ArticleRecord:
    """The same PMID, revised: a new title, one author and one MeSH heading fewer."""
    raw = record.raw_xml.replace(b"<ArticleTitle>", b"<ArticleTitle>Revised: ", 1)
    for tag in (b"Author", b"MeshHeading"):
        start = raw.find(b"<" + tag + b" ")
        if start < 0:
            start = raw.find(b"<" + tag + b">")
        end = raw.find(b"</" + tag + b">", start)
        if start >= 0 and end > start:
            raw = raw[:start] + raw[end + len(tag) + 3 :]
    (rec,) = parse_articles(raw)
    return rec


def orm_store(engine: sa.Engine, batches: list[list[ArticleRecord]]) -> list[tuple]:
    """The ORM path: `store_article`, one record at a time, a transaction per batch."""
    outcomes = []
    for batch in batches:
        with session_scope(engine) as s:
            outcomes += [(r.pmid, store_article(session=s, record=r, origin="file")) for r in batch]
    return outcomes


def bulk_store(engine: sa.Engine, batches: list[list[ArticleRecord]]) -> list[tuple]:
    vocab = bulk.Vocabulary()
    outcomes = []
    for batch in batches:
        with session_scope(engine) as s:
            res = bulk.store_articles(session=s, records=batch, vocab=vocab)
        vocab.commit()
        by = {"new": res.new, "updated": res.updated, "unchanged": res.unchanged}
        outcomes += [(p, k) for k, pmids in by.items() for p in pmids]
    return sorted(outcomes)


@pytest.mark.slow  # over 1 s
def test_bulk_writes_what_the_orm_path_writes(engine, records) -> None:  # type: ignore[no-untyped-def]
    revised = [changed(r) for r in records[::3]]
    batches = [records[:40], records[40:], revised, records[:5] + revised[:5]]
    orm_outcomes = sorted(orm_store(engine, batches))
    expected = dump(engine)
    wipe(engine)
    assert bulk_store(engine, batches) == orm_outcomes
    assert dump(engine) == expected
    kinds = {k for _p, k in orm_outcomes}
    assert kinds == {"new", "updated", "unchanged"}


def test_outcomes_within_one_chunk_count_like_one_record_at_a_time(engine, records) -> None:  # type: ignore[no-untyped-def]
    a, b = records[0], records[1]
    a2 = changed(a)
    batch = [a, a, a2, b, a, b]  # new, unchanged, updated, new, updated, unchanged
    orm = sorted(orm_store(engine, [batch]))
    expected = dump(engine)
    wipe(engine)
    assert bulk_store(engine, [batch]) == orm
    assert dump(engine) == expected


def test_orm_path_updates_a_study_in_place(engine, records) -> None:  # type: ignore[no-untyped-def]
    rec = next(r for r in records if r.mesh_terms)
    with session_scope(engine) as s:
        store_article(session=s, record=rec, origin="file")
    with session_scope(engine) as s:
        assert store_article(session=s, record=changed(rec), origin="file") == "updated"


def test_update_keeps_the_row_and_its_citations(engine, records) -> None:  # type: ignore[no-untyped-def]
    rec = next(r for r in records if len(r.authors) > 1 and r.mesh_terms)
    vocab = bulk.Vocabulary()
    with session_scope(engine) as s:
        bulk.store_articles(session=s, records=[rec], vocab=vocab)
        study = s.scalars(sa.select(Study).where(Study.pmid == rec.pmid)).one()
        claim = Claim(text="cites it")
        s.add_all([claim, Citation(claim=claim, study=study, verdict="supported")])
        s.flush()
        study_id, authors = study.id, len(study.authors)
    vocab.commit()
    with session_scope(engine) as s:
        res = bulk.store_articles(session=s, records=[changed(rec)], vocab=vocab)
    assert res.updated == [rec.pmid]
    with session_scope(engine) as s:
        study = s.scalars(sa.select(Study).where(Study.pmid == rec.pmid)).one()
        assert study.id == study_id
        assert study.title.startswith("Revised: ")
        assert len(study.authors) == authors - 1
        assert [c.verdict for c in study.citations] == ["supported"]


def test_delete_pmids_does_what_delete_studies_does(engine, records) -> None:  # type: ignore[no-untyped-def]
    some = records[:6]
    pmids = [r.pmid for r in some] + ["99999999"]

    def run(delete) -> tuple:  # type: ignore[no-untyped-def]
        with session_scope(engine) as s:
            bulk.store_articles(session=s, records=some)
            cited = s.scalars(sa.select(Study).where(Study.pmid == some[2].pmid)).one()
            s.add(Citation(claim=Claim(text="keep me"), study=cited))
        with session_scope(engine) as s:
            result = delete(s)
        return sorted(result[0]), result[1], dump(engine)

    by_orm = run(lambda s: delete_studies(session=s, pmids=pmids))
    wipe(engine)
    by_bulk = run(lambda s: bulk.delete_pmids(conn=s.connection(), pmids=pmids))
    assert by_bulk == by_orm
    assert by_bulk[1] == [some[2].pmid]
    assert [row[0] for row in by_bulk[2]["studies"]] == [some[2].pmid]


def test_a_known_record_is_written_when_the_study_changed_meanwhile(engine, records) -> None:  # type: ignore[no-untyped-def]
    rec = records[3]
    new = changed(rec)
    with session_scope(engine) as s:
        bulk.store_articles(session=s, records=[rec])
    item = bulk.Known(new.pmid, new.sha256, new.raw_xml)  # the producer saw `new` stored
    with session_scope(engine) as s:
        res = bulk.store_prepared(conn=s.connection(), items=[item], vocab=bulk.Vocabulary())
    assert res.updated == [rec.pmid]
    with session_scope(engine) as s:
        assert s.scalars(sa.select(Study.raw_sha256).where(Study.pmid == rec.pmid)).one() == (
            new.sha256
        )


def test_vocabulary_forgets_ids_of_a_rolled_back_chunk(engine, records) -> None:  # type: ignore[no-untyped-def]
    vocab = bulk.Vocabulary()
    with pytest.raises(RuntimeError), session_scope(engine) as s:
        bulk.store_articles(session=s, records=records[:3], vocab=vocab)
        raise RuntimeError("chunk fails after the vocabulary was written")
    vocab.rollback()
    with session_scope(engine) as s:  # would violate a foreign key with stale ids
        bulk.store_articles(session=s, records=records[:3], vocab=vocab)
    vocab.commit()
    assert vocab.mesh and vocab.types
    assert len(dump(engine)["studies"]) == 3


def test_postgresql_copy_and_executemany_write_the_same(engine, records, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    if engine.dialect.name != "postgresql":
        pytest.skip("COPY is PostgreSQL's")
    bulk_store(engine, [records])
    by_copy = dump(engine)
    wipe(engine)
    monkeypatch.setattr(bulk, "COPY_CHILDREN", False)
    monkeypatch.setattr(bulk, "COPY_STUDIES", False)
    bulk_store(engine, [records])
    assert dump(engine) == by_copy


def test_generated_records_are_distinct_studies(tmp_path: Path) -> None:
    from benchmarks.generate import generate

    sources = sorted(shared_path("pubmed", "efetch").glob("*.xml"))
    path = generate(tmp_path / "g.xml.gz", 75, sources, start=50_000_000)
    got = [r for r in iter_articles(path) if isinstance(r, ArticleRecord)]
    assert [r.pmid for r in got] == [str(50_000_000 + i) for i in range(75)]
    assert all(r.article_ids.get("pubmed") in (None, r.pmid) for r in got)


def test_sqlite_studies_columns_bind_unchanged_but_fetched_at() -> None:
    """The SQLite upsert binds the rows' values as they are (`_upsert_sqlite`)."""
    from sqlalchemy.dialects import sqlite

    assert bulk.plain_columns(sqlite.dialect())


def test_raw_xml_is_stored_as_the_orm_path_stores_it(engine, records) -> None:  # type: ignore[no-untyped-def]
    """The bulk path keeps the raw XML as UTF-8 bytes stored as text: the same text the
    ORM path stores (`decode("utf-8", "replace")`) for ASCII, other UTF-8 and bytes that
    are not UTF-8, on both engines."""
    from dataclasses import replace

    base = records[0]
    raws = [b"<A>ascii</A>", "<A>naïve – ΔT 𝛼</A>".encode(), b"<A>bad \xff\xfe end \xe2\x82</A>"]
    batch = [replace(base, pmid=str(900_000 + i), raw_xml=raw) for i, raw in enumerate(raws)]
    orm_store(engine, [batch])
    expected = dump(engine)
    wipe(engine)
    bulk_store(engine, [batch])
    assert dump(engine) == expected
    with engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT raw_xml FROM studies ORDER BY pmid")).scalars()
        assert list(stored) == [raw.decode("utf-8", errors="replace") for raw in raws]


def reference_too_long(p: bulk.Prepared) -> str | None:
    """`too_long` as first written: every limited value in turn, the row's columns first,
    then each part's rows (sections, authors, keywords, links, types, MeSH terms)."""
    from ldn_evidence.models.tables import too_long

    for name, limit in bulk._ROW_CHECKS:
        value = p.row.get(name)
        if isinstance(value, str) and len(value) > limit:
            return too_long("studies", name, value, limit)
    for attr, table, limits in bulk._PARTS:
        for r in getattr(p, attr):
            for i, name, limit in limits:
                if isinstance(r[i], str) and len(r[i]) > limit:
                    return too_long(table, name, r[i], limit)
    return None


def test_too_long_names_the_first_over_long_value(records) -> None:  # type: ignore[no-untyped-def]
    """Every limited value of real records made one character too long (and as long as
    its limit), alone and two at a time, a non-str value among them: `too_long` (with
    its one-expression check first) says what the straightforward rule says."""
    import dataclasses
    import random

    rng = random.Random(15)
    prepared = [bulk.prepare(r) for r in records]
    assert all(bulk.too_long(p) is None for p in prepared)
    places: list[tuple[str, int | None, int | str, int]] = [  # (part, row, index, limit)
        ("row", None, name, limit) for name, limit in bulk._ROW_CHECKS
    ]
    for p in prepared:
        for attr, _table, limits in bulk._PARTS:
            rows = getattr(p, attr)
            for j in {0, len(rows) - 1} if rows else ():
                places += [(attr, j, i, limit) for i, _name, limit in limits]
    tried = set()

    def with_value(p: bulk.Prepared, place: tuple, value: object) -> bulk.Prepared:
        attr, j, i, _limit = place
        if attr == "row":
            return dataclasses.replace(p, row={**p.row, i: value})
        rows = list(getattr(p, attr))
        rows[j] = (*rows[j][:i], value, *rows[j][i + 1 :])
        return dataclasses.replace(p, **{attr: rows})

    for place in places:
        p = rng.choice(prepared)
        if place[0] != "row" and len(getattr(p, place[0])) <= place[1]:
            continue
        limit = place[3]
        fits, over = with_value(p, place, "x" * limit), with_value(p, place, "é" * (limit + 1))
        assert bulk.too_long(fits) is None
        assert bulk.too_long(over) == reference_too_long(over) is not None
        other = rng.choice(places)
        if other[0] == "row" or len(getattr(over, other[0])) > other[1]:
            for value in ("y" * (other[3] + 5), 12345, None):
                both = with_value(over, other, value)
                assert bulk.too_long(both) == reference_too_long(both)
        tried.add((place[0], place[2]))
    limited = {("row", name) for name, _ in bulk._ROW_CHECKS} | {
        (attr, i) for attr, _t, limits in bulk._PARTS for i, _n, _l in limits
    }
    assert tried == limited
