"""`ldn-evidence import-xml`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ldn_evidence.cli import app
from ldn_evidence.cli._common import JsonOption, print_json, state, status
from ldn_evidence.cli.fetch import progress
from ldn_evidence.errors import InputError


@app.command("import-xml")
def import_xml(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(help="PubMed XML files (.xml or .xml.gz).")],
    as_json: JsonOption = False,
) -> None:
    """Import PubMed XML (efetch output, baseline or update files), applying DeleteCitation.

    Streams files of any size; one transaction per chunk; re-running skips unchanged records.
    """
    import time

    from ldn_evidence.db import session_scope
    from ldn_evidence.services.importing import import_file

    engine = state(ctx).engine()
    results = []
    for path in files:
        if not path.is_file():
            raise InputError(f"{path}: no such file")
    for path in files:
        started = time.monotonic()
        with progress(0, str(path)) as advance:
            summary = import_file(
                units=lambda: session_scope(engine), path=path, on_records=advance
            )
        elapsed = max(time.monotonic() - started, 1e-6)
        results.append({**summary.as_dict(), "seconds": round(elapsed, 3)})
        if not as_json:
            status(f"{summary.line()} — {summary.records / elapsed:,.0f} records/s")
    if as_json:
        print_json(results)
