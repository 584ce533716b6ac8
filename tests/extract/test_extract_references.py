"""extract_references: every reference form, sections, inline links and IDs, filtering."""

from __future__ import annotations

import pytest

from ldn_evidence.extract import extract_references, page_to_text
from ldn_evidence.extract.model import JournalCitation


def refs_of(text: str, kind: str = "text", **kwargs):
    return extract_references(page_to_text(text.encode(), kind=kind), **kwargs)


@pytest.mark.parametrize(
    "line",
    [
        "http://www.ncbi.nlm.nih.gov/pubmed/23359310",
        "https://www.ncbi.nlm.nih.gov/pubmed/?term=23359310",
        "www.ncbi.nlm.nih.gov/pubmed/?term=23359310",
        "https://pubmed.ncbi.nlm.nih.gov/23359310/",
        "PMID: 23359310",
        "PMID 23359310.",
        "PubMed PMID: 23359310.",
        "https://www.ncbi.nlm.nih.gov/entrez/query.fcgi?cmd=Retrieve&db=PubMed&list_uids=23359310",
    ],
)
def test_pubmed_forms(line):
    (ref,) = refs_of(f"LDN and pain\n\nReferences\n\n{line}\n")
    assert (ref.kind, ref.pmid) == ("pubmed", "23359310")


@pytest.mark.parametrize(
    "line",
    ["PMC3962576", "PMCID: PMC3962576", "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC3962576/"],
)
def test_pmc_forms(line):
    (ref,) = refs_of(f"Sources\n\n{line}\n")
    assert (ref.kind, ref.pmcid) == ("pmc", "PMC3962576")


@pytest.mark.parametrize(
    "line",
    [
        "doi:10.1002/art.37734",
        "doi: 10.1002/art.37734.",
        "https://doi.org/10.1002/art.37734",
        "http://dx.doi.org/10.1002/art.37734).",
        "https://doi.org/10.1002%2Fart.37734",
        "https://onlinelibrary.wiley.com/doi/full/10.1002/art.37734/abstract",
    ],
)
def test_doi_forms(line):
    (ref,) = refs_of(f"Citations\n\n{line}\n")
    assert (ref.kind, ref.doi) == ("doi", "10.1002/art.37734")


def test_doi_with_parentheses_kept():
    (ref,) = refs_of("References\n\n(doi: 10.1016/S0140-6736(10)60000-1).\n")
    assert ref.doi == "10.1016/S0140-6736(10)60000-1"


def test_journal_citations():
    refs = refs_of(
        "Bibliography\n\n"
        "Arthritis Rheum. 2013;65(2):529-38\n"
        "Younger J, Mackey S. Fibromyalgia symptoms are reduced by low-dose naltrexone: a pilot "
        "study. Pain Med. 2009;10(4):663-72.\n"
        "Younger, J., Noor, N., McCue, R., & Mackey, S. (2013). Low-dose naltrexone for the "
        "treatment of fibromyalgia. Arthritis & Rheumatism, 65(2), 529–538.\n"
    )
    assert [r.kind for r in refs] == ["citation", "citation", "citation"]
    assert refs[0].citation == JournalCitation("Arthritis Rheum", 2013, "65", "2", "529", "538")
    assert refs[1].citation == JournalCitation(
        "Pain Med", 2009, "10", "4", "663", "672", author="Younger J"
    )
    assert (
        refs[1].title == "Fibromyalgia symptoms are reduced by low-dose naltrexone: a pilot study"
    )
    assert refs[2].citation.journal == "Arthritis & Rheumatism"
    assert refs[2].citation.author == "Younger J"
    assert refs[2].title == "Low-dose naltrexone for the treatment of fibromyalgia"


def test_titled_reference_and_web_link():
    refs = refs_of(
        "Resources\n\n"
        "Fibromyalgia Symptoms are reduced by low-dose naltrexone: A pilot study. Abstract "
        "available at : http://med.stanford.edu/snapl/research/ldn.html\n\n"
        "LDN Research Trust home page http://www.ldnresearchtrust.org\n\n"
        "Low-dose naltrexone for chronic pain: a systematic review\n"
    )
    assert [r.kind for r in refs] == ["title", "web", "title"]
    assert (
        refs[0].title == "Fibromyalgia Symptoms are reduced by low-dose naltrexone: A pilot study"
    )
    assert refs[0].url == "http://med.stanford.edu/snapl/research/ldn.html"
    assert refs[1].title == "LDN Research Trust home page"
    assert refs[2].url is None


