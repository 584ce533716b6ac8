"""The JATS (PubMed Central full text) parser: what it keeps, where each passage is, the
not-open notice, faults, safety, and fuzzing. Real articles: tests/pubmed/test_jats_corpus.py."""

from __future__ import annotations

import gzip
import io
import socket
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from ldn_evidence.errors import NotFoundError, ParseError
from ldn_evidence.pubmed.jats import iter_full_texts, parse_full_texts
from ldn_evidence.pubmed.jats_records import FullTextRecord, License, location, section_path
from tests.helpers.jats import NOTICE, article_set, make_pmc_article
from tests.helpers.streams import ChunkedStream

FIXTURE = Path(__file__).parent / "fixtures" / "fulltext.nxml"


@pytest.fixture(scope="module")
def rec() -> FullTextRecord:
    (record,) = iter_full_texts(FIXTURE)
    return record


def texts(rec: FullTextRecord, kind: str = "paragraph") -> list[str]:
    return [p.text for p in rec.passages if p.kind == kind]


def where(rec: FullTextRecord, start: str) -> str:
    return next(rec.location(p) for p in rec.passages if p.text.startswith(start))


# ---- what is kept ------------------------------------------------------------------------------


def test_identity_title_and_type(rec: FullTextRecord) -> None:
    assert (rec.pmcid, rec.pmid, rec.doi) == ("PMC7000001", "9000001", "10.5555/test.fulltext.1")
    assert rec.title.startswith("Low-dose naltrexone for chronic widespread pain: a pilot trial")
    assert rec.article_type == "research-article"
    assert rec.is_open and rec.notice is None


def test_licence_from_ali_license_ref(rec: FullTextRecord) -> None:
    assert rec.license is not None
    assert rec.license.url == "https://creativecommons.org/licenses/by/4.0/"
    assert rec.license.type == "open-access"
    assert rec.license.name == "CC BY 4.0"
    assert "Creative Commons Attribution 4.0" in (rec.license.text or "")
    assert rec.copyright == "© 2024 The Authors."


@pytest.mark.parametrize(
    ("lic", "name"),
    [
        (License(url="http://creativecommons.org/licenses/by-nc/3.0"), "CC BY-NC 3.0"),
        (License(url="https://creativecommons.org/publicdomain/zero/1.0/"), "CC0 1.0"),
        (License(url="http://creativecommons.org/publicdomain/mark/1.0/"), "public domain mark"),
        (License(text="distributed under the Creative Commons Attribution License"), "CC BY"),
        (License(text="the Creative Commons Attribution-NonCommercial License"), "CC BY-NC"),
        (License(text="Publication of EHP lies in the public domain"), "public domain"),
        (License(type="open-access", text="Some words."), "open-access"),
        (License(text="x" * 100), "x" * 79 + "…"),
    ],
)
def test_licence_names(lic: License, name: str) -> None:
    assert lic.name == name


def test_sections_with_titles_kinds_and_nesting(rec: FullTextRecord) -> None:
    shown = [(s.title, s.kind, s.depth) for s in rec.sections]
    assert shown == [
        ("Abstract", "abstract", 0),
        ("Background", "abstract", 1),  # the abstract's own parts stay the abstract
        ("Results", "abstract", 1),
        ("Introduction", "introduction", 0),  # sec-type="intro"
        ("Materials and Methods", "methods", 0),  # sec-type="materials|methods"
        ("Participants", "methods", 1),  # untyped: the parent's kind
        ("Results", "results", 0),  # by its title
        ("Pain scores", "results", 1),
        ("Discussion", "discussion", 0),
        ("Competing interests", "declarations", 0),
    ]


def test_paragraphs_without_citation_markers_formulas_or_nested_tables(
    rec: FullTextRecord,
) -> None:
    body = texts(rec)
    assert "Naltrexone at low doses has been proposed for pain." in body
    assert (
        "Six of the ten women (60%) reported a reduction of at least 30% in pain (Table 1)." in body
    )
    assert "Mean pain fell from 62 to 41 mm with p<0.05." in body
    assert "Fatigue did not change." in body  # its nested table is a passage of its own
    assert "Aged 18 to 65. Pain for at least 6 months." in body  # a list is one paragraph
    assert "A boxed remark on dosing." in body
    assert "A paragraph inside an element the parser does not know." in body
    assert "A picture." not in body  # the graphical abstract


def test_citation_numbers_go_author_year_citations_and_exponents_stay() -> None:
    xml = (
        b"<article><body><p>Pain fell<sup><xref ref-type='bibr'>1</xref>,<xref ref-type='bibr'>"
        b"2</xref></sup>. Area 4 m<sup>2</sup> (<xref ref-type='bibr'>Hites 2004</xref>; "
        b"<xref ref-type='bibr'>3</xref>). See <xref ref-type='table'>Table 1</xref> "
        b"[<xref ref-type='bibr'>4</xref>&#x2013;<xref ref-type='bibr'>6</xref>].</p>"
        b"</body></article>"
    )
    (rec,) = parse_full_texts(xml)
    assert texts(rec) == ["Pain fell. Area 4 m2 (Hites 2004). See Table 1."]


