"""Property tests: the parser gives records or `ParseError` and nothing else, on any
bytes and on damaged real PubMed XML; figure parsing and figure intervals never fail and
stay sane on any text."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ldn_evidence.errors import ParseError
from ldn_evidence.figures import QUALIFIERS, Figure, parse_claim_figure
from ldn_evidence.pubmed.parser import iter_articles
from ldn_evidence.pubmed.records import ArticleRecord, DeletedCitation
from ldn_evidence.verification import figure_interval

pytestmark = pytest.mark.slow  # fuzzing

FIXTURES = sorted((Path(__file__).parents[1] / "pubmed" / "fixtures").glob("*.xml"))
REAL = [p.read_bytes() for p in FIXTURES]
FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _parse(data: bytes) -> list[object]:
    try:
        records = list(iter_articles(data, name="fuzz.xml"))
    except ParseError as exc:
        assert str(exc).startswith("fuzz.xml"), str(exc)
        assert "\n" not in str(exc).strip()
        return []
    for rec in records:
        assert isinstance(rec, ArticleRecord | DeletedCitation)
        if isinstance(rec, ArticleRecord):
            assert rec.pmid and rec.pmid.isdigit(), rec.pmid
            # the stored raw XML re-parses on its own to the same record
            (again,) = list(iter_articles(rec.raw_xml, name="raw"))
            assert (again.pmid, again.title) == (rec.pmid, rec.title)  # type: ignore[union-attr]
    return records


@FUZZ
@given(st.binary(max_size=4096))
def test_parser_any_bytes(data: bytes) -> None:
    _parse(data)


@FUZZ
@given(st.binary(max_size=512))
def test_parser_any_bytes_behind_an_xml_prolog(data: bytes) -> None:
    _parse(b'<?xml version="1.0"?>\n<PubmedArticleSet>' + data + b"</PubmedArticleSet>")


_TOKENS = [
    b"<",
    b">",
    b"</",
    b"/>",
    b"&",
    b"&amp;",
    b"&#0;",
    b"&#x110000;",
    b"&bogus;",
    b"<![CDATA[",
    b"]]>",
    b"<!--",
    b"-->",
    b"<?pi x?>",
    b'"',
    b"'",
    b"=",
    b"\x00",
    b"\xff\xfe",
    b"\xc3",
    b"<PMID>",
    b"</PMID>",
    b"<PubmedArticle>",
    b"</PubmedArticle>",
    b"<DeleteCitation><PMID>1</PMID></DeleteCitation>",
    b'<!DOCTYPE x [<!ENTITY e "e">]>',
    b"<MedlineCitation>",
    b"</MedlineCitation>",
    b"<Year>",
    b"</Year>",
    b"99999999999999999999",
    b"-1",
    b"\n",
    b" xmlns:a='b'",
]


@st.composite
def damaged(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(REAL)))
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["flip", "insert", "delete", "truncate", "duplicate"]))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if op == "flip" and data:
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif op == "insert":
            data[at:at] = draw(st.sampled_from(_TOKENS) | st.binary(min_size=1, max_size=8))
        elif op == "delete":
            del data[at : at + draw(st.integers(1, 64))]
        elif op == "truncate":
            del data[at:]
        else:
            size = draw(st.integers(1, 400))
            data[at:at] = data[at : at + size]
    return bytes(data)


@FUZZ
@given(damaged())
def test_parser_damaged_real_pubmed_xml(data: bytes) -> None:
    _parse(data)


def test_the_real_fixtures_parse() -> None:
    assert REAL and all(_parse(data) for data in REAL)


# ---- figures --------------------------------------------------------------------------

_WORDS = [
    "nearly",
    "almost",
    "about",
    "over",
    "at least",
    "up to",
    "less than",
    "more than",
    "%",
    " percent",
    " per cent",
    "-fold",
    "fold",
    " times",
    "twice",
    "half",
    "a third",
    "two-thirds",
    "of",
    "out of",
    "in",
    "by",
    "p <",
    "0.05",
    "60",
    "1e309",
    "9" * 400,
    "-",
    "–",
    "to",
    " ",
    ".",
    ",",
    "½",
    "٣",
    "０",
    "∞",
    "NaN",
    "3.5.6",
    "10,000",
]


def _check_figure(text: str) -> None:
    fig = parse_claim_figure(text)
    if fig is None:
        return
    assert isinstance(fig, Figure)
    assert math.isfinite(fig.value), fig
    assert fig.value >= 0, fig
    assert fig.qualifier in QUALIFIERS, fig
    assert isinstance(fig.unit, str) and fig.unit, fig
    _check_interval(fig)


def _check_interval(fig: Figure) -> None:
    """A sane interval: no NaN; open-ended only where the qualifier says so ("over 30%"
    has no upper bound, "up to 30%" no lower one); the figure itself at or inside it."""
    interval = figure_interval(fig)
    low, high = interval.low, interval.high
    assert not (math.isnan(low) or math.isnan(high)), (fig, interval)
    assert low <= fig.value <= high, (fig, interval)
    assert math.isfinite(high) or fig.qualifier in ("over", "at least"), (fig, interval)
    assert math.isfinite(low) or fig.qualifier in ("up to", "less than"), (fig, interval)


@FUZZ
@given(st.text(max_size=300))
def test_parse_claim_figure_any_text(text: str) -> None:
    _check_figure(text)


@FUZZ
@given(st.lists(st.sampled_from(_WORDS) | st.text(max_size=5), max_size=25))
def test_parse_claim_figure_figure_like_text(words: list[str]) -> None:
    _check_figure(" ".join(words))
    _check_figure("".join(words))


@FUZZ
@given(
    st.floats(min_value=0, max_value=1e12, allow_nan=False, allow_infinity=False),
    st.sampled_from(["%", "fold", "points", "of N", "mg", "p", "count", "x", ""]),
    st.sampled_from(QUALIFIERS),
)
def test_figure_interval_any_figure(value: float, unit: str, qualifier: str) -> None:
    _check_interval(Figure(value, unit or "%", qualifier, f"{value}{unit}"))
