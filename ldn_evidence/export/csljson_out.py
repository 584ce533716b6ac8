"""CSL-JSON: the cited studies (deduplicated) as CSL data items (citeproc, Zotero, pandoc).

Follows the CSL data schema (csl-data.json): type `article-journal`, `author` as
family/given (or `literal` for a group), `issued` date-parts, `container-title`, `page`,
and the identifiers `DOI`, `PMID`, `PMCID`, `URL`. `title` has no closing period (styles add
one); `annote` (CSL's annotation, kept by reference managers and printed by no ordinary
style) lists the claims that cite the study and their verdicts, one a line; `note` keeps
the retraction and correction flags.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from ldn_evidence.export.bibdata import (
    bare_title,
    bibliography,
    date_parts,
    page_range,
)
from ldn_evidence.viewmodel import Author, Report, StudyRecord


def csl_name(author: Author) -> dict[str, str]:
    if author.literal:
        return {"literal": author.literal}
    name = {"family": author.family or ""}
    given = author.given or author.initials
    if given:
        name["given"] = given
    return name


def csl_item(study: StudyRecord, key: str, claims: list[str] | None = None) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": key,
        "type": "article-journal",
        "title": bare_title(study.title),
        "author": [csl_name(a) for a in study.authors if a.family or a.literal],
        "container-title": study.journal or study.journal_iso,
        "container-title-short": study.journal_iso,
        "volume": study.volume,
        "issue": study.issue,
        "page": page_range(study.pages),
        "ISSN": study.issn,
        "language": study.language,
        "abstract": study.abstract,
        "DOI": study.doi,
        "PMID": study.pmid,
        "PMCID": study.pmcid,
        "URL": study.url,
    }
    parts = date_parts(study)
    if parts:
        item["issued"] = {"date-parts": [parts]}
    notes = ["Retracted publication" if f == "retracted" else f for f in study.flags]
    if notes:
        item["note"] = "; ".join(notes)
    if claims:
        item["annote"] = "\n".join(claims)
    return {k: v for k, v in item.items() if v not in (None, "", [])}


def render_csljson(report: Report) -> bytes:
    return b"".join(chunks_csljson(report))


def chunks_csljson(report: Report) -> Iterator[bytes]:
    """`json.dumps(items, indent=2)` an item at a time, each study as first cited
    (`bibliography`)."""
    opened = False
    for study, key, notes in bibliography(report):
        item = csl_item(study, key, notes)
        text = json.dumps(item, indent=2, ensure_ascii=False).replace("\n", "\n  ")
        yield (("[\n  " if not opened else ",\n  ") + text).encode("utf-8")
        opened = True
    yield b"\n]\n" if opened else b"[]\n"
