"""`import-xml`: PubMed XML files (efetch output, baseline/update .xml.gz), streamed.

One transaction per chunk of records; DeleteCitation applied; re-running skips records
already stored unchanged (sha256 of the raw record).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ldn_evidence.errors import InputError, ParseError
from ldn_evidence.pubmed.parser import iter_articles
from ldn_evidence.pubmed.records import ArticleRecord, DeletedCitation
from ldn_evidence.services.fetching import UnitOfWork
from ldn_evidence.services.linking import attach_studies
from ldn_evidence.services.studies import delete_studies, store_article

CHUNK = 500


@dataclass
class ImportSummary:
    file: str
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    kept_cited: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def records(self) -> int:
        return self.new + self.updated + self.unchanged

    def line(self) -> str:
        text = (
            f"{self.file}: {self.records} records ({self.new} new, {self.updated} updated, "
            f"{self.unchanged} unchanged), {self.deleted} deleted"
        )
        if self.kept_cited:
            text += f", {len(self.kept_cited)} deletions kept (cited by claims)"
        return text

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "deleted": self.deleted,
            "kept_cited": self.kept_cited,
            "error": self.error,
        }


class _Fault(Exception):
    """Carries the records parsed before a ParseError, so they are stored first."""

    def __init__(self, chunk: list[ArticleRecord | DeletedCitation], error: ParseError) -> None:
        self.chunk = chunk
        self.error = error


def _chunks(path: Path) -> Iterator[list[ArticleRecord | DeletedCitation]]:
    chunk: list[ArticleRecord | DeletedCitation] = []
    try:
        for record in iter_articles(path):
            chunk.append(record)
            if len(chunk) >= CHUNK:
                yield chunk
                chunk = []
    except ParseError as exc:
        raise _Fault(chunk, exc) from None
    if chunk:
        yield chunk


def import_file(
    *, units: UnitOfWork, path: Path, on_records: Callable[[int], None] | None = None
) -> ImportSummary:
    """Import one file. A parse fault keeps the chunks before it and raises ParseError."""
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    summary = ImportSummary(file=str(path))
    try:
        for chunk in _chunks(path):
            _store_chunk(units, chunk, summary)
            if on_records:
                on_records(len(chunk))
    except _Fault as fault:
        if fault.chunk:
            _store_chunk(units, fault.chunk, summary)
        summary.error = str(fault.error)
        raise ParseError(
            f"{fault.error} (stored the {summary.records} records before the fault)"
        ) from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return summary


def _store_chunk(
    units: UnitOfWork, chunk: list[ArticleRecord | DeletedCitation], summary: ImportSummary
) -> None:
    with units() as session:
        pmids = []
        for record in chunk:
            if isinstance(record, DeletedCitation):
                deleted, kept = delete_studies(session=session, pmids=record.pmids)
                summary.deleted += len(deleted)
                summary.kept_cited += kept
                continue
            outcome = store_article(session=session, record=record, origin="file")
            setattr(summary, outcome, getattr(summary, outcome) + 1)
            pmids.append(record.pmid)
        attach_studies(session=session, pmids=pmids)
