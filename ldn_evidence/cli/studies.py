"""`ldn-evidence studies list|show`."""

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
from ldn_evidence.cli.retractions import notice_line
from ldn_evidence.vocab import LEVEL_KEYS

if TYPE_CHECKING:
    from ldn_evidence.viewmodel import FullTextBrief, FullTextView, StudyDetail, StudyView

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
    limit: Annotated[
        int | None,
        typer.Option(
            metavar="N",
            min=1,
            help="At most N studies (on a terminal: a screenful unless given; "
            "piped or --json: all).",
        ),
    ] = None,
    offset: Annotated[int, typer.Option(metavar="N", min=0, help="Skip the first N studies.")] = 0,
    as_json: JsonOption = False,
) -> None:
    """List stored studies, newest first, with evidence level and retraction flags.

    On a terminal a page is shown (--limit, --offset) with how many more there are;
    piped or with --json every study is listed, read a batch at a time."""
    from ldn_evidence.services.list_rows import count, studies_query, study_briefs

    with reading(ctx) as conn:
        query = studies_query(
            search=search,
            year=year,
            publication_type=type_,
            retracted=retracted,
            level=level,
        )
        paged = not as_json and on_terminal()
        if paged and limit is None:
            limit = screen_page(2)
        studies = study_briefs(conn=conn, query=query, offset=offset, limit=limit)
        shown = emit_rows(studies, as_json, _render_list, empty="No studies match.")
        if paged:
            more = count(conn=conn, query=query) - offset - shown
            if more > 0:
                echo(more_line(more, "studies", offset + shown))


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
    p(_full_text_line(d), highlight=False)
    for c in d.cited_by:
        p(f"cited by claim {c.claim_id} ({c.verdict}): {c.claim}", highlight=False)


def _full_text_line(d: StudyDetail) -> str:
    ft = d.full_text
    if ft is None:
        hint = f" (`ldn-evidence fetch --full-text {d.pmid}`)" if d.pmcid else " (no PMCID)"
        return "Full text: none stored" + hint
    asked = (ft.fetched_at or "")[:10]
    if ft.status != "open":
        return f"Full text: not open in PMC ({ft.pmcid}, asked {asked}): {ft.notice or ''}"
    tops = [s.title or s.kind for s in ft.sections if s.depth == 0 and s.kind != "abstract"]
    counts = ", ".join(f"{n} {kind}s" for kind, n in ft.counts.items())
    return (
        f"Full text: {ft.pmcid}, licence {ft.license or 'not stated'}, {ft.origin} "
        f"{asked}; sections: {'; '.join(tops) or 'none'}; {counts} "
        f"(`studies show {d.pmid} --full-text` prints it)"
    )


def _render_full_text(ft: FullTextView) -> None:
    out = console()
    p = out.print
    p(f"{ft.pmcid}: {ft.title or ''}", highlight=False)
    p(f"Licence: {ft.license or 'not stated'}{f' ({ft.license_url})' if ft.license_url else ''}")
    p(ft.url)
    heading = None
    for passage in ft.passages:
        where, _sep, number = passage.location.rpartition(", ¶")
        if passage.kind == "paragraph" and number.isdigit():
            if where != heading:
                heading = where
                p(f"\n{where.removeprefix('full text, ').removeprefix('full text') or 'Body'}")
            p(f"¶{number} {passage.text}", highlight=False)
        else:
            heading = None
            p(f"\n[{passage.location}]\n{passage.text}", highlight=False)


@studies_app.command("show")
def show(
    ctx: typer.Context,
    pmid: Annotated[str, typer.Argument(metavar="PMID", help="The study's PMID.")],
    full_text: Annotated[
        bool, typer.Option("--full-text", help="Print the stored PubMed Central full text.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Show a study: all parsed fields, retraction/erratum links, the claims that cite it,
    and whether its full text is stored (licence, sections); --full-text prints it."""
    from ldn_evidence.errors import NotFoundError
    from ldn_evidence.pubmed.ids import validate_pmids
    from ldn_evidence.services.fulltext_views import full_text_brief, full_text_view
    from ldn_evidence.services.show_rows import full_text_summary, read_full_text, read_study
    from ldn_evidence.services.views import study_detail

    (pmid,) = validate_pmids([pmid])
    with reading(ctx) as conn:
        study = read_study(conn=conn, pmid=pmid)
        if full_text:
            row = read_full_text(conn=conn, study=study)
            if row is None or row.status != "open":
                brief: FullTextBrief | None = full_text_brief(row) if row else None
                raise NotFoundError(_no_full_text(pmid, study.pmcid, brief))
            text = full_text_view(row)
        else:
            data = study_detail(study, full_text_summary(conn=conn, study=study))
    if full_text:
        emit(text, as_json, _render_full_text)
    else:
        emit(data, as_json, _render_detail)


def _no_full_text(pmid: str, pmcid: str | None, brief: FullTextBrief | None) -> str:
    if brief is not None:
        asked = (brief.fetched_at or "")[:10]
        return f"PMID {pmid}: PMC does not give the full text of {brief.pmcid} (asked {asked})"
    if pmcid:
        return f"PMID {pmid}: no full text stored; run `ldn-evidence fetch --full-text {pmid}`"
    return f"PMID {pmid}: no full text stored, and its PubMed record names no PMCID"
