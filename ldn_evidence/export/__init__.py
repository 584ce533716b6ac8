"""Output formats: csv, json, markdown, html, ris, bibtex, csljson. Pure renderers.

    report = services.report.build_report(session=session, document_ids=[3])
    write_atomic(Path("report.html"), render(report, "html"))

`build_report` reads the database into a `Report` (plain dataclasses of
`ldn_evidence.viewmodel`); every format renders only that, so no format touches the
database (nothing here imports the models or the services).
"""

from __future__ import annotations

import importlib

from ldn_evidence.errors import InputError
from ldn_evidence.export.atomic import write_atomic
from ldn_evidence.viewmodel import Report

FORMATS = ("csv", "json", "markdown", "html", "ris", "bibtex", "csljson")

# What a file of each format is usually called (the CLI's status line, and docs).
EXTENSIONS = {
    "csv": ".csv",
    "json": ".json",
    "markdown": ".md",
    "html": ".html",
    "ris": ".ris",
    "bibtex": ".bib",
    "csljson": ".json",
}


# format -> "module:function"; imported on use, so one export loads one writer.
_WRITERS = {
    "csv": "csv_out:render_csv",
    "json": "json_out:render_json",
    "markdown": "markdown_out:render_markdown",
    "html": "html_out:render_html",
    "ris": "ris_out:render_ris",
    "bibtex": "bibtex_out:render_bibtex",
    "csljson": "csljson_out:render_csljson",
}


def render(report: Report, fmt: str, *, excel: bool = False) -> bytes:
    """The report in `fmt` (one of FORMATS), UTF-8 bytes. `excel` (csv only) adds a BOM."""
    if fmt not in FORMATS:
        raise InputError(f"unknown export format {fmt!r}; expected one of: {', '.join(FORMATS)}")
    module, function = _WRITERS[fmt].split(":")
    writer = getattr(importlib.import_module(f"{__name__}.{module}"), function)
    data: bytes = writer(report, excel=excel) if fmt == "csv" else writer(report)
    return data


__all__ = ["EXTENSIONS", "FORMATS", "Report", "render", "write_atomic"]
