"""A reviewer's hand: add a claim, cite a study for it, record a verdict.

`claims add`, `claims cite` and `claims check` call these. Each is safe to repeat: the same
claim text in the same document is the same claim, citing a study twice changes nothing,
and every check is kept in the citation's event history (`services.verdicts`).
"""

from __future__ import annotations

import getpass
import re
from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import unquote

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ldn_evidence.errors import InputError, NotFoundError, PubMedError
from ldn_evidence.figures import parse_claim_figure
from ldn_evidence.models import Citation, Claim, Reference, SourceDocument, Study, utcnow
from ldn_evidence.pubmed.ids import validate_pmids
from ldn_evidence.services.linking import cite
from ldn_evidence.services.verdicts import check_verdict, set_verdict
from ldn_evidence.textsafe import codepoint, control_in
from ldn_evidence.vocab import DOI_MAX

if TYPE_CHECKING:
    from ldn_evidence.pubmed.client import PubMedClient

__all__ = ["add_claim", "check_claim", "cite_claim", "normalise_verdict", "parse_identifier"]

ClientFactory = Callable[[], "PubMedClient"]

_DOI_PREFIX = re.compile(r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/)", re.IGNORECASE)
_DOI = re.compile(r"10\.[0-9]{4,9}/[^\s\x00-\x1f\x7f-\x9f]+")  # no control characters
_PMID_PREFIX = re.compile(r"^pmid:?\s*", re.IGNORECASE)
_DOI_EXAMPLE = "a DOI looks like 10.1002/art.37734"
_PMID_MAX_DIGITS = 16  # the width of the pmid columns


# ---- identifiers and verdicts as typed by a reviewer ------------------------------------


def parse_identifier(value: str) -> tuple[str, str]:
    """("pubmed", PMID) or ("doi", DOI) for "23359310", "PMID: 23359310", "10.1002/x",
    "doi:10.1002/x" or "https://doi.org/10.1002/x"; InputError for anything else."""
    text = str(value).strip()
    bare = _DOI_PREFIX.sub("", text)
    if bare != text or text.startswith("10."):
        doi = unquote(bare).strip().rstrip(".,;")
        if not _DOI.fullmatch(doi) or len(doi) > DOI_MAX:
            raise InputError(f"not a DOI: {value!r} ({_DOI_EXAMPLE})")
        return "doi", doi
    digits = _PMID_PREFIX.sub("", text)
    if not (digits.isascii() and digits.isdigit()):
        raise InputError(
            f"not a PMID or DOI: {value!r} (a PMID is a positive whole number; {_DOI_EXAMPLE})"
        )
    return "pubmed", _pmid(digits)


def _pmid(value: str) -> str:
    pmid = validate_pmids([_PMID_PREFIX.sub("", str(value).strip())])[0]
    if len(pmid) > _PMID_MAX_DIGITS:
        raise InputError(f"invalid PMID {value!r}: longer than {_PMID_MAX_DIGITS} digits")
    return pmid


def normalise_verdict(value: str) -> str:
    """ "Not supported", "not-supported" and "NOT_SUPPORTED" all mean not_supported."""
    return check_verdict(re.sub(r"[\s-]+", "_", str(value).strip().lower()))


# ---- claims add ----------------------------------------------------------------------------


def _typed(what: str, value: str) -> str:
    """A value typed by the reviewer, refused when it holds a control character (a
    terminal escape would be stored and shown to everyone who lists the claim)."""
    if ch := control_in(value):
        raise InputError(f"{what} contains a control character ({codepoint(ch)})")
    return value


def _limited(field: str, value: str | None) -> str | None:
    """`value` trimmed (None when empty), refused when longer than its column."""
    if value is None:
        return None
    value = _typed(field, value.strip())
    if not value:
        return None
    limit = getattr(Claim.__table__.c[field].type, "length", None)
    if limit is not None and len(value) > limit:
        raise InputError(f"{field} is {len(value)} characters long; at most {limit} fit")
    return value


