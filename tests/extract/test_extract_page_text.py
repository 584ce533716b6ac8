"""page_to_text(kind="text"): decoding, newline normalisation, URLs as links, title."""

from __future__ import annotations

import pytest

from ldn_evidence.errors import InputError
from ldn_evidence.extract import page_to_text


def text(data: bytes):
    return page_to_text(data, kind="text")


def test_urls_become_links_without_trailing_punctuation():
    page = text(b"See http://www.ncbi.nlm.nih.gov/pubmed/23359310. And (https://x.org/a_(b)).")
    assert [link.href for link in page.links] == [
        "http://www.ncbi.nlm.nih.gov/pubmed/23359310",
        "https://x.org/a_(b)",
    ]
    for link in page.links:
        assert page.text[link.start : link.end] == link.href


def test_fragment_with_underscore_is_kept():
    page = text(b"http://www.lowdosenaltrexone.org/index.htm#How_does_LDN_work_\n")
    assert page.links[0].href == "http://www.lowdosenaltrexone.org/index.htm#How_does_LDN_work_"


def test_bare_hosts_and_www_are_links():
    page = text(b"Read pubmed.ncbi.nlm.nih.gov/23359310/ or www.example.org/x, please.")
    assert [link.href for link in page.links] == [
        "pubmed.ncbi.nlm.nih.gov/23359310/",
        "www.example.org/x",
    ]


def test_newlines_normalised_and_blank_runs_collapsed():
    page = text(b"Title\r\n\r\n\r\n\r\nBody line.   \r\nNext.\r\n\r\n")
    assert page.text == "Title\n\nBody line.\nNext."


def test_title_is_first_line_when_it_reads_as_one():
    assert text(b"Turmeric for joint pain\n\nBody.").title == "Turmeric for joint pain"
    assert text(b"Skip to main content\n\nLDN for pain\n\nBody.").title == "LDN for pain"
    assert text(b"This is a sentence.\n\nBody.").title is None
    assert text(b"").title is None


def test_bom_and_utf16_and_replacement():
    assert text(b"\xef\xbb\xbfcaf\xc3\xa9").text == "café"
    assert text("naïve".encode("utf-16")).text == "naïve"
    assert text("x".encode("utf-32")).text == "x"
    assert text(b"bad \xff\xfe byte").text == "bad \ufffd\ufffd byte"


def test_str_input_is_accepted():
    assert text("already decoded — 60%").text == "already decoded — 60%"
    assert text("lone \ud800 surrogate").text == "lone \ufffd surrogate"


def test_nul_bytes_are_binary():
    with pytest.raises(InputError, match="binary"):
        text(b"hello\x00world")


def test_mostly_undecodable_bytes_are_binary():
    with pytest.raises(InputError):
        text(bytes(range(128, 256)) * 10 + bytes(range(1, 9)) * 40)
