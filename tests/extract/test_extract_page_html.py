"""page_to_text(kind="html"): furniture dropped, blocks, links with spans, title, safety."""

from __future__ import annotations

import time

import pytest

from ldn_evidence.errors import InputError
from ldn_evidence.extract import page_to_text


def html(markup: str):
    return page_to_text(markup.encode("utf-8"), kind="html")


def test_title_prefers_h1_over_site_suffix(load_page):
    assert load_page("footnotes.html").title == "LDN and fibromyalgia"


def test_title_from_title_element_or_first_h1():
    assert html("<title> My  page </title><p>x</p>").title == "My page"
    assert html("<h1>First</h1><h1>Second</h1>").title == "First"
    assert html("<p>no title</p>").title is None


def test_furniture_is_dropped(load_page):
    text = load_page("footnotes.html").text
    for gone in (
        "Skip to main content",
        "Home",
        "cookies",
        "Share on Facebook",
        "Recent posts",
        "Example Pharmacy",
        "75% of readers",
        "99%",
        "hacked",
    ):
        assert gone not in text, gone
    assert "In a crossover trial" in text


def test_article_header_kept_page_header_dropped():
    page = html(
        "<header><p>Site banner</p></header><article><header><h1>Post title</h1></header>"
        "<p>Body.</p></article>"
    )
    assert "Site banner" not in page.text
    assert page.text.startswith("Post title")


def test_wrapper_with_furniture_class_holding_the_article_is_kept():
    page = html(
        '<div class="sidebar-layout"><article><h1>T</h1><p>Kept text.</p></article>'
        '</div><div class="sidebar"><p>Widget</p></div>'
    )
    assert "Kept text." in page.text and "Widget" not in page.text


def test_blocks_separated_by_blank_lines_and_br_by_newline():
    page = html("<h2>Head</h2><p>One\n  two</p><ul><li>A</li><li>B</li></ul><p>x<br>y</p>")
    assert page.text == "Head\n\nOne two\n\nA\n\nB\n\nx\ny"


def test_ordered_list_items_are_numbered():
    page = html('<ol start="3"><li>c</li><li>d</li></ol><ol><li value="7">g</li><li>h</li></ol>')
    assert page.text == "3. c\n\n4. d\n\n7. g\n\n8. h"


def test_links_keep_text_inline_with_spans():
    page = html('<p>See <a href="https://x.org/a">the  study</a> and <a href="/b">B</a>.</p>')
    assert page.text == "See the study and B."
    first, second = page.links
    assert (first.text, first.href) == ("the study", "https://x.org/a")
    assert page.text[first.start : first.end] == "the study"
    assert page.text[second.start : second.end] == "B"


def test_bare_urls_in_html_text_become_links():
    page = html("<p>Abstract available at : http://www.ncbi.nlm.nih.gov/pubmed/23359310.</p>")
    (link,) = page.links
    assert link.href == "http://www.ncbi.nlm.nih.gov/pubmed/23359310"
    assert page.text[link.start : link.end] == link.href


def test_footnote_superscripts_become_superscript_digits():
    page = html("<p>Pain fell 30%<sup>1,2</sup>; area 4 m<sup>2</sup>.</p>")
    assert page.text == "Pain fell 30%¹,²; area 4 m²."


def test_hostile_markup_never_leaks_hidden_content(load_page):
    page = load_page("hostile.html")
    for gone in (
        "80% of visitors",
        "99%",
        "70% of sites",
        "90%",
        "iframe",
        "svg",
        "33%",
        "22%",
        "11%",
        "12%",
        "15%",
        "16%",
        "document.write",
    ):
        assert gone not in page.text, gone
    assert "Low dose naltrexone reduced pain by 25% in one trial." in page.text
    assert "LDN improved sleep in 40% of participants." in page.text
    assert [link.href for link in page.links] == ["https://pubmed.ncbi.nlm.nih.gov/23359310/"]


@pytest.mark.parametrize(
    "markup",
    [
        "<p>unclosed <b>bold <i>italic",
        "</div></div></p>stray closers",
        "<<<>>><p <p>>",
        "<a href=>empty href</a>",
        "<?xml version='1.0' encoding='utf-8'?><html><body><p>xhtml</p></body></html>",
        "<table><td>cell<tr><td>row",
        "<p>" + "&#0;&#xD800;&bogus; &amp;" + "</p>",
        "",
        "   ",
        "<!-- only a comment -->",
    ],
)
def test_broken_markup_does_not_crash(markup):
    page = html(markup)
    assert isinstance(page.text, str)


@pytest.mark.slow  # over 1 s
def test_five_megabytes_of_nested_divs_is_fast_and_keeps_text():
    depth = 400_000
    markup = "<p>Start here.</p>" + "<div>x " * depth + "</div>" * depth + "<p>After.</p>"
    assert len(markup) > 5_000_000
    began = time.perf_counter()
    page = html(markup)
    assert time.perf_counter() - began < 30
    assert page.text.startswith("Start here.")
    assert page.text.endswith("After.")


def test_unclosed_nesting_deeper_than_libxml2_limit_uses_fallback():
    markup = "<title>Deep</title><p>Top.</p>" + "<div><script>bad()</script>y " * 5000
    page = html(markup)
    assert page.title == "Deep"
    assert page.text.startswith("Top.") and "bad()" not in page.text


def test_meta_charset_is_honoured():
    data = '<meta charset="windows-1252"><p>caf\u00e9 \u201cquoted\u201d</p>'.encode("cp1252")
    assert page_to_text(data, kind="html").text == "caf\u00e9 \u201cquoted\u201d"
    data = (
        '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"><p>\u00e9</p>'
    ).encode("latin-1")
    assert page_to_text(data, kind="html").text == "\u00e9"


def test_bom_is_honoured():
    data = "\ufeff<p>\u00fcber</p>".encode("utf-16")
    assert page_to_text(data, kind="html").text == "\u00fcber"
    assert page_to_text(b"\xef\xbb\xbf<p>ok</p>", kind="html").text == "ok"


def test_invalid_utf8_is_replaced_not_fatal():
    assert page_to_text(b"<p>bad \xff byte</p>", kind="html").text == "bad \ufffd byte"


@pytest.mark.parametrize(
    "data",
    [
        b"\x00\x01\x02\x03binary\x00",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"\x1f\x8b\x08\x00\x00\x00\x00\x00",
        bytes(range(1, 32)) * 20,
    ],
)
def test_binary_data_raises_input_error(data):
    with pytest.raises(InputError):
        page_to_text(data, kind="html")
    with pytest.raises(InputError):
        page_to_text(data, kind="text")


def test_unknown_kind_is_an_input_error():
    with pytest.raises(InputError):
        page_to_text(b"x", kind="pdf")


def test_fixture_pages_parse(load_page, pages_dir):
    for path in pages_dir.glob("*.html"):
        assert load_page(path.name).text