def test_title_line_followed_by_its_url_line_is_one_reference():
    (ref,) = refs_of(
        "Sources\n\nLow-dose naltrexone in fibromyalgia: a pilot study\n"
        "https://pubmed.ncbi.nlm.nih.gov/19453963/\n"
    )
    assert (ref.kind, ref.pmid) == ("pubmed", "19453963")
    assert ref.title == "Low-dose naltrexone in fibromyalgia: a pilot study"


def test_numbered_list_with_heading(load_page):
    refs = extract_references(load_page("reference_list.txt"))
    assert [(r.marker, r.kind) for r in refs] == [
        ("1", "pubmed"),
        ("2", "pmc"),
        ("3", "pubmed"),
        ("4", "citation"),
        ("5", "doi"),
        ("6", "pubmed"),
        ("7", "web"),
    ]
    assert refs[0].pmid == "23359310" and refs[0].citation.journal == "Arthritis Rheum"
    assert refs[1].pmcid == "PMC5489802" and refs[1].citation.journal == "Biomedicines"
    assert refs[2].pmid == "19453963"
    assert refs[3].citation.journal == "Pain Med"  # wrapped over two lines
    assert refs[3].raw.endswith("Pain Med. 2009;10(4):663-72.")
    assert refs[4].doi == "10.2174/1573397113666170321120329"
    assert refs[5].pmid == "27040429"
    assert [r.position for r in refs] == list(range(7))
    page = load_page("reference_list.txt")
    for ref in refs:
        assert " ".join(page.text[ref.start : ref.end].split()) == ref.raw


def test_trailing_numbered_list_without_heading(load_page):
    refs = extract_references(load_page("trailing_list.txt"))
    assert [(r.marker, r.kind) for r in refs] == [("1", "citation"), ("2", "pubmed")]
    assert refs[0].citation.journal == "Cephalalgia"
    assert refs[1].pmid == "11251702"


def test_html_ordered_list_and_inline_link(load_page):
    refs = extract_references(load_page("footnotes.html"))
    assert [(r.kind, r.origin, r.marker) for r in refs] == [
        ("pmc", "inline", None),
        ("pubmed", "list", "1"),
        ("doi", "list", "2"),
        ("doi", "list", "3"),
    ]
    assert refs[0].title is None  # "Younger et al." is not a title
    assert refs[1].url == "https://pubmed.ncbi.nlm.nih.gov/23359310/"
    assert refs[2].doi == "10.1111/j.1526-4637.2009.00613.x"
    assert refs[3].title == "Low-dose naltrexone for fibromyalgia: a randomised trial"


def test_inline_ids_and_links_in_body(load_page):
    refs = extract_references(load_page("inline_ids.txt"))
    assert [(r.kind, r.raw) for r in refs] == [
        ("pubmed", "PMID: 17222320"),
        ("doi", "doi:10.1002/14651858.CD010410.pub2"),
        ("web", "https://clinicaltrials.gov/study/NCT00663039"),
    ]


def test_navigation_social_mailto_and_own_site_links_are_not_references():
    markup = (
        "<p>LDN helped <a href='/blog/part-1'>part one</a>, <a href='#top'>top</a>, "
        "<a href='mailto:a@b.org'>mail</a>, <a href='tel:5551234'>call</a>, "
        "<a href='javascript:void(0)'>js</a>, <a href='https://twitter.com/x'>tweet</a>, "
        "<a href='https://example.org/other-post'>our other post</a> and "
        "<a href='https://pubmed.ncbi.nlm.nih.gov/1/'>a trial</a>.</p>"
        "<p>Be sure to check out <a href='https://elsewhere.org/part-1'>Part 1</a>!</p>"
    )
    refs = refs_of(markup, kind="html", base_url="https://www.example.org/ldn")
    assert [(r.kind, r.pmid) for r in refs] == [("pubmed", "1")]


def test_inline_duplicate_of_a_list_entry_is_left_out():
    refs = refs_of(
        "LDN reduced pain (https://pubmed.ncbi.nlm.nih.gov/23359310/).\n\n"
        "References\n\n1. https://pubmed.ncbi.nlm.nih.gov/23359310/\n"
    )
    assert [(r.origin, r.marker) for r in refs] == [("list", "1")]


def test_references_section_ends_at_disclaimer_and_comments():
    refs = refs_of(
        "References\n\nhttps://pubmed.ncbi.nlm.nih.gov/1/\n\nDISCLAIMER\n"
        "See https://www.fda.gov/ for rules.\n\nLeave a Reply\n\nhttps://spam.example/x\n"
    )
    assert [r.pmid for r in refs] == ["1"]


def test_page_without_references(load_page):
    assert extract_references(load_page("no_references.html")) == []
    assert refs_of("") == []
