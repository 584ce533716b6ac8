"""`ldn-evidence export --format F [-o FILE] [filters]`: reports and bibliographies."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ldn_evidence.cli import app
from ldn_evidence.cli._common import session, status
from ldn_evidence.vocab import Verdict


class ExportFormat(StrEnum):
    """Mirrors ldn_evidence.export.FORMATS (literal, so `--help` imports no exporter)."""

    csv = "csv"
    json = "json"
    markdown = "markdown"
    html = "html"
    ris = "ris"
    bibtex = "bibtex"
    csljson = "csljson"


@app.command("export")
def export(
    ctx: typer.Context,
    fmt: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            "-f",
            help="csv (a row per claim–source pair), json (nested, schema ldn-evidence/1), "
            "markdown or html (the citation report), ris, bibtex or csljson (the cited "
            "studies, for Zotero and other reference managers).",
            case_sensitive=False,
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write to this file (atomically) instead of standard output.",
            dir_okay=False,
        ),
    ] = None,
    document: Annotated[
        list[int] | None,
        typer.Option("--document", metavar="ID", help="Only claims of this document (repeatable)."),
    ] = None,
    claim: Annotated[
        list[int] | None,
        typer.Option("--claim", metavar="ID", help="Only this claim (repeatable)."),
    ] = None,
    verdict: Annotated[
        Verdict | None,
        typer.Option("--verdict", help="Only claim–source pairs with this verdict."),
    ] = None,
    pmid: Annotated[
        list[str] | None,
        typer.Option(
            "--pmid",
            metavar="PMID",
            help="Only claim–source pairs citing this PMID (repeatable).",
        ),
    ] = None,
    excel: Annotated[
        bool,
        typer.Option("--excel", help="csv only: UTF-8 with a byte-order mark, for Excel."),
    ] = False,
) -> None:
    """Export claims, sources and verdicts: a citation report, a table or a bibliography."""
    from ldn_evidence.export import render, write_atomic
    from ldn_evidence.services.report import build_report

    fmt_name = fmt.value
    if excel and fmt_name != "csv":
        raise typer.BadParameter("--excel applies to --format csv only", param_hint="--excel")
    with session(ctx) as s:
        report = build_report(
            session=s,
            document_ids=document or None,
            claim_ids=claim or None,
            verdict=verdict.value if verdict is not None else None,
            pmids=pmid or None,
        )
    data = render(report, fmt_name, excel=excel)
    if output is None:
        typer.echo(data, nl=False)
        return
    write_atomic(output, data)
    what = (
        f"{len(report.studies())} studies"
        if fmt_name in ("ris", "bibtex", "csljson")
        else f"{report.summary.claims} claims"
    )
    status(f"Wrote {fmt_name} ({what}, {len(data):,} bytes) to {output}")