def test_back_matter_and_references_are_left_out(rec: FullTextRecord) -> None:
    everything = " ".join(p.text for p in rec.passages)
    assert "We thank the participants" not in everything
    assert "not text of the article" not in everything
    assert texts(rec, "footnote") == ["* Registered as a pilot."]


def test_table_as_text_with_caption_rows_and_notes(rec: FullTextRecord) -> None:
    (table,) = [p for p in rec.passages if p.kind == "table"]
    assert table.text.splitlines() == [
        "Table 1. Response by week Women with a 30% fall in pain.",
        "Week: 4 | Responders: 3 (30%)",  # each cell under its column's heading
        "Week: 8 | Responders: 6 (60%)",
        "Responders: at least 30% less pain.",
    ]
    assert (table.label, table.cells) == ("Table 1", 6)
    assert rec.location(table) == "Table 1"


def test_table_headings_spanning_columns_and_headings_alone() -> None:
    xml = (
        b"<article><body><table-wrap><label>Table 3</label><table><thead>"
        b"<tr><th/><th colspan='2'>Pain (mm)</th></tr><tr><th>Arm</th><th>Week 0</th>"
        b"<th>Week 8</th></tr></thead><tbody><tr><td>LDN</td><td>62</td><td>41</td></tr>"
        b"</tbody></table></table-wrap><table-wrap><table><tr><th>A</th><th>B</th></tr>"
        b"</table></table-wrap></body></article>"
    )
    (rec,) = parse_full_texts(xml)
    first, second = (p for p in rec.passages if p.kind == "table")
    assert first.text.splitlines() == [
        "Table 3",
        "Arm: LDN | Pain (mm) Week 0: 62 | Pain (mm) Week 8: 41",
    ]
    assert (first.cells, second.cells) == (8, 2)
    assert second.text == "A | B" and rec.location(second) == "table 2 of the full text"


def test_figure_caption(rec: FullTextRecord) -> None:
    assert texts(rec, "figure") == ["Figure 1. Pain over time. Weekly means."]
    assert where(rec, "Figure 1") == "Figure 1 legend"


def test_where_each_paragraph_is(rec: FullTextRecord) -> None:
    assert where(rec, "An opening paragraph") == "full text, ¶1"
    assert where(rec, "Six of the ten") == "full text, Results, ¶1"
    assert where(rec, "A boxed remark") == "full text, Results, ¶2"
    assert where(rec, "Mean pain fell") == "full text, Results › Pain scores, ¶1"
    assert where(rec, "Fatigue did not") == "full text, Results › Pain scores, ¶2"
    assert where(rec, "Aged 18") == "full text, Materials and Methods › Participants, ¶2"
    assert where(rec, "* Registered") == "full text, footnote *"


def test_location_shows_the_top_and_the_innermost_section() -> None:
    assert location("paragraph", 3, None, ["Results", "Efficacy", "Pain"]) == (
        "full text, Results › Pain, ¶3"
    )
    assert location("table", 2, None, []) == "table 2 of the full text"
    assert location("figure", 1, None, []) == "figure 1 legend"
    assert section_path([("A", None), ("", 0), ("C", 1)], 2) == ["A", "C"]
    assert section_path([("loop", 0)], 0) == ["loop"]  # a damaged parent chain ends


def test_raw_xml_is_the_article_and_reparses(rec: FullTextRecord) -> None:
    root = etree.fromstring(rec.raw_xml)
    assert root.tag == "article"
    (again,) = parse_full_texts(rec.raw_xml)
    assert again.passages == rec.passages and again.sections == rec.sections
    assert len(rec.sha256) == 64


# ---- efetch replies: sets and the not-open notice ------------------------------------------------


def test_an_efetch_set_with_an_open_and_a_withheld_article() -> None:
    body = article_set(
        make_pmc_article("PMC11", "11", sections={"Results": ["Pain fell by half."]}),
        make_pmc_article("PMC12", "12", open_access=False),
    )
    first, second = parse_full_texts(body)
    assert (first.pmcid, first.is_open, first.notice) == ("PMC11", True, None)
    assert texts(first) == ["Pain fell by half."]
    assert (second.pmcid, second.pmid, second.is_open) == ("PMC12", "12", False)
    assert second.notice == NOTICE
    assert second.passages == [] and second.title == "A trial"


