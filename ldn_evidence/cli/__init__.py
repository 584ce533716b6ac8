"""The `ldn-evidence` command line (typer): parse arguments, print, exit codes.

Business logic lives in `ldn_evidence.services`; this package only calls it.
"""

from __future__ import annotations

from typing import Annotated

import typer

from ldn_evidence.cli._common import (
    ErrorBoundaryGroup,
    State,
    collect_rarely_at_startup,
    plain_argument_help,
    plain_values_without_pydantic,
)

plain_argument_help()
plain_values_without_pydantic()

app = typer.Typer(
    cls=ErrorBoundaryGroup,
    help="Evidence-citation reference database for pharmacists: claims, the studies they "
    "cite, whether the studies say what the claims say, and reports.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@app.callback()
def _root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Database URL (sqlite:///path.db, postgresql://user@host/db) or an SQLite "
            "file path. Default: $LDN_EVIDENCE_DB, else ~/.local/share/ldn-evidence/evidence.db.",
            show_default=False,
        ),
    ] = None,
) -> None:
    ctx.obj = State(db=db)


# Each module adds its commands to `app`; the import order sets the order in --help.
from ldn_evidence.cli import (  # noqa: E402, F401
    claims,
    db_cmds,
    demo,
    documents,
    evaluate,
    evidence,
    export,
    extract,
    fetch,
    import_pmc,
    import_xml,
    load,
    resolve,
    retractions,
    review,
    studies,
    verify,
    watch,
)


def main() -> None:
    collect_rarely_at_startup()
    app(prog_name="ldn-evidence")
