"""PMIDs and PMCIDs given by a user, checked: no HTTP here, so a command that only reads
the database (`studies show PMID`) does not import the client."""

from __future__ import annotations

from collections.abc import Iterable

from ldn_evidence.errors import InputError
from ldn_evidence.vocab import normalize_pmcid, normalize_pmid


def validate_pmids(values: Iterable[str]) -> list[str]:
    """PMIDs as `normalize_pmid` writes them, duplicates dropped, order kept.

    Raises `InputError` naming the first bad value ("abc", "-1", "12 34", "0", "").
    """
    seen: dict[str, None] = {}
    for value in values:
        pmid = normalize_pmid(value)
        if pmid is None:
            raise InputError(f"invalid PMID {value!r}: a PMID is a positive whole number")
        seen.setdefault(pmid, None)
    return list(seen)


def validate_pmcids(values: Iterable[str]) -> list[str]:
    """PMCIDs written "PMC" + digits, duplicates dropped, order kept; InputError names
    the first value that is not one ("PMC", "12a")."""
    seen: dict[str, None] = {}
    for value in values:
        pmcid = normalize_pmcid(value)
        if pmcid is None:
            raise InputError(f"invalid PMCID {value!r}: a PMCID is PMC and a number")
        seen.setdefault(pmcid, None)
    return list(seen)
