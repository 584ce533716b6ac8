"""The report carries each study's design beside its level, the rule that decided the
level (issue 13 items 8 and 10), and every verdict's reason and reviewer's note
(item 9), in HTML, Markdown, CSV and JSON."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from ldn_evidence.export import render
from tests.export.htmltext import Page
from tests.export.review_db import (
    NOTE,
    PAIN_CLAIM,
    REASON,
    SLEEP_CLAIM,
    STUDIED_CLAIM,
    ReviewDb,
    build_review_db,
    review_report,
)

RCT_DESIGN = "RCT, crossover, double-blind, placebo-controlled, 31 women, 10 weeks"
MR_RULE = (
    "publication type “Meta-Analysis”, but the abstract describes a Mendelian "
    "randomisation (genetic data)"
)


@pytest.fixture
def review_db(tmp_path: Path) -> ReviewDb:
    db = build_review_db(tmp_path)
    yield db
    db.engine.dispose()


def _rows(db: ReviewDb) -> list[dict[str, str]]:
    text = render(review_report(db), "csv").decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_json_has_design_modifiers_and_level_rule(review_db: ReviewDb) -> None:
    data = json.loads(render(review_report(review_db), "json"))
    studies = {
        c["study"]["pmid"]: c["study"]
        for claim in data["documents"][0]["claims"]
        for c in claim["citations"]
        if c["study"]
    }
    rct = studies["91000001"]
    assert rct["design"] == RCT_DESIGN
    assert rct["modifiers"]["participants"] == 31  # "Thirty-two percent of participants…"
    assert rct["level_rule"] == "publication type “Randomized Controlled Trial”"
    assert studies["91000002"]["level_rule"] == MR_RULE
    assert studies["91000003"]["level_rule"].startswith("retracted, whatever its design")


def test_a_level_stored_under_older_rules_says_so(review_db: ReviewDb) -> None:
    from ldn_evidence.db import session_scope
    from ldn_evidence.models import Study

    with session_scope(review_db.engine) as session:
        study = session.query(Study).filter_by(pmid="91000002").one()
        study.evidence_level = "systematic_review"  # as the grading before MR was known
    (doc,) = review_report(review_db).documents
    mr = next(c.study for c in doc.claims[1].citations if c.study)
    assert mr.evidence_level == "systematic_review"
    assert mr.level_rule.startswith(
        "graded systematic_review when stored; the current rules give observational"
    )
    assert "`ldn-evidence fetch --refresh 91000002`" in mr.level_rule


def test_csv_columns_carry_design_reasons_notes_and_the_claim(review_db: ReviewDb) -> None:
    rows = _rows(review_db)
    pain = next(r for r in rows if r["claim_text"] == PAIN_CLAIM)
    assert (pain["design"], pain["participants"]) == (RCT_DESIGN, "31")
    assert pain["level_rule"] == "publication type “Randomized Controlled Trial”"
    assert pain["reason"] == REASON
    assert (pain["condition"], pain["intervention"], pain["dose"]) == (
        "fibromyalgia",
        "low-dose naltrexone",
        "4.5 mg",
    )
    assert (pain["outcome"], pain["population"]) == ("pain", "women")
    sleep = next(r for r in rows if r["claim_text"] == SLEEP_CLAIM)
    assert sleep["note"] == NOTE and sleep["level_rule"] == MR_RULE
    studied = next(r for r in rows if r["claim_text"] == STUDIED_CLAIM)
    assert studied["verdict"] == "unchecked" and studied["checked_at"]
    assert studied["reason"] == "no reason was recorded"


def test_html_shows_design_rule_reason_and_note(review_db: ReviewDb) -> None:
    page = Page(render(review_report(review_db), "html").decode("utf-8"))
    assert RCT_DESIGN in page.text and MR_RULE in page.text
    assert f"Why: {REASON}" in page.text
    assert f"Reviewer's note: {NOTE}" in page.text
    assert "Why: no reason was recorded" in page.text


def test_markdown_never_shows_an_unchecked_check_without_its_reason(review_db: ReviewDb) -> None:
    text = render(review_report(review_db), "markdown").decode("utf-8")
    page = Page(MarkdownIt("commonmark").render(text))
    assert f"Evidence level: 2 · Randomized controlled trial — {RCT_DESIGN}" in page.text
    assert f"Level rule: {MR_RULE}" in page.text
    assert f"Why: {REASON}" in page.text and f"Reviewer's note: {NOTE}" in page.text
    lines = text.splitlines()
    seen = 0
    for i, line in enumerate(lines):
        if line.strip().startswith("- Verdict: **unchecked**"):
            rest = lines[i + 1 : i + 8]
            checked = [j for j, x in enumerate(rest) if x.strip().startswith("- Checked by")]
            if checked:
                seen += 1
                assert any(x.strip().startswith("- Why: ") for x in rest[: checked[0]]), rest
    assert seen == 1  # the claim `verify` could not decide
