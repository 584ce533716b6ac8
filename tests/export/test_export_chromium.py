"""The HTML report in real headless Chromium: screenshot, PDF, and the rendered DOM.

Skipped when /usr/bin/chromium is absent, unless $CI is set (then it fails).
"""

from __future__ import annotations

import html as html_lib
import os
import re
import subprocess
import unicodedata
from pathlib import Path

import pytest

from ldn_evidence.export import render, write_atomic
from ldn_evidence.export.model import Report
from tests.export.hostile import SCRIPT
from tests.export.htmltext import Page, squash
from tests.export.review_db import PAIN_CLAIM, ReviewDb, build_review_db, review_report

CHROMIUM = "/usr/bin/chromium"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)

pytestmark = pytest.mark.slow


@pytest.fixture
def chromium() -> str:
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is required in CI")
        pytest.skip(f"{CHROMIUM} not installed")
    return CHROMIUM


def _chromium(binary: str, tmp: Path, page: Path, *args: str) -> bytes:
    cmd = [binary, *FLAGS, f"--user-data-dir={tmp / 'profile'}", *args, page.as_uri()]
    done = subprocess.run(cmd, capture_output=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    return done.stdout


def test_report_renders_prints_and_scripts_stay_text(
    chromium: str, report: Report, tmp_path: Path
) -> None:
    html = render(report, "html")
    page = tmp_path / "report.html"
    write_atomic(page, html)

    png = tmp_path / "report.png"
    _chromium(chromium, tmp_path, page, f"--screenshot={png}", "--window-size=1280,2400")
    assert png.stat().st_size > 10_000 and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    pdf = tmp_path / "report.pdf"
    _chromium(chromium, tmp_path, page, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    assert pdf.stat().st_size > 10_000 and pdf.read_bytes()[:5] == b"%PDF-"

    dom = Page(_chromium(chromium, tmp_path, page, "--dump-dom").decode("utf-8"))
    _assert_script_did_not_run(dom)
    for claim in report.all_claims():
        assert squash(claim.text) in dom.text, claim.text
    for study in report.studies():
        assert squash(study.citation) in dom.text, study.pmid
    assert "RETRACTED" in dom.text


def test_escaping_alone_keeps_scripts_inert(chromium: str, report: Report, tmp_path: Path) -> None:
    """Without the Content-Security-Policy meta, escaping is what keeps the script text."""
    html = render(report, "html").decode("utf-8")
    start = html.index('<meta http-equiv="Content-Security-Policy"')
    html = html[:start] + html[html.index(">", start) + 1 :]
    page = tmp_path / "no-csp.html"
    page.write_text(html, encoding="utf-8")
    dom = Page(_chromium(chromium, tmp_path, page, "--dump-dom").decode("utf-8"))
    _assert_script_did_not_run(dom)


def test_harness_sees_a_script_that_runs(chromium: str, tmp_path: Path) -> None:
    """Control: the same script, unescaped, does run and is detected."""
    page = tmp_path / "control.html"
    page.write_text(f"<!DOCTYPE html><title>Citation report</title><body>{SCRIPT}</body>")
    dom = Page(_chromium(chromium, tmp_path, page, "--dump-dom").decode("utf-8"))
    assert dom.title == "pwned" and "pwned" in dom.ids


def _assert_script_did_not_run(dom: Page) -> None:
    assert dom.title.startswith("Citation report")
    assert "pwned" not in dom.ids
    assert "script" not in dom.tags
    assert SCRIPT in dom.text  # shown as text


# ---- red flags and print layout (issue 13 items 7 and 11) -------------------------------------

# Page sizes in PostScript points, as the PDF's media box gives them.
PAPER = {"A4": (595.0, 842.0), "letter": (612.0, 792.0)}


@pytest.fixture
def review_db(tmp_path: Path) -> ReviewDb:
    db = build_review_db(tmp_path / "db")
    yield db
    db.engine.dispose()


def _print(chromium: str, tmp: Path, html: str, size: str) -> list[list[str]]:
    """The report printed on `size` paper: each page's non-empty text lines. The size is
    what a printer would ask for; the report itself sets none."""
    from pypdf import PdfReader

    page = tmp / f"print-{size}.html"
    page.write_text(html.replace("</style>", f"@page {{ size: {size}; }}\n</style>", 1), "utf-8")
    pdf = tmp / f"print-{size}.pdf"
    _chromium(chromium, tmp, page, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    reader = PdfReader(str(pdf))
    width, height = PAPER[size]
    pages = []
    for p in reader.pages:
        box = p.mediabox
        assert abs(float(box.width) - width) < 2 and abs(float(box.height) - height) < 2
        text = unicodedata.normalize("NFKC", p.extract_text())  # ligatures: "ﬂ" is "fl"
        pages.append([line.strip() for line in text.splitlines() if line.strip()])
    return pages


def _headings(html: str) -> list[str]:
    found = re.findall(r"<h[1-3][^>]*>(.*?)</h[1-3]>", html, flags=re.S)
    return [" ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", h)).split()) for h in found]


