"""Hypothesis: arbitrary input never crashes the extractors, and offsets stay consistent."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ldn_evidence.errors import InputError
from ldn_evidence.extract import (
    extract_claims,
    extract_references,
    link_claims,
    page_to_text,
)
from ldn_evidence.extract.model import CLAIM_KINDS, PageText
from ldn_evidence.figures import QUALIFIERS, parse_claim_figure
from ldn_evidence.sentences import PAGE, split_sentences

pytestmark = pytest.mark.slow  # property-based, hundreds of examples each

FRAGMENTS = st.sampled_from(
    [
        "60%",
        "nearly 30%",
        " of ",
        "8 of 10 patients",
        "3-fold",
        "p < 0.05",
        "4.5 mg",
        "LDN",
        "low dose naltrexone",
        "fibromyalgia",
        "pain",
        "women",
        "References\n",
        "Resources\n\n",
        "DISCLAIMER\n",
        "Leave a Reply\n",
        "[1]",
        "¹",
        "(2)",
        "1. ",
        "\n",
        "\n\n",
        ". ",
        "? ",
        "e.g. ",
        "Dr. ",
        "et al. ",
        "PMID: 123",
        "PMC123456",
        "doi:10.1000/xyz",
        "https://pubmed.ncbi.nlm.nih.gov/42/",
        "http://x.org/a_b.",
        "Pain Med. 2009;10(4):663-72.",
        "(2013). T. J Pain, 5(2), 1-9.",
        "reduced",
        "improved",
        "side effects",
        "works via",
        "“",
        "”",
        "…",
        "half",
        "over",
        "about",
        "up to",
    ]
)
TEXTS = st.one_of(st.text(max_size=400), st.lists(FRAGMENTS | st.text(max_size=8)).map("".join))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_text_pipeline_never_crashes(text):
    page = PageText(title=None, text=text, links=[])
    claims = extract_claims(page)
    refs = extract_references(page)
    for claim in claims:
        assert 0 <= claim.start <= claim.end <= len(text)
        assert claim.kind in CLAIM_KINDS
    for ref in refs:
        assert 0 <= ref.start <= ref.end <= len(text)
    for claim_position, ref_position, how in link_claims(claims, refs):
        assert how in ("marker", "page")
        assert 0 <= claim_position < len(claims) and 0 <= ref_position < len(refs)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_parse_claim_figure_never_crashes(text):
    figure = parse_claim_figure(text)
    if figure is not None:
        assert figure.qualifier in QUALIFIERS
        assert figure.value >= 0
        assert len(figure.text) <= 100


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_sentences_are_slices(text):
    previous_end = 0
    for sentence in split_sentences(text, PAGE):
        assert previous_end <= sentence.start < sentence.end <= len(text)
        assert " ".join(text[sentence.start : sentence.end].split()) == sentence.text
        previous_end = sentence.end


MARKUP = st.lists(
    st.sampled_from(
        [
            "<p>",
            "</p>",
            "<div>",
            "</div>",
            "<a href='https://pubmed.ncbi.nlm.nih.gov/7/'>",
            "</a>",
            "<sup>",
            "</sup>",
            "<ol>",
            "<li>",
            "</ol>",
            "<br>",
            "<script>",
            "</script>",
            "<h2>References</h2>",
            "<table><td>",
            "<!--",
            "-->",
            "&amp;",
            "&#0;",
            "<nav>",
            "<b",
            ">",
            "LDN reduced pain by 30% [1].",
            "1. PMID: 5",
            "60% of patients",
        ]
    )
    | st.text(max_size=10)
).map("".join)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(MARKUP, st.binary(max_size=300)))
def test_html_and_bytes_never_crash(data):
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    for kind in ("html", "text"):
        try:
            page = page_to_text(raw, kind=kind)
        except InputError:
            continue
        for link in page.links:
            assert 0 <= link.start <= link.end <= len(page.text)
        extract_claims(page)
        extract_references(page)
