"""The HTML report in real headless Chromium: screenshot, PDF, and the rendered DOM.

Skipped when /usr/bin/chromium is absent, unless $CI is set (then it fails).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from ldn_evidence.export import render, write_atomic
from ldn_evidence.export.model import Report
from tests.export.hostile import SCRIPT
from tests.export.htmltext import Page, squash

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
