"""Red flags first (issue 13 item 7): the report's and `documents show`'s list of what a
pharmacist must see before anything else, each linked to its claim."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from markdown_it import MarkdownIt

from ldn_evidence.export import render
from ldn_evidence.export.json_out import load_schema
from ldn_evidence.services.red_flags import Skipped, page_red_flags, skipped_sentences
from ldn_evidence.viewmodel import RedFlag
from tests.conftest import Cli
from tests.export.htmltext import Page
from tests.export.review_db import (
    CUSTOMERS_CLAIM,
    FATIGUE_CLAIM,
    INFLAMMATION_CLAIM,
    NOTE,
    PAIN_CLAIM,
    PREGNANCY_CLAIM,
    REASON,
    SLEEP_CLAIM,
    ReviewDb,
    build_review_db,
    review_report,
)


@pytest.fixture
def review_db(tmp_path: Path) -> ReviewDb:
    db = build_review_db(tmp_path)
    yield db
    db.engine.dispose()


def _flags(db: ReviewDb, **filters: object) -> list[RedFlag]:
    (doc,) = review_report(db, **filters).documents
    return doc.red_flags


def test_every_kind_of_red_flag_on_the_page(review_db: ReviewDb) -> None:
    ids = review_db.claim_ids
    flags = _flags(review_db)
    assert [(f.kind, f.claim_ids) for f in flags] == [
        ("retracted", [ids[PREGNANCY_CLAIM]]),
        ("unsupported", [ids[PAIN_CLAIM]]),
        ("unsupported", [ids[SLEEP_CLAIM]]),
        ("figure_not_in_abstract", [ids[PAIN_CLAIM]]),
        ("unsourced", [ids[CUSTOMERS_CLAIM]]),
        ("unresolved_reference", [ids[FATIGUE_CLAIM]]),
        ("unresolved_reference", []),  # cited by no claim: a page-level flag
        ("study_not_stored", [ids[PREGNANCY_CLAIM]]),
        ("corrected", [ids[PREGNANCY_CLAIM]]),
        ("web_only", [ids[INFLAMMATION_CLAIM]]),
        ("skipped_sentence", []),
        ("skipped_sentence", []),
    ]
    by_kind = {f.kind: f for f in reversed(flags)}
    assert REASON in flags[1].detail  # the verdict's reason travels with the flag
    assert NOTE in flags[2].detail and "reviewer" in flags[2].detail
    assert by_kind["figure_not_in_abstract"].detail == "60%: not in the abstract of PMID 91000001"
    not_found = by_kind["unresolved_reference"]
    assert not_found.detail == (
        "reference 3 “https://pubmed.ncbi.nlm.nih.gov/99999991/”: not found "
        "(PMID 99999991 is not in PubMed)"
    )
    assert not_found.reference_id == review_db.not_found_reference_id
    assert "failed (PubMed could not be reached)" in flags[6].detail
    assert "PMID 91000005" in by_kind["study_not_stored"].detail
    assert [f.text for f in flags if f.kind == "skipped_sentence"] == [
        "See the guide [6] for dosing.",
        "Order today and save 20%!",
    ]
    assert all(f.label for f in flags)


def test_a_narrowed_report_flags_only_its_claims(review_db: ReviewDb) -> None:
    pain = review_db.claim_ids[PAIN_CLAIM]
    flags = _flags(review_db, claim_ids=[pain])
    assert [(f.kind, f.claim_ids) for f in flags] == [
        ("unsupported", [pain]),
        ("figure_not_in_abstract", [pain]),
    ]


def test_statuses_and_unsourced_are_read_generically() -> None:
    """Any status but resolved/web is a flag with its error; `unsourced` is the claim's."""
    from ldn_evidence.viewmodel import ClaimEntry, ReferenceEntry

    ref = ReferenceEntry(1, "10.1000/none", "doi", None, None, None, "10.1000/none",
                         "ambiguous", "2 candidates")  # fmt: skip
    claim = ClaimEntry(7, 1, 1, "X cures Y.", None, None, "", None, None, None, None, None,
                       True, [])  # fmt: skip
    flags = page_red_flags([claim], [ref], [Skipped("See [2].", "asserts nothing")])
    assert [(f.kind, f.claim_ids) for f in flags] == [
        ("unsourced", [7]),
        ("unresolved_reference", []),
        ("skipped_sentence", []),
    ]
    assert flags[1].detail == "reference 1 “10.1000/none”: ambiguous (2 candidates)"


