"""`watch` against a local E-utilities server whose records change between runs."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from ldn_evidence.errors import NotFoundError, PubMedError
from ldn_evidence.pubmed.client import PubMedClient
from ldn_evidence.viewmodel import WatchReport
from tests.eutils_server import FakeEutils, Fault, make_article
from tests.helpers.workflows import fast_client, units

RCT = ("Journal Article", "Randomized Controlled Trial")


@pytest.fixture
def client(fake: FakeEutils) -> PubMedClient:
    return fast_client()


@pytest.fixture
def cited(engine: sa.Engine, fake: FakeEutils, client: PubMedClient) -> dict[str, int]:
    """Studies 111 and 222 cited by document A's claim, 333 by document B's; 444 is
    curated (no PubMed record) and cited by B. Returns the documents' ids."""
    from ldn_evidence.models import Citation, Claim, SourceDocument, Study
    from ldn_evidence.services.fetching import fetch

    fake.add_article(
        "111", make_article("111", "LDN in fibromyalgia", "Pain fell.", doi="10.1000/A")
    )
    fake.add_article(
        "222", make_article("222", "LDN in Crohn disease", "Remission.", doi="10.1000/b")
    )
    fake.add_article("333", make_article("333", "LDN in MS", "Fatigue.", publication_types=RCT))
    fetch(units=units(engine), client=client, pmids=["111", "222", "333"])
    with units(engine)() as s:
        s.add(Study(pmid="444", title="A curated study", origin="curated"))
        s.flush()
        studies = {st.pmid: st for st in s.scalars(sa.select(Study))}
        docs = {}
        for name, pmids in (("A", ["111", "222"]), ("B", ["333", "444"])):
            doc = SourceDocument(title=f"Page {name}", url=f"https://example.org/{name}")
            claim = Claim(text=f"LDN helps ({name}).", document=doc)
            claim.citations = [Citation(study=studies[p]) for p in pmids]
            s.add(doc)
            s.flush()
            docs[name] = doc.id
    fake.requests.clear()
    return docs


def _by_pmid(report: WatchReport) -> dict[str, list[tuple[str, str]]]:
    return {st.pmid: [(c.kind, c.source) for c in st.changes] for st in report.studies}


def _rows(engine: sa.Engine, sql: str) -> list[tuple]:  # type: ignore[type-arg]
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.text(sql))]


def test_a_study_becomes_retracted_between_two_runs(
    engine: sa.Engine, fake: FakeEutils, client: PubMedClient, cited: dict[str, int]
) -> None:
    from ldn_evidence.services.watching import watch

    first = watch(units=units(engine), client=client)
    assert [(s.pmid, s.outcome) for s in first.studies] == [
        ("111", "unchanged"),
        ("222", "unchanged"),
        ("333", "unchanged"),
    ]
    assert not first.alert and first.curated == ["444"] and first.requests == 1
    assert [r.ids for r in fake.requests_for("efetch")] == [["111", "222", "333"]]

    fake.add_article(
        "111",
        make_article(
            "111",
            "LDN in fibromyalgia",
            "Pain fell.",
            doi="10.1000/A",
            publication_types=("Journal Article", "Retracted Publication"),
            links=[("RetractionIn", "999", "J Pain. 2026")],
        ),
    )
    fake.add_article(
        "222",
        make_article(
            "222",
            "LDN in Crohn's disease",
            "Remission.",
            doi="10.1000/b",
            links=[("ErratumIn", "998", None)],
        ),
    )
    del fake.articles["333"]
    second = watch(units=units(engine), client=client)
    assert second.alert
    assert _by_pmid(second) == {
        "111": [("retracted", "pubmed"), ("publication_types_changed", "pubmed")],
        "222": [("erratum", "pubmed"), ("title_changed", "pubmed")],
        "333": [],
    }
    assert [s.outcome for s in second.studies] == ["changed", "changed", "not_found"]
    one = second.studies[0]
    assert one.flags == ["retracted"]
    assert one.previous_check is not None and one.previous_check > str(first.started_at)
    assert one.changes[0].detail == "RetractionIn PMID 999: J Pain. 2026"
    # the new records are stored with the checks
    assert _rows(engine, "SELECT retracted, evidence_level FROM studies WHERE pmid = '111'") == [
        (True, "retracted")
    ]
    assert _rows(engine, "SELECT title FROM studies WHERE pmid = '222'") == [
        ("LDN in Crohn's disease",)
    ]
    assert _rows(engine, "SELECT COUNT(*) FROM study_checks") == [(6,)]
    assert sorted(_rows(engine, "SELECT kind, source FROM study_changes")) == [
        ("erratum", "pubmed"),
        ("publication_types_changed", "pubmed"),
        ("retracted", "pubmed"),
        ("title_changed", "pubmed"),
    ]
    assert _rows(engine, "SELECT COUNT(*) FROM watch_runs WHERE finished_at IS NOT NULL") == [(2,)]

    third = watch(units=units(engine), client=client)  # nothing new since
    assert not third.alert
    assert [s.outcome for s in third.studies] == ["unchanged", "unchanged", "not_found"]
    assert third.studies[0].flags == ["retracted"]


