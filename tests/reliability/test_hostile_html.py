"""Hostile pages to `extract`: script/style never become claims, huge or binary pages are
refused with one line, broken and deeply nested markup degrade without a traceback, and
a long page costs time in proportion to its length."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.reliability.conftest import SECRET, all_text, assert_one_line_error, dump

CLAIM = b"Zinc shortened colds by 33% in adults."

SCRIPTED = (
    b"<html><head><title>Zinc</title>"
    b"<style>p::after{content:'Naltrexone cut pain by 91% in women.'}</style>"
    b"<script>var claim = 'Naltrexone cut pain by 92% in women.';</script></head><body>"
    b"<p>" + CLAIM + b"</p>"
    b"<script type='text/javascript'>document.write('Naltrexone cut pain by 93% in women.')"
    b"</script><noscript>Naltrexone cut pain by 94% in women.</noscript>"
    b"<template><p>Naltrexone cut pain by 95% in women.</p></template>"
    b"<svg><script>alert('Naltrexone cut pain by 96% in women.')</script></svg>"
    b"<p onclick=\"alert('Naltrexone cut pain by 97% in women.')\">Ginger eased nausea in "
    b"70% of pregnant women.</p>"
    b"<SCRIPT>var x = '</p>Naltrexone cut pain by 98% in women.';</SCRIPT>"
    b"<style><!-- p { } --></style><script><!-- Naltrexone cut pain by 99% in women. --></script>"
    b"</body></html>"
)


def _claims(result) -> list[str]:  # type: ignore[no-untyped-def]
    assert result.exit_code == 0, result.output
    return [c["text"] for c in json.loads(result.stdout)["claims"]]


def test_script_and_style_never_become_claims(cli: Cli, db_url: str, tmp_path: Path) -> None:
    page = tmp_path / "scripted.html"
    page.write_bytes(SCRIPTED)
    texts = _claims(cli("extract", str(page), "--no-fetch", "--json"))
    assert any("33%" in t for t in texts) and any("70%" in t for t in texts)
    assert not any("Naltrexone" in t or "alert" in t or "var " in t for t in texts), texts
    stored = all_text(db_url)
    for n in range(91, 100):
        assert f"by {n}%" not in stored, n


def test_huge_page_refused_with_a_clear_message(cli: Cli, db_url: str, tmp_path: Path) -> None:
    page = tmp_path / "huge.html"
    with page.open("wb") as fh:
        fh.write(b"<html><body>")
        for _ in range(6 * 1024):
            fh.write(b"<p>" + b"x" * 1017 + b"</p>")
    before = dump(db_url)
    result = cli("extract", str(page))
    assert result.exit_code == 1
    assert_one_line_error(result.stderr, str(page), "too large", "limit")
    assert dump(db_url) == before


def test_huge_page_on_stdin_refused(cli: Cli) -> None:
    result = cli("extract", "-", input="Zinc shortened colds by 33%. " * 200_000)
    assert result.exit_code == 1
    assert_one_line_error(result.stderr, "too large")


@pytest.mark.parametrize(
    ("name", "data", "fragment"),
    [
        ("nul.html", b"<p>" + CLAIM + b"</p>\x00\x00", "binary"),
        ("random.html", bytes(range(256)) * 400, "binary"),
        ("controls.txt", bytes(range(1, 9)) * 2000, "binary"),
        ("image.html", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "PNG"),
        ("doc.html", b"%PDF-1.7\n" + CLAIM * 10, "PDF"),
        ("zip.txt", b"PK\x03\x04" + b"\x00" * 50, "ZIP"),
        ("page.html", b"\x1f\x8b\x08\x00" + b"\x00" * 50, "gzip"),
        ("empty.html", b"", "empty"),
        ("blank.txt", b" \n\t\n " * 100, "empty"),
    ],
)
def test_binary_and_empty_pages_refused(
    sqlite_cli: tuple[Cli, str], tmp_path: Path, name: str, data: bytes, fragment: str
) -> None:
    cli, db_url = sqlite_cli
    page = tmp_path / name
    page.write_bytes(data)
    before = dump(db_url)
    result = cli("extract", str(page))
    assert result.exit_code == 1, result.output
    assert_one_line_error(result.stderr, str(page))
    assert fragment.lower() in result.stderr.lower()
    assert dump(db_url) == before


@pytest.mark.parametrize(
    ("name", "data"),
    [
        (
            "broken.html",
            b"<html><body><p>" + CLAIM + b"<div><table><td>unclosed <b><i>"
            b"</p></html></div></body>><<<>>><!-- a comment never closed <p>Lost.",
        ),
        ("unclosed-tags.html", b"<p>" + CLAIM + b"<p><p><p><b><b><i><a href='x" * 2000),
        (
            "deep-divs.html",
            b"<html><body>"
            + b"<div>" * 100_000
            + b"<p>"
            + CLAIM
            + b"</p>"
            + b"</div>" * 100_000
            + b"</body></html>",
        ),
        ("deep-inline.html", b"<p>" + b"<span><b>" * 50_000 + CLAIM + b"</b></span>" * 50_000),
        ("deep-unclosed.html", b"<p>" + CLAIM + b"</p>" + b"<div><ul><li>" * 40_000),
        ("utf16-bom.html", ("<p>" + CLAIM.decode() + "</p>").encode("utf-16")),
        ("declared-utf16.html", b'<meta charset="utf-16"><p>' + CLAIM + b"</p>"),
        ("latin1-declared-utf8.html", b'<meta charset="utf-8"><p>Caf\xe9: ' + CLAIM + b"</p>"),
        (
            "xml-entities.html",
            b'<?xml version="1.0"?><!DOCTYPE html [<!ENTITY x SYSTEM '
            b'"file:///etc/passwd">]><html><body><p>&x;' + CLAIM + b"</p></body></html>",
        ),
        ("cdata-and-pi.html", b"<p><![CDATA[ raw ]]><?php echo 1; ?>" + CLAIM + b"</p>"),
        ("huge-attribute.html", b'<p title="' + b"a" * 3_000_000 + b'">' + CLAIM + b"</p>"),
        ("one-long-word.txt", b"a" * 300_000 + b"\n\n" + CLAIM),
    ],
)
@pytest.mark.slow
def test_broken_and_nested_markup_degrades(
    sqlite_cli: tuple[Cli, str], tmp_path: Path, name: str, data: bytes
) -> None:
    cli, _url = sqlite_cli
    page = tmp_path / name
    page.write_bytes(data)
    started = time.monotonic()
    result = cli("extract", str(page), "--no-fetch", "--dry-run", "--json")
    assert time.monotonic() - started < 20
    assert "Traceback" not in result.output
    if result.exit_code == 1:  # refused: one clear line
        assert_one_line_error(result.stderr, str(page))
    else:
        texts = _claims(result)
        assert any("33%" in t for t in texts), texts


def test_entity_to_a_local_file_is_not_read(
    cli: Cli, db_url: str, tmp_path: Path, secret_file: Path
) -> None:
    page = tmp_path / "xxe.html"
    page.write_bytes(
        b'<?xml version="1.0"?><!DOCTYPE html [<!ENTITY x SYSTEM "file://'
        + str(secret_file).encode()
        + b'">]><html><body><p>&x; '
        + CLAIM
        + b"</p></body></html>"
    )
    result = cli("extract", str(page), "--no-fetch", "--json")
    assert result.exit_code == 0, result.output
    assert SECRET not in result.output and SECRET not in all_text(db_url)


@pytest.mark.slow  # over 1 s
def test_a_page_long_paragraph_of_claims_is_linear(tmp_path: Path) -> None:
    """1 200 figure sentences in one paragraph (47 kB): each claim used to rescan the whole
    paragraph (and the text before it for its line), so this took a minute and a half."""
    from ldn_evidence.services import extraction

    for data, name in (
        ((CLAIM + b"\n") * 1200, "lines.txt"),
        (b"<p>" + (CLAIM + b" ") * 1200 + b"</p>", "paragraph.html"),
    ):
        started = time.monotonic()
        ex = extraction.extract(data=data, name=name, url=None, title=None)
        assert len(ex.claims) == 1200
        assert time.monotonic() - started < 10, name
