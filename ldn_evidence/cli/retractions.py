"""`ldn-evidence import-retractions`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ldn_evidence.cli import app
from ldn_evidence.cli._common import JsonOption, echo, emit, state, status
from ldn_evidence.vocab import RETRACTION_NATURE_LABELS

if TYPE_CHECKING:
    from ldn_evidence.services.retraction_csv import BadRow
    from ldn_evidence.viewmodel import RetractionImport, RetractionNoticeView


def notice_line(n: RetractionNoticeView) -> str:
    """ "Retraction Watch: Retraction 2024-01-15 (record 1234; notice 10.1/x): reasons"."""
    ids = "; ".join(
        [f"record {n.record_id}"]
        + ([f"notice {n.notice_doi}"] if n.notice_doi else [])
        + ([f"notice PMID {n.notice_pmid}"] if n.notice_pmid else [])
    )
    reasons = f": {'; '.join(n.reasons)}" if n.reasons else ""
    label = RETRACTION_NATURE_LABELS.get(n.nature, n.nature)
    return f"Retraction Watch: {label} {n.date or '(no date)'} ({ids}){reasons}"


def _render(summary: RetractionImport) -> None:
    echo(
        f"{summary.rows} rows: {summary.new} new, {summary.updated} updated, "
        f"{summary.unchanged} unchanged; {summary.bad_rows} bad rows skipped"
    )
    flagged = summary.flagged_studies
    echo(f"{len(flagged)} stored stud{'y' if len(flagged) == 1 else 'ies'} flagged")
    for st in flagged:
        cited = (
            f"; cited by claim{'s' if len(st.cited_by_claims) > 1 else ''} "
            + ", ".join(map(str, st.cited_by_claims))
            if st.cited_by_claims
            else ""
        )
        echo(f"PMID {st.pmid} [{', '.join(st.flags).upper()}{cited}]: {st.title}")
        for n in st.notices:
            echo(f"    {notice_line(n)}")


@app.command("import-retractions")
def import_retractions(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE", help="The Retraction Watch CSV Crossref publishes (.csv or .csv.gz)."
        ),
    ],
    as_json: JsonOption = False,
) -> None:
    """Import the Retraction Watch database and flag the stored studies it names.

    Reads Crossref's CSV (Record ID, …, OriginalPaperDOI, OriginalPaperPubMedID,
    RetractionNature, Reason, …) as a stream; studies are matched by PMID or DOI, now and
    when fetched later. Running it again updates changed rows only. Each row that cannot
    be read is one line on stderr and is skipped.
    """
    from ldn_evidence.db import session_scope
    from ldn_evidence.services.retractions import import_retractions as run

    engine = state(ctx).engine()

    def bad(row: BadRow) -> None:
        status(f"{file}, line {row.line}: {row.message}")

    summary = run(units=lambda: session_scope(engine), path=file, on_bad_row=bad)
    emit(summary, as_json, _render)
