"""The JATS parser on real PubMed Central open-access articles (../shared/pmc/, read by
path, never copied here): identity and licence as PROVENANCE.md lists them, every
paragraph and table of the body kept, and at least the text pubmed_parser keeps."""

from __future__ import annotations

import re
import warnings

import pytest
from lxml import etree

from ldn_evidence.pubmed.jats import iter_full_texts
from ldn_evidence.pubmed.jats_records import FullTextRecord
from tests.conftest import shared_path

ARTICLES = {  # file: (PMCID, PMID, licence name), from ../shared/pmc/PROVENANCE.md
    "1471-2180-11-174.nxml": ("PMC3166277", "21810267", "CC BY 2.0"),
    "1472-6831-8-11.nxml": ("PMC2329613", "18405359", "CC BY 2.0"),
    "ehp-116-1694.nxml": ("PMC2599765", "19079722", "public domain mark"),
    "mds526.nxml": ("PMC3574550", "23149571", "CC BY-NC 3.0"),
    "pntd.0002065.nxml": ("PMC3585041", "23469300", "CC BY"),
    "pone.0000217.nxml": ("PMC1790863", "17299597", "CC BY"),
    "pone.0046493.nxml": ("PMC3460867", "23029536", "CC BY"),
}
_SAFE = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def _letters(text: str) -> str:
    return re.sub(r"[\W\d_]+", "", text.lower())


def _own_text(p: etree._Element) -> str:
    """The text of a paragraph, without the tables and figures set inside it."""
    copy = etree.fromstring(etree.tostring(p, with_tail=False))
    for nested in copy.xpath(".//table-wrap | .//fig | .//disp-formula"):
        parent, before, tail = nested.getparent(), nested.getprevious(), nested.tail or ""
        if before is not None:
            before.tail = (before.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
        parent.remove(nested)
    return "".join(copy.itertext())


def parsed(name: str) -> tuple[FullTextRecord, etree._Element]:
    path = shared_path("pmc", name)
    (rec,) = iter_full_texts(path)
    return rec, etree.parse(str(path), _SAFE).getroot()


@pytest.mark.parametrize("name", sorted(ARTICLES))
def test_identity_licence_and_open(name: str) -> None:
    rec, _root = parsed(name)
    assert (rec.pmcid, rec.pmid, rec.license.name if rec.license else None) == ARTICLES[name]
    assert rec.is_open and rec.notice is None and rec.title
    assert rec.article_type == "research-article"


@pytest.mark.parametrize("name", sorted(ARTICLES))
def test_every_table_and_body_paragraph_is_kept(name: str) -> None:
    rec, root = parsed(name)
    tables = root.findall(".//table-wrap")
    assert len([p for p in rec.passages if p.kind == "table"]) == len(tables)
    cells = sum(len(tr.findall("td")) + len(tr.findall("th")) for tr in root.iter("tr"))
    assert sum(p.cells for p in rec.passages) == cells
    kept = _letters("".join(p.text for p in rec.passages))
    # the letters of each paragraph in order (citation numbers aside); not a media file's
    # "Click here for file"
    for p in root.xpath("body//p[not(ancestor::media)]"):
        assert _letters(_own_text(p)) in kept, (name, _own_text(p)[:80])
    kinds = {s.kind for s in rec.sections}
    assert {"results", "discussion"} <= kinds
    results = next(s.title for s in rec.sections if s.kind == "results" and s.depth == 0)
    locations = [rec.location(p) for p in rec.passages]
    assert all(locations)
    assert any(loc.startswith(f"full text, {results}") for loc in locations)


@pytest.mark.slow  # the peer parser reads each file three times
@pytest.mark.parametrize("name", sorted(ARTICLES))
def test_at_least_the_text_pubmed_parser_keeps(name: str) -> None:
    pp = pytest.importorskip("pubmed_parser")
    from unidecode import unidecode  # pubmed_parser's own dependency

    path = str(shared_path("pmc", name))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        paragraphs = pp.parse_pubmed_paragraph(path, all_paragraph=True)
        tables = pp.parse_pubmed_table(path, return_xml=False) or []
    rec, _root = parsed(name)
    their_cells = sum(len(t["table_columns"]) + sum(map(len, t["table_values"])) for t in tables)
    assert sum(p.cells for p in rec.passages) >= their_cells
    # more text than theirs: letters of the body (their tables transliterate: "λ" → "l")
    body = [
        p for p in rec.passages if p.section is None or rec.sections[p.section].kind != "abstract"
    ]
    ours = unidecode(" ".join(p.text for p in body))
    theirs = unidecode(" ".join(p["text"] for p in paragraphs))
    assert len(_letters(ours)) >= len(_letters(theirs))
    # and their words: all but a handful (they glue "p<sub>R</sub> promoter" to "ppromoter")
    kept = set(_words(ours).split())
    words = [w for w in _words(theirs).split() if not w.isdigit()]
    missing = [w for w in words if w not in kept]
    assert len(missing) <= len(words) // 200, (name, missing[:10])
