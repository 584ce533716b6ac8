"""Markdown: every claim and reference present; hostile values stay text when rendered
by an independent CommonMark renderer (markdown-it-py, raw HTML enabled)."""

from __future__ import annotations

from markdown_it import MarkdownIt

from ldn_evidence.export import render
from ldn_evidence.export.markdown_out import md_escape, md_link
from ldn_evidence.export.model import Report
from tests.export.hostile import REVIEWER, SCRIPT, SENTENCE
from tests.export.htmltext import Page, squash


def _rendered(report: Report) -> tuple[str, Page]:
    text = render(report, "markdown").decode("utf-8")
    html = MarkdownIt("commonmark", {"html": True}).enable("table").render(text)
    return text, Page(html)


def test_every_claim_and_reference_present(report: Report) -> None:
    _, page = _rendered(report)
    for claim in report.all_claims():
        assert squash(claim.text) in page.text, claim.text
    for study in report.studies():
        assert squash(study.citation) in page.text, study.pmid
    assert "Web page, not a study: https://example.org/a_b?x=1&y=2" in page.text
    assert "Some {unresolved} study & 100% real — not_found: no match in PubMed" in page.text


def test_hostile_values_stay_text(report: Report) -> None:
    text, page = _rendered(report)
    assert "script" not in page.tags and "img" not in page.tags
    assert SCRIPT in page.text
    assert squash(SENTENCE) in page.text
    assert "<script>" not in text  # escaped in the Markdown source too
    # javascript: URLs never become links
    assert all(not (v or "").startswith("javascript:") for _, _, v in page.attrs)


def test_report_wording(report: Report) -> None:
    text, page = _rendered(report)
    assert "⚠ RETRACTED STUDY" in page.text
    assert "(cited by the page)" in page.text and "(cited for this claim)" in page.text
    assert "(added by a reviewer)" in page.text
    assert f"Checked by {REVIEWER} on 2026-01-05 14:03 UTC" in page.text
    assert (
        "Evidence level: ungraded" in page.text
        and "Evidence level: 2 · Randomized controlled trial" in page.text
    )
    assert "Record version: curated" in page.text
    assert "the record changed since" in page.text
    assert "Generated 2026-02-01 09:30 UTC" in page.text
    assert "No source cited for this claim." in page.text
    assert "Claims without a source document" in page.text
    assert "| 10 |" in text  # the summary table: 10 claims


def test_escape_helpers() -> None:
    assert md_escape("*a* _b_ <c> [d](e) | & `f`") == (
        "\\*a\\* \\_b\\_ \\<c\\> \\[d\\](e) \\| \\& \\`f\\`"
    )
    assert md_escape("- item") == "\\- item"
    assert md_escape("1. first") == "1\\. first"
    assert md_escape("4.5 mg") == "4.5 mg"
    assert md_escape("a\nb") == "a b"
    assert md_link("x", "javascript:alert(1)") == "x"
    assert md_link("x", "https://e.org/a b") == "[x](<https://e.org/a%20b>)"
