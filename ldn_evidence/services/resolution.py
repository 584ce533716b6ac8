"""Resolve a page's references to PubMed records. Network only; never raises for a
remote failure: the reference stays unresolved with the reason.

- PubMed links / PMIDs: taken as they are; fetching their studies (`fetching.fetch`)
  makes a PMID PubMed has no record of `not_found`.
- Then the strategies of `STRATEGIES`, in order, each on the references it wants:
- DOIs and PMC IDs: NCBI's ID converter (it knows only articles in PMC); a DOI it does
  not know is searched in PubMed (esearch `"…"[AID]`): none there is "not in PubMed".
- Journal citations: ECitMatch, then the named record is fetched and checked (ECitMatch
  can answer a wrong PMID).
- Titles: esearch `"…"[Title]`; a candidate is accepted only when its fetched record's
  title matches the reference's, case, punctuation and whitespace aside. Several matches or
  only weak ones are stored as ambiguous with the candidates, never guessed.

A new way to resolve references is a function `(client, {index: reference}, resolutions,
run)` that sets `resolutions[index]`, and a row of `STRATEGIES` saying which references
it wants (by what they carry and how far they are resolved).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ldn_evidence.errors import EvidenceError, ParseError
from ldn_evidence.pubmed.client import CitationQuery, PubMedClient
from ldn_evidence.pubmed.parser import iter_articles
from ldn_evidence.pubmed.records import ArticleRecord
from ldn_evidence.vocab import ReferenceKind, ResolutionStatus

UNRESOLVED = ResolutionStatus.UNRESOLVED.value
RESOLVED = ResolutionStatus.RESOLVED.value
NOT_FOUND = ResolutionStatus.NOT_FOUND.value


@dataclass
class Resolution:
    status: str  # resolved | ambiguous | not_found | failed | web | unresolved
    pmid: str | None = None
    candidates: list[str] = field(default_factory=list)
    error: str | None = None
    via: str | None = None  # link, idconv, DOI search, ecitmatch, title match


@dataclass
class ResolutionRun:
    resolutions: list[Resolution]
    records: dict[str, ArticleRecord] = field(default_factory=dict)  # fetched while checking


def normalise_title(text: str) -> str:
    """Case, punctuation and whitespace aside (accents folded too)."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", " ", text.casefold()).strip()


def _attr(ref: Any, name: str) -> Any:
    return getattr(ref, name, None)


def resolve(
    refs: Sequence[Any], client: PubMedClient | None, *, offline: str = "not resolved: offline"
) -> ResolutionRun:
    """Resolve extracted references (objects with kind, pmid, pmcid, doi, title, citation).

    Without a client nothing is asked of PubMed: written PMIDs are taken as they are, web
    links are web, and the rest stay unresolved with the error `offline`."""
    out: list[Resolution] = [Resolution(UNRESOLVED) for _ in refs]
    run = ResolutionRun(out)
    for i, ref in enumerate(refs):
        if _attr(ref, "pmid"):
            out[i] = Resolution(RESOLVED, pmid=str(ref.pmid), via="link")
        elif ref.kind == ReferenceKind.WEB:
            out[i] = Resolution(ResolutionStatus.WEB.value)
        elif client is None:
            out[i] = Resolution(UNRESOLVED, error=offline)
    if client is None:
        return run
    for strategy in STRATEGIES:
        wanted = {i: ref for i, ref in enumerate(refs) if strategy.wants(ref, out[i])}
        if wanted:
            strategy.run(client, wanted, out, run)
    for i, ref in enumerate(refs):
        if out[i].status == UNRESOLVED and ref.kind != ReferenceKind.WEB and not out[i].error:
            out[i] = Resolution(NOT_FOUND, error="no identifier, citation or title to search")
    return run


def _fail(exc: EvidenceError) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def _identifier(ref: Any) -> str:
    return str(_attr(ref, "pmcid") or _attr(ref, "doi"))


def _by_idconv(
    client: PubMedClient, refs: dict[int, Any], out: list[Resolution], run: ResolutionRun
) -> None:
    by_id = {i: _identifier(ref) for i, ref in refs.items()}
    try:
        found = client.idconv(list(dict.fromkeys(by_id.values())))
    except EvidenceError as exc:
        for i in by_id:
            out[i] = Resolution("failed", error=f"ID converter: {_fail(exc)}")
        return
    lowered = {k.lower(): v for k, v in found.items()}
    for i, ident in by_id.items():
        pmid = found.get(ident) or lowered.get(ident.lower())
        if pmid:
            out[i] = Resolution("resolved", pmid=pmid, via="idconv")
        else:
            out[i] = Resolution(
                "not_found",
                error=f"{ident}: unknown to NCBI's ID converter (it knows only articles in PMC)",
                via="idconv",
            )