def test_an_article_with_only_an_abstract_is_not_open() -> None:
    xml = (
        b"<article><front><article-meta><article-id pub-id-type='pmcid'>PMC5</article-id>"
        b"<abstract><p>Only this.</p></abstract></article-meta></front></article>"
    )
    (rec,) = parse_full_texts(xml)
    assert rec.pmcid == "PMC5" and not rec.is_open and texts(rec) == ["Only this."]


@pytest.mark.parametrize(
    ("value", "pmcid"),
    [("3166277", "PMC3166277"), ("PMC3166277", "PMC3166277"), ("pmc0012", "PMC12"), ("x1", None)],
)
def test_pmcid_forms(value: str, pmcid: str | None) -> None:
    xml = f"<article><front><article-meta><article-id pub-id-type='pmc'>{value}</article-id>"
    (rec,) = parse_full_texts((xml + "</article-meta></front></article>").encode())
    assert rec.pmcid == pmcid


def test_an_article_nested_in_an_article_is_not_a_record() -> None:
    inner = make_pmc_article("PMC99", "99", sections={"Results": ["Smuggled."]})
    outer = make_pmc_article("PMC1", "1").replace(b"<body>", b"<body>" + inner)
    (rec,) = parse_full_texts(article_set(outer))
    assert rec.pmcid == "PMC1" and "Smuggled." in texts(rec)


def test_sources_gzip_file_objects_and_an_empty_set(tmp_path: Path) -> None:
    data = FIXTURE.read_bytes()
    gz = tmp_path / "a.nxml.gz"
    gz.write_bytes(gzip.compress(data))
    assert [r.pmcid for r in iter_full_texts(gz)] == ["PMC7000001"]
    assert [r.pmcid for r in iter_full_texts(io.BytesIO(data))] == ["PMC7000001"]
    assert parse_full_texts(b"<pmc-articleset></pmc-articleset>") == []
    with pytest.raises(NotFoundError):
        list(iter_full_texts(tmp_path / "missing.nxml"))


# ---- faults ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expect"),
    [
        (
            b"<PubmedArticleSet><PubmedArticle/></PubmedArticleSet>",
            "root element <PubmedArticleSet>",
        ),
        (
            b"<eFetchResult><ERROR>Cannot retrieve</ERROR></eFetchResult>",
            "the reply says: Cannot retrieve",
        ),
        (b"<!DOCTYPE html><html><body>busy</body></html>", "not PMC full-text XML"),
        (b'{"error": "x"}', "malformed XML"),
        (b"", "malformed XML"),
    ],
)
def test_not_pmc_xml_is_a_parse_error(body: bytes, expect: str) -> None:
    with pytest.raises(ParseError, match="^reply") as info:
        list(iter_full_texts(body, name="reply"))
    assert expect in str(info.value)


def test_truncated_reply_yields_earlier_articles_then_fails() -> None:
    body = article_set(make_pmc_article("PMC1", "1"), make_pmc_article("PMC2", "2"))
    cut = body[: body.index(b">2</article-id>") + 10]
    got = []
    with pytest.raises(ParseError, match="malformed XML"):
        for r in iter_full_texts(cut):
            got.append(r.pmcid)
    assert got == ["PMC1"]


def test_deep_nesting_is_refused_not_a_crash() -> None:
    deep = (
        b"<article><body>" + b"<sec>" * 5000 + b"<p>x</p>" + b"</sec>" * 5000 + b"</body></article>"
    )
    with pytest.raises(ParseError):
        list(iter_full_texts(deep))


# ---- safety ------------------------------------------------------------------------------------


def test_external_entity_and_dtd_are_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    dtd = tmp_path / "evil.dtd"
    dtd.write_text('<!ENTITY injected "FROM-THE-DTD">')
    body = (
        f'<!DOCTYPE article SYSTEM "file://{dtd}" [<!ENTITY leak SYSTEM "file://{secret}">]>'
        "<article><body><sec><title>Results</title><p>Pain &leak; &injected; fell.</p></sec>"
        "</body></article>"
    ).encode()
    (rec,) = parse_full_texts(body)
    assert "TOP-SECRET" not in rec.passages[0].text
    assert "FROM-THE-DTD" not in rec.passages[0].text
    assert b"TOP-SECRET" not in rec.raw_xml
    etree.fromstring(rec.raw_xml)  # the unexpanded references stay parseable text


def test_no_network_for_a_dtd() -> None:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.setblocking(False)
    port = server.getsockname()[1]
    try:
        body = (
            f'<!DOCTYPE pmc-articleset PUBLIC "-//NLM//DTD ARTICLE SET 2.0//EN" '
            f'"http://127.0.0.1:{port}/set.dtd">'
        ).encode() + article_set(make_pmc_article("PMC3", "3")).split(b"\n", 2)[2]
        assert [r.pmcid for r in parse_full_texts(body)] == ["PMC3"]
        with pytest.raises(BlockingIOError):
            server.accept()
    finally:
        server.close()


