"""`ldn-evidence studies list|show`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from ldn_evidence.cli import app
from ldn_evidence.cli._common import JsonOption, console, emit, one_of, session
from ldn_evidence.cli.retractions import notice_line
from ldn_evidence.vocab import LEVEL_KEYS

if TYPE_CHECKING:
    from ldn_evidence.viewmodel import StudyDetail, StudyView

studies_app = typer.Typer(help="Studies: the PubMed records stored.")
app.add_typer(studies_app, name="studies")


def _render_list(rows: list[StudyView[str]]) -> None:
    from rich.table import Table

    table = Table("PMID", "year", "journal", "title", "level", "flags")
    for r in rows:
        title = r.title if len(r.title) < 80 else r.title[:79] + "…"
        table.add_row(
            r.pmid,
            str(r.year or ""),
            r.journal_iso or r.journal or "",
            title,
            r.evidence_level or "ungraded",
            ", ".join(r.flags),
        )
    console().print(table)


@studies_app.command("list")
def list_(
    ctx: typer.Context,
    search: Annotated[
        str | None, typer.Option(metavar="TEXT", help="Text in title or abstract.")
    ] = None,
    year: Annotated[int | None, typer.Option(metavar="YEAR", help="Publication year.")] = None,
    type_: Annotated[
        str | None,
        typer.Option(
            "--type",
            metavar="TYPE",
            help='Publication type, e.g. "Randomized Controlled Trial".',
        ),
    ] = None,
    retracted: Annotated[bool, typer.Option("--retracted", help="Only retracted studies.")] = False,
    level: Annotated[
        str | None,
        typer.Option(metavar="LEVEL", help=f"Evidence level: {one_of(LEVEL_KEYS)}."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """List stored studies, newest first, with evidence level and retraction flags."""
    from ldn_evidence.services.studies import list_studies
    from ldn_evidence.services.views import study_brief

    with session(ctx) as s:
        rows = [
            study_brief(st)
            for st in list_studies(
                session=s,
                search=search,
                year=year,
                publication_type=type_,
                retracted=retracted,
                level=level,
            )
        ]
    emit(rows, as_json, _render_list, empty="No studies match.")


def _render_detail(d: StudyDetail) -> None:
    out = console()
    p = out.print
    p(f"PMID {d.pmid}: {d.title}", highlight=False)
    if d.flags:
        p(f"{', '.join(d.flags).upper()}")
    p("Authors: " + ", ".join(a.name for a in d.authors), highlight=False)
    where = f"{d.journal_iso or d.journal or ''} {d.pub_date or d.year or ''}"
    if d.volume:
        where += f";{d.volume}" + (f"({d.issue})" if d.issue else "")
    if d.pages:
        where += f":{d.pages}"
    p(where.strip(), highlight=False)
    for label in ("doi", "pmcid", "language", "evidence_level", "origin"):
        if getattr(d, label):
            p(f"{label}: {getattr(d, label)}", highlight=False)
    p("Publication types: " + ", ".join(d.publication_types), highlight=False)
    if d.design:
        p("Design: " + d.design)
    p("Level rule: " + d.level_rule, highlight=False)
    for link in d.links:
        p(f"{link.ref_type}: PMID {link.pmid or '-'} {link.source or ''}", highlight=False)
    for notice in d.retraction_notices:
        p(notice_line(notice), highlight=False)
    if d.abstract_sections:
        p("\nAbstract")
        for s in d.abstract_sections:
            p((f"{s.label}: " if s.label else "") + s.text, highlight=False)
    if d.mesh_terms:
        p(
            "MeSH: " + "; ".join(m.name + ("*" if m.major_topic else "") for m in d.mesh_terms),
            highlight=False,
        )
    if d.keywords:
        p("Keywords: " + "; ".join(d.keywords), highlight=False)
    if d.curation_note:
        p(d.curation_note, highlight=False)
    for c in d.cited_by:
        p(f"cited by claim {c.claim_id} ({c.verdict}): {c.claim}", highlight=False)


@studies_app.command("show")
def show(
    ctx: typer.Context,
    pmid: Annotated[str, typer.Argument(metavar="PMID", help="The study's PMID.")],
    as_json: JsonOption = False,
) -> None:
    """Show a study: all parsed fields, retraction/erratum links, the claims that cite it."""
    from ldn_evidence.pubmed.client import validate_pmids
    from ldn_evidence.services.studies import get_study
    from ldn_evidence.services.views import study_detail

    (pmid,) = validate_pmids([pmid])
    with session(ctx) as s:
        data = study_detail(get_study(session=s, pmid=pmid))
    emit(data, as_json, _render_detail)
