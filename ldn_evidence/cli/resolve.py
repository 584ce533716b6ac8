"""`ldn-evidence resolve`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from ldn_evidence.cli import app
from ldn_evidence.cli._common import JsonOption, echo, print_json, pubmed_client, state
from ldn_evidence.errors import PubMedError

if TYPE_CHECKING:
    from ldn_evidence.services.retrying import RetrySummary


def retried_lines(summary: RetrySummary) -> list[str]:
    """One line per reference resolved again, and one for the studies fetched."""
    lines = []
    for r in summary.references:
        where = f"document {r.document_id}, " if r.document_id is not None else ""
        outcome = f"PMID {r.pmid}" if r.status == "resolved" else f"{r.status}: {r.error or ''}"
        raw = r.raw if len(r.raw) <= 60 else r.raw[:59] + "…"
        lines.append(f"  reference {r.id} ({where}{r.kind}) {raw}: {r.was} → {outcome}")
    if summary.fetched is not None:
        f = summary.fetched
        lines.append(f"  fetched {len(f.new) + len(f.updated)} studies ({f.line()})")
    return lines


def still_failing(summary: RetrySummary) -> str | None:
    """What still fails after resolving again, in one line, or None."""
    if summary.failed:
        first = summary.failed[0].error or "failed"
        return f"{len(summary.failed)} references still not resolved: {first}"
    if summary.fetch_error:
        return f"studies not fetched: {summary.fetch_error}"
    return None


@app.command("resolve")
def resolve(
    ctx: typer.Context,
    document: Annotated[
        int | None, typer.Option(help="Only the references of this document.", metavar="ID")
    ] = None,
    no_fetch: Annotated[
        bool, typer.Option("--no-fetch", help="Do not fetch the resolved studies from PubMed.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Resolve again the references that failed (no network, NCBI down) or were never
    resolved, and fetch the studies of resolved references not stored yet.

    Each reference is updated in place (no new page version); its error clears when it
    resolves. Exit 3 when PubMed still fails.
    """
    from ldn_evidence.db import session_scope
    from ldn_evidence.services.retrying import retry_references

    engine = state(ctx).engine()
    summary = retry_references(
        units=lambda: session_scope(engine),
        client_factory=pubmed_client,
        document_id=document,
        fetch=not no_fetch,
    )
    if as_json:
        print_json(summary.as_dict())
    elif not summary.did_anything:
        echo("Nothing to resolve: no reference failed or is unresolved")
    else:
        echo(f"Resolved {len(summary.resolved)} of {len(summary.references)} references again")
        for line in retried_lines(summary):
            echo(line)
    problem = still_failing(summary)
    if problem is not None:
        raise PubMedError(problem)
