"""`ldn-evidence load FILE`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ldn_evidence.cli import app
from ldn_evidence.cli._common import JsonOption, echo, print_json, session
from ldn_evidence.errors import DatabaseError


@app.command("load")
def load(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(metavar="FILE", help="A dataset file: .yaml/.yml, or .csv of claims."),
    ],
    as_json: JsonOption = False,
) -> None:
    """Load a hand-written dataset (YAML or CSV). Loading the same file twice changes nothing."""
    from ldn_evidence.services.dataset import read_dataset
    from ldn_evidence.services.loading import load_dataset

    dataset = read_dataset(file)  # all checks before any write
    try:
        with session(ctx, create=True) as s:  # one transaction: all of the file or nothing
            summary = load_dataset(session=s, dataset=dataset)
    except DatabaseError as exc:  # a full disk …
        raise DatabaseError(f"{exc}; nothing of {file} was stored") from None
    if as_json:
        print_json(
            {
                "source": summary.source,
                "document_id": summary.document_id,
                "created": summary.created,
                "updated": summary.updated,
            }
        )
        return
    if not summary.changed:
        echo(f"{file}: already loaded, nothing changed")
        return
    parts = [f"{n} {what} new" for what, n in summary.created.items()]
    parts += [f"{n} {what} updated" for what, n in summary.updated.items()]
    doc = f" (document {summary.document_id})" if summary.document_id else ""
    echo(f"{file}{doc}: " + ", ".join(parts))
