"""Issue 3's "done when": real PubMed records served by a local E-utilities server,
fetched and stored, match Biopython's reading of the same XML field for field.

The records come from ../shared/pubmed at test time (skipped when absent).
"""

from __future__ import annotations

import re
from dataclasses import asdict

import pytest
from sqlalchemy import Engine

from ldn_evidence.db import session_scope
from ldn_evidence.pubmed.client import PubMedClient
from ldn_evidence.pubmed.ratelimit import RateLimiter
from ldn_evidence.services.fetching import fetch
from ldn_evidence.services.studies import get_study
from ldn_evidence.services.views import study_detail
from tests.eutils_server import FakeEutils
from tests.helpers.pubmed_oracle import CORPUS, biopython_read, oracle_article, plain

pytestmark = pytest.mark.skipif(not CORPUS, reason="shared PubMed corpus not available")


def _oracle_items() -> list[dict]:
    items: dict[str, dict] = {}
    for path in CORPUS:
        try:
            oracle = biopython_read(path.read_bytes())
        except Exception:  # noqa: BLE001 - a file Biopython cannot read offline, or not a set
            continue
        arts = oracle.get("PubmedArticle", []) if isinstance(oracle, dict) else list(oracle)
        for art in arts:
            if "MedlineCitation" in art:
                items[str(art["MedlineCitation"]["PMID"])] = art  # last wins, as on the server
    return list(items.values())


_TAG = re.compile(r"</?[A-Za-z][\w:.-]*(?:\s[^<>]*)?/?>")


def _squash(text: object) -> str:
    """Abstract text without any markup (Biopython keeps MathML as tags) or whitespace."""
    return re.sub(r"\s+", "", _TAG.sub("", str(text)))


def _extra(art: dict) -> dict:
    a = art["MedlineCitation"]["Article"]
    issue = a.get("Journal", {}).get("JournalIssue", {})
    abstract = a.get("Abstract", {}).get("AbstractText", [])
    pages = a.get("Pagination", {}).get("MedlinePgn")
    mesh = [plain(h["DescriptorName"]) for h in art["MedlineCitation"].get("MeshHeadingList", [])]
    links = sorted(
        (c.attributes.get("RefType"), str(c.get("PMID", "")) or None)
        for c in art["MedlineCitation"].get("CommentsCorrectionsList", [])
    )
    return {
        "volume": str(issue["Volume"]) if "Volume" in issue else None,
        "issue": str(issue["Issue"]) if "Issue" in issue else None,
        "pages": str(pages) if pages else None,
        "abstract": [_squash(t) for t in abstract],
        "mesh": mesh,
        "links": links,
    }


@pytest.mark.slow  # the whole shared corpus
@pytest.mark.usefixtures("offline_biopython")
def test_fetched_records_match_biopython(engine: Engine, httpserver) -> None:  # type: ignore[no-untyped-def]
    fake = FakeEutils(httpserver)
    arts = _oracle_items()
    assert len(arts) >= 100
    for path in CORPUS:
        try:
            fake.add_article_set(path.read_bytes())
        except Exception:  # noqa: BLE001 - gz, empty or error files
            import gzip

            try:
                fake.add_article_set(gzip.decompress(path.read_bytes()))
            except Exception:  # noqa: BLE001
                continue
    pmids = sorted({str(a["MedlineCitation"]["PMID"]) for a in arts}, key=int)
    client = PubMedClient(base_url=fake.base_url, rate_limiter=RateLimiter(1000), backoff=0.01)
    summary = fetch(units=lambda: session_scope(engine), client=client, pmids=pmids)
    assert summary.not_found == [] and summary.failed == []
    assert summary.requests == -(-len(pmids) // 200)
    mismatches = []
    with session_scope(engine) as s:
        for art in arts:
            want = {**oracle_article(art), **_extra(art)}
            d = asdict(study_detail(get_study(session=s, pmid=want["pmid"])))
            got = {
                "pmid": d["pmid"],
                "title": d["title"],
                "authors": [a["collective_name"] or a["last_name"] or "" for a in d["authors"]],
                "journal": d["journal"],
                "year": d["year"],
                "doi": d["doi"],
                "types": d["publication_types"],
                "volume": d["volume"],
                "issue": d["issue"],
                "pages": d["pages"],
                "abstract": [_squash(x["text"]) for x in d["abstract_sections"]],
                "mesh": [m["name"] for m in d["mesh_terms"]],
                "links": sorted((x["ref_type"], x["pmid"]) for x in d["links"]),
            }
            # stored publication types are a set (shared vocabulary): compare as sets
            want["types"], got["types"] = sorted(set(want["types"])), sorted(got["types"])
            for key in want:
                if want[key] != got[key]:
                    mismatches.append((want["pmid"], key, want[key], got[key]))
    assert mismatches == [], "\n".join(
        f"{p} {k}: {str(w)[:150]!r} != {str(g)[:150]!r}" for p, k, w, g in mismatches[:8]
    )


def test_pages_from_start_and_end_page_when_no_medline_pgn() -> None:
    from ldn_evidence.pubmed.parser import parse_articles

    xml = (
        b"<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>5</PMID><Article>"
        b"<Journal><Title>J</Title></Journal><ArticleTitle>T</ArticleTitle><Pagination>"
        b"<StartPage>100</StartPage><EndPage>109</EndPage></Pagination></Article>"
        b"</MedlineCitation></PubmedArticle></PubmedArticleSet>"
    )
    (rec,) = parse_articles(xml)
    assert re.fullmatch(r"100-10?9", rec.pages or "")
