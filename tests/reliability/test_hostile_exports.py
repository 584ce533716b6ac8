"""Stored values written to break the exports they end up in (rows written straight to the
database, as an older version or another tool could have stored them):

- a URL with a line break ends a Markdown link and the rest is read as Markdown;
- a claim "---" is a thematic break, and the claim disappears;
- a cell starting with a full-width "＝", "｜" or "|" is a formula in some spreadsheets;
- a "}" in a title closes a BibTeX field early for classic BibTeX and biber, however it
  is backslash-escaped, and the rest becomes fields of its own;
- terminal escapes in any value reach the CSV and Markdown files.
"""

from __future__ import annotations

import csv
import html
import io
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from ldn_evidence.export.csv_out import neutralise
from ldn_evidence.export.markdown_out import md_escape, md_link
from tests.conftest import Cli
from tests.export.htmltext import Page
from tests.helpers.bibtex import FIELDS, bibtex_run, decoded, parse_decoded, run_bibtex

TRACKER = "https://tracker.example/pixel.gif"
BREAKOUT_URL = f"https://page.example/a\n![t]({TRACKER}) [x](javascript:alert(1)) <b>"
BLOCK_CLAIMS = ["---", "***", "- - -", "___", "===", "+ plus", "1) one", ": term", "> quote"]
ESCAPES = "\x1b]52;c;ZWNobyBwd25lZA==\x07\x1b[2J\x1b[31mred\x9b0m"
BRACE_TITLE = "x } , note = {injected} , title = {Forged"
BRACE_AUTHOR = "Doe}, note = {author-injected"
EMPTY = dict.fromkeys(FIELDS, "")
FORMULA_CELLS = ["＝1+1", "｜calc", "|calc", "＋1", "－1", "＠SUM(A1)", "\x1b=1+1"]


def _md_html(markdown: str) -> str:
    return MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown)


def _store_hostile_rows(url: str) -> None:
    from ldn_evidence.db import make_engine, session_scope
    from ldn_evidence.models import Citation, Claim, Reference, SourceDocument, Study, StudyAuthor

    engine = make_engine(url)
    with session_scope(engine) as s:
        study = Study(
            pmid="777",
            title=BRACE_TITLE + ESCAPES,
            journal_title="J } Evil {",
            pub_year=2020,
            origin="efetch",
        )
        study.authors = [StudyAuthor(position=0, last_name=BRACE_AUTHOR, fore_name="Jane")]
        doc = SourceDocument(title="Page" + ESCAPES, url=BREAKOUT_URL)
        web = Reference(
            document=doc, position=1, raw="web", url=BREAKOUT_URL, kind="web", status="web"
        )
        claims = [Claim(document=doc, position=i, text=t) for i, t in enumerate(BLOCK_CLAIMS)]
        claims += [
            Claim(document=doc, position=100 + i, text=t) for i, t in enumerate(FORMULA_CELLS)
        ]
        escape_claim = Claim(document=doc, position=200, text="Zinc" + ESCAPES)
        s.add_all([study, doc, web, escape_claim, *claims])
        s.flush()
        s.add(Citation(claim=claims[0], reference=web, origin="page"))
        s.add(Citation(claim=escape_claim, study=study, origin="reviewer"))
    engine.dispose()


@pytest.fixture
def hostile_db(sqlite_cli: tuple[Cli, str]) -> tuple[Cli, str]:
    cli, url = sqlite_cli
    _store_hostile_rows(url)
    return cli, url


def _export(cli: Cli, fmt: str, tmp_path: Path) -> str:
    out = tmp_path / f"report.{fmt}"
    result = cli("export", "-f", fmt, "-o", str(out))
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


def test_markdown_link_break_out(hostile_db: tuple[Cli, str], tmp_path: Path) -> None:
    cli, _url = hostile_db
    text = _export(cli, "markdown", tmp_path)
    page = Page(_md_html(text))
    assert "img" not in page.tags, "a line break in a URL let an image through"
    assert "b" not in page.tags
    hrefs = [v for tag, name, v in page.attrs if tag == "a" and name == "href"]
    assert not any((h or "").startswith("javascript:") for h in hrefs)
    assert "https://page.example/a%0A!%5Bt%5D" not in text  # encoded, not escaped twice
    assert any((h or "").startswith("https://page.example/a%0A") for h in hrefs), hrefs


def test_md_link_encodes_what_ends_a_link() -> None:
    for url in (
        "https://e.org/a\nb",
        "https://e.org/a\rb",
        "https://e.org/a>b",
        "https://e.org/a\\>b",
        "https://e.org/a\u2028b",
        "https://e.org/a b",
        "https://e.org/a\x1b[2Jb",
    ):
        for label in ("label", url):
            html = _md_html("- " + md_link(label, url) + "\n")
            page = Page(html)
            assert page.tags == ["ul", "li", "a"], (url, html)
            (href,) = [v for tag, name, v in page.attrs if tag == "a" and name == "href"]
            assert (href or "").startswith("https://e.org/a%") and href.endswith("b"), href
            assert "\x1b" not in html


