"""`ldn-evidence claims add|cite|check`: a reviewer adds claims, cites studies, records verdicts."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Annotated

import typer

from ldn_evidence.cli._common import JsonOption, echo, print_json, pubmed_client, session, status
from ldn_evidence.cli.claims import claims_app
from ldn_evidence.vocab import UNCHECKED, VERDICTS, ResolutionStatus, citation_origin_label

if TYPE_CHECKING:
    from ldn_evidence.viewmodel import CitationView

_VERDICT_HELP = (
    f"Your verdict: {', '.join(VERDICTS[:-1])} or {VERDICTS[-1]}. "
    f"`{UNCHECKED}` withdraws a reviewer verdict."
)

ClaimArg = Annotated[int, typer.Argument(help="The claim's id.", metavar="CLAIM")]


def _short(text: str, width: int = 70) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


@claims_app.command("add")
def add(
    ctx: typer.Context,
    text: Annotated[
        str, typer.Argument(metavar="TEXT", help="The claim, worded as the page words it.")
    ],
    document: Annotated[
        int | None, typer.Option(metavar="ID", help="The document (page) that makes the claim.")
    ] = None,
    figure: Annotated[
        str | None,
        typer.Option(metavar="FIGURE", help="The claim's figure as written, e.g. 'nearly 30%'."),
    ] = None,
    condition: Annotated[
        str | None, typer.Option(metavar="TEXT", help="The condition, e.g. fibromyalgia.")
    ] = None,
    intervention: Annotated[
        str | None,
        typer.Option(metavar="TEXT", help="The intervention, e.g. low-dose naltrexone."),
    ] = None,
    dose: Annotated[
        str | None, typer.Option(metavar="TEXT", help="The dose, e.g. 4.5 mg at bedtime.")
    ] = None,
    outcome: Annotated[
        str | None, typer.Option(metavar="TEXT", help="The outcome, e.g. pain.")
    ] = None,
    population: Annotated[
        str | None, typer.Option(metavar="TEXT", help="The population, e.g. women.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Add a claim by hand; the same text in the same document updates that claim."""
    from ldn_evidence.services.reviewer import add_claim
    from ldn_evidence.services.views import claim_brief, figure_label

    with session(ctx, create=True) as s:
        claim = add_claim(
            session=s,
            text=text,
            document_id=document,
            figure=figure,
            condition=condition,
            intervention=intervention,
            dose=dose,
            outcome=outcome,
            population=population,
        )
        data = claim_brief(claim)
        fig = figure_label(claim)
    if as_json:
        print_json(data)
        return
    where = (
        f" (document {data.document_id}, position {data.position})"
        if data.document_id is not None
        else ""
    )
    echo(f"Claim {data.id}{where}: {_short(data.text)}" + (f" [figure {fig}]" if fig else ""))


def _cite_line(claim_id: int, c: CitationView) -> str:
    st, ref = c.study, c.reference
    how = citation_origin_label(c.origin)
    if st is not None:
        return f"Claim {claim_id} cites PMID {st.pmid}: {_short(st.title or '')} ({how})"
    assert ref is not None
    if ref.pmid:
        return (
            f"Claim {claim_id} cites PMID {ref.pmid} ({how}); its record is not stored yet: "
            "run `ldn-evidence fetch --missing`"
        )
    return f"Claim {claim_id} cites DOI {ref.doi} ({how}); not resolved to a PMID"


@claims_app.command("cite")
def cite_(
    ctx: typer.Context,
    claim_id: ClaimArg,
    identifier: Annotated[
        str,
        typer.Argument(
            help="A PMID (23359310) or a DOI (10.1002/art.37734, doi:…, https://doi.org/…).",
            metavar="PMID|DOI",
        ),
    ],
    as_json: JsonOption = False,
) -> None:
    """Cite a study for a claim, by PMID or DOI; citing it again changes nothing.

    A DOI of a study not stored is looked up with NCBI's ID Converter
    (LDN_EVIDENCE_IDCONV_URL); when that fails the reference is kept unresolved, with a
    warning.
    """
    from ldn_evidence.services.reviewer import cite_claim
    from ldn_evidence.services.views import citation_view

    with session(ctx, create=True) as s:
        citation = cite_claim(
            session=s, claim_id=claim_id, identifier=identifier, client_factory=pubmed_client
        )
        view = citation_view(citation)
    ref = view.reference
    if view.study is None and ref is not None and ref.status != ResolutionStatus.RESOLVED:
        status(f"warning: {ref.raw} is not resolved to a PMID: {ref.error or 'unknown'}")
    if as_json:
        print_json({"claim_id": claim_id, **asdict(view)})
    else:
        echo(_cite_line(claim_id, view))


@claims_app.command("check")
def check(
    ctx: typer.Context,
    claim_id: ClaimArg,
    pmid: Annotated[
        str, typer.Argument(metavar="PMID", help="The PMID of a study the claim cites.")
    ],
    verdict: Annotated[str, typer.Option("--verdict", help=_VERDICT_HELP, metavar="VERDICT")],
    note: Annotated[
        str | None, typer.Option(metavar="TEXT", help="Why: kept with the verdict.")
    ] = None,
    by: Annotated[
        str | None, typer.Option(metavar="NAME", help="Who checked (default: your user name).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Record your verdict on whether a cited study supports a claim.

    A reviewer's verdict is never overwritten by `verify`; every check is kept in the
    citation's history (`claims show`). Exit 1 for an unknown verdict, claim or PMID.
    """
    from ldn_evidence.services.reviewer import check_claim
    from ldn_evidence.services.views import citation_history

    with session(ctx, create=True) as s:
        citation = check_claim(
            session=s, claim_id=claim_id, study=pmid, verdict=verdict, note=note, by=by
        )
        view = citation_history(citation)
    if as_json:
        print_json({"claim_id": claim_id, **asdict(view)})
        return
    last = view.events[-1]
    source = view.study or view.reference
    who = f" by {last.by}" if last.by else ""
    echo(
        f"Claim {claim_id} × PMID {source.pmid if source else None}: "
        f"{last.old_verdict} → {last.new_verdict}{who}" + (f" — {last.note}" if last.note else "")
    )
