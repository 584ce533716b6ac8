"""HTML: the citation report as one self-contained, printable file.

Rendered from `templates/report.html.j2` with autoescape on, so every value from the
database is text (a claim or abstract containing `<script>` is shown, never run). The
file carries its CSS inline, no scripts and no external resources, and a
Content-Security-Policy that forbids scripts should a value ever slip through.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

import jinja2

from ldn_evidence.export.present import TEMPLATE_GLOBALS
from ldn_evidence.viewmodel import Report


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("ldn_evidence", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.globals.update(TEMPLATE_GLOBALS)
    return env


def render_html(report: Report) -> bytes:
    return b"".join(chunks_html(report))


def chunks_html(report: Report) -> Iterator[bytes]:
    """The page as the template makes it (`generate`), a few kilobytes at a time."""
    parts = _environment().get_template("report.html.j2").generate(report=report)
    yield from gather(parts)


def gather(parts: Iterator[str], size: int = 1 << 16) -> Iterator[bytes]:
    """Template output in pieces of about `size` characters, as UTF-8."""
    pending: list[str] = []
    length = 0
    for part in parts:
        pending.append(part)
        length += len(part)
        if length >= size:
            yield "".join(pending).encode("utf-8")
            pending, length = [], 0
    if pending:
        yield "".join(pending).encode("utf-8")
