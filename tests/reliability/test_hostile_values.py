"""Values that would carry terminal escapes or Markdown break-outs into the database.

A page's C0/C1 control characters (raw, or written as `&#27;` …) are dropped from its
text, title and links; a dataset value or a typed argument holding one is refused with
one line naming where it is; a URL with a line break or control character (a page's
`--url`, a dataset's `url`, a DOI typed as a link) is refused. Nothing is stored.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.reliability.conftest import all_text, assert_one_line_error, dump

# Every control character but tab and newline, as the database must never hold them
# (repr() of a row shows them escaped: \x1b, \x9b, \r …).
STORED_CONTROL = re.compile(r"\\x(?:[01][0-9a-f]|7f|[89][0-9a-f])|\\r", re.IGNORECASE)
TRACKER = "![t](https://tracker.example/p.gif)"

HOSTILE_PAGE = (
    "<html><head><title>Zinc&#27;]0;owned&#7; facts&#x9b;</title></head><body>"
    "<p>Zinc &#27;]52;c;ZWNobyBwd25lZA==&#7;shortened colds by 33%&#27;[2J in adults.</p>"
    '<p>See <a href="https://ok.example/a&#10;' + TRACKER + '">the &#1;study</a> and '
    '<a href="https://bad.example/x&#27;[31my">this one</a>.</p></body></html>'
)


def _stored_controls(url: str) -> list[str]:
    return STORED_CONTROL.findall(all_text(url))


def test_page_controls_never_reach_the_database(
    sqlite_cli: tuple[Cli, str], tmp_path: Path
) -> None:
    cli, url = sqlite_cli
    page = tmp_path / "hostile.html"
    page.write_text(HOSTILE_PAGE, encoding="utf-8")
    result = cli("extract", str(page), "--no-fetch", "--json")
    assert result.exit_code == 0, result.output
    assert _stored_controls(url) == []
    stored = all_text(url)
    assert "shortened colds by 33%[2J in adults" in stored  # the text is kept, less ESC
    assert "ok.example/a![t]" in stored  # a line break in an href is dropped, as browsers do
    assert "bad.example" not in stored  # an href with an escape in it is not a link
    assert "\\n" + TRACKER not in stored


def test_text_page_controls_never_reach_the_database(
    sqlite_cli: tuple[Cli, str], tmp_path: Path
) -> None:
    cli, url = sqlite_cli
    page = tmp_path / "hostile.txt"
    page.write_bytes(
        b"Zinc facts\x1b]0;owned\x07\r\n\r\nZinc shortened colds\x0bby 33%\x1b[2J in adults.\r\n"
        b"\xc2\x9b31mRed\x7f text.\n"
    )
    result = cli("extract", str(page), "--no-fetch", "--json")
    assert result.exit_code == 0, result.output
    assert _stored_controls(url) == []
    assert "Zinc shortened colds by 33%[2J in adults." in all_text(url)


@pytest.mark.parametrize(
    "given",
    [
        ("--url", "https://page.example/a\n" + TRACKER),
        ("--url", "https://page.example/a\r\nb"),
        ("--url", "https://page.example/a\tb"),
        ("--url", "https://page.example/\x1b[2J"),
        ("--url", "https://page.example/\u2028x"),
        ("--title", "Zinc\x1b]0;owned\x07"),
    ],
)
@pytest.mark.slow
def test_extract_refuses_hostile_url_and_title(
    sqlite_cli: tuple[Cli, str], tmp_path: Path, given: tuple[str, str]
) -> None:
    cli, url = sqlite_cli
    page = tmp_path / "page.txt"
    page.write_text("Zinc shortened colds by 33% in adults.\n", encoding="utf-8")
    before = dump(url)
    for dry in ((), ("--dry-run",)):
        result = cli("extract", str(page), "--no-fetch", *given, *dry)
        assert result.exit_code == 1, result.output
        assert_one_line_error(result.stderr, "control character")
        assert "\x1b" not in result.stderr
    assert dump(url) == before


YAML_CASES = {
    "document-url": ('document:\n  url: "https://a.example/x\\n{tracker}"\n', 3, "document.url"),
    "reference-url": (
        'references:\n  - id: r1\n    raw: x\n    kind: web\n    url: "https://a.example/\\tb"\n',
        6,
        "references[0].url",
    ),
    "claim-text": ('claims:\n  - text: "Zinc\\e[2J cut colds by 33%."\n', 3, "claims[0].text"),
    "claim-outcome": (
        'claims:\n  - text: Zinc cut colds.\n    outcome: "colds\\x9b31m"\n',
        4,
        "claims[0].outcome",
    ),
    "document-text": ('document:\n  text: "Page\\e]52;c;eA==\\a"\n', 3, "document.text"),
    "study-title": (
        'studies:\n  - pmid: "5"\n    title: "T\\e[2J"\n    publication_types: ["RCT\\r"]\n',
        4,
        "studies[0].title",
    ),
    "publication-type": (
        'studies:\n  - pmid: "5"\n    title: T\n    publication_types: ["RCT\\r"]\n',
        5,
        "studies[0].publication_types[0]",
    ),
}


@pytest.mark.parametrize("case", list(YAML_CASES))
def test_load_refuses_control_characters_naming_line_and_key(
    sqlite_cli: tuple[Cli, str], tmp_path: Path, case: str
) -> None:
    cli, url = sqlite_cli
    body, line, key = YAML_CASES[case]
    path = tmp_path / f"{case}.yaml"
    path.write_text(
        "format: ldn-evidence/1\n" + body.format(tracker=TRACKER.replace("\\", "")),
        encoding="utf-8",
    )
    before = dump(url)
    result = cli("load", str(path))
    assert result.exit_code == 1, result.output
    assert_one_line_error(result.stderr, f"{path}, line {line}: {key}: ", "U+00")
    assert dump(url) == before


@pytest.mark.parametrize(
    ("row", "column"),
    [
        ('"Zinc cut colds\x1b[2J by 33%."', "text"),
        ('"Zinc cut colds by 33%.",,"https://a.example/x\n![t](y)"', "document_url"),
        ('"Zinc cut colds by 33%.","flu\x07"', "condition"),
    ],
)
def test_load_csv_refuses_control_characters(
    sqlite_cli: tuple[Cli, str], tmp_path: Path, row: str, column: str
) -> None:
    cli, url = sqlite_cli
    path = tmp_path / "claims.csv"
    path.write_text(f"text,condition,document_url\n{row}\n", encoding="utf-8", newline="")
    before = dump(url)
    result = cli("load", str(path))
    assert result.exit_code == 1, result.output
    assert_one_line_error(result.stderr, f"{path}, line 2: {column}: ")
    assert dump(url) == before


def test_load_csv_keeps_windows_line_breaks_inside_cells(
    sqlite_cli: tuple[Cli, str], tmp_path: Path
) -> None:
    cli, url = sqlite_cli
    path = tmp_path / "claims.csv"
    path.write_bytes(b'text\r\n"Zinc cut colds\r\nby 33%."\r\n')
    assert cli("load", str(path)).exit_code == 0
    assert _stored_controls(url) == []


@pytest.mark.parametrize(
    "argv",
    [
        ("claims", "add", "Zinc cut colds\x1b[2J by 33%."),
        ("claims", "add", "Zinc cut colds by 33%.", "--condition", "colds\x9b31m"),
        ("claims", "add", "Zinc cut colds by 33%.", "--figure", "33%\x1b[2J"),
        ("claims", "cite", "1", "10.1000/x\x1b[2J"),
        ("claims", "cite", "1", "https://doi.org/10.1000/x%0A![t](https://tracker.example/p)"),
        ("claims", "cite", "1", "https://doi.org/10.1000/x%1B%5B2J"),
        ("claims", "check", "1", "23359310", "--verdict", "supported", "--note", "ok\x1b[2J"),
        ("claims", "check", "1", "23359310", "--verdict", "supported", "--by", "Eve\x07"),
    ],
)
@pytest.mark.slow
def test_typed_values_with_control_characters_are_refused(
    sqlite_cli: tuple[Cli, str], seed_file: Path, argv: tuple[str, ...]
) -> None:
    cli, url = sqlite_cli
    assert cli("load", str(seed_file)).exit_code == 0
    before = dump(url)
    result = cli(*argv)
    assert result.exit_code == 1, result.output
    assert_one_line_error(result.stderr)
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert dump(url) == before


def test_valid_values_still_load(sqlite_cli: tuple[Cli, str], tmp_path: Path) -> None:
    """Tabs and newlines are text; a URL with a space is a URL (encoded on output)."""
    cli, url = sqlite_cli
    path = tmp_path / "ok.yaml"
    path.write_text(
        "format: ldn-evidence/1\ndocument:\n  url: https://a.example/a b\n"
        '  text: "line one\\n\\tline two"\nclaims:\n  - text: |\n      Zinc cut colds\n'
        "      by 33%.\n",
        encoding="utf-8",
    )
    result = cli("load", str(path), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["document_id"]
    assert _stored_controls(url) == []