def test_skipped_sentences_leave_out_stored_claims() -> None:
    text = "Magnesium cut migraines by 41%.[1] See our guide [2] for more."
    assert [s.text for s in skipped_sentences(text)] == ["See our guide [2] for more."]
    assert skipped_sentences(text, ["See our guide [2] for more."]) == []
    assert skipped_sentences(None) == [] and skipped_sentences("  ") == []


def test_json_carries_red_flags_and_is_valid(review_db: ReviewDb) -> None:
    data = json.loads(render(review_report(review_db), "json"))
    schema = load_schema()
    cls = jsonschema.validators.validator_for(schema)
    errors = list(cls(schema).iter_errors(data))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]
    flags = data["documents"][0]["red_flags"]
    assert flags[0] == {
        "kind": "retracted",
        "label": "Retracted source",
        "claim_ids": [review_db.claim_ids[PREGNANCY_CLAIM]],
        "detail": "PMID 91000003 is retracted: LDN in pregnancy: a case series.",
        "text": None,
        "pmid": "91000003",
        "reference_id": None,
    }


def test_html_lists_red_flags_first_each_linked_to_its_claim(review_db: ReviewDb) -> None:
    html = render(review_report(review_db), "html").decode("utf-8")
    page = Page(html)
    assert html.index('id="red-flags"') < html.index('<article class="claim"')
    links = [v for tag, name, v in page.attrs if tag == "a" and name == "href" and v[0] == "#"]
    assert len(links) == 9 and all(v[1:] in page.ids for v in links)
    assert "Contradicted or not supported" in page.text
    assert "not found (PMID 99999991 is not in PubMed)" in page.text


def test_markdown_lists_red_flags_first_each_linked_to_its_claim(review_db: ReviewDb) -> None:
    text = render(review_report(review_db), "markdown").decode("utf-8")
    assert text.index("## Red flags") < text.index("### Claim")
    html = MarkdownIt("commonmark", {"html": True}).render(text)
    page = Page(html)
    links = [v for tag, name, v in page.attrs if tag == "a" and name == "href" and v[0] == "#"]
    assert len(links) == 9 and all(v[1:] in page.ids for v in links)
    pain = review_db.claim_ids[PAIN_CLAIM]
    assert f"- **Figure in no cited abstract** [claim {pain}](#claim-{pain}): 60%" in text


def test_no_red_flags_is_said(tmp_path: Path) -> None:
    from ldn_evidence.db import ensure_schema, make_engine, session_scope
    from ldn_evidence.models import SourceDocument
    from ldn_evidence.services.report import build_report

    engine = make_engine(f"sqlite:///{tmp_path / 'clean.db'}")
    ensure_schema(engine)
    with session_scope(engine) as session:
        session.add(SourceDocument(title="A clean page", text="Nothing to see here."))
    with session_scope(engine) as session:
        report = build_report(session=session)
    engine.dispose()
    assert "No red flags on the page in this report." in render(report, "html").decode()
    assert "_No red flags on the page in this report._" in render(report, "markdown").decode()


@pytest.mark.slow
def test_documents_show_lists_red_flags_first(review_db: ReviewDb) -> None:
    cli = Cli(str(review_db.engine.url))
    result = cli("documents", "show", str(review_db.document_id), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [f["kind"] for f in data["red_flags"]] == [f.kind for f in _flags(review_db)]
    # references are numbered from 1, though the extractor stores them from 0
    assert [r["position"] for r in data["references"]] == [1, 2, 3, 4, 5, 6]
    table = cli("documents", "show", str(review_db.document_id))
    out = " ".join(table.stdout.split())
    assert out.index("Red flags (12)") < out.index("References")
    pain = review_db.claim_ids[PAIN_CLAIM]
    assert f"! Figure in no cited abstract (claim {pain}): 60%" in out
    assert "not found (PMID 99999991 is not in PubMed)" in out
