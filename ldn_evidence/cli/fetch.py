"""`ldn-evidence fetch`."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer

from ldn_evidence.cli import app
from ldn_evidence.cli._common import (
    JsonOption,
    echo,
    print_json,
    pubmed_client,
    session,
    state,
    status,
)
from ldn_evidence.errors import InputError


@contextmanager
def progress(total: int, label: str) -> Iterator[Any]:
    """A progress bar on a terminal (stderr); silent otherwise."""
    if not sys.stderr.isatty() or total <= 0:
        yield lambda n: None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task(label, total=total)
        yield lambda n: progress.advance(task, n)


@app.command("fetch")
def fetch(
    ctx: typer.Context,
    pmids: Annotated[list[str] | None, typer.Argument(help="PMIDs to fetch.")] = None,
    missing: Annotated[
        bool, typer.Option("--missing", help="Every PMID that claims cite but the database lacks.")
    ] = False,
    refresh: Annotated[
        bool, typer.Option("--refresh", help="Re-fetch PMIDs already stored; update changed ones.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Fetch PubMed records (E-utilities efetch, ≤200 PMIDs a request) and store them.

    Uses LDN_EVIDENCE_EUTILS_URL, NCBI_EMAIL and NCBI_API_KEY. Each batch is one
    transaction. Exit 3 when PubMed still fails after retries.
    """
    from ldn_evidence.db import session_scope
    from ldn_evidence.pubmed.client import validate_pmids
    from ldn_evidence.services.fetching import fetch as do_fetch
    from ldn_evidence.services.fetching import missing_pmids

    wanted = validate_pmids(pmids or [])  # refused before any request
    if not wanted and not missing:
        raise InputError("give PMIDs to fetch, or --missing")
    engine = state(ctx).engine()
    if missing:
        with session(ctx) as s:
            wanted = list(dict.fromkeys([*wanted, *missing_pmids(session=s)]))
        if not wanted:
            status("nothing to fetch: every cited PMID is stored")
    client = pubmed_client()
    try:
        with progress(len(wanted), "fetching") as advance:
            summary = do_fetch(
                units=lambda: session_scope(engine),
                client=client,
                pmids=wanted,
                refresh=refresh,
                on_batch=advance,
            )
    finally:
        client.close()
    if as_json:
        print_json(summary.as_dict())
    else:
        echo(summary.line())
        if summary.not_found:
            echo("not found in PubMed: " + ", ".join(summary.not_found))
