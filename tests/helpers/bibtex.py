"""Two independent readers of a BibTeX export: bibtexparser 2 (with LaTeX decoding) and
the real `bibtex` program (Debian package texlive-binaries), which counts braces the way
classic BibTeX and biber do, whatever backslash precedes them."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import bibtexparser
import pytest
from bibtexparser.middlewares import LatexDecodingMiddleware

FIELDS = ("title", "author", "journal", "volume", "number", "pages", "abstract", "note", "doi")


def _decoder():  # type: ignore[no-untyped-def]
    """bibtexparser's own decoder, taught LaTeX's text-mode brace commands."""
    from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

    db = get_default_latex_context_db()
    db.add_context_category(
        "ldn-evidence-test",
        prepend=True,
        macros=[
            MacroTextSpec("url", simplify_repl="%s"),
            MacroTextSpec("textbraceleft", "{"),
            MacroTextSpec("textbraceright", "}"),
        ],
    )
    return LatexNodes2Text(latex_context=db, keep_braced_groups=False, math_mode="verbatim")


def parse_decoded(text: str) -> bibtexparser.Library:
    """The library with every value LaTeX-decoded to plain text."""
    return bibtexparser.parse_string(
        text, append_middleware=[LatexDecodingMiddleware(decoder=_decoder())]
    )


def decoded(value: str) -> str:
    # pylatexenc decodes LaTeX's \textasciicircum to U+02C6 (modifier circumflex), not "^"
    return value.replace("\u02c6", "^")


# A style that writes each entry's key and fields, one "name=value" record per field,
# between markers that survive bibtex's line wrapping of long output lines.
_STYLE = (
    "ENTRY { " + " ".join(FIELDS) + " } {} {}\n"
    'FUNCTION {show} { duplicate$ empty$ { pop$ "" } \'skip$ if$ }\n'
    'FUNCTION {article}\n{ "@@KEY=" cite$ * write$ newline$\n'
    + "".join(f'  "@@{f}=" {f} show * write$ newline$\n' for f in FIELDS)
    + "}\nREAD\nITERATE {call.type$}\n"
)


def bibtex_binary() -> str:
    found = shutil.which("bibtex")
    if found is None:
        pytest.skip("bibtex not installed (Debian package texlive-binaries; .ci/run installs it)")
    return found


def bibtex_run(text: str, workdir: Path) -> tuple[int, str, dict[str, dict[str, str]]]:
    """(exit code, log, {key: {field: value}}) of the real `bibtex` reading `text`."""
    binary = bibtex_binary()
    (workdir / "refs.bib").write_text(text, encoding="utf-8")
    (workdir / "fields.bst").write_text(_STYLE, encoding="ascii")
    (workdir / "main.aux").write_text("\\citation{*}\n\\bibstyle{fields}\n\\bibdata{refs}\n")
    env = {**os.environ, "BSTINPUTS": str(workdir), "BIBINPUTS": str(workdir)}
    proc = subprocess.run(
        [binary, "-terse", "main"], cwd=workdir, env=env, capture_output=True, timeout=60
    )
    log = (workdir / "main.blg").read_text(encoding="utf-8", errors="replace")
    log = log.split("You've used")[0]  # the statistics that follow say nothing here
    bbl = workdir / "main.bbl"
    # bibtex wraps output lines at 79 columns (a newline where a space was): undo that
    output = " ".join(bbl.read_text(encoding="utf-8").split("\n")) if bbl.exists() else ""
    entries: dict[str, dict[str, str]] = {}
    current: dict[str, str] = {}
    for part in output.split("@@")[1:]:
        name, _, value = part.partition("=")
        value = value.strip()
        if name == "KEY":
            current = entries.setdefault(value, {})
        else:
            current[name] = value
    return proc.returncode, log, entries


def run_bibtex(text: str, workdir: Path) -> dict[str, dict[str, str]]:
    """{key: {field: value}} as the real `bibtex` reads the file; fails on any error or
    warning bibtex reports (an unbalanced field, a stray entry, …)."""
    code, log, entries = bibtex_run(text, workdir)
    assert code == 0, f"bibtex exit {code}:\n{log}"
    return entries