def _ends_with_heading(lines: list[str], headings: list[str]) -> str | None:
    """The heading a page ends with (a page's title with only its line of facts after it
    counts), or None."""
    while lines and re.match(r"document \d+, version \d+", lines[-1]):
        lines = lines[:-1]
    line = lines[-1] if lines else ""
    for heading in headings:
        if len(line) >= 6 and (line.startswith(heading) or heading.startswith(line)):
            return heading
    return None


@pytest.mark.parametrize("size", ["A4", "letter"])
def test_report_prints_without_blank_first_page_or_orphaned_heading(
    chromium: str, report: Report, review_db: ReviewDb, tmp_path: Path, size: str
) -> None:
    for name, rep in (("export", report), ("review", review_report(review_db))):
        html = render(rep, "html").decode("utf-8")
        headings = _headings(html)
        pages = _print(chromium, tmp_path, html, size)
        assert len(pages) >= 3, name
        first = " ".join(pages[0])
        assert "Citation report" in first and "Red flags" in first, (name, size)
        for number, lines in enumerate(pages, start=1):
            assert len(lines) >= 3, f"{name} {size}: page {number} is (nearly) blank"
            if number < len(pages):
                orphan = _ends_with_heading(lines, headings)
                assert orphan is None, f"{name} {size}: page {number} ends with {orphan!r}"


def test_links_print_with_their_address(chromium: str, review_db: ReviewDb, tmp_path: Path) -> None:
    html = render(review_report(review_db), "html").decode("utf-8")
    text = "".join("".join(lines) for lines in _print(chromium, tmp_path, html, "A4"))
    text = "".join(text.split())
    assert "PubMedrecord(https://pubmed.ncbi.nlm.nih.gov/91000001/)" in text
    assert "(#claim" not in text  # links inside the report print no address


def test_red_flags_come_first_and_link_to_their_claims(
    chromium: str, review_db: ReviewDb, tmp_path: Path
) -> None:
    page = tmp_path / "review.html"
    write_atomic(page, render(review_report(review_db), "html"))
    html = _chromium(chromium, tmp_path, page, "--dump-dom").decode("utf-8")
    dom = Page(html)
    assert html.index('id="red-flags"') < html.index('class="claim"')
    links = [v for tag, name, v in dom.attrs if tag == "a" and name == "href" and v[0] == "#"]
    assert len(links) == 9 and all(v[1:] in dom.ids for v in links)
    pain = review_db.claim_ids[PAIN_CLAIM]
    assert f"Figure in no cited abstract claim {pain} : 60%: not in the abstract" in dom.text
    assert "Retracted source" in dom.text and "Sentence skipped by the extractor" in dom.text
    flags_text = dom.text[: dom.text.index("Claim 1 ")]
    assert "not found (PMID 99999991 is not in PubMed)" in flags_text
