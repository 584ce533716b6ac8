"""link_claims and is_unsourced."""

from __future__ import annotations

from pathlib import Path

from ldn_evidence.extract import (
    extract_claims,
    extract_references,
    is_unsourced,
    link_claims,
    page_to_text,
)
from ldn_evidence.extract.linking import cites_per_claim


def linked(page):
    claims, refs = extract_claims(page), extract_references(page)
    return claims, refs, link_claims(claims, refs)


def test_per_claim_footnotes_superscripts_and_links(load_page):
    claims, refs, links = linked(load_page("footnotes.html"))
    by_claim: dict[int, list[tuple[str | None, str]]] = {}
    for claim, ref, how in links:
        by_claim.setdefault(claim, []).append((refs[ref].marker or refs[ref].pmcid, how))
    assert by_claim[0] == [("1", "marker")]  # <sup><a href="#ref-1">1</a></sup>
    assert by_claim[1] == [("2", "marker")]  # [2]
    assert by_claim[2] == [("PMC3962576", "marker")]  # inline link
    assert by_claim[3] == [("3", "marker")]  # (3)
    assert 4 not in by_claim  # no marker on a page that marks claim by claim: no source
    assert claims[4].figure is None and not any(is_unsourced(c, links) for c in claims)


def test_reference_list_only_links_every_study_but_not_web_pages(load_page):
    claims, refs, links = linked(load_page("reference_list.txt"))
    web = [r.position for r in refs if r.kind == "web"]
    assert web
    assert {how for _, _, how in links} == {"page"}
    for claim in claims:
        mine = [r for c, r, _ in links if c == claim.position]
        assert mine == [r.position for r in refs if r.kind != "web"]


def test_bracketed_markers_to_trailing_list(load_page):
    _, refs, links = linked(load_page("trailing_list.txt"))
    assert links == [(0, refs[0].position, "marker"), (1, refs[1].position, "marker")]


def test_inline_ids_are_markers(load_page):
    _, refs, links = linked(load_page("inline_ids.txt"))
    assert links == [(0, 0, "marker"), (1, 1, "marker")]
    assert refs[0].pmid == "17222320"


def test_anchor_links_resolve_to_numbered_entries():
    page = page_to_text(
        b"<p>LDN reduced pain by 30% in women.<a href='#cite_note-2'>[b]</a></p>"
        b"<h2>References</h2><ol><li>PMID: 1</li><li>PMID: 2</li></ol>",
        kind="html",
    )
    claims, refs, links = linked(page)
    assert links == [(0, 1, "marker")] and refs[1].pmid == "2"


def test_unresolvable_marker_falls_back_to_page():
    page = page_to_text(b"LDN reduced pain by 30% [9].\n\nReferences\n\n1. PMID: 1\n", kind="text")
    _, _, links = linked(page)
    assert links == [(0, 0, "page")]


def test_no_references_means_unsourced_figures(load_page):
    claims, refs, links = linked(load_page("no_references.html"))
    assert refs == [] and links == []
    assert [c.figure.value for c in claims] == [58, 70]
    assert all(is_unsourced(c, links) for c in claims)


def test_claims_without_figure_are_never_unsourced():
    claims, refs, links = linked(page_to_text(b"LDN was well tolerated in the study.", kind="text"))
    assert claims and refs == [] and not is_unsourced(claims[0], links)


OWN_PAGES = Path(__file__).parents[1] / "pages"


def test_a_claim_without_a_marker_on_a_page_that_marks_claims_is_cited_by_nothing():
    page = page_to_text((OWN_PAGES / "magnesium-sleep.html").read_bytes(), kind="html")
    claims, refs, links = linked(page)
    assert cites_per_claim(claims, refs)
    texts = [c.text for c in claims]
    assert texts[2].startswith("Up to 90% of our customers") and texts[3].startswith("1 in 4")
    assert links == [(0, 0, "marker"), (1, 1, "marker")]
    assert [is_unsourced(c, links) for c in claims] == [False, False, True, True]


def test_a_link_to_a_web_page_in_the_text_is_not_a_citation_marker():
    page = page_to_text(
        b"<p>Magnesium cut migraine days by 41% in adults.</p>"
        b"<p>Our <a href='https://shop.example/mg'>magnesium tablets</a> cost 20% less "
        b"this week than last week.</p>"
        b"<h2>References</h2><ol><li>PMID: 1111111</li></ol>",
        kind="html",
    )
    claims, refs, links = linked(page)
    assert not cites_per_claim(claims, refs)
    study = next(r.position for r in refs if r.pmid == "1111111")
    assert (0, study, "page") in links  # the reference list backs the page's claims
