"""`evidence` against a local E-utilities server that evaluates search terms with PubMed's
filters: the query sent, what is fetched and stored, ranking, verdicts, the stored run."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from ldn_evidence.errors import NotFoundError
from ldn_evidence.pubmed.client import PubMedClient
from ldn_evidence.services.evidence_query import DESIGN_FILTER
from tests.eutils_server import FakeEutils, make_article
from tests.helpers.workflows import fast_client, units

CT = ("Journal Article", "Clinical Trial")
RCT = ("Journal Article", "Randomized Controlled Trial")
REVIEW = ("Journal Article", "Systematic Review", "Meta-Analysis")
ARTICLES: dict[str, tuple[str, str, str, tuple[str, ...]]] = {
    # pmid: (year, title, abstract, publication types)
    "100": (  # the cited pilot
        "2009",
        "Fibromyalgia symptoms are reduced by low-dose naltrexone: a pilot study",
        "Ten women with fibromyalgia took low-dose naltrexone. Pain fell by 30%.",
        CT,
    ),
    "201": (
        "2023",
        "Low-dose naltrexone for fibromyalgia: a systematic review and meta-analysis",
        "Nine randomized trials with 1200 participants were included. Low-dose naltrexone "
        "reduced fibromyalgia pain by 30% compared with placebo.",
        REVIEW,
    ),
    "202": (
        "2021",
        "Low-dose naltrexone for pain in fibromyalgia: a randomized controlled trial",
        "In this randomized, double-blind, placebo-controlled trial, 99 women with "
        "fibromyalgia were enrolled. Low-dose naltrexone did not reduce fibromyalgia pain "
        "compared with placebo.",
        RCT,
    ),
    "203": (  # the therapy filter finds it by its words; graded as the cited one, larger
        "2019",
        "Low-dose naltrexone in fibromyalgia",
        "A randomized controlled trial of 40 patients with fibromyalgia. Low-dose "
        "naltrexone reduced pain by 28%.",
        CT,
    ),
    "208": (  # same level as the cited one, smaller: not stronger
        "2024",
        "Low-dose naltrexone and fibromyalgia",
        "A randomized controlled trial of 5 patients with fibromyalgia. Sleep improved with "
        "low-dose naltrexone.",
        CT,
    ),
    "204": (  # a narrative review: no design filter matches
        "2022",
        "Low-dose naltrexone in fibromyalgia: a review",
        "We review low-dose naltrexone for fibromyalgia.",
        ("Journal Article", "Review"),
    ),
    "205": (  # another condition
        "2020",
        "Low-dose naltrexone in Crohn disease: a randomized controlled trial",
        "Remission in 30% of 40 patients.",
        RCT,
    ),
    "206": (  # before --since
        "2010",
        "Low-dose naltrexone for fibromyalgia pain, an early randomized controlled trial",
        "Thirty patients; pain fell.",
        RCT,
    ),
    "207": (  # retracted: ranked last, never stronger
        "2024",
        "Low-dose naltrexone halves fibromyalgia pain: a randomized controlled trial",
        "A trial of 500 patients with fibromyalgia; low-dose naltrexone reduced pain by 50%.",
        ("Journal Article", "Randomized Controlled Trial", "Retracted Publication"),
    ),
}


@pytest.fixture
def client(fake: FakeEutils) -> PubMedClient:
    return fast_client()


@pytest.fixture
def claim_id(engine: sa.Engine, fake: FakeEutils, client: PubMedClient) -> int:
    """A claim with intervention and condition stored, citing PMID 100; every article on
    the fake server."""
    from ldn_evidence.models import Citation, Claim, Study
    from ldn_evidence.services.fetching import fetch

    for pmid, (year, title, abstract, types) in ARTICLES.items():
        fake.add_article(
            pmid, make_article(pmid, title, abstract, year=year, publication_types=types)
        )
    fetch(units=units(engine), client=client, pmids=["100"])
    with units(engine)() as s:
        study = s.scalars(sa.select(Study).where(Study.pmid == "100")).one()
        claim = Claim(
            text="Low-dose naltrexone reduced fibromyalgia pain by 30%.",
            intervention="low-dose naltrexone",
            condition="fibromyalgia",
            outcome="pain",
            citations=[Citation(study=study)],
        )
        s.add(claim)
        s.flush()
        claim_id = claim.id
    fake.requests.clear()
    return claim_id


def test_stronger_studies_found_ranked_and_verified(
    engine: sa.Engine, fake: FakeEutils, client: PubMedClient, claim_id: int
) -> None:
    from ldn_evidence.services.evidence import find_evidence

    report = find_evidence(units=units(engine), client=client, claim_id=claim_id, since=2015)

    (search,) = fake.requests_for("esearch")
    assert search.params["term"] == (
        f"(low-dose naltrexone) AND (fibromyalgia) AND {DESIGN_FILTER} AND 2015:3000[dp]"
    )
    assert search.params["retmax"] == "20" and search.params["sort"] == "relevance"
    assert report.query == search.params["term"]
    assert report.query_source == "the claim's intervention and condition"
    # the filters keep the review (204), the other disease (205), the old trial (206) out
    assert report.found == 5
    (fetched,) = fake.requests_for("efetch")
    assert sorted(fetched.ids) == ["201", "202", "203", "207", "208"]

    assert [(s.pmid, s.level, s.participants) for s in report.ranking] == [
        ("201", "systematic_review", 1200),
        ("202", "rct", 99),
        ("203", "controlled_trial", 40),
        ("100", "controlled_trial", 10),  # the cited pilot: "Ten women"
        ("208", "controlled_trial", 5),
        ("207", "retracted", 500),
    ]
    assert [s.pmid for s in report.cited] == ["100"]
    assert [s.pmid for s in report.stronger] == ["201", "202", "203"]
    verdicts = {s.pmid: s.verdict for s in report.stronger}
    assert verdicts == {
        "201": "supported",
        "202": "contradicted",
        "203": "partially_supported",
    }
    assert report.stronger[1].evidence_sentence == (
        "Low-dose naltrexone did not reduce fibromyalgia pain compared with placebo."
    )
    assert report.ranking[-1].flags == ["retracted"] and not report.ranking[-1].stronger
    assert report.summary == "3 stronger studies: 1 supports, 1 partly supports, 1 contradicts"


def test_nothing_is_linked_and_the_run_is_stored(
    engine: sa.Engine, client: PubMedClient, claim_id: int
) -> None:
    from ldn_evidence.db import session_scope
    from ldn_evidence.services.evidence import find_evidence
    from ldn_evidence.services.evidence_runs import latest_evidence

    with session_scope(engine) as s:
        assert latest_evidence(session=s, claim_id=claim_id) is None
    report = find_evidence(units=units(engine), client=client, claim_id=claim_id, limit=2)
    assert report.found == 6 and report.limit == 2  # 206 too, without --since
    with engine.connect() as conn:
        citations = conn.execute(sa.text("SELECT COUNT(*) FROM citations")).scalar_one()
        stored = conn.execute(sa.text("SELECT COUNT(*) FROM studies")).scalar_one()
        results = conn.execute(sa.text("SELECT COUNT(*) FROM evidence_results")).scalar_one()
    assert citations == 1  # only the page's own
    assert stored == 3  # the cited study and the 2 hits, stored like any study
    assert results == 3
    with session_scope(engine) as s:
        again = latest_evidence(session=s, claim_id=claim_id)
    assert again == report


@pytest.mark.slow
def test_the_claims_text_when_nothing_is_stored(
    engine: sa.Engine, fake: FakeEutils, client: PubMedClient
) -> None:
    from ldn_evidence.models import Claim
    from ldn_evidence.services.evidence import find_evidence

    for pmid, (year, title, abstract, types) in ARTICLES.items():
        fake.add_article(
            pmid, make_article(pmid, title, abstract, year=year, publication_types=types)
        )
    with units(engine)() as s:
        claim = Claim(text="Low-dose naltrexone eased fibromyalgia.")
        s.add(claim)
        s.flush()
        claim_id = claim.id
    report = find_evidence(units=units(engine), client=client, claim_id=claim_id)
    assert report.query.startswith("low-dose AND naltrexone AND fibromyalgia AND (systematic")
    assert report.cited == []
    assert "(the claim cites none)" in report.summary
    assert "207" not in {s.pmid for s in report.stronger}  # retracted


def test_no_hits_and_an_unknown_claim(
    engine: sa.Engine, client: PubMedClient, claim_id: int
) -> None:
    from ldn_evidence.services.evidence import find_evidence

    report = find_evidence(
        units=units(engine), client=client, claim_id=claim_id, query="zinc AND common cold"
    )
    assert report.found == 0 and [s.pmid for s in report.ranking] == ["100"]
    assert report.summary == "no stronger study found"
    with pytest.raises(NotFoundError, match="no claim with id 999"):
        find_evidence(units=units(engine), client=client, claim_id=999)
