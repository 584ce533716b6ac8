"""What changed between two versions of a record: links, publication types, title, abstract."""

from __future__ import annotations

from ldn_evidence.pubmed.parser import iter_articles
from ldn_evidence.pubmed.records import ArticleRecord
from ldn_evidence.services.record_changes import compare, record_snapshot
from tests.eutils_server import make_article


def _record(xml: bytes) -> ArticleRecord:
    (record,) = iter_articles(b"<PubmedArticleSet>" + xml + b"</PubmedArticleSet>")
    assert isinstance(record, ArticleRecord)
    return record


def _snap(**kw):  # type: ignore[no-untyped-def]
    args = {"pmid": "5", "title": "LDN for pain", "abstract": "Pain fell by 30%.", **kw}
    return record_snapshot(_record(make_article(**args)))


def test_the_same_record_has_no_changes() -> None:
    assert compare(_snap(), _snap()) == []


def test_a_retraction_link_and_type() -> None:
    after = _snap(
        publication_types=("Journal Article", "Retracted Publication"),
        links=[("RetractionIn", "99", "J Pain. 2026;1:2"), ("CommentIn", "77", None)],
    )
    assert compare(_snap(), after) == [
        ("retracted", "RetractionIn PMID 99: J Pain. 2026;1:2"),
        ("comment", "CommentIn PMID 77"),
        ("publication_types_changed", "added Retracted Publication"),
    ]


def test_the_retracted_type_alone_is_a_retraction() -> None:
    after = _snap(publication_types=("Retracted Publication",))
    assert compare(_snap(), after) == [
        ("retracted", "publication type Retracted Publication"),
        ("publication_types_changed", "added Retracted Publication; removed Journal Article"),
    ]


def test_each_link_kind_and_only_new_links() -> None:
    before = _snap(links=[("ErratumIn", "1", "E1"), ("CommentOn", "2", None)])
    after = _snap(
        links=[
            ("ErratumIn", "1", "E1 (source text reworded)"),  # the same link: no change
            ("ErratumIn", "3", None),
            ("ExpressionOfConcernIn", "4", None),
            ("UpdateIn", "5", None),
            ("CorrectedandRepublishedIn", None, "Lancet. 2026"),
            ("CommentOn", "2", None),
            ("Cites", "6", None),  # not a change a pharmacist needs
        ]
    )
    assert compare(before, after) == [
        ("expression_of_concern", "ExpressionOfConcernIn PMID 4"),
        ("erratum", "ErratumIn PMID 3"),
        ("correction", "CorrectedandRepublishedIn no PMID: Lancet. 2026"),
        ("correction", "UpdateIn PMID 5"),
    ]


def test_title_and_abstract_changes() -> None:
    after = _snap(title="LDN for chronic pain", abstract="Pain fell by 20%.")
    assert compare(_snap(), after) == [
        ("title_changed", "'LDN for pain' → 'LDN for chronic pain'"),
        ("abstract_changed", "17 → 17 characters"),
    ]
    assert compare(_snap(title="LDN  for\npain"), _snap()) == []  # spacing is no change
