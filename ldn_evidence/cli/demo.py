"""`ldn-evidence demo`: the seed dataset on a fresh SQLite database, fully offline."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ldn_evidence.cli import app
from ldn_evidence.cli._common import console, echo, status
from ldn_evidence.errors import InputError


def _render(rows: list[dict[str, Any]]) -> None:
    from rich.table import Table

    table = Table(
        "#",
        "claim",
        "figure",
        "sources (level · verdict)",
        title="Claims and their sources",
        show_lines=True,
        expand=True,
    )
    for r in rows:
        lines = [
            f"{s['source']}: {s['level']}"
            + ("" if s["level"].startswith("web") else f" · {s['verdict']}")
            for s in r["sources"]
        ]
        if r["sources"]:
            lines.append(r["sources"][0]["cited"])
        elif r["unsourced"]:
            lines = ["UNSOURCED"]
        table.add_row(str(r["claim"]), r["text"], r["figure"], "\n".join(lines))
    console().print(table)


@app.command("demo")
def demo(
    directory: Annotated[
        Path,
        typer.Option(
            "--dir", metavar="DIR", help="Where to write demo.db, claims.csv and report.html."
        ),
    ] = Path("ldn-evidence-demo"),
) -> None:
    """Load the seed dataset into a fresh SQLite database and print claims with their sources.

    Writes the CSV export and the HTML citation report next to the database. Offline.
    """
    from ldn_evidence.config import sqlite_url
    from ldn_evidence.db import ensure_schema, make_engine, session_scope
    from ldn_evidence.export import render, write_atomic
    from ldn_evidence.services.claims import list_claims
    from ldn_evidence.services.demo_table import claim_source_rows
    from ldn_evidence.services.loading import load_file
    from ldn_evidence.services.report import build_report
    from ldn_evidence.services.seed import seed_path

    directory = directory.expanduser().resolve()
    db_file = directory / "demo.db"
    try:
        for stale in (db_file, db_file.with_name("demo.db-wal"), db_file.with_name("demo.db-shm")):
            stale.unlink(missing_ok=True)
    except OSError as exc:
        raise InputError(f"cannot use {directory}: {exc.strerror or exc}") from None
    engine = make_engine(sqlite_url(db_file))
    ensure_schema(engine)
    status(f"Fresh SQLite database: {db_file}")
    with session_scope(engine) as s:
        summary = load_file(session=s, path=seed_path())
        rows = claim_source_rows(list_claims(session=s))
        report = build_report(session=s)
    status(
        f"Loaded seed dataset: {summary.created.get('claims', 0)} claims, "
        f"{summary.created.get('references', 0)} references, "
        f"{summary.created.get('studies', 0)} curated studies"
    )
    _render(rows)
    csv_path, html_path = directory / "claims.csv", directory / "report.html"
    write_atomic(csv_path, render(report, "csv"))
    write_atomic(html_path, render(report, "html"))
    echo(f"CSV export:  {csv_path}")
    echo(f"HTML report: {html_path}")
    echo(f"Explore:     ldn-evidence --db {db_file} claims show 4")
    engine.dispose()