def test_a_change_a_refresh_stored_is_still_reported(
    engine: sa.Engine, fake: FakeEutils, client: PubMedClient, cited: dict[str, int]
) -> None:
    from ldn_evidence.services.fetching import fetch
    from ldn_evidence.services.watching import watch

    watch(units=units(engine), client=client)
    fake.add_article(
        "333",
        make_article(
            "333",
            "LDN in MS",
            "Fatigue.",
            publication_types=RCT,
            links=[("ExpressionOfConcernIn", "997", None)],
        ),
    )
    fetch(units=units(engine), client=client, pmids=["333"], refresh=True)
    report = watch(units=units(engine), client=client)
    assert report.alert  # compared with the last check, not with the refreshed record
    assert _by_pmid(report)["333"] == [("expression_of_concern", "pubmed")]


def test_a_retraction_watch_notice_imported_since_the_last_check(
    engine: sa.Engine, client: PubMedClient, cited: dict[str, int], tmp_path: Path
) -> None:
    from ldn_evidence.services.retraction_csv import COLUMNS
    from ldn_evidence.services.retractions import import_retractions
    from ldn_evidence.services.watching import watch

    watch(units=units(engine), client=client)
    row = dict.fromkeys(COLUMNS, "")
    row.update(
        {
            "Record ID": "7001",
            "RetractionNature": "Expression of concern",
            "RetractionDate": "5/1/2026 0:00",
            "OriginalPaperDOI": "10.1000/B",  # 222's DOI, in another case
            "OriginalPaperPubMedID": "0",
            "Reason": "+Concerns/Issues About Data;",
        }
    )
    csv_file = tmp_path / "rw.csv"
    csv_file.write_text(
        ",".join(COLUMNS) + "\n" + ",".join(row[c] for c in COLUMNS) + "\n", encoding="utf-8"
    )
    import_retractions(units=units(engine), path=csv_file)
    report = watch(units=units(engine), client=client)
    assert report.alert
    assert _by_pmid(report)["222"] == [("expression_of_concern", "retraction_watch")]
    (change,) = report.studies[1].changes
    assert change.detail == (
        "record 7001: Expression of concern 2026-05-01: Concerns/Issues About Data"
    )
    assert report.studies[1].flags == ["expression of concern"]
    assert not watch(units=units(engine), client=client).alert
    # the notice is updated: the concern became a retraction
    row["RetractionNature"] = "Retraction"
    csv_file.write_text(
        ",".join(COLUMNS) + "\n" + ",".join(row[c] for c in COLUMNS) + "\n", encoding="utf-8"
    )
    assert import_retractions(units=units(engine), path=csv_file).updated == 1
    updated = watch(units=units(engine), client=client)
    assert updated.alert
    assert _by_pmid(updated)["222"] == [("retracted", "retraction_watch")]


def test_one_document_only(
    engine: sa.Engine, fake: FakeEutils, client: PubMedClient, cited: dict[str, int]
) -> None:
    from ldn_evidence.services.watching import watch

    report = watch(units=units(engine), client=client, document_id=cited["B"])
    assert [s.pmid for s in report.studies] == ["333"] and report.curated == ["444"]
    with pytest.raises(NotFoundError, match="no document with id 999"):
        watch(units=units(engine), client=client, document_id=999)


def test_pubmed_failing_stores_no_check_and_says_so(
    engine: sa.Engine, fake: FakeEutils, client: PubMedClient, cited: dict[str, int]
) -> None:
    from ldn_evidence.services.watching import watch

    fake.inject(*[Fault.http(500, utility="efetch")] * (client.max_retries + 1))
    with pytest.raises(PubMedError, match="checked 0 of 3 cited studies"):
        watch(units=units(engine), client=client)
    assert _rows(engine, "SELECT COUNT(*) FROM study_checks") == [(0,)]
    assert _rows(engine, "SELECT finished_at FROM watch_runs") == [(None,)]
