"""Real PubMed files of the shared data folder next to the repository (`../shared/pubmed`;
empty when it is absent) and Biopython's `Bio.Entrez.read` as an independent oracle for
them. Biopython must not use the network: request the `offline_biopython` fixture
(tests/conftest.py) in every test that reads with it."""

from __future__ import annotations

import gzip
import io
import re
from pathlib import Path

SHARED_PUBMED = Path(__file__).resolve().parents[2].parent / "shared" / "pubmed"
EFETCH = SHARED_PUBMED / "efetch"
BASELINE = SHARED_PUBMED / "baseline" / "pubmed20n0014.xml.gz"


def _corpus_files() -> list[Path]:
    if not EFETCH.is_dir():
        return []
    return sorted(p for p in EFETCH.rglob("*") if p.name.endswith((".xml", ".xml.gz")))


CORPUS = _corpus_files()

_MARKUP = re.compile(r"</?(?:i|b|u|sup|sub)>|</?mml:[^>]*>")
_DOCTYPE = re.compile(rb"<!DOCTYPE[^>]*>")


def plain(value: object) -> str:
    """Biopython keeps inline markup as text ("<i>x</i>"): strip it, collapse whitespace."""
    return " ".join(_MARKUP.sub("", str(value)).split())


def first_year(value: object) -> int | None:
    m = re.search(r"\d{4}", str(value or ""))
    return int(m.group()) if m else None


def biopython_read(data: bytes) -> dict:
    from Bio import Entrez

    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    # Biopython only trusts https NCBI addresses for DTDs (it has them bundled).
    data = _DOCTYPE.sub(lambda m: m.group().replace(b"http://", b"https://"), data, count=1)
    return Entrez.read(io.BytesIO(data), validate=False)


def oracle_article(art: dict) -> dict:
    mc = art["MedlineCitation"]
    a = mc["Article"]
    journal = a.get("Journal", {})
    pub_date = journal.get("JournalIssue", {}).get("PubDate", {})
    year = first_year(pub_date.get("MedlineDate") or pub_date.get("Year"))
    if year is None:
        for ad in a.get("ArticleDate", []):
            year = first_year(ad.get("Year"))
            break
    ids = {}
    for aid in art.get("PubmedData", {}).get("ArticleIdList", []):
        ids.setdefault(aid.attributes.get("IdType"), str(aid).strip())
    doi = ids.get("doi")
    if doi is None:
        for loc in a.get("ELocationID", []):
            if loc.attributes.get("EIdType") == "doi" and loc.attributes.get("ValidYN") != "N":
                doi = str(loc).strip()
                break
    title = plain(a.get("ArticleTitle", "")) or plain(a.get("VernacularTitle", ""))
    return {
        "pmid": str(mc["PMID"]),
        "title": title,
        "authors": oracle_authors([a.get("AuthorList", [])]),
        "journal": plain(journal.get("Title", "")) or None,
        "year": year,
        "doi": doi,
        "types": [str(t) for t in a.get("PublicationTypeList", [])],
    }


def oracle_authors(author_lists: list) -> list[str]:
    names = []
    for author_list in author_lists:
        for au in author_list:
            if au.attributes.get("ValidYN") == "N":
                continue
            names.append(plain(au.get("CollectiveName") or au.get("LastName") or ""))
    return names


def oracle_book(art: dict) -> dict:
    bd = art["BookDocument"]
    book = bd.get("Book", {})
    ids = {}
    for aid in art.get("PubmedBookData", {}).get("ArticleIdList", []):
        ids.setdefault(aid.attributes.get("IdType"), str(aid).strip())
    author_lists = [al for al in bd.get("AuthorList", []) if al.attributes.get("Type") != "editors"]
    return {
        "pmid": str(bd["PMID"]),
        "title": plain(bd.get("ArticleTitle", "")) or plain(book.get("BookTitle", "")),
        "authors": oracle_authors(author_lists),
        "journal": plain(book.get("BookTitle", "")) or None,
        "year": first_year(book.get("PubDate", {}).get("Year")),
        "doi": ids.get("doi"),
        "types": [str(t) for t in bd.get("PublicationType", [])],
    }
