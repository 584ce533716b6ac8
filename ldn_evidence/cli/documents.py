"""`ldn-evidence documents list|show`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from ldn_evidence.cli import app
from ldn_evidence.cli._common import JsonOption, console, emit, reading

if TYPE_CHECKING:
    from ldn_evidence.viewmodel import DocumentDetail, DocumentRow

documents_app = typer.Typer(
    help="Source documents (pages): list them, show one with its references and claims."
)
app.add_typer(documents_app, name="documents")


def _short(text: str | None, width: int = 80) -> str:
    text = text or ""
    return text if len(text) <= width else text[: width - 1] + "…"


def _render_list(rows: list[DocumentRow]) -> None:
    from rich.table import Table

    table = Table("id", "title", "url", "v", "retrieved", "claims", "refs", "unsourced")
    for r in rows:
        table.add_row(
            str(r.id),
            _short(r.title, 60),
            _short(r.url, 50),
            str(r.version),
            (r.retrieved_at or "")[:10],
            str(r.claims),
            str(r.references),
            str(r.unsourced_claims) if r.unsourced_claims else "",
        )
    console().print(table)


@documents_app.command("list")
def list_(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List documents with their numbers of claims, references and unsourced claims."""
    from ldn_evidence.services.list_rows import list_documents

    with reading(ctx) as conn:
        rows = list_documents(conn=conn)
    emit(rows, as_json, _render_list, empty="No documents stored yet.")


def _render_detail(d: DocumentDetail) -> None:
    from rich.table import Table

    out = console()
    out.print(
        f"Document {d.id}: {d.title or '(no title)'} (version {d.version})",
        highlight=False,
    )
    for key in ("url", "publisher", "retrieved_at"):
        if getattr(d, key):
            out.print(f"  {key.replace('_', ' ')}: {getattr(d, key)}", highlight=False)
    out.print(f"Red flags ({len(d.red_flags)})" if d.red_flags else "Red flags: none")
    for f in d.red_flags:
        which = ", ".join(f"claim {i}" for i in f.claim_ids)
        line = f"  ! {f.label}" + (f" ({which})" if which else "") + f": {f.detail}"
        if f.text:
            line += f" — “{_short(f.text)}”"
        out.print(line, highlight=False)
    refs = Table(
        "#", "kind", "status", "PMID", "reference", "error / candidates", title="References"
    )
    for r in d.references:
        problem = r.error or (", ".join(r.candidates) if r.candidates else "")
        pmid = r.resolved_pmid or ""
        if pmid and not r.study_stored:
            pmid += " (not stored)"
        refs.add_row(str(r.position), r.kind, r.status, pmid, _short(r.raw), problem)
    out.print(refs)
    claims = Table("id", "pos", "claim", "figure", "sources", "verdicts", title="Claims")
    for c in d.claims:
        fig = c.figure.text if c.figure and c.figure.text else ""
        claims.add_row(
            str(c.id),
            str(c.position if c.position is not None else ""),
            _short(c.text),
            fig,
            "UNSOURCED" if c.unsourced else str(c.citations),
            ", ".join(c.verdicts),
        )
    out.print(claims)


@documents_app.command("show")
def show(
    ctx: typer.Context,
    document_id: Annotated[int, typer.Argument(help="The document's id.", metavar="ID")],
    as_json: JsonOption = False,
) -> None:
    """Show a document: its red flags first, then its references (numbered from 1; kind,
    status, PMID, error) and claims in page order."""
    from ldn_evidence.services.entries import document_detail
    from ldn_evidence.services.show_rows import read_document

    with reading(ctx) as conn:
        data = document_detail(read_document(conn=conn, document_id=document_id))
    emit(data, as_json, _render_detail)
