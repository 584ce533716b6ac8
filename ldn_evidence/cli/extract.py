"""`ldn-evidence extract PAGE`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from ldn_evidence.cli import app
from ldn_evidence.cli._common import JsonOption, echo, print_json, pubmed_client, state, status


def _read(page: str) -> bytes:
    """The page's bytes: standard input for "-", else a regular file (never a pipe or a
    device, which could block or never end); more than the limit is refused."""
    from ldn_evidence.services.extraction import MAX_PAGE_BYTES
    from ldn_evidence.services.inputs import read_regular

    if page == "-":
        return sys.stdin.buffer.read(MAX_PAGE_BYTES + 1)
    return read_regular(Path(page), what="a page", limit=MAX_PAGE_BYTES)


def _print_preview(data: dict[str, Any], header: str) -> None:
    echo(header)
    refs = data["references"]
    for r in refs:
        target = f"PMID {r['pmid']}" if r["pmid"] else (r["url"] or r["raw"])
        extra = f" ({r['via']})" if r.get("via") else ""
        if r["status"] not in ("resolved", "web"):
            extra = f" [{r['status']}{': ' + r['error'] if r['error'] else ''}]"
        echo(f"  reference {r['position']} {r['kind']}: {target}{extra}")
    for c in data["claims"]:
        fig = f" [{c['figure']['text'] or c['figure']['value']}]" if c["figure"] else ""
        flag = " UNSOURCED" if c["unsourced"] else ""
        text = c["text"] if len(c["text"]) <= 100 else c["text"][:99] + "…"
        echo(f"  claim {c['position']} ({c['kind']}){fig}{flag}: {text}")
    for k in data.get("skipped", []):
        text = k["text"] if len(k["text"]) <= 80 else k["text"][:79] + "…"
        echo(f"  skipped ({k['reason']}): {text}")


@app.command("extract")
def extract(
    ctx: typer.Context,
    page: Annotated[str, typer.Argument(help="A .txt or .html/.htm file, or - for stdin.")],
    url: Annotated[str | None, typer.Option(help="The page's address.")] = None,
    title: Annotated[
        str | None, typer.Option(help="The page's title (else from the page).")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would be stored; write nothing.")
    ] = False,
    no_fetch: Annotated[
        bool, typer.Option("--no-fetch", help="Do not fetch resolved studies from PubMed.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Turn a page into claims and references, resolve references to PubMed, link them.

    Extracting the same page again changes nothing; a changed page at the same URL is
    stored as a new version. Network failures leave references unresolved with the reason.
    """
    from ldn_evidence.db import session_scope
    from ldn_evidence.services.extraction import DRY_RUN, UNCHANGED, extract_page

    run = extract_page(
        units=lambda: session_scope(state(ctx).engine()),
        client_factory=pubmed_client,
        data=_read(page),
        name=page,
        url=url,
        title=title,
        dry_run=dry_run,
        fetch=not no_fetch,
    )
    if run.fetch_error is not None:
        status(f"warning: studies not fetched: {run.fetch_error}")
    if as_json:
        print_json(run.data)
        return
    name = run.title or page
    counts = f"{run.claims} claims, {run.references} references"
    if run.status == UNCHANGED:
        echo(f"Page unchanged: document {run.document_id} (version {run.version}), {counts}")
        return
    if run.status == DRY_RUN:
        _print_preview(run.data, f'Dry run, nothing stored: "{name}": {counts}')
        return
    word = "Stored page" if run.status == "new" else "Stored a new version of page"
    _print_preview(
        run.data, f'{word} "{name}" (document {run.document_id}, version {run.version}): {counts}'
    )
    if run.fetched is not None:
        f = run.fetched
        echo(f"  fetched {len(f.new) + len(f.updated)} studies from PubMed ({f.requests} requests)")
