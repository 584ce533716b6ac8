"""`ldn-evidence import-pmc`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ldn_evidence.cli import app
from ldn_evidence.cli._common import JsonOption, echo, print_json, state
from ldn_evidence.errors import InputError


@app.command("import-pmc")
def import_pmc(
    ctx: typer.Context,
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="FILE|DIR",
            help="PubMed Central full-text files (.nxml, .xml, gzipped or not), open-access "
            "packages (.tar.gz) or directories of them.",
        ),
    ],
    as_json: JsonOption = False,
) -> None:
    """Import PubMed Central full texts (JATS XML) from local files, for `verify`.

    Each article is stored under its PMCID and belongs to the study with its PMID or
    PMCID (stored now or later). One transaction per file; a file that cannot be read is
    reported (exit 1) after the others are imported.
    """
    from ldn_evidence.db import session_scope
    from ldn_evidence.services.pmc_import import import_pmc as do_import

    engine = state(ctx).engine(create=True)  # the schema is checked before any file is read
    summary = do_import(units=lambda: session_scope(engine), paths=paths)
    if as_json:
        print_json(summary.as_dict())
    else:
        echo(summary.line())
    if summary.failed:
        more = f" (and {len(summary.failed) - 1} more)" if len(summary.failed) > 1 else ""
        raise InputError(f"{summary.failed[0]}{more}")
