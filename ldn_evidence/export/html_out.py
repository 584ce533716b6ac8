"""HTML: the citation report as one self-contained, printable file.

Rendered from `templates/report.html.j2` with autoescape on, so every value from the
database is text (a claim or abstract containing `<script>` is shown, never run). The
file carries its CSS inline, no scripts and no external resources, and a
Content-Security-Policy that forbids scripts should a value ever slip through.
"""

from __future__ import annotations

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
    return _environment().get_template("report.html.j2").render(report=report).encode("utf-8")
