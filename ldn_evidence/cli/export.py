"""`ldn-evidence export --format F [-o FILE] [filters]`: reports and bibliographies."""

from __future__ import annotations

import codecs
import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ldn_evidence.cli import app
from ldn_evidence.cli._common import echo, one_of, reading, status
from ldn_evidence.export.formats import FORMATS, export_format, formats_help, option_formats
from ldn_evidence.vocab import VERDICTS, Verdict

# The --format choices: the formats' table (which imports no renderer).
ExportFormat = StrEnum("ExportFormat", {name: name for name in FORMATS})  # type: ignore[misc]


@app.command("export")
def export(
    ctx: typer.Context,
    fmt: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            "-f",
            help=formats_help(),
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
        typer.Option(
            "--verdict",
            metavar="VERDICT",
            help=f"Only claim–source pairs with this verdict: {one_of(VERDICTS)}.",
        ),
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
    from ldn_evidence.export import render_chunks, write_atomic_chunks
    from ldn_evidence.services.report_stream import report_stream

    chosen = export_format(fmt.value)
    if excel and "excel" not in chosen.options:
        takes = " or ".join(option_formats("excel"))
        raise typer.BadParameter(f"--excel applies to --format {takes} only", param_hint="--excel")
    with reading(ctx) as conn:
        # Read as it is written, a batch of claims at a time, inside the one transaction
        # (Core statements: the export imports no ORM).
        report = report_stream(
            conn=conn,
            document_ids=document or None,
            claim_ids=claim or None,
            verdict=verdict.value if verdict is not None else None,
            pmids=pmid or None,
            inline_flags=chosen.name == "json",  # the one format with flags after claims
            detail=not chosen.bibliography,  # no bibliography shows design or level rule
            flat=chosen.name == "csv",  # rows from SQL and the studies' stored cells
            flat_json=chosen.name == "json",  # claims from SQL and the studies' stored json
        )
        if chosen.bibliography and not report.study_count:
            status("No study is cited by the selected claims: the export is empty.")
        elif not report.summary.claims:
            status("No claims match: the export has no claims.")
        chunks = render_chunks(report, chosen.name, excel=excel)
        if output is None:
            _to_stdout(chunks)
            return
        size = write_atomic_chunks(output, chunks)
    what = (
        f"{report.study_count} studies"
        if chosen.bibliography
        else f"{report.summary.claims} claims"
    )
    status(f"Wrote {chosen.name} ({what}, {size:,} bytes) to {output}")


def _to_stdout(chunks: Iterator[bytes]) -> None:
    if sys.stdout.isatty():  # for reading, not for a pipe: no escape sequence runs
        decoder = codecs.getincrementaldecoder("utf-8")("replace")
        for chunk in chunks:
            echo(decoder.decode(chunk), nl=False)
        echo(decoder.decode(b"", final=True), nl=False)
    else:
        for chunk in chunks:
            typer.echo(chunk, nl=False)
