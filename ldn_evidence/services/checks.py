"""The checks of what a user asks for, shared by the commands that read and those that
write: a verdict's name, and the export's filters (ids given once each, PMIDs and claims
that exist). Core statements on `models.tables`, run on a `Connection` or a `Session`;
imports no ORM, so a command that only reads can use them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy import select

from ldn_evidence.errors import InputError, NotFoundError
from ldn_evidence.models import tables
from ldn_evidence.vocab import VERDICTS, normalize_pmid, unknown_verdict_message

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.orm import Session


def check_verdict(verdict: str) -> str:
    """`verdict` if it is one of VERDICTS, else InputError listing the allowed ones."""
    if verdict not in VERDICTS:
        raise InputError(unknown_verdict_message(verdict))
    return verdict


def unique(ids: Sequence[int] | None) -> list[int]:
    """The ids in the order given, each once."""
    return list(dict.fromkeys(ids or ()))


def check_pmids(db: Connection | Session, pmids: Sequence[str] | None) -> set[str] | None:
    """The PMIDs normalised (None when none is given); InputError for one that is not a
    PMID, NotFoundError naming those no study or reference has."""
    if not pmids:
        return None
    bad = sorted(str(p).strip() for p in pmids if normalize_pmid(p) is None)
    if bad:
        raise InputError(f"not a PMID: {bad[0]!r} (PMIDs are digits, e.g. 23359310)")
    wanted = {pmid for pmid in map(normalize_pmid, pmids) if pmid is not None}
    studies, references = tables.studies.c, tables.references.c
    known = set(db.scalars(select(studies.pmid).where(studies.pmid.in_(wanted))))
    known |= set(db.scalars(select(references.pmid).where(references.pmid.in_(wanted))))
    missing = sorted(wanted - known, key=int)
    if missing:
        raise NotFoundError(f"no study or reference with PMID {', '.join(missing)}")
    return wanted


def check_claims(db: Connection | Session, ids: list[int]) -> None:
    """NotFoundError naming the claim ids that no claim has."""
    claims = tables.claims.c
    found = set(db.scalars(select(claims.id).where(claims.id.in_(ids))))
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise NotFoundError(f"no claim with id {', '.join(missing)}")