def add_claim(
    *,
    session: Session,
    text: str,
    document_id: int | None = None,
    figure: str | None = None,
    condition: str | None = None,
    intervention: str | None = None,
    dose: str | None = None,
    outcome: str | None = None,
    population: str | None = None,
) -> Claim:
    """Store a claim (next position in its document), or update the claim with the same text
    in the same document with the fields given. `figure` is the figure as written
    ("nearly 30%"); InputError when it states no figure."""
    text = _typed("the claim text", (text or "").strip())
    if not text:
        raise InputError("the claim text is empty")
    document = None
    if document_id is not None:
        document = session.get(SourceDocument, document_id)
        if document is None:
            raise NotFoundError(f"no document with id {document_id}")
    values: dict[str, object] = {
        key: _limited(key, raw)
        for key, raw in (
            ("condition", condition),
            ("intervention", intervention),
            ("dose", dose),
            ("outcome", outcome),
            ("population", population),
        )
        if raw is not None
    }
    if figure is not None:
        parsed = parse_claim_figure(_typed("the figure", figure.strip()))
        if parsed is None:
            raise InputError(
                f"cannot read figure {figure!r}: write it as the page does, e.g. "
                "'nearly 30%', '60%', '3-fold', '8 of 10'"
            )
        values.update(
            kind="figure",
            figure_value=parsed.value,
            figure_unit=parsed.unit,
            figure_qualifier=parsed.qualifier,
            figure_text=_limited("figure_text", parsed.text or figure),
        )
    same_doc = (
        Claim.document_id == document_id if document_id is not None else Claim.document_id.is_(None)
    )
    claim = session.scalars(
        select(Claim).where(same_doc, Claim.text == text).order_by(Claim.id).limit(1)
    ).first()
    if claim is None:
        position = None
        if document is not None:
            last = session.scalar(
                select(func.max(Claim.position)).where(Claim.document_id == document.id)
            )
            position = (last or 0) + 1
        claim = Claim(document=document, text=text, position=position, **values)
        session.add(claim)
    else:
        for key, value in values.items():
            if getattr(claim, key) != value:
                setattr(claim, key, value)
    session.flush()
    return claim


# ---- claims cite ---------------------------------------------------------------------------


def _claim(session: Session, claim_id: int) -> Claim:
    claim = session.get(Claim, claim_id)
    if claim is None:
        raise NotFoundError(f"no claim with id {claim_id}")
    return claim


def _study_by_pmid(session: Session, pmid: str) -> Study | None:
    return session.scalars(select(Study).where(Study.pmid == pmid)).first()


def _study_by_doi(session: Session, doi: str) -> Study | None:
    return session.scalars(
        select(Study).where(func.lower(Study.doi) == doi.lower()).order_by(Study.id).limit(1)
    ).first()


def _reference(
    session: Session, claim: Claim, kind: str, pmid: str | None, doi: str | None
) -> Reference:
    """The reference of the claim's document naming this PMID / DOI, created when missing."""
    same_doc = (
        Reference.document_id == claim.document_id
        if claim.document_id is not None
        else Reference.document_id.is_(None)
    )
    if kind == "pubmed":
        match = Reference.pmid == pmid
    else:
        match = func.lower(Reference.doi) == str(doi).lower()
    found = session.scalars(
        select(Reference).where(same_doc, match).order_by(Reference.id).limit(1)
    ).first()
    if found is not None:
        return found
    position = None
    if claim.document_id is not None:
        last = session.scalar(
            select(func.max(Reference.position)).where(Reference.document_id == claim.document_id)
        )
        position = (last or 0) + 1
    if kind == "pubmed":
        raw, url = f"PMID {pmid}", f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"
    else:
        raw, url = f"doi:{doi}", f"https://doi.org/{doi}"
    reference = Reference(
        document_id=claim.document_id,
        position=position,
        raw=raw,
        url=url,
        kind=kind,
        pmid=pmid,
        doi=doi,
        status="resolved" if pmid else "unresolved",
        resolved_at=utcnow() if pmid else None,
    )
    session.add(reference)
    session.flush()
    return reference


