"""Ranking studies on one question: level, size, date; retracted last; what is stronger."""

from __future__ import annotations

from ldn_evidence.verification.ranking import Candidate, rank, stronger_than_cited


def C(  # noqa: N802 - table helper
    pmid: str,
    level: str | None,
    n: int | None = None,
    year: int | None = None,
    *,
    date: str | None = None,
    retracted: bool = False,
    cited: bool = False,
) -> Candidate:
    return Candidate(pmid, level, n, year, date, retracted, cited)


def test_level_then_size_then_date() -> None:
    studies = [
        C("1", "controlled_trial", 10, 2009, cited=True),
        C("2", "rct", 99, 2021),
        C("3", "systematic_review", 1200, 2023),
        C("4", "rct", 99, 2022),
        C("5", "rct", 300, 2015),
        C("6", None, 5000, 2024),  # ungraded: below every level
        C("7", "rct", 99, 2022, date="2022-03-01"),
        C("8", "rct", 99, 2022, date="2022-11-30"),
    ]
    assert [c.pmid for c in rank(studies)] == ["3", "5", "8", "7", "4", "2", "1", "6"]


def test_retracted_last_whatever_its_design() -> None:
    ranked = rank([C("1", "case_report", 1), C("2", "systematic_review", 900, retracted=True)])
    assert [c.pmid for c in ranked] == ["1", "2"]


def test_stronger_means_a_better_level_or_the_same_level_and_more_people() -> None:
    ranked = rank(
        [
            C("10", "controlled_trial", 10, 2009, cited=True),
            C("11", "controlled_trial", 40, 2019),  # same level, larger: stronger
            C("12", "controlled_trial", 5, 2024),  # same level, smaller, newer: not
            C("13", "controlled_trial", None, 2024),  # size unknown: not
            C("14", "rct", None, 2001),  # better level: stronger
            C("15", "rct", 500, 2020, retracted=True),  # retracted: never
            C("16", "case_report", 2, 2025),
            C("17", "opinion", None, 2025, cited=True),
        ]
    )
    assert stronger_than_cited(ranked) == {"11", "14"}


def test_a_retracted_citation_does_not_set_the_bar() -> None:
    ranked = rank(
        [
            C("1", "systematic_review", 900, cited=True, retracted=True),
            C("2", "case_report", 1),
            C("3", "rct", 20, retracted=True),
        ]
    )
    assert stronger_than_cited(ranked) == {"2"}
    assert stronger_than_cited(rank([C("4", "opinion"), C("5", "rct", 30)])) == {"4", "5"}