def test_billion_laughs_is_refused_fast() -> None:
    lol = "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "lol" * 10}">' for i in range(1, 11)
    )
    body = f"<!DOCTYPE article [{lol}]><article><body><p>&lol10;</p></body></article>".encode()
    started = time.perf_counter()
    with pytest.raises(ParseError, match="amplification"):
        list(iter_full_texts(body))
    assert time.perf_counter() - started < 2


def test_a_text_node_over_10_mb_is_refused() -> None:
    body = b"<article><body><p>" + b"x" * 10_500_000 + b"</p></body></article>"
    with pytest.raises(ParseError):
        list(iter_full_texts(body))


def test_xinclude_is_not_processed(tmp_path: Path) -> None:
    secret = tmp_path / "inc.txt"
    secret.write_text("INCLUDED-TEXT")
    body = (
        f'<article><body><p xmlns:xi="http://www.w3.org/2001/XInclude">Before '
        f'<xi:include href="{secret}" parse="text"/> after.</p></body></article>'
    ).encode()
    (rec,) = parse_full_texts(body)
    assert "INCLUDED" not in rec.passages[0].text


def test_memory_stays_flat_on_a_long_reply(monkeypatch: pytest.MonkeyPatch) -> None:
    """3 000 articles streamed: when one is read, the articles before it are cleared."""
    from ldn_evidence.pubmed import _jats_fields

    widths = []
    extract = _jats_fields.article

    def watching(elem: etree._Element, raw: bytes) -> FullTextRecord:
        siblings = list(elem.getparent())
        before = siblings[: siblings.index(elem)]
        widths.append(len(before))
        assert all(len(s) == 0 for s in before)
        return extract(elem, raw)

    monkeypatch.setattr(_jats_fields, "article", watching)
    one = make_pmc_article("PMC1", "1", sections={"Results": ["x" * 300]})

    stream = ChunkedStream([b"<pmc-articleset>", *[one] * 3000, b"</pmc-articleset>"])
    assert sum(1 for _ in iter_full_texts(stream)) == 3000 == len(widths)
    assert max(widths) <= 1


# ---- fuzzing -----------------------------------------------------------------------------------


def _records_or_parse_error(data: bytes) -> None:
    try:
        for rec in iter_full_texts(data):
            assert isinstance(rec, FullTextRecord)
            for p in rec.passages:
                assert p.text and rec.location(p)
    except ParseError:
        pass


@pytest.mark.slow  # property-based
@given(st.binary(max_size=400))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_bytes_give_records_or_parse_error(data: bytes) -> None:
    _records_or_parse_error(data)


@pytest.mark.slow  # property-based
@given(st.data())
@settings(max_examples=200, deadline=None)
def test_damaged_articles_give_records_or_parse_error(data: st.DataObject) -> None:
    source = FIXTURE.read_bytes()
    cut = data.draw(st.integers(0, len(source)))
    noise = data.draw(st.binary(max_size=20))
    keep = data.draw(st.integers(0, len(source)))
    damaged = source[:cut] + noise + source[keep:]
    if data.draw(st.booleans()):
        damaged = gzip.compress(damaged)[: data.draw(st.integers(0, len(damaged)))]
    _records_or_parse_error(damaged)


_field = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30
) | st.sampled_from(["PMC", "0", "PMC0", "9" * 5000, " PMC12 ", "²", "[]", "( , )", "Table 1."])


@pytest.mark.slow  # property-based
@given(pmc=_field, pmid=_field, title=_field, label=_field, text=_field, sec_type=_field)
@settings(max_examples=300, deadline=None)
def test_any_field_values_give_a_record(
    pmc: str, pmid: str, title: str, label: str, text: str, sec_type: str
) -> None:
    from xml.sax.saxutils import escape, quoteattr

    e = escape
    body = (
        f"<pmc-articleset><article><front><article-meta><article-id pub-id-type='pmc'>{e(pmc)}"
        f"</article-id><article-id pub-id-type='pmid'>{e(pmid)}</article-id><title-group>"
        f"<article-title>{e(title)}</article-title></title-group><permissions><license>"
        f"<license-p>{e(text)}</license-p></license></permissions></article-meta></front><body>"
        f"<sec sec-type={quoteattr(sec_type)}><title>{e(title)}</title><p>{e(text)}</p>"
        f"<table-wrap><label>{e(label)}</label><table><tr><td>{e(text)}</td></tr></table>"
        f"</table-wrap><fig><label>{e(label)}</label></fig></sec></body></article>"
        f"</pmc-articleset>"
    ).encode("utf-8", "surrogatepass")
    try:
        (rec,) = parse_full_texts(body)
    except ParseError:
        return
    assert rec.license is not None and isinstance(rec.license.name, str)
    for p in rec.passages:
        assert rec.location(p)
