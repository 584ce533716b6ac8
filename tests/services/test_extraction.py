"""`services.extraction.extract_page`: the `extract` workflow, without the command line."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any

import pytest
import sqlalchemy as sa

from ldn_evidence.db import session_scope
from ldn_evidence.services.extraction import DRY_RUN, UNCHANGED, extract_page
from tests.eutils_server import FakeEutils, make_article

PAGE = b"<html><body><p>Magnesium cut migraine days by 41% (PMID: 1111111).</p></body></html>"


def _run(engine: sa.Engine, fake: FakeEutils, **kw: Any):  # type: ignore[no-untyped-def]
    from ldn_evidence.pubmed.client import PubMedClient

    opened: list[int] = []

    def units() -> AbstractContextManager[Any]:
        opened.append(1)
        return session_scope(engine)

    run = extract_page(
        units=units, client_factory=PubMedClient.from_env, data=PAGE, name="mg.html", **kw
    )
    return run, len(opened)


@pytest.fixture
def served(fake: FakeEutils) -> FakeEutils:
    fake.add_article("1111111", make_article("1111111", "Magnesium and migraine"))
    return fake


def test_dry_run_never_opens_the_database(engine: sa.Engine, served: FakeEutils) -> None:
    run, opened = _run(engine, served, dry_run=True)
    assert opened == 0
    assert (run.status, run.document_id, run.fetched) == (DRY_RUN, None, None)
    assert run.data["status"] == DRY_RUN and run.claims == len(run.data["claims"]) >= 1
    assert [r["pmid"] for r in run.data["references"]] == ["1111111"]


def test_store_fetch_then_unchanged(engine: sa.Engine, served: FakeEutils) -> None:
    run, _ = _run(engine, served, url="https://pharmacy.example/mg")
    assert (run.status, run.version, run.fetch_error) == ("new", 1, None)
    assert run.fetched is not None and run.fetched.new == ["1111111"]
    assert run.data["document"]["id"] == run.document_id and run.data["fetch"]["new"]
    again, _ = _run(engine, served, url="https://pharmacy.example/mg")
    assert (again.status, again.document_id, again.claims) == (UNCHANGED, run.document_id, 1)
    assert again.data == {"status": UNCHANGED, "document_id": run.document_id}


def test_a_fetch_failure_keeps_the_page(
    engine: sa.Engine, served: FakeEutils, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LDN_EVIDENCE_HTTP_RETRIES", "0")
    served.inject(503, utility="efetch")
    run, _ = _run(engine, served)
    assert run.status == "new" and run.fetched is None
    assert run.fetch_error and "503" in run.fetch_error
    assert run.data["fetch"] == {"error": run.fetch_error}
    with session_scope(engine) as session:
        assert session.scalar(sa.text("SELECT count(*) FROM claims")) == run.claims


def test_no_fetch(engine: sa.Engine, served: FakeEutils) -> None:
    run, _ = _run(engine, served, fetch=False)
    assert run.status == "new" and run.fetched is None and "fetch" not in run.data
    assert served.requests_for("efetch") == []


def test_preview_lists_sentences_with_a_marker_or_figure_not_taken() -> None:
    from ldn_evidence.services.extraction import extract, preview

    page = (
        b"Offers\n\nSave 20% today on every order.\n"
        b"Magnesium lowered blood pressure in adults [1].\n\n"
        b"References\n\n1. Smith J. Magnesium and blood pressure. Hypertension. 2016;68:324-33.\n"
    )
    data = preview(extract(data=page, name="offers.txt"))
    assert [c["text"] for c in data["claims"]] == [
        "Magnesium lowered blood pressure in adults [1]."
    ]
    assert data["skipped"] == [
        {
            "text": "Save 20% today on every order.",
            "reason": "states a figure but names nothing it is about and cites no source",
        }
    ]


# ---- a page's title: never "-" or empty (issue 13 item 13) -----------------------------------


_SENTENCE = b"Turmeric cut pain by 45% in a trial.\n\nMore."
_HTML = b"<html><body><p>Turmeric cut pain by 45%.</p></body></html>"


@pytest.mark.parametrize(
    ("data", "name", "title"),
    [
        (b"Turmeric for joint pain\n\nIt cut pain by 45%.", "t.txt", "Turmeric for joint pain"),
        (_SENTENCE, "pages/notes.txt", "notes.txt"),
        (_SENTENCE, "-", "Turmeric cut pain by 45% in a trial."),
        (_HTML, "turmeric.html", "turmeric.html"),
        (_HTML, "-", "Turmeric cut pain by 45%."),
        (b"word " * 40, "-", ("word " * 15).strip() + "…"),
    ],
)  # fmt: skip
def test_a_page_without_a_title_is_named_by_its_first_line_or_file(
    data: bytes, name: str, title: str
) -> None:
    from ldn_evidence.services.extraction import extract

    assert extract(data=data, name=name).title == title
    assert extract(data=data, name=name, title="Given").title == "Given"
