"""The report's "Stronger evidence on the same question": a claim's last `evidence` run
(made against the local E-utilities server) under the claim in HTML and Markdown, in the
JSON export and the CSV columns; nothing for a claim never searched; hostile titles and
sentences stay text. `latest_evidence_for` reads many claims' last runs in a fixed number
of statements."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import sqlalchemy as sa
from markdown_it import MarkdownIt

from ldn_evidence.export import render
from ldn_evidence.export.json_out import load_schema
from ldn_evidence.viewmodel import ClaimEntry, Report
from tests.eutils_server import FakeEutils, make_article
from tests.export.hostile import SCRIPT
from tests.export.htmltext import Page, squash
from tests.export.test_export_chromium import CHROMIUM, _chromium, _print
from tests.helpers.workflows import fast_client, units
from tests.services.test_evidence import ARTICLES, REVIEW

RAN_AT = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)
GENERATED_AT = datetime(2026, 6, 1, 9, 30, tzinfo=UTC)
HOSTILE_PMID = "209"
HOSTILE_TITLE = SCRIPT + " Low-dose naltrexone for fibromyalgia: a meta-analysis"
HOSTILE_SENTENCE = (
    "Low-dose naltrexone reduced fibromyalgia pain by 30% <img src=x onerror=alert(1)> "
    "compared with placebo."
)
HEADING = "Stronger evidence on the same question"
NOT_CITED = (
    "These studies are not cited by the page, and none is linked to the claim unless a "
    "reviewer cites it."
)


@pytest.fixture
def claims(engine: sa.Engine, fake: FakeEutils) -> tuple[int, int]:
    """(searched, never searched): two claims citing the pilot PMID 100; `evidence` run
    for the first (since 2015), its date set to RAN_AT."""
    from ldn_evidence.models import Citation, Claim, EvidenceRun, Study
    from ldn_evidence.services.evidence import find_evidence
    from ldn_evidence.services.fetching import fetch

    articles = dict(ARTICLES)
    articles[HOSTILE_PMID] = (
        "2025",
        HOSTILE_TITLE,
        "Twelve randomized trials with 2000 participants were included. " + HOSTILE_SENTENCE,
        REVIEW,
    )
    for pmid, (year, title, abstract, types) in articles.items():
        fake.add_article(
            pmid, make_article(pmid, title, abstract, year=year, publication_types=types)
        )
    client = fast_client()
    fetch(units=units(engine), client=client, pmids=["100"])
    with units(engine)() as s:
        study = s.scalars(sa.select(Study).where(Study.pmid == "100")).one()
        searched, other = (
            Claim(
                text=text,
                intervention="low-dose naltrexone",
                condition="fibromyalgia",
                citations=[Citation(study=study)],
            )
            for text in (
                "Low-dose naltrexone reduced fibromyalgia pain by 30%.",
                "Low-dose naltrexone is well tolerated.",
            )
        )
        s.add_all([searched, other])
        s.flush()
        ids = (searched.id, other.id)
    find_evidence(units=units(engine), client=client, claim_id=ids[0], since=2015)
    with units(engine)() as s:
        s.execute(sa.update(EvidenceRun).values(ran_at=RAN_AT))
    return ids


def _report(engine: sa.Engine) -> Report:
    from ldn_evidence.db import session_scope
    from ldn_evidence.services.report import build_report

    with session_scope(engine) as s:
        return build_report(session=s, generated_at=GENERATED_AT)


def _entry(report: Report, claim_id: int) -> ClaimEntry:
    return next(c for c in report.all_claims() if c.id == claim_id)


def _article(html: str, claim_id: int) -> str:
    start = html.index(f'<article class="claim" id="claim-{claim_id}">')
    return html[start : html.index("</article>", start)]


def test_the_view_holds_the_last_run(engine: sa.Engine, claims: tuple[int, int]) -> None:
    searched, other = claims
    report = _report(engine)
    assert _entry(report, other).stronger_evidence is None
    ev = _entry(report, searched).stronger_evidence
    assert ev is not None
    assert ev.ran_at == "2026-05-01T08:00:00+00:00"
    assert ev.query.startswith("(low-dose naltrexone) AND (fibromyalgia) AND ")
    assert ev.found == 6 and ev.ranked == 7  # 201-203, 207-209 fetched, and the pilot
    assert [(s.pmid, s.rank, s.participants) for s in ev.cited] == [("100", 5, 10)]
    assert [(s.pmid, s.level, s.participants) for s in ev.stronger] == [
        ("209", "systematic_review", 2000),
        ("201", "systematic_review", 1200),
        ("202", "rct", 99),
        ("203", "controlled_trial", 40),
    ]
    verdicts = {s.pmid: s.verdict for s in ev.stronger}
    assert verdicts == {
        "209": "supported",
        "201": "supported",
        "202": "contradicted",
        "203": "partially_supported",
    }
    assert ev.stronger[0].evidence_sentence == HOSTILE_SENTENCE
    assert ev.summary == "4 stronger studies: 2 support, 1 partly supports, 1 contradicts"


def test_html_section_under_the_searched_claim_only(
    engine: sa.Engine, claims: tuple[int, int]
) -> None:
    searched, other = claims
    html = render(_report(engine), "html").decode("utf-8")
    assert html.count(HEADING) == 1
    assert HEADING not in _article(html, other)
    text = Page(_article(html, searched)).text
    assert text.index("Source Level & flags") < text.index(HEADING)  # below the claim's own sources
    assert "From the evidence run of 2026-05-01" in text and NOT_CITED in text
    assert "4 stronger studies: 2 support, 1 partly supports, 1 contradicts" in text
    assert "Cited: PMID 100 ranks 5th of 7 (3 · Other controlled trial, N = 10)" in (text)
    assert '<code>evidence</code> run of <time datetime="2026-05-01T08:00:00+00:00">' in html
    assert (
        squash(
            "Low-dose naltrexone for pain in fibromyalgia: a randomized controlled trial "
            "Test Journal (2021). PMID 202 2 · Randomized controlled trial, N = 99 contradicted "
            "“Low-dose naltrexone did not reduce fibromyalgia pain compared with placebo.”"
        )
        in text
    )
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/201/"' in html
    # the list numbers the studies by their place in the ranking
    assert re.findall(r'<li value="(\d+)">', html) == ["1", "2", "3", "4"]
    # what is stronger is shown, not what ranks below the cited study
    assert "PMID 208" not in text and "PMID 207" not in text


def test_html_escapes_titles_and_sentences(engine: sa.Engine, claims: tuple[int, int]) -> None:
    html = render(_report(engine), "html").decode("utf-8")
    page = Page(html)
    assert "script" not in page.tags and "img" not in page.tags
    assert "<script" not in html.lower() and "<img" not in html.lower()
    assert squash(HOSTILE_TITLE) in page.text
    assert f"“{squash(HOSTILE_SENTENCE)}”" in page.text


def _markdown(report: Report) -> tuple[str, Page]:
    text = render(report, "markdown").decode("utf-8")
    return text, Page(MarkdownIt("commonmark", {"html": True}).render(text))


def test_markdown_section(engine: sa.Engine, claims: tuple[int, int]) -> None:
    searched, other = claims
    text, page = _markdown(_report(engine))
    assert text.count(f"#### {HEADING}") == 1
    assert searched < other  # the searched claim's block ends where the other's begins
    assert HEADING in text[text.index(f"### Claim {searched}") : text.index(f"### Claim {other}")]
    assert "From the `evidence` run of 2026-05-01. " + NOT_CITED in text
    assert "From the evidence run of 2026-05-01" in page.text  # `evidence` as code
    assert "4 stronger studies: 2 support, 1 partly supports, 1 contradicts" in page.text
    assert "Cited: PMID 100 ranks 5th of 7 (3 · Other controlled trial, N = 10)" in (page.text)
    assert "Ranked 3rd: Low-dose naltrexone for pain in fibromyalgia" in page.text
    assert "Verdict on the claim: contradicted" in page.text
    assert (
        "Deciding sentence: “Low-dose naltrexone did not reduce fibromyalgia pain compared "
        "with placebo.”" in page.text
    )
    # hostile values stay text
    assert "script" not in page.tags and "img" not in page.tags
    assert squash(HOSTILE_TITLE) in page.text and squash(HOSTILE_SENTENCE) in page.text
    assert "<script>" not in text


def test_json_export(engine: sa.Engine, claims: tuple[int, int]) -> None:
    searched, other = claims
    data = json.loads(render(_report(engine), "json"))
    schema = load_schema()
    validator_cls = jsonschema.validators.validator_for(schema)
    validator = validator_cls(schema, format_checker=validator_cls.FORMAT_CHECKER)
    errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(data)]
    assert not errors, errors
    by_id: dict[int, dict[str, Any]] = {c["id"]: c for c in data["claims_without_document"]}
    assert by_id[other]["stronger_evidence"] is None
    ev = by_id[searched]["stronger_evidence"]
    assert ev["ran_at"] == "2026-05-01T08:00:00+00:00"
    assert ev["summary"] == "4 stronger studies: 2 support, 1 partly supports, 1 contradicts"
    assert [s["pmid"] for s in ev["stronger"]] == ["209", "201", "202", "203"]
    assert ev["stronger"][0]["title"] == HOSTILE_TITLE  # verbatim in JSON
    assert ev["stronger"][2]["verdict"] == "contradicted"
    assert [(s["pmid"], s["rank"], s["cited"]) for s in ev["cited"]] == [("100", 5, True)]
    # a section that drifts from the schema is refused
    ev["stronger"][0]["surprise"] = 1
    assert len(list(validator.iter_errors(data))) == 1


def test_csv_columns(engine: sa.Engine, claims: tuple[int, int]) -> None:
    searched, other = claims
    text = render(_report(engine), "csv").decode("utf-8")
    rows = {int(r["claim_id"]): r for r in csv.DictReader(io.StringIO(text))}
    assert rows[searched]["evidence_run"] == "2026-05-01"
    assert rows[searched]["stronger_evidence"] == (
        "4 stronger studies: 2 support, 1 partly supports, 1 contradicts"
    )
    assert rows[searched]["stronger_pmids"] == "209; 201; 202; 203"
    assert rows[searched]["pmid"] == "100"  # the row is still the claim and its source
    assert [rows[other][c] for c in ("evidence_run", "stronger_evidence", "stronger_pmids")] == [
        "",
        "",
        "",
    ]


@pytest.mark.slow
def test_no_section_without_a_run(engine: sa.Engine, claims: tuple[int, int]) -> None:
    from ldn_evidence.models import EvidenceRun

    with units(engine)() as s:
        s.execute(sa.delete(EvidenceRun))
    report = _report(engine)
    assert all(c.stronger_evidence is None for c in report.all_claims())
    for fmt in ("html", "markdown"):
        assert HEADING not in render(report, fmt).decode("utf-8"), fmt


@pytest.fixture
def chromium() -> str:
    """As in test_export_chromium: skipped without /usr/bin/chromium, unless $CI is set."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is required in CI")
        pytest.skip(f"{CHROMIUM} not installed")
    return CHROMIUM


