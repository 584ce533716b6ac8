"""`ldn-evidence evidence`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from ldn_evidence.cli import app
from ldn_evidence.cli._common import JsonOption, echo, emit, pubmed_client, state

if TYPE_CHECKING:
    from ldn_evidence.viewmodel import EvidenceReport, EvidenceStudy


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _design(s: EvidenceStudy) -> str:
    size = f", N = {s.participants}" if s.participants else ""
    flags = f" [{', '.join(s.flags).upper()}]" if s.flags else ""
    return f"{s.level_label}{size}{flags}"


def _render(r: EvidenceReport) -> None:
    echo(f"Claim {r.claim_id}: {r.claim}")
    echo(f"Query ({r.query_source}): {r.query}")
    echo(
        f"PubMed: {r.found} found, {r.ranked} ranked with the cited studies "
        f"(at most {r.limit} fetched)"
    )
    if r.cited:
        for s in r.cited:
            echo(
                f"Cited: PMID {s.pmid} ranks {_ordinal(s.rank)} of {r.ranked} "
                f"({_design(s)}); verdict {s.verdict}"
            )
    else:
        echo("Cited: no stored study")
    if r.stronger:
        echo("Stronger studies:")
    for s in r.stronger:
        echo(f"  {s.rank}. PMID {s.pmid} ({s.year or 'n.d.'}) {_design(s)}")
        echo(f"     {s.title}")
        line = f"     {s.verdict}"
        if s.evidence_sentence:
            line += f': "{s.evidence_sentence}"'
        elif s.reason:
            line += f" ({s.reason})"
        echo(line)
    echo(r.summary)
    if r.stronger:
        echo(f"Nothing is linked to the claim: `ldn-evidence claims cite {r.claim_id} PMID` does.")


@app.command("evidence")
def evidence(
    ctx: typer.Context,
    claim_id: Annotated[int, typer.Argument(help="The claim's id.", metavar="CLAIM_ID")],
    limit: Annotated[
        int,
        typer.Option(
            min=1, max=1000, metavar="N", help="At most this many PubMed hits, best first."
        ),
    ] = 20,
    since: Annotated[
        int | None,
        typer.Option(min=1800, max=3000, metavar="YEAR", help="Only studies published since YEAR."),
    ] = None,
    query: Annotated[
        str | None,
        typer.Option(
            metavar="QUERY",
            help="Replace the topic built from the claim (the design filters and --since "
            "still apply, unless the query names its own [sb], [pt] or [filter]).",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Find stronger studies on the claim's question in PubMed and rank them.

    The query is the claim's intervention and condition (else its most informative words),
    restricted to systematic reviews, randomised trials and the Clinical Queries therapy
    filter. Hits are fetched and stored, graded, and the claim is verified against each;
    the ranking (level, then size, then date) places the cited studies. The run is stored;
    nothing is linked to the claim unless you cite a study (`claims cite`).
    """
    from ldn_evidence.db import session_scope
    from ldn_evidence.services.evidence import find_evidence

    engine = state(ctx).engine()
    client = pubmed_client()
    try:
        report = find_evidence(
            units=lambda: session_scope(engine),
            client=client,
            claim_id=claim_id,
            limit=limit,
            since=since,
            query=query,
        )
    finally:
        client.close()
    emit(report, as_json, _render)
