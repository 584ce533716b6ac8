"""`extract PAGE`: a page becomes a source document, claims and references, linked.

Pure extraction (`ldn_evidence.extract`), network resolution (`resolution`) and storing
(here) are separate steps, so `--dry-run` runs the first two and writes nothing;
`extract_page` runs the whole workflow (and fetches the studies found).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ldn_evidence.errors import InputError, PubMedError
from ldn_evidence.extract import extract_references, is_unsourced, link_claims, page_to_text
from ldn_evidence.extract.claims import SkippedSentence, extract_claims_and_skipped
from ldn_evidence.extract.model import ExtractedClaim, ExtractedReference, PageText
from ldn_evidence.models import Claim, Reference, SourceDocument
from ldn_evidence.services.fetching import FetchSummary, UnitOfWork, store_and_fetch
from ldn_evidence.services.linking import attach_studies, cite, not_in_pubmed
from ldn_evidence.services.resolution import NOT_FOUND, RESOLVED, Resolution, resolve
from ldn_evidence.services.retrying import RetrySummary, retry_references
from ldn_evidence.textsafe import codepoint, control_in, url_problem

if TYPE_CHECKING:
    from ldn_evidence.pubmed.client import PubMedClient

MAX_PAGE_BYTES = 5 * 1024 * 1024
UNCHANGED = "unchanged"
DRY_RUN = "dry run: nothing stored"
NOT_ASKED = "not resolved: a dry run asks PubMed nothing without --resolve"


@dataclass
class Extracted:
    page: PageText
    claims: list[ExtractedClaim]
    references: list[ExtractedReference]
    links: list[tuple[int, int, str]]  # (claim position, reference position, "marker"|"page")
    sha256: str
    title: str | None
    url: str | None
    resolutions: list[Resolution] = field(default_factory=list)
    skipped: list[SkippedSentence] = field(default_factory=list)  # marker/figure, not a claim


def page_kind(name: str, data: bytes) -> str:
    lower = name.lower()
    if lower.endswith((".html", ".htm", ".xhtml")):
        return "html"
    if lower.endswith(".txt"):
        return "text"
    head = data[:1024].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<body" in head:
        return "html"
    if name == "-":
        return "text"
    raise InputError(f"{name}: unknown page type; expected .txt, .html or .htm")


_STDIN = "-"
_MAX_TITLE = 80


def fallback_title(text: str, name: str) -> str:
    """The title of a page that gives none (an HTML page without <title>, a text page whose
    first line reads as a sentence): its file name; from standard input, its first line,
    shortened. Never "-" or empty."""
    base = PurePath(name).name if name and name != _STDIN else ""
    if base.strip():
        return base.strip()
    first = next((" ".join(line.split()) for line in text.splitlines() if line.strip()), "")
    if len(first) > _MAX_TITLE:
        first = first[: _MAX_TITLE - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"
    return first or "untitled page"


def extract(
    *,
    data: bytes,
    name: str,
    url: str | None = None,
    title: str | None = None,
    kind: str | None = None,
    charset: str | None = None,
) -> Extracted:
    """Pure: the page's text, claims, references and claim↔reference links. `kind`
    ("html" | "text") and `charset` when the server said (a page fetched by address),
    else the kind from the name or the content."""
    _check_given(url=url, title=title)
    if len(data) > MAX_PAGE_BYTES:
        from ldn_evidence.services.inputs import too_large

        raise too_large(name, len(data), MAX_PAGE_BYTES, "a page")
    if not data.strip():
        raise InputError(f"{name}: the page is empty")
    kind = kind or page_kind(name, data)
    try:
        page = page_to_text(data, kind=kind, charset=charset)
    except InputError as exc:
        raise InputError(f"{name}: {exc}") from None
    claims, skipped = extract_claims_and_skipped(page)
    refs = extract_references(page, base_url=url)
    links = [(c, r, how) for c, r, how in link_claims(claims, refs)]
    sha = hashlib.sha256(page.text.encode("utf-8")).hexdigest()
    return Extracted(
        page=page,
        claims=claims,
        references=refs,
        links=links,
        sha256=sha,
        title=title or page.title or fallback_title(page.text, name),
        url=url,
        skipped=skipped,
    )


def _check_given(*, url: str | None, title: str | None) -> None:
    """The page's address and title as typed: a URL with a line break or a control
    character, or a title with a control character, is refused (never stored)."""
    if url is not None and (problem := url_problem(url)):
        raise InputError(f"the page URL {url!r} {problem}")
    if title is not None and (ch := control_in(title)):
        raise InputError(f"the page title contains a control character ({codepoint(ch)})")


def find_existing(*, session: Session, ex: Extracted) -> SourceDocument | None:
    """The stored document this page is: the latest version at its URL, or the same text."""
    if ex.url:
        return session.scalars(
            select(SourceDocument)
            .where(SourceDocument.url == ex.url)
            .order_by(SourceDocument.version.desc())
            .limit(1)
        ).first()
    return session.scalars(
        select(SourceDocument)
        .where(SourceDocument.content_sha256 == ex.sha256, SourceDocument.url.is_(None))
        .order_by(SourceDocument.id)
        .limit(1)
    ).first()


def store(*, session: Session, ex: Extracted) -> tuple[SourceDocument, str]:
    """Store the page. Returns (document, "unchanged" | "new" | "new version")."""
    existing = find_existing(session=session, ex=ex)
    if existing is not None and existing.content_sha256 == ex.sha256:
        return existing, "unchanged"
    version = existing.version + 1 if existing is not None else 1
    doc = SourceDocument(
        url=ex.url,
        version=version,
        title=ex.title,
        text=ex.page.text,
        content_sha256=ex.sha256,
        retrieved_at=datetime.now(UTC),
    )
    session.add(doc)
    session.flush()
    refs: list[Reference] = []
    for ref, res in zip(ex.references, _padded(ex), strict=True):
        row = Reference(
            document=doc,
            position=ref.position,
            marker=ref.marker,
            raw=ref.raw,
            url=ref.url,
            title=ref.title,
            kind=ref.kind,
            pmid=res.pmid or ref.pmid,
            doi=ref.doi,
            pmcid=ref.pmcid,
            status=res.status,
            error=res.error,
            candidates=res.candidates or None,
            resolved_at=datetime.now(UTC) if res.status == "resolved" else None,
        )
        session.add(row)
        refs.append(row)
    claims: list[Claim] = []
    for c in ex.claims:
        fig = c.figure
        claim_row = Claim(
            document=doc,
            text=c.text,
            position=c.position + 1,
            kind=c.kind,
            condition=c.condition,
            intervention=c.intervention,
            dose=c.dose,
            outcome=c.outcome,
            population=c.population,
            figure_value=fig.value if fig else None,
            figure_unit=fig.unit if fig else None,
            figure_qualifier=fig.qualifier if fig else None,
            figure_text=fig.text if fig else None,
        )
        session.add(claim_row)
        claims.append(claim_row)
    session.flush()
    attach_studies(session=session, pmids=[r.pmid for r in refs if r.pmid])
    for claim_pos, ref_pos, how in ex.links:
        cite(
            session=session,
            claim=claims[claim_pos],
            reference=refs[ref_pos],
            origin="claim" if how == "marker" else "page",
        )
    session.flush()
    return doc, "new" if existing is None else "new version"


def _padded(ex: Extracted) -> list[Resolution]:
    if len(ex.resolutions) == len(ex.references):
        return ex.resolutions
    return [Resolution("web" if r.kind == "web" else "unresolved") for r in ex.references]


def preview(ex: Extracted) -> dict[str, Any]:
    """What would be stored, as plain data (for --dry-run and --json)."""
    res = _padded(ex)
    cited: dict[int, list[dict[str, Any]]] = {}
    for c, r, how in ex.links:
        cited.setdefault(c, []).append({"reference": r + 1, "how": how})
    return {
        "document": {
            "title": ex.title,
            "url": ex.url,
            "content_sha256": ex.sha256,
            "characters": len(ex.page.text),
        },
        "claims": [
            {
                "position": c.position + 1,
                "text": c.text,
                "kind": c.kind,
                "figure": (
                    {
                        "value": c.figure.value,
                        "unit": c.figure.unit,
                        "qualifier": c.figure.qualifier,
                        "text": c.figure.text,
                    }
                    if c.figure
                    else None
                ),
                "condition": c.condition,
                "intervention": c.intervention,
                "dose": c.dose,
                "outcome": c.outcome,
                "population": c.population,
                "cites": cited.get(c.position, []),
                "unsourced": is_unsourced(c, ex.links),
            }
            for c in ex.claims
        ],
        "references": [
            {
                "position": r.position + 1,
                "raw": r.raw,
                "kind": r.kind,
                "url": r.url,
                "title": r.title,
                "doi": r.doi,
                "pmcid": r.pmcid,
                "marker": r.marker,
                "status": s.status,
                "pmid": s.pmid or r.pmid,
                "via": s.via,
                "candidates": s.candidates,
                "error": s.error,
            }
            for r, s in zip(ex.references, res, strict=True)
        ],
        "skipped": [{"text": k.text, "reason": k.reason} for k in ex.skipped],
    }


def document_counts(*, session: Session, document_id: int) -> dict[str, int]:
    claims = (
        session.scalar(
            select(func.count()).select_from(Claim).where(Claim.document_id == document_id)
        )
        or 0
    )
    refs = (
        session.scalar(
            select(func.count()).select_from(Reference).where(Reference.document_id == document_id)
        )
        or 0
    )
    return {"claims": claims, "references": refs}


@dataclass
class PageRun:
    """What `extract_page` did: `status` is "unchanged" (the page is stored already; its
    failed references were resolved again, `retried`), DRY_RUN, "new" or "new version".
    `data` is the command's JSON output."""

    status: str
    title: str | None
    claims: int
    references: int
    data: dict[str, Any]
    document_id: int | None = None
    version: int | None = None
    fetched: FetchSummary | None = None
    fetch_error: str | None = None
    retried: RetrySummary | None = None  # an unchanged page's references resolved again


