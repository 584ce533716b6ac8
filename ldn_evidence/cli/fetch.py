"""`ldn-evidence fetch`."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any

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

if TYPE_CHECKING:
    from ldn_evidence.pubmed.client import PubMedClient


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
    pmids: Annotated[
        list[str] | None, typer.Argument(metavar="PMID", help="PMIDs to fetch.")
    ] = None,
    missing: Annotated[
        bool, typer.Option("--missing", help="Every PMID that claims cite but the database lacks.")
    ] = False,
    refresh: Annotated[
        bool, typer.Option("--refresh", help="Re-fetch PMIDs already stored; update changed ones.")
    ] = False,
    full_text: Annotated[
        bool,
        typer.Option(
            "--full-text",
            help="Fetch the PubMed Central full texts of these studies instead (their PubMed "
            "records first when missing); with --missing: of every stored study with a "
            "PMCID and no full text.",
        ),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Fetch PubMed records (E-utilities efetch, ≤200 PMIDs a request) and store them.

    With --full-text, fetch PubMed Central full texts (efetch db=pmc) for `verify`:
    open-access articles are stored, others recorded as not open with the date.
    Uses LDN_EVIDENCE_EUTILS_URL, NCBI_EMAIL and NCBI_API_KEY. Each batch is one
    transaction. Exit 3 when PubMed still fails after retries.
    """
    from ldn_evidence.db import session_scope
    from ldn_evidence.pubmed.ids import validate_pmids
    from ldn_evidence.services.fetching import fetch as do_fetch
    from ldn_evidence.services.fetching import missing_pmids

    wanted = validate_pmids(pmids or [])  # refused before any request
    if not wanted and not missing:
        raise InputError("give PMIDs to fetch, or --missing")
    engine = state(ctx).engine(create=True)
    if full_text:
        _fetch_full_texts(ctx, wanted, missing=missing, refresh=refresh, as_json=as_json)
        return
    if missing:
        with session(ctx) as s:
            wanted = list(dict.fromkeys([*wanted, *missing_pmids(session=s)]))
        if not wanted:
            status("nothing to fetch: every cited PMID is stored")
    with _client() as client, progress(len(wanted), "fetching") as advance:
        summary = do_fetch(
            units=lambda: session_scope(engine),
            client=client,
            pmids=wanted,
            refresh=refresh,
            on_batch=advance,
        )
    _print(summary, as_json)


@contextmanager
def _client() -> Iterator[PubMedClient]:
    client = pubmed_client()
    try:
        yield client
    finally:
        client.close()


def _print(summary: Any, as_json: bool) -> None:
    if as_json:
        print_json(summary.as_dict())
    else:
        echo(summary.line())
        not_found = getattr(summary, "not_found", [])  # PubMed records; full texts have none
        if not_found:
            echo("not found in PubMed: " + ", ".join(not_found))


def _fetch_full_texts(
    ctx: typer.Context, pmids: list[str], *, missing: bool, refresh: bool, as_json: bool
) -> None:
    from ldn_evidence.db import session_scope
    from ldn_evidence.services.fetching import fetch as fetch_records
    from ldn_evidence.services.fulltext_fetch import fetch_full_texts, full_text_targets

    engine = state(ctx).engine(create=True)
    with _client() as client:
        if pmids:  # the PubMed records first: they name the PMCIDs
            fetch_records(units=lambda: session_scope(engine), client=client, pmids=pmids)
        with session(ctx, create=True) as s:
            targets, summary = full_text_targets(
                session=s, pmids=pmids, missing=missing, refresh=refresh
            )
        if not targets and not pmids:
            status("no full text to fetch: no stored study with a PMCID lacks one")
        with progress(len(targets), "fetching full texts") as advance:
            fetch_full_texts(
                units=lambda: session_scope(engine),
                client=client,
                targets=targets,
                summary=summary,
                on_batch=advance,
            )
    _print(summary, as_json)
