"""`ldn-evidence watch`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from ldn_evidence.cli import app
from ldn_evidence.cli._common import JsonOption, echo, emit, pubmed_client, state
from ldn_evidence.vocab import ALERT_CHANGES

if TYPE_CHECKING:
    from ldn_evidence.viewmodel import WatchReport

ALERT_EXIT = 4


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else plural or word + 's'}"


def _render(report: WatchReport) -> None:
    counts: dict[str, int] = {}
    for st in report.studies:
        counts[st.outcome] = counts.get(st.outcome, 0) + 1
    echo(
        f"Checked {_plural(len(report.studies), 'cited study', 'cited studies')} "
        f"({_plural(report.requests, 'request')}): {counts.get('changed', 0)} changed, "
        f"{counts.get('unchanged', 0)} unchanged, {counts.get('not_found', 0)} not found in PubMed"
    )
    for st in report.studies:
        for c in st.changes:
            source = "Retraction Watch" if c.source == "retraction_watch" else "PubMed"
            echo(
                f"PMID {st.pmid}: {c.label.upper() if c.kind in ALERT_CHANGES else c.label} "
                f"({source}){': ' + c.detail if c.detail else ''}"
            )
    missing = [st.pmid for st in report.studies if st.outcome == "not_found"]
    if missing:
        echo("Not found in PubMed (deleted or merged?): " + ", ".join(missing))
    for st in report.studies:
        shown = [f for f in st.flags if f != "curated (not fetched)"]
        if shown:
            claims = ", ".join(map(str, st.cited_by_claims))
            flags = ", ".join(shown).upper()
            echo(f"Flagged: PMID {st.pmid} [{flags}], cited by claims {claims}")
    if report.curated:
        echo(
            "Not checked (curated, no PubMed record): "
            + ", ".join(report.curated)
            + "; `ldn-evidence fetch --missing` fetches them"
        )
    if report.alert:
        echo("ALERT: a cited study was newly retracted or got an expression of concern")


@app.command("watch")
def watch(
    ctx: typer.Context,
    document: Annotated[
        int | None,
        typer.Option(metavar="ID", help="Only the studies this document's claims cite."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Re-fetch every cited study and report what changed since its last check.

    New retractions, errata, expressions of concern, corrections, comments, changed
    titles, abstracts or publication types (PubMed), and Retraction Watch notices imported
    since. Each check is stored. Exit 4 when a cited study was newly retracted or got an
    expression of concern, 0 otherwise (3 when PubMed still fails after retries): made
    for a scheduled job.
    """
    from ldn_evidence.db import session_scope
    from ldn_evidence.services.watching import watch as run

    engine = state(ctx).engine()
    client = pubmed_client()
    try:
        report = run(units=lambda: session_scope(engine), client=client, document_id=document)
    finally:
        client.close()
    emit(report, as_json, _render)
    if report.alert:
        raise typer.Exit(ALERT_EXIT)