def _not_in_pubmed(references: list[dict[str, Any]], pmids: list[str]) -> None:
    """The previewed references whose PMID the fetch found no record for: not found (as
    `fetching.fetch` has stored them)."""
    for r in references:
        if r["pmid"] in pmids and r["status"] == RESOLVED:
            r["status"], r["error"] = NOT_FOUND, not_in_pubmed(r["pmid"])


def _preview_run(ex: Extracted) -> PageRun:
    run = PageRun(
        status=DRY_RUN,
        title=ex.title,
        claims=len(ex.claims),
        references=len(ex.references),
        data=preview(ex),
    )
    run.data["status"] = DRY_RUN
    return run


def extract_page(
    *,
    units: UnitOfWork,
    client_factory: Callable[[], PubMedClient],
    data: bytes,
    name: str,
    url: str | None = None,
    title: str | None = None,
    dry_run: bool = False,
    resolve_on_dry_run: bool = False,
    fetch: bool = True,
    kind: str | None = None,
    charset: str | None = None,
) -> PageRun:
    """The `extract` workflow: extract the page; unless it is stored already, resolve its
    references through PubMed, store it and fetch the studies it resolved to. A page
    stored already gets its failed references resolved again (`retrying`). A dry run
    never opens the database, and asks PubMed nothing unless `resolve_on_dry_run`. A
    fetch failure never undoes the extraction: it is reported in `fetch_error`."""
    ex = extract(data=data, name=name, url=url, title=title, kind=kind, charset=charset)
    unchanged: PageRun | None = None
    if dry_run and not resolve_on_dry_run:
        ex.resolutions = resolve(ex.references, None, offline=NOT_ASKED).resolutions
        return _preview_run(ex)
    if not dry_run:
        with units() as session:
            existing = find_existing(session=session, ex=ex)
            if existing is not None and existing.content_sha256 == ex.sha256:
                counts = document_counts(session=session, document_id=existing.id)
                unchanged = PageRun(
                    status=UNCHANGED,
                    title=ex.title,
                    claims=counts["claims"],
                    references=counts["references"],
                    data={"status": UNCHANGED, "document_id": existing.id},
                    document_id=existing.id,
                    version=existing.version,
                )
        if unchanged is not None:
            retried = retry_references(
                units=units,
                client_factory=client_factory,
                document_id=unchanged.document_id,
                fetch=fetch,
            )
            if retried.did_anything:
                unchanged.retried = retried
                unchanged.data["retried"] = retried.as_dict()
            return unchanged
    client = client_factory()
    try:
        resolved = resolve(ex.references, client)
        ex.resolutions = resolved.resolutions
        run = _preview_run(ex)
        if dry_run:
            return run
        with units() as session:
            doc, run.status = store(session=session, ex=ex)
            run.document_id, run.version = doc.id, doc.version
        run.data["status"] = run.status
        run.data["document"]["id"] = run.document_id
        run.data["document"]["version"] = run.version
        pmids = sorted(
            {r.pmid for r in resolved.resolutions if r.status == RESOLVED and r.pmid}, key=int
        )
        if pmids and fetch:
            try:
                run.fetched = store_and_fetch(
                    units=units, client=client, pmids=pmids, records=resolved.records
                )
                run.data["fetch"] = run.fetched.as_dict()
                _not_in_pubmed(run.data["references"], run.fetched.not_found)
            except PubMedError as exc:
                run.fetch_error = str(exc)
                run.data["fetch"] = {"error": run.fetch_error}
    finally:
        client.close()
    return run
