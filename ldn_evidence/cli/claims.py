"""`ldn-evidence claims list|show`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from ldn_evidence.cli import app
from ldn_evidence.cli._common import (
    JsonOption,
    console,
    echo,
    emit,
    emit_rows,
    more_line,
    on_terminal,
    one_of,
    reading,
    screen_page,
)
from ldn_evidence.vocab import LEVEL_KEYS, VERDICTS, citation_origin_label, level_label

_or = one_of

if TYPE_CHECKING:
    from ldn_evidence.viewmodel import ClaimBrief, ClaimDetail

claims_app = typer.Typer(help="Claims: list them, show one with its sources and verdicts.")
app.add_typer(claims_app, name="claims")


def _short(text: str, width: int = 90) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _render_list(rows: list[ClaimBrief]) -> None:
    from rich.table import Table

    table = Table("id", "doc", "claim", "figure", "studies (level · verdict)", show_lines=True)
    for r in rows:
        fig = r.figure.text if r.figure and r.figure.text else ""
        lines = []
        for src in r.sources:
            flags = f" [{', '.join(src.flags).upper()}]" if src.flags else ""
            lines.append(f"PMID {src.pmid}: {src.level or 'ungraded'} · {src.verdict}{flags}")
        other = r.citations - len(r.sources)
        if other:
            lines.append(f"+{other} other reference{'s' if other > 1 else ''}")
        if r.unsourced:
            lines = ["UNSOURCED"]
        table.add_row(str(r.id), str(r.document_id or ""), _short(r.text), fig, "\n".join(lines))
    console().print(table, highlight=False)


@claims_app.command("list")
def list_(
    ctx: typer.Context,
    document: Annotated[
        int | None, typer.Option(metavar="ID", help="Only claims of this document.")
    ] = None,
    verdict: Annotated[
        str | None,
        typer.Option(
            metavar="VERDICT",
            help=f"Only claims with a citation of this verdict: {_or(VERDICTS)}.",
        ),
    ] = None,
    level: Annotated[
        str | None,
        typer.Option(
            metavar="LEVEL",
            help="Only claims citing a study at this evidence level or stronger: "
            f"{_or(LEVEL_KEYS)}.",
        ),
    ] = None,
    unsourced: Annotated[
        bool, typer.Option("--unsourced", help="Only claims with a figure and no source.")
    ] = False,
    search: Annotated[
        str | None,
        typer.Option(
            metavar="TEXT",
            help="Case-insensitive text in the claim or its studies' title/abstract.",
        ),
    ] = None,
    sort: Annotated[
        str,
        typer.Option(metavar="ORDER", help="position, id, figure, created or updated."),
    ] = "position",
    limit: Annotated[
        int | None,
        typer.Option(
            metavar="N",
            min=1,
            help="At most N claims (on a terminal: a screenful unless given; "
            "piped or --json: all).",
        ),
    ] = None,
    offset: Annotated[int, typer.Option(metavar="N", min=0, help="Skip the first N claims.")] = 0,
    as_json: JsonOption = False,
) -> None:
    """List claims with their figure, number of sources and verdicts.

    On a terminal a page is shown (--limit, --offset) with how many more there are;
    piped or with --json every claim is listed, read a batch at a time."""
    from ldn_evidence.services.claim_query import claims_query
    from ldn_evidence.services.list_rows import claim_briefs, count

    with reading(ctx) as conn:
        query = claims_query(
            document_id=document,
            verdict=verdict,
            level=level,
            unsourced=unsourced,
            search=search,
            sort=sort,
        )
        paged = not as_json and on_terminal()
        if paged and limit is None:
            limit = screen_page(_LINES_PER_ROW)
        claims = claim_briefs(conn=conn, query=query, offset=offset, limit=limit)
        shown = emit_rows(claims, as_json, _render_list, empty="No claims match.")
        if paged:
            more = count(conn=conn, query=query) - offset - shown
            if more > 0:
                echo(more_line(more, "claims", offset + shown))


_LINES_PER_ROW = 3  # a claim row and its rule; sources add lines


def _render_detail(d: ClaimDetail) -> None:
    out = console()
    out.print(f"Claim {d.id}: {d.text}", highlight=False)
    doc = d.document
    if doc:
        out.print(f"  document {doc.id}: {doc.title or doc.url or ''}", highlight=False)
    facts = [
        f"{k}: {getattr(d, k)}"
        for k in ("condition", "intervention", "dose", "outcome", "population")
        if getattr(d, k)
    ]
    if d.figure:
        f = d.figure
        facts.insert(0, f"figure: {f.text or f.value} ({f.qualifier})")
    if facts:
        out.print("  " + "; ".join(facts), highlight=False)
    if d.unsourced:
        out.print("  UNSOURCED: a figure with no reference on the page")
    for c in d.citations:
        how = citation_origin_label(c.origin)
        st, ref = c.study, c.reference
        level = ""
        if st:
            flags = f" {', '.join(st.flags).upper()}" if st.flags else ""
            head = (
                f"PMID {st.pmid}: {st.title} ({st.journal_iso or st.journal or ''}"
                f" {st.year or ''}){flags}"
            )
            design = getattr(st, "design", "")  # a StudyWithDesign shows its design
            level = (
                f"level: {level_label(st.evidence_level)}"
                + (f" ({design})" if design else "")
                + "; "
            )
        else:
            assert ref is not None
            problem = f": {ref.error}" if ref.error else ""
            head = f"{ref.kind} reference: {ref.raw} [{ref.status}{problem}]"
        out.print(f"  - {head}", highlight=False)
        out.print(f"      {level}{how}; verdict {c.verdict} ({c.verdict_origin})")
        if c.evidence_sentence:
            out.print(f'      "{c.evidence_sentence}"', highlight=False)
        for e in c.events:
            out.print(
                f"      {e.at}: {e.old_verdict} → {e.new_verdict} by "
                f"{e.by or e.origin}{' — ' + e.note if e.note else ''}",
                highlight=False,
            )


@claims_app.command("show")
def show(
    ctx: typer.Context,
    claim_id: Annotated[int, typer.Argument(help="The claim's id.", metavar="ID")],
    as_json: JsonOption = False,
) -> None:
    """Show a claim, its source document, and each citation with its study and verdict."""
    from ldn_evidence.services.show_rows import read_claim
    from ldn_evidence.services.views import claim_detail

    with reading(ctx) as conn:
        data = claim_detail(read_claim(conn=conn, claim_id=claim_id))
    emit(data, as_json, _render_detail)
