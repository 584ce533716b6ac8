"""`ldn-evidence verify`."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from ldn_evidence.cli import app
from ldn_evidence.cli._common import JsonOption, echo, print_json, session
from ldn_evidence.vocab import UNCHECKED, VERDICTS

_HELP = f"""Check each claim against the abstracts of the studies it cites, and against
their PubMed Central full texts (`fetch --full-text`, `import-pmc`) where the abstract
does not settle it.

Verdicts: {", ".join(v for v in VERDICTS if v != UNCHECKED)},
each with the deciding sentence (and where it is, when it is in the full text).
A reviewer's verdict is never overwritten.

A re-run checks only the citations where something its verdict was computed from changed:
the claim, the study's record or full text, or the verification engine (--force checks
them all).
"""


def _render(data: dict[str, Any]) -> None:
    for r in data["citations"]:
        text = r["claim"] if len(r["claim"]) <= 60 else r["claim"][:59] + "…"
        verdict = f"skipped ({r['skipped']})" if r["skipped"] else r["verdict"]
        mark = " (changed)" if r["changed"] else ""
        echo(f'  claim {r["claim_id"]} "{text}"  × PMID {r["pmid"]}  {verdict}{mark}')
        if r["sentence"] and not r["skipped"]:
            where = f"{r['evidence_location']}: " if r["evidence_location"] else ""
            echo(f'      {where}"{r["sentence"]}"')
        elif r["reason"] and not r["skipped"]:
            echo(f"      {r['reason']}")
    for n in data["not_checked"]:
        text = n["claim"] if len(n["claim"]) <= 60 else n["claim"][:59] + "…"
        source = f"PMID {n['pmid']}" if n["pmid"] else f'"{n["reference"] or ""}"'
        echo(f'  claim {n["claim_id"]} "{text}"  × {source}  not checked: {n["reason"]}')
    explained = {n["claim_id"] for n in data["not_checked"]}
    for claim_id in data["claims_without_study"]:
        if claim_id not in explained:
            echo(f"  claim {claim_id}: no study on the page or added by a reviewer addresses it")
    counts = ", ".join(f"{n} {k}" for k, n in sorted(data["counts"].items()))
    echo(f"{len(data['citations'])} citations checked: {counts or 'none'}")
    if data["unchanged"]:
        echo(
            f"{data['unchanged']:,} citations unchanged since their last check "
            "(--force checks them again)"
        )


@app.command("verify", help=_HELP)
def verify(
    ctx: typer.Context,
    claims: Annotated[
        list[int] | None, typer.Argument(metavar="CLAIM", help="Claim ids (default: all).")
    ] = None,
    document: Annotated[
        int | None, typer.Option(metavar="ID", help="Only claims of this document.")
    ] = None,
    abstract_only: Annotated[
        bool,
        typer.Option(
            "--abstract-only", help="Check the abstracts only, not the stored full texts."
        ),
    ] = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="Check every citation again, even those where nothing changed."
        ),
    ] = False,
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            metavar="N",
            help="Worker processes that run the checks while this one reads and writes. "
            "Needs free cores.",
        ),
    ] = 1,
    as_json: JsonOption = False,
) -> None:
    from ldn_evidence.services.verification import verify as do_verify

    with session(ctx) as s:
        summary = do_verify(
            session=s,
            claim_ids=claims or [],
            document_id=document,
            abstract_only=abstract_only,
            force=force,
            jobs=jobs,
        )
        data = {
            "citations": [r.as_dict() for r in summary.rows],
            "claims_without_study": summary.no_source,
            "not_checked": [n.as_dict() for n in summary.not_checked],
            "counts": summary.counts(),
            "unchanged": summary.unchanged,
        }
    if as_json:
        print_json(data)
    else:
        _render(data)
