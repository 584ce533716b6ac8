"""HTML: self-contained, escaped, printable; every claim and reference present."""

from __future__ import annotations

import re

from ldn_evidence.export import render
from ldn_evidence.export.model import Report
from ldn_evidence.export.present import safe_href
from tests.export.hostile import HOSTILE_TITLE, REVIEWER, SCRIPT, SENTENCE
from tests.export.htmltext import Page, squash


def _page(report: Report) -> tuple[str, Page]:
    html = render(report, "html").decode("utf-8")
    return html, Page(html)


def test_every_claim_and_reference_present(report: Report) -> None:
    _, page = _page(report)
    for claim in report.all_claims():
        assert squash(claim.text) in page.text, claim.text
    for study in report.studies():
        assert squash(study.citation) in page.text, study.pmid
    assert HOSTILE_TITLE in page.text
    assert "Some {unresolved} study & 100% real — not_found : no match in PubMed" in page.text
    assert "Web page, not a study: https://example.org/a_b?x=1&y=2" in page.text


def test_database_values_are_escaped(report: Report) -> None:
    html, page = _page(report)
    assert page.tags.count("script") == 0
    assert "img" not in page.tags and "b" not in page.tags
    assert SCRIPT in page.text and squash(SENTENCE) in page.text
    assert "Hostile page <b>bold</b>" in page.text
    assert "<script" not in html.lower()
    hrefs = [v or "" for tag, name, v in page.attrs if name == "href"]
    assert hrefs and all(
        h.startswith(("https://", "http://")) or (h.startswith("#") and h[1:] in page.ids)
        for h in hrefs
    )
    assert "javascript:" not in " ".join(hrefs)


def test_self_contained(report: Report) -> None:
    html, page = _page(report)
    assert not {"link", "img", "iframe", "object", "embed", "script"} & set(page.tags)
    assert not [a for a in page.attrs if a[1] in ("src", "srcset") or a[1].startswith("on")]
    style = html[html.index("<style>") : html.index("</style>")]
    assert "url(" not in style and "@import" not in style
    assert "default-src 'none'" in html  # Content-Security-Policy: no scripts at all


def test_printable(report: Report) -> None:
    html, _ = _page(report)
    assert "@media print" in html and "@page" in html
    assert re.search(r"\.claim \{[^}]*break-inside: avoid", html)
    assert re.search(r"\.sources tr \{[^}]*break-inside: avoid", html)
    # printed on whatever paper the printer has; headings stay with what follows; web
    # links print their address (the layout itself is checked in Chromium)
    assert "@page { size: auto;" in html
    assert re.search(r"h1, h2, h3, \.doc-head[^{]*\{[^}]*break-after: avoid", html)
    assert 'a[href^="http"]:not(.url)::after' in html
    assert "display: table-header-group" in html


def test_report_content(report: Report) -> None:
    html, page = _page(report)
    assert page.title == "Citation report"
    assert "Generated 2026-02-01 09:30 UTC" in page.text
    for label, value in [("Claims", 10), ("Unsourced claims", 1), ("Retracted sources", 1)]:
        assert f"{label} {value}" in page.text
    assert page.text.count("RETRACTED") >= 1 and 'class="retracted-banner"' in html
    assert 'class="origin origin-page"' in html and 'class="origin origin-claim"' in html
    assert f"{REVIEWER} 2026-01-05 14:03 UTC" in page.text
    assert "record version curated" in page.text
    assert "ungraded" in page.text and "2 · Randomized controlled trial" in page.text
    assert "contradicted" in page.text and "supported" in page.text


def test_single_document_title(export_db, report) -> None:  # type: ignore[no-untyped-def]
    from ldn_evidence.db import session_scope
    from ldn_evidence.services.report import build_report

    with session_scope(export_db.engine) as session:
        one = build_report(session=session, document_ids=[export_db.document_id])
    _, page = _page(one)
    assert page.title == "Citation report: Hostile page <b>bold</b>"


def test_safe_href() -> None:
    assert safe_href("https://e.org/x") == "https://e.org/x"
    assert safe_href(" JavaScript:alert(1)") is None
    assert safe_href("data:text/html,x") is None
    assert safe_href(None) is None