@pytest.mark.slow
def test_chromium_keeps_the_section_inert_and_prints_it(
    chromium: str, engine: sa.Engine, claims: tuple[int, int], tmp_path: Path
) -> None:
    """In headless Chromium, without the Content-Security-Policy: the hostile title's
    script stays text; the section prints (A4) with its heading, summary and studies."""
    html = render(_report(engine), "html").decode("utf-8")
    start = html.index('<meta http-equiv="Content-Security-Policy"')
    page = tmp_path / "no-csp.html"
    page.write_text(html[:start] + html[html.index(">", start) + 1 :], encoding="utf-8")
    dom = Page(_chromium(chromium, tmp_path, page, "--dump-dom").decode("utf-8"))
    assert dom.title == "Citation report" and "pwned" not in dom.ids
    assert "script" not in dom.tags and squash(HOSTILE_TITLE) in dom.text
    printed = " ".join(" ".join(lines) for lines in _print(chromium, tmp_path, html, "A4"))
    for text in (HEADING, "4 stronger studies", "PMID 203", "Cited: PMID 100 ranks 5th of 7"):
        assert text in printed, text


@pytest.mark.parametrize("fmt", ["json", "html", "markdown", "csv"])
@pytest.mark.slow
def test_streamed_report_holds_the_same_runs(
    engine: sa.Engine, claims: tuple[int, int], fmt: str
) -> None:
    """The streamed report reads each batch's last runs: the same bytes as built whole."""
    from ldn_evidence.db import read_scope
    from ldn_evidence.export import render_chunks
    from ldn_evidence.services.report_stream import report_stream

    whole = render(_report(engine), fmt)
    with read_scope(engine) as conn:
        stream = report_stream(conn=conn, generated_at=GENERATED_AT, batch_size=1)
        assert b"".join(render_chunks(stream, fmt)) == whole
