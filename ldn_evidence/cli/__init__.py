"""The `ldn-evidence` command line (typer): parse arguments, print, exit codes.

Business logic lives in `ldn_evidence.services`; this package only calls it.
"""

from __future__ import annotations

import copy
import sys
from collections.abc import Sequence
from typing import Annotated

import typer
import typer.main

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


def app_for(args: Sequence[str]) -> typer.Typer:
    """`app` with only the command `args` name (`claims` in `--db X claims show 4`): typer
    turns every command into Click's on each run, ~0.02 s CPU for all of them, and one
    command needs only its own. The whole `app` when no command is named, or when `args`
    hold anything before it but `--db` (`--help`, a mistyped option: Click answers those
    from the whole app)."""
    at = 0
    while at < len(args):
        if args[at] == "--db":
            at += 2
        elif args[at].startswith("--db="):
            at += 1
        else:
            break
    if at >= len(args) or args[at].startswith("-"):
        return app
    name = args[at]
    groups = [g for g in app.registered_groups if g.name == name]
    commands = [
        c
        for c in app.registered_commands
        if (c.name or typer.main.get_command_name(c.callback.__name__)) == name  # type: ignore[union-attr]
    ]
    if len(groups) + len(commands) != 1 or any(not g.name for g in app.registered_groups):
        return app
    one = copy.copy(app)
    one.registered_groups = groups
    one.registered_commands = commands
    return one


def main() -> None:
    collect_rarely_at_startup()
    app_for(sys.argv[1:])(prog_name="ldn-evidence")
