"""`load FILE`: store a hand-written dataset (YAML or CSV), idempotently."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ldn_evidence.errors import InputError
from ldn_evidence.models import PublicationTypeRow, SourceDocument, Study, StudyAuthor
from ldn_evidence.services import study_cells
from ldn_evidence.services.dataset import (
    AuthorData,
    Dataset,
    DocumentData,
    StudyData,
    read_dataset,
)
from ldn_evidence.services.grading import grade_curated

CURATED_NOTE = (
    "Curated: bibliographic facts entered by hand from the published citation, not fetched "
    "from PubMed. `ldn-evidence fetch --missing` replaces this with the PubMed record."
)


@dataclass
class LoadSummary:
    source: str
    document_id: int | None = None
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def count(self, what: str, created: bool) -> None:
        bucket = self.created if created else self.updated
        bucket[what] = bucket.get(what, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def load_file(*, session: Session, path: Path) -> LoadSummary:
    return load_dataset(session=session, dataset=read_dataset(path))


def load_dataset(*, session: Session, dataset: Dataset) -> LoadSummary:
    """Store a checked dataset; an error names its file (a value longer than its column
    is refused by the flush: `db.session_scope`)."""
    try:
        return _load(session, dataset)
    except InputError as exc:
        if str(exc).startswith(dataset.source):
            raise
        raise InputError(f"{dataset.source}: {exc}") from None


def _load(session: Session, dataset: Dataset) -> LoadSummary:
    from ldn_evidence.services.bulk_load import store_claims, store_references

    summary = LoadSummary(source=dataset.source)
    curated = [
        store_curated_study(session=session, data=study_data, summary=summary)
        for study_data in dataset.studies
    ]
    session.flush()
    document = _document(session, dataset.document, summary)
    session.flush()  # the bulk path writes through the session's connection
    document_id = document.id if document is not None else None
    refs = store_references(
        session=session, document_id=document_id, references=dataset.references, summary=summary
    )
    store_claims(
        session=session,
        document_id=document_id,
        claims=dataset.claims,
        references=refs,
        summary=summary,
    )
    # the studies this load may have cited, or rewritten: their export cells stored
    cited = {ref.study_id for ref in refs.values()} | {s.id for s in curated}
    study_cells.fill(session, cited)
    summary.document_id = document_id
    return summary


def _set(obj: object, values: Mapping[str, object]) -> bool:
    changed = False
    for key, value in values.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)
            changed = True
    return changed


def _document(
    session: Session, data: DocumentData | None, summary: LoadSummary
) -> SourceDocument | None:
    if data is None:
        return None
    sha = hashlib.sha256(data.text.encode()).hexdigest() if data.text else None
    query = select(SourceDocument)
    if data.url:
        query = query.where(SourceDocument.url == data.url).order_by(SourceDocument.version.desc())
    elif sha:
        query = query.where(SourceDocument.content_sha256 == sha, SourceDocument.url.is_(None))
    elif data.title:
        query = query.where(SourceDocument.title == data.title, SourceDocument.url.is_(None))
    else:
        raise InputError(f"{summary.source}: document needs a url, a text or a title")
    doc = session.scalars(query.limit(1)).first()
    retrieved = _parse_time(data.retrieved_at, summary.source)
    values: dict[str, object] = {
        "title": data.title,
        "publisher": data.publisher,
        "text": data.text,
        "content_sha256": sha,
    }
    if retrieved is not None:
        values["retrieved_at"] = retrieved
    if doc is None:
        doc = SourceDocument(url=data.url, version=1, **values)
        session.add(doc)
        session.flush()
        summary.count("documents", True)
    elif _set(doc, values):
        summary.count("documents", False)
    return doc


def _parse_time(value: str | None, source: str) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise InputError(f"{source}: document.retrieved_at: not an ISO date: {value!r}") from None


def store_curated_study(*, session: Session, data: StudyData, summary: LoadSummary) -> Study:
    """A curated study; never overwrites a record fetched from PubMed or a file."""
    study = session.scalars(select(Study).where(Study.pmid == data.pmid)).first()
    if study is not None and study.origin != "curated":
        return study
    values = {
        "title": data.title,
        "journal_title": data.journal,
        "journal_iso": data.journal_iso,
        "pub_year": data.year,
        "pub_date": data.pub_date,
        "volume": data.volume,
        "issue": data.issue,
        "pages": data.pages,
        "doi": data.doi,
        "curation_note": data.note or CURATED_NOTE,
        "origin": "curated",
        "evidence_level": grade_curated(data.publication_types, data.title),
    }
    created = study is None
    if study is None:
        study = Study(pmid=data.pmid, **values)
        session.add(study)
        changed = True
    else:
        changed = _set(study, values)
    authors = [_author_key(a) for a in data.authors]
    if [_author_key(a) for a in study.authors] != authors:
        study.authors = [
            StudyAuthor(
                position=i, last_name=a[0], fore_name=a[1], initials=a[2], collective_name=a[3]
            )
            for i, a in enumerate(authors)
        ]
        changed = True
    if sorted(t.name for t in study.publication_types) != sorted(data.publication_types):
        study.publication_types = [
            publication_type(session, name) for name in data.publication_types
        ]
        changed = True
    if changed:
        summary.count("studies", created)
        if not created:  # rewritten: its stored export cells go (made again if cited)
            study_cells.forget(session, [study.id])
    return study


def _author_key(a: AuthorData | StudyAuthor) -> tuple[str | None, ...]:
    return (a.last_name, a.fore_name, a.initials, a.collective_name)


def publication_type(session: Session, name: str, ui: str | None = None) -> PublicationTypeRow:
    row = session.scalars(select(PublicationTypeRow).where(PublicationTypeRow.name == name)).first()
    if row is None:
        row = PublicationTypeRow(name=name, ui=ui)
        session.add(row)
        session.flush()
    elif ui and not row.ui:
        row.ui = ui
    return row