def test_block_constructs_at_line_start_stay_text(
    hostile_db: tuple[Cli, str], tmp_path: Path
) -> None:
    cli, _url = hostile_db
    rendered = _md_html(_export(cli, "markdown", tmp_path))
    assert "<hr" not in rendered, "a claim became a thematic break"
    for claim in BLOCK_CLAIMS:
        assert f"<blockquote>\n<p>{html.escape(claim)}</p>" in rendered, claim


@pytest.mark.parametrize("claim", [*BLOCK_CLAIMS, "= x", "1. x", "10) x", "+", "-", "#", "```"])
def test_md_escape_opens_no_block(claim: str) -> None:
    text = html.escape(claim)
    for prefix, expected in (
        ("> ", f"<blockquote>\n<p>{text}</p>\n</blockquote>\n"),
        ("- ", f"<ul>\n<li>{text}</li>\n</ul>\n"),
        ("", f"<p>{text}</p>\n"),
    ):
        rendered = _md_html(f"Before\n\n{prefix}{md_escape(claim)}\n")
        assert rendered == "<p>Before</p>\n" + expected, (prefix, claim)


def test_csv_full_width_and_pipe_formulas_neutralised(
    hostile_db: tuple[Cli, str], tmp_path: Path
) -> None:
    cli, _url = hostile_db
    rows = list(csv.DictReader(io.StringIO(_export(cli, "csv", tmp_path))))
    texts = {r["claim_text"] for r in rows}
    for cell in FORMULA_CELLS:
        assert "'" + cell.replace("\x1b", "") in texts, cell
    for value in (*FORMULA_CELLS, "|x", "｜x", "＝x"):
        assert neutralise(value).startswith("'"), value


def test_no_terminal_escapes_in_csv_or_markdown(
    hostile_db: tuple[Cli, str], tmp_path: Path
) -> None:
    cli, _url = hostile_db
    for fmt in ("csv", "markdown"):
        text = _export(cli, fmt, tmp_path)
        assert "\x1b" not in text and "\x9b" not in text and "\x07" not in text, fmt
        assert "Zinc]52;c;ZWNobyBwd25lZA==" in text.replace("\\", ""), fmt


@pytest.mark.slow
def test_bibtex_braces_balanced_for_bibtexparser(
    hostile_db: tuple[Cli, str], tmp_path: Path
) -> None:
    cli, _url = hostile_db
    text = _export(cli, "bibtex", tmp_path)
    library = parse_decoded(text)
    assert library.failed_blocks == []
    (entry,) = library.entries
    assert "note" not in entry.fields_dict
    assert decoded(entry["title"]).startswith(BRACE_TITLE)
    assert entry["author"].startswith(BRACE_AUTHOR)
    assert entry["journal"] == "J } Evil {"


@pytest.mark.slow  # runs bibtex
def test_bibtex_braces_balanced_for_real_bibtex(
    hostile_db: tuple[Cli, str], tmp_path: Path
) -> None:
    cli, _url = hostile_db
    text = _export(cli, "bibtex", tmp_path)
    work = tmp_path / "bibtex"
    work.mkdir()
    entries = run_bibtex(text, work)
    assert list(entries) == [next(iter(parse_decoded(text).entries)).key]
    (fields,) = entries.values()
    assert fields["note"] == "", "a } in a field closed it early: a note was injected"
    assert fields["title"].startswith(r"x \textbraceright{} , note = \textbraceleft{}injected")
    assert "Forged" in fields["title"]
    assert fields["author"].startswith(r"Doe\textbraceright{}, note = \textbraceleft{}author")
    assert fields["journal"] == r"J \textbraceright{} Evil \textbraceleft{}"


@pytest.mark.slow  # runs bibtex
def test_bibtex_control_the_old_escaping_breaks_real_bibtex(tmp_path: Path) -> None:
    r"""The attack escaped the old way (`\}`, `\{`) reads back in bibtexparser, but the
    real bibtex closes the title at `\}`: an error, or a field of the attacker's."""
    old = "x \\} , note = \\{injected"
    text = f"@article{{k,\n  title = {{{old}}},\n}}\n"
    assert parse_decoded(text).failed_blocks == []
    code, log, _entries = bibtex_run(text, tmp_path)
    assert code != 0 and "skipping whatever remains of this entry" in log, log
    injected = "@article{k,\n  title = {x \\} , note = {injected},\n  year = {2020},\n}\n"
    assert run_bibtex(injected, tmp_path)["k"] == {**EMPTY, "title": "x \\", "note": "injected"}
