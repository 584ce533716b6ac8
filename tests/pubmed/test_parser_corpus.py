"""The parser against real PubMed files, with Biopython's `Bio.Entrez.read` as an
independent oracle: every record's PMID, title, authors, journal, year, DOI and
publication types must agree.

The files live in the shared data folder next to the repository
(`../shared/pubmed`); the tests skip when it is absent. Nothing here uses the network:
Biopython reads its bundled DTDs, and its download function is replaced by one that
fails (a file needing a DTD Biopython lacks is skipped, with the reason).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ldn_evidence.errors import ParseError
from ldn_evidence.pubmed.parser import iter_articles
from ldn_evidence.pubmed.records import ArticleRecord
from tests.helpers.pubmed_oracle import (
    BASELINE,
    CORPUS,
    EFETCH,
    SHARED_PUBMED,
    biopython_read,
    oracle_article,
    oracle_book,
)

pytestmark = pytest.mark.slow  # the shared PubMed corpus

needs_corpus = pytest.mark.skipif(not CORPUS, reason=f"shared PubMed corpus not found at {EFETCH}")


def _ours(rec: ArticleRecord) -> dict:
    return {
        "pmid": rec.pmid,
        "title": rec.title,
        "authors": [a.collective_name or a.last_name or "" for a in rec.authors],
        "journal": rec.journal_title,
        "year": rec.pub_year,
        "doi": rec.doi,
        "types": [t.name for t in rec.publication_types],
    }


# ---------------------------------------------------------------- tests


@needs_corpus
@pytest.mark.parametrize("path", CORPUS, ids=lambda p: str(p.relative_to(EFETCH)))
def test_file_agrees_with_biopython(path: Path, offline_biopython: None) -> None:
    data = path.read_bytes()
    records = list(iter_articles(path))
    assert all(isinstance(r, ArticleRecord) for r in records)
    try:
        oracle = biopython_read(data)
    except RuntimeError as exc:  # a DTD Biopython does not bundle (offline)
        pytest.skip(f"Biopython cannot read {path.name} offline: {exc}")
    if isinstance(oracle, dict):
        items = [*oracle.get("PubmedArticle", []), *oracle.get("PubmedBookArticle", [])]
    else:  # older DTDs: a plain list of articles and books
        items = list(oracle)
    expected = [oracle_book(i) if "BookDocument" in i else oracle_article(i) for i in items]
    # Biopython files articles and books in separate lists: compare by PMID.
    assert sorted(e["pmid"] for e in expected) == sorted(r.pmid for r in records)
    by_pmid = {e["pmid"]: e for e in expected}
    for rec in records:
        assert _ours(rec) == by_pmid[rec.pmid], f"PMID {rec.pmid} in {path.name}"


@needs_corpus
def test_corpus_covers_the_features() -> None:
    """The corpus really exercises what the oracle test claims to check."""
    records = [r for p in CORPUS for r in iter_articles(p)]
    assert len(records) >= 150
    assert any(r.kind == "book" for r in records)
    assert any(a.collective_name for r in records for a in r.authors)
    assert any(len(r.abstract_sections) > 3 and r.abstract_sections[0].category for r in records)
    assert any(r.retracted for r in records)
    assert sum(1 for r in records if r.doi) > 100


@needs_corpus
def test_empty_article_set_file_yields_nothing() -> None:
    empty = EFETCH / "metapub_corpus" / "efetch_pubmed_37909814.xml"
    if not empty.exists():
        pytest.skip("empty-set fixture not in the corpus")
    assert list(iter_articles(empty)) == []


@pytest.mark.skipif(not (SHARED_PUBMED / "eutils").is_dir(), reason="no shared eutils folder")
def test_other_eutils_replies_are_refused() -> None:
    """esearch/esummary/einfo/elink/epost replies, JSON bodies and a truncated file:
    none is PubMed article XML, each raises ParseError naming the file."""
    files = sorted(p for p in (SHARED_PUBMED / "eutils").rglob("*") if p.is_file())
    assert files
    for path in files:
        with pytest.raises(ParseError) as info:
            list(iter_articles(path))
        assert str(path) in str(info.value)


@needs_corpus
def test_mathml_and_markup_files_read_as_text() -> None:
    mathml = EFETCH / "efetch_pubmed_29963580_mathml.xml"
    if not mathml.exists():
        pytest.skip("MathML fixture not in the corpus")
    (rec,) = iter_articles(mathml)
    assert "<" not in rec.abstract and "mml" not in rec.abstract
    assert len(rec.abstract) > 500


needs_baseline = pytest.mark.skipif(not BASELINE.exists(), reason=f"no baseline file at {BASELINE}")


@needs_baseline
def test_baseline_file_start() -> None:
    """The first 1 000 records of a 2020 baseline file (raw UTF-8, indented, MedlineDate)."""
    records = []
    for rec in iter_articles(BASELINE):
        records.append(rec)
        if len(records) == 1000:
            break  # leaving early closes the file
    by_pmid = {r.pmid: r for r in records}
    medline_date = by_pmid["399319"]
    assert (medline_date.pub_date, medline_date.pub_year) == ("1979 Jul-Sep", 1979)
    assert all(r.pub_year and 1900 < r.pub_year < 2030 for r in records)
    assert all(r.title and r.journal_title for r in records)
    assert sum(1 for r in records if r.mesh_terms) > 900


def _rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * 4096 / 2**20


@needs_baseline
def test_baseline_file_streams_in_flat_memory() -> None:
    """All 30 000 records (174 MB of XML); memory must not grow with the file."""
    count = 0
    rss = []
    retractions = []
    for rec in iter_articles(BASELINE):
        count += 1
        if rec.pmid in {"400712", "423962"}:
            retractions.append(rec)
        if count % 5000 == 0 and Path("/proc/self/statm").exists():
            rss.append(_rss_mb())
    assert count == 30000
    assert len(retractions) == 2 and all(r.retracted for r in retractions)
    if rss:
        assert max(rss) - min(rss) < 50, rss