def _resolve_doi(reference: Reference, client_factory: ClientFactory) -> None:
    """Ask NCBI's ID Converter for the DOI's PMID. A failure leaves the reference
    unresolved with the reason; it never stops the command."""
    doi = str(reference.doi)
    try:
        client = client_factory()
        try:
            found = client.idconv([doi])
        finally:
            client.close()
    except PubMedError as exc:
        reference.status = "unresolved"
        reference.error = f"DOI → PMID look-up failed: {exc}"
        return
    pmid = found.get(doi)
    if pmid is None:
        reference.status = "unresolved"
        reference.error = (
            f"NCBI's ID Converter does not know DOI {doi} (it knows only articles in PMC); "
            "cite the PMID instead"
        )
        return
    reference.pmid = _pmid(pmid)
    reference.status = "resolved"
    reference.error = None
    reference.resolved_at = utcnow()


def cite_claim(
    *, session: Session, claim_id: int, identifier: str, client_factory: ClientFactory
) -> Citation:
    """Cite a study for a claim as a reviewer, by PMID or DOI.

    A stored study with that PMID or DOI is cited directly. Otherwise the claim's document
    gets a reference (kind pubmed / doi) and the claim cites it; a DOI is turned into a
    PMID with NCBI's ID Converter (``client_factory()`` is called only then). When the
    look-up fails the reference stays unresolved with the reason in ``reference.error``.
    Citing the same study again returns the existing citation unchanged.
    """
    kind, value = parse_identifier(identifier)
    claim = _claim(session, claim_id)
    if kind == "pubmed":
        pmid, doi = value, None
        study = _study_by_pmid(session, value)
    else:
        pmid, doi = None, value
        study = _study_by_doi(session, value)
    reference: Reference | None = None
    if study is not None:
        # The claim may already cite this study through a reference not yet linked to it
        # (the study was stored later): that is the same citation, not a second one.
        reference = next(
            (
                c.reference
                for c in claim.citations
                if c.study_id is None and c.reference is not None and c.reference.pmid == study.pmid
            ),
            None,
        )
    else:
        reference = _reference(session, claim, kind, pmid, doi)
        if reference.pmid is None:
            _resolve_doi(reference, client_factory)
        if reference.pmid is not None:
            study = _study_by_pmid(session, reference.pmid)
    if reference is not None and study is not None and reference.study_id != study.id:
        reference.study = study
    citation, _ = cite(
        session=session, claim=claim, reference=reference, study=study, origin="reviewer"
    )
    session.flush()
    return citation


# ---- claims check --------------------------------------------------------------------------


def _os_user() -> str | None:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in this environment (containers)
        return None


def _cites(citation: Citation, pmid: str) -> bool:
    if citation.study is not None and citation.study.pmid == pmid:
        return True
    return citation.reference is not None and citation.reference.pmid == pmid


def check_claim(
    *,
    session: Session,
    claim_id: int,
    study: str,
    verdict: str,
    note: str | None = None,
    by: str | None = None,
) -> Citation:
    """Record a reviewer's verdict on the citation of claim `claim_id` to PMID `study`.

    `by` defaults to the operating-system user name. NotFoundError when the claim does not
    cite that PMID (cite it first with `claims cite`).
    """
    verdict = normalise_verdict(verdict)
    pmid = _pmid(study)
    claim = _claim(session, claim_id)
    citation = next((c for c in claim.citations if _cites(c, pmid)), None)
    if citation is None:
        raise NotFoundError(
            f"claim {claim_id} does not cite PMID {pmid}; add it first with "
            f"`ldn-evidence claims cite {claim_id} {pmid}`"
        )
    who = _typed("--by", (by or "").strip()) or _os_user()
    set_verdict(
        session=session,
        citation=citation,
        verdict=verdict,
        origin="reviewer",
        by=who,
        note=_typed("the note", (note or "").strip()) or None,
    )
    return citation
