"""RIS: the cited studies (deduplicated) for Zotero, EndNote, Mendeley — written by rispy.

Tags: TY JOUR, ID (citation key), AU "Family, Given", TI, T2 journal, J2 ISO
abbreviation, PY, DA, VL, IS, SP/EP, AB, DO, UR (PubMed), AN (PMID), C2 (PMCID, as
EndNote files PubMed records), SN, LA, N1 (retraction and other flags, then one note per
claim that cites the study, with its verdict). TI has no closing period (styles add one).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import rispy

from ldn_evidence.export.bibdata import (
    bare_title,
    bibliography,
    date_parts,
    split_pages,
)
from ldn_evidence.viewmodel import Author, Report, StudyRecord


class _Writer(rispy.RisWriter):
    """rispy's writer without its "1." counter line before each record."""

    def set_header(self, count: int) -> str:
        return ""


def _line(text: str | None) -> str:
    """RIS values are one line each: a newline in a value would start a new tag."""
    return " ".join((text or "").split())


def ris_author(author: Author) -> str:
    if author.literal:
        return _line(author.literal)
    given = author.given or author.initials or ""
    return _line(f"{author.family}, {given}" if given else author.family)


def ris_date(parts: list[int]) -> str | None:
    """RIS DA: "YYYY/MM/DD/", empty parts left empty ("2013/02//")."""
    if not parts:
        return None
    month = f"{parts[1]:02d}" if len(parts) > 1 else ""
    day = f"{parts[2]:02d}" if len(parts) > 2 else ""
    return f"{parts[0]}/{month}/{day}/"


def ris_record(study: StudyRecord, key: str, claims: list[str] | None = None) -> dict[str, Any]:
    start, end = split_pages(study.pages)
    record: dict[str, Any] = {
        "type_of_reference": "JOUR",
        "id": key,
        "authors": [ris_author(a) for a in study.authors if a.family or a.literal],
        "title": bare_title(study.title),
        "secondary_title": study.journal,
        "alternate_title1": study.journal_iso,
        "year": str(study.year) if study.year else None,
        "date": ris_date(date_parts(study)),
        "volume": study.volume,
        "number": study.issue,
        "start_page": start,
        "end_page": end,
        "abstract": study.abstract,
        "doi": study.doi,
        "urls": [study.url],
        "accession_number": study.pmid,
        "custom2": study.pmcid,
        "issn": study.issn,
        "language": study.language,
        "notes": ["RETRACTED PUBLICATION" if f == "retracted" else f for f in study.flags]
        + (claims or []),
    }
    out: dict[str, Any] = {}
    for field, value in record.items():
        if isinstance(value, list):
            values = [_line(v) for v in value if v]
            if values:
                out[field] = values
        elif value:
            out[field] = _line(str(value))
    return out


def render_ris(report: Report) -> bytes:
    return b"".join(chunks_ris(report))


def chunks_ris(report: Report) -> Iterator[bytes]:
    """A record at a time, each study as first cited (`bibliography`). rispy separates
    records by their place in the file, so each is written once the next one is known."""
    writer = _Writer()
    studies = bibliography(report)
    current = next(studies, None)
    count = 0
    while current is not None:
        following = next(studies, None)
        count += 1
        record = ris_record(*current)
        total = count + 1 if following is not None else count
        lines = writer._format_reference(record, count=count, n=total)
        yield "".join(f"{line}\n" for line in lines).encode("utf-8")
        current = following