def _by_doi_search(
    client: PubMedClient, refs: dict[int, Any], out: list[Resolution], run: ResolutionRun
) -> None:
    for i, ref in refs.items():
        doi = str(ref.doi)
        try:
            ids = client.esearch_doi(doi)
        except EvidenceError as exc:
            out[i] = Resolution("failed", error=f"esearch: {_fail(exc)}")
            continue
        if len(ids) == 1:
            out[i] = Resolution("resolved", pmid=ids[0], via="DOI search")
        elif ids:
            out[i] = Resolution(
                "ambiguous", candidates=ids, error=f"{len(ids)} PubMed records carry DOI {doi}"
            )
        else:
            out[i] = Resolution("not_found", error=f"DOI {doi} is not in PubMed")


def _fetch_records(client: PubMedClient, pmids: Sequence[str], run: ResolutionRun) -> None:
    wanted = [p for p in dict.fromkeys(pmids) if p not in run.records]
    if not wanted:
        return
    for batch in client.efetch(wanted):
        try:
            for rec in iter_articles(batch.xml, name="efetch reply"):
                if isinstance(rec, ArticleRecord):
                    run.records[rec.pmid] = rec
        except ParseError:
            continue


def _by_ecitmatch(
    client: PubMedClient, refs: dict[int, Any], out: list[Resolution], run: ResolutionRun
) -> None:
    queries = []
    for i, ref in refs.items():
        c = ref.citation
        queries.append(
            CitationQuery(
                journal=c.journal,
                year=c.year,
                volume=c.volume or "",
                first_page=c.first_page or "",
                author=c.author or "",
                key=f"ref{i}",
            )
        )
    try:
        answers = client.ecitmatch(queries)
        _fetch_records(client, [p for p in answers.values() if p], run)
    except EvidenceError as exc:
        for i in refs:
            out[i] = Resolution("failed", error=f"ECitMatch: {_fail(exc)}")
        return
    for i, ref in refs.items():
        pmid = answers.get(f"ref{i}")
        if not pmid:
            out[i] = Resolution("not_found", error="ECitMatch found no single match")
            continue
        rec = run.records.get(pmid)
        c = ref.citation
        if rec is None:
            out[i] = Resolution("not_found", error=f"ECitMatch named PMID {pmid}, not in PubMed")
        elif (
            rec.pub_year == c.year
            and (not c.volume or rec.volume == str(c.volume))
            and (not c.first_page or (rec.pages or "").split("-")[0] == str(c.first_page))
        ):
            out[i] = Resolution("resolved", pmid=pmid, via="ecitmatch")
        else:
            out[i] = Resolution(
                "ambiguous",
                candidates=[pmid],
                error=f"ECitMatch named PMID {pmid}, whose year/volume/page "
                "differ from the citation",
            )


def _by_title(
    client: PubMedClient, refs: dict[int, Any], out: list[Resolution], run: ResolutionRun
) -> None:
    found: dict[int, list[str]] = {}
    for i, ref in refs.items():
        try:
            found[i] = client.esearch_title(ref.title)
        except EvidenceError as exc:
            out[i] = Resolution("failed", error=f"esearch: {_fail(exc)}")
    try:
        _fetch_records(client, [p for ids in found.values() for p in ids], run)
    except EvidenceError as exc:
        for i in found:
            out[i] = Resolution("failed", error=f"efetch of title candidates: {_fail(exc)}")
        return
    for i, ids in found.items():
        if not ids:
            before = out[i].error if out[i].status == NOT_FOUND else None
            out[i] = Resolution(
                "not_found",
                error=f"{before}; no PubMed title matches either"
                if before
                else "no PubMed title matches",
            )
            continue
        want = normalise_title(refs[i].title)
        exact = [
            p for p in ids if p in run.records and normalise_title(run.records[p].title) == want
        ]
        if len(exact) == 1:
            out[i] = Resolution("resolved", pmid=exact[0], via="title match")
        elif len(exact) > 1:
            out[i] = Resolution(
                "ambiguous", candidates=exact, error=f"{len(exact)} PubMed records have this title"
            )
        else:
            out[i] = Resolution(
                "ambiguous", candidates=ids, error="PubMed's title search found only weak matches"
            )


@dataclass(frozen=True)
class Strategy:
    name: str
    wants: Callable[[Any, Resolution], bool]  # (reference, its resolution so far)
    run: Callable[[PubMedClient, dict[int, Any], list[Resolution], ResolutionRun], None]


STRATEGIES: tuple[Strategy, ...] = (
    Strategy(
        "idconv",
        lambda ref, res: (
            res.status == UNRESOLVED and bool(_attr(ref, "pmcid") or _attr(ref, "doi"))
        ),
        _by_idconv,
    ),
    Strategy(
        "doi search",
        lambda ref, res: (
            res.status == NOT_FOUND and res.via == "idconv" and bool(_attr(ref, "doi"))
        ),
        _by_doi_search,
    ),
    Strategy(
        "ecitmatch",
        lambda ref, res: res.status == UNRESOLVED and _attr(ref, "citation") is not None,
        _by_ecitmatch,
    ),
    Strategy(
        "title",
        lambda ref, res: (
            res.status in (UNRESOLVED, NOT_FOUND)
            and bool(_attr(ref, "title"))
            and ref.kind != ReferenceKind.WEB
        ),
        _by_title,
    ),
)
"""Tried in this order; a reference one strategy leaves unresolved (or, for titles, not
found) is tried by the next that wants it."""
