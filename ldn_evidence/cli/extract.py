"""`ldn-evidence extract PAGE`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ldn_evidence.cli import app
from ldn_evidence.cli._common import JsonOption, echo, print_json, pubmed_client, state, status
from ldn_evidence.errors import InputError

if TYPE_CHECKING:
    from ldn_evidence.webpage import FetchedPage


def _read(page: str) -> bytes:
    """The page's bytes: standard input for "-", else a regular file (never a pipe or a
    device, which could block or never end); more than the limit is refused."""
    from ldn_evidence.services.extraction import MAX_PAGE_BYTES
    from ldn_evidence.services.inputs import read_regular

    if page == "-":
        return sys.stdin.buffer.read(MAX_PAGE_BYTES + 1)
    return read_regular(Path(page), what="a page", limit=MAX_PAGE_BYTES)


def _fetch(address: str, url: str | None) -> FetchedPage:
    from ldn_evidence.config import Settings
    from ldn_evidence.services.extraction import MAX_PAGE_BYTES
    from ldn_evidence.webpage import fetch_page

    if url is not None:
        raise InputError(
            f"--url is for a page read from a file; {address} is stored under the address "
            "it is fetched from (after redirects)"
        )
    timeout = Settings.from_env().http_policy().get("timeout", 30.0)
    fetched = fetch_page(address, max_bytes=MAX_PAGE_BYTES, timeout=float(timeout))
    if fetched.redirects:
        status(f"{address} redirected to {fetched.url}")
    return fetched


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
    page: Annotated[
        str,
        typer.Argument(
            metavar="PAGE",
            help="A .txt or .html/.htm file, - for stdin, or the page's http(s) address.",
        ),
    ],
    url: Annotated[
        str | None, typer.Option(metavar="URL", help="The address of a page read from a file.")
    ] = None,
    title: Annotated[
        str | None,
        typer.Option(
            metavar="TEXT",
            help="The page's title (else its title, a text page's first line, or the file name).",
        ),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            help="Show what would be stored; write nothing and ask PubMed nothing.",
        ),
    ] = False,
    resolve: Annotated[
        bool,
        typer.Option(
            "--resolve",
            help="With --dry-run: resolve the references through PubMed too (extracting "
            "without --dry-run always does).",
        ),
    ] = False,
    no_fetch: Annotated[
        bool, typer.Option("--no-fetch", help="Do not fetch resolved studies from PubMed.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Turn a page (a file, or fetched from its address) into claims and references,
    resolve references to PubMed, link them.

    Extracting the same page again stores nothing new, but resolves again the references
    that failed (a network failure leaves them failed, with the reason); a changed page at
    the same URL is stored as a new version.
    """
    from ldn_evidence.cli.resolve import retried_lines, still_failing
    from ldn_evidence.db import session_scope
    from ldn_evidence.services.extraction import DRY_RUN, UNCHANGED, extract_page
    from ldn_evidence.webpage import is_address

    fetched = _fetch(page, url) if is_address(page) else None
    run = extract_page(
        units=lambda: session_scope(state(ctx).engine(create=True)),
        client_factory=pubmed_client,
        data=fetched.data if fetched else _read(page),
        name=page,
        url=fetched.url if fetched else url,
        title=title,
        dry_run=dry_run,
        resolve_on_dry_run=resolve,
        fetch=not no_fetch,
        kind=fetched.kind if fetched else None,
        charset=fetched.charset if fetched else None,
    )
    if fetched is not None:
        run.data["retrieved"] = fetched.as_dict()
    failed = [r for r in run.data.get("references", []) if r["status"] == "failed"]
    if failed:
        status(
            f"warning: {len(failed)} references not resolved: {failed[0]['error']} "
            "(extract the page again, or run `ldn-evidence resolve`, to try again)"
        )
    if run.fetch_error is not None:
        status(f"warning: studies not fetched: {run.fetch_error}")
    if run.retried is not None and (problem := still_failing(run.retried)):
        status(f"warning: {problem}")
    if as_json:
        print_json(run.data)
        return
    name = run.title or page
    counts = f"{run.claims} claims, {run.references} references"
    if run.status == UNCHANGED:
        echo(f"Page unchanged: document {run.document_id} (version {run.version}), {counts}")
        if run.retried is not None:
            r = run.retried
            echo(f"  resolved {len(r.resolved)} of {len(r.references)} references again")
            for line in retried_lines(r):
                echo(line)
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
