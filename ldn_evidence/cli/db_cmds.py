"""`ldn-evidence db upgrade|current`."""

from __future__ import annotations

import typer

from ldn_evidence.cli import app
from ldn_evidence.cli._common import JsonOption, echo, print_json, state, status

db_app = typer.Typer(help="The database schema: upgrade it, or show its revision.")
app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def upgrade(ctx: typer.Context) -> None:
    """Migrate the database to the newest schema revision (safe to repeat); store the
    cited studies' export cells that are missing or made by another version."""
    from ldn_evidence.db import current_revision, describe, head_revision, session_scope
    from ldn_evidence.db import upgrade as do_upgrade
    from ldn_evidence.services.study_cells import fill_cited

    engine = state(ctx).engine(check_schema=False, create=True)
    before = current_revision(engine)
    head = head_revision()
    if before != head:  # at head there is nothing to run: Alembic is not imported
        do_upgrade(engine)
    if before == head:
        echo(f"{describe(engine)} is already at {head}")
    else:
        echo(f"{describe(engine)} upgraded from {before or 'empty'} to {head}")
    with session_scope(engine) as session:  # a new version's cells, or an upgraded store's
        stored = fill_cited(session)
    if stored:
        status(f"Stored the export cells of {stored:,} cited studies.")


@db_app.command("current")
def current(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Show the database's schema revision and the one this version needs."""
    from ldn_evidence.db import current_revision, describe, head_revision

    engine = state(ctx).engine(check_schema=False)
    data: dict[str, object] = {
        "database": describe(engine),
        "current": current_revision(engine),
        "head": head_revision(),
    }
    data["up_to_date"] = data["current"] == data["head"]
    if as_json:
        print_json(data)
    else:
        flag = "up to date" if data["up_to_date"] else "run `ldn-evidence db upgrade`"
        echo(f"{data['database']}: {data['current'] or 'empty'} (head {data['head']}, {flag})")
