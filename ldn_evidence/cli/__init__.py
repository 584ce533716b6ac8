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
import typer.models

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
    """`app` with only the command `args` name (`claims show` in `--db X claims show 4`):
    typer turns every command into Click's on each run, ~0.02 s CPU for all of them, and
    one command needs only its own. The whole `app` when no command is named, or when
    `args` hold anything before it but `--db` (`--help`, a mistyped option: Click answers
    those from the whole app); a whole group when no command of it is named."""
    at = 0
    while at < len(args):
        if args[at] == "--db":
            at += 2
        elif args[at].startswith("--db="):
            at += 1
        else:
            break
    return _branch(app, args, at)


def _branch(group: typer.Typer, args: Sequence[str], at: int) -> typer.Typer:
    """`group` with only the command or group `args[at]` names (and so on down)."""
    if at >= len(args) or args[at].startswith("-"):
        return group
    groups = [g for g in group.registered_groups if g.name == args[at]]
    commands = [
        c
        for c in group.registered_commands
        if (c.name or typer.main.get_command_name(c.callback.__name__)) == args[at]  # type: ignore[union-attr]
    ]
    if len(groups) + len(commands) != 1 or any(not g.name for g in group.registered_groups):
        return group
    one = copy.copy(group)
    one.registered_commands = commands
    one.registered_groups = []
    for info in groups:
        sub = info.typer_instance
        if sub is not None and not _has_callback(info, sub):
            info = copy.copy(info)  # a group without options of its own: its command next
            info.typer_instance = _branch(sub, args, at + 1)
        one.registered_groups = [info]
    return one


def _has_callback(info: typer.models.TyperInfo, group: typer.Typer) -> bool:
    """Whether a group has a callback (and so may take options before its command)."""
    callbacks = (group.registered_callback, group.info.callback, info.callback)
    return any(
        c is not None and not (isinstance(c, typer.models.DefaultPlaceholder) and c.value is None)
        for c in callbacks
    )


def main() -> None:
    collect_rarely_at_startup()
    app_for(sys.argv[1:])(prog_name="ldn-evidence")
