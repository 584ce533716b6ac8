"""`ldn-evidence extract PAGE`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from ldn_evidence.cli import app
from ldn_evidence.cli._common import (
    JsonOption,
    print_json,
    pubmed_client,
    session,
    state,
    status,
)
from ldn_evidence.errors import InputError, PubMedError


def _read(page: str) -> bytes:
    from ldn_evidence.services.extraction import MAX_PAGE_BYTES

    if page == "-":
        return sys.stdin.buffer.read(MAX_PAGE_BYTES + 1)
    path = Path(page)
    try:
        with path.open("rb") as fh:
            return fh.read(MAX_PAGE_BYTES + 1)
    except FileNotFoundError:
        raise InputError(f"{page}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{page}: is a directory, not a page") from None
    except OSError as exc:
        raise InputError(f"{page}: cannot read: {exc.strerror}") from None


def _print_preview(data: dict[str, Any], header: str) -> None:
    typer.echo(header)
    refs = data["references"]
    for r in refs:
        target = f"PMID {r['pmid']}" if r["pmid"] else (r["url"] or r["raw"])
        extra = f" ({r['via']})" if r.get("via") else ""
        if r["status"] not in ("resolved", "web"):
            extra = f" [{r['status']}{': ' + r['error'] if r['error'] else ''}]"
        typer.echo(f"  reference {r['position']} {r['kind']}: {target}{extra}")
    for c in data["claims"]:
        fig = f" [{c['figure']['text'] or c['figure']['value']}]" if c["figure"] else ""
        flag = " UNSOURCED" if c["unsourced"] else ""
        text = c["text"] if len(c["text"]) <= 100 else c["text"][:99] + "…"
        typer.echo(f"  claim {c['position']} ({c['kind']}){fig}{flag}: {text}")


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
    from ldn_evidence.services import extraction
    from ldn_evidence.services.fetching import store_and_fetch
    from ldn_evidence.services.resolution import resolve

    ex = extraction.extract(data=_read(page), name=page, url=url, title=title)
    if not dry_run:
        with session(ctx) as s:
            existing = extraction.find_existing(session=s, ex=ex)
            if existing is not None and existing.content_sha256 == ex.sha256:
                counts = extraction.document_counts(session=s, document_id=existing.id)
                msg = (
                    f"Page unchanged: document {existing.id} (version {existing.version}), "
                    f"{counts['claims']} claims, {counts['references']} references"
                )
                if as_json:
                    print_json({"status": "unchanged", "document_id": existing.id})
                else:
                    typer.echo(msg)
                return
    client = pubmed_client()
    try:
        run = resolve(ex.references, client)
        ex.resolutions = run.resolutions
        data = extraction.preview(ex)
        if dry_run:
            data["status"] = "dry run: nothing stored"
            if as_json:
                print_json(data)
            else:
                _print_preview(
                    data,
                    f'Dry run, nothing stored: "{ex.title or page}": '
                    f"{len(ex.claims)} claims, {len(ex.references)} references",
                )
            return
        engine = state(ctx).engine()
        with session_scope(engine) as s:
            doc, outcome = extraction.store(session=s, ex=ex)
            doc_id, version = doc.id, doc.version
        data["status"] = outcome
        data["document"]["id"] = doc_id
        data["document"]["version"] = version
        pmids = sorted(
            {r.pmid for r in run.resolutions if r.status == "resolved" and r.pmid}, key=int
        )
        if pmids and not no_fetch:
            try:
                summary = store_and_fetch(
                    units=lambda: session_scope(engine),
                    client=client,
                    pmids=pmids,
                    records=run.records,
                )
                data["fetch"] = summary.as_dict()
            except PubMedError as exc:  # a fetch failure never undoes the extraction
                data["fetch"] = {"error": str(exc)}
                status(f"warning: studies not fetched: {exc}")
    finally:
        client.close()
    if as_json:
        print_json(data)
        return
    word = "Stored page" if outcome == "new" else "Stored a new version of page"
    _print_preview(
        data,
        f'{word} "{ex.title or page}" (document {doc_id}, version {version}):'
        f" {len(ex.claims)} claims, {len(ex.references)} references",
    )
    if "fetch" in data and "error" not in data["fetch"]:
        f = data["fetch"]
        typer.echo(
            f"  fetched {len(f['new']) + len(f['updated'])} studies from PubMed "
            f"({f['requests']} requests)"
        )
