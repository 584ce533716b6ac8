"""Store parsed PubMed records as studies; query them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, defer, selectinload

from ldn_evidence.errors import NotFoundError
from ldn_evidence.models import (
    AbstractSectionRow,
    Citation,
    KeywordRow,
    MeshTermRow,
    PublicationTypeRow,
    Study,
    StudyAuthor,
    StudyLinkRow,
    StudyMeshTerm,
)
from ldn_evidence.services import study_cells

if TYPE_CHECKING:  # a record is stored by `store_article`; showing a study needs no parser
    from ldn_evidence.pubmed.records import ArticleRecord

Outcome = Literal["new", "updated", "unchanged"]

STUDY_LOAD = (
    selectinload(Study.authors),
    selectinload(Study.publication_types),
    selectinload(Study.links),
    selectinload(Study.abstract_sections),
    selectinload(Study.keywords),
    selectinload(Study.mesh).selectinload(StudyMeshTerm.term),
    selectinload(Study.retraction_notices),
)


class _Lookups:
    """Per-session caches of the shared vocabularies (publication types, MeSH terms)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.types: dict[str, PublicationTypeRow] = {}
        self.mesh: dict[str, MeshTermRow] = {}

    def publication_type(self, name: str, ui: str | None) -> PublicationTypeRow:
        row = self.types.get(name)
        if row is None:
            row = self.session.scalars(
                select(PublicationTypeRow).where(PublicationTypeRow.name == name)
            ).first()
            if row is None:
                row = PublicationTypeRow(name=name, ui=ui)
                self.session.add(row)
            self.types[name] = row
        if ui and not row.ui:
            row.ui = ui
        return row

    def mesh_term(self, ui: str | None, name: str) -> MeshTermRow:
        key = ui or name
        row = self.mesh.get(key)
        if row is None:
            row = self.session.scalars(select(MeshTermRow).where(MeshTermRow.ui == key)).first()
            if row is None:
                row = MeshTermRow(ui=key, name=name)
                self.session.add(row)
            self.mesh[key] = row
        return row


def _lookups(session: Session) -> _Lookups:
    found = session.info.get("ldn_lookups")
    if not isinstance(found, _Lookups):
        found = _Lookups(session)
        session.info["ldn_lookups"] = found
    return found


def store_article(
    *, session: Session, record: ArticleRecord, origin: str = "efetch", force: bool = False
) -> Outcome:
    """Insert or update one study from a parsed record.

    A stored record with the same raw-XML sha256 is left alone ("unchanged") unless
    `force`; a curated study is always replaced by the real record, keeping citations.
    """
    study = session.scalars(select(Study).where(Study.pmid == record.pmid)).first()
    if study is not None and study.raw_sha256 == record.sha256 and not force:
        return "unchanged"
    outcome: Outcome = "new" if study is None else "updated"
    if study is None:
        study = Study(pmid=record.pmid)
        session.add(study)
    _fill(session, study, record, origin)
    session.flush()
    if outcome == "updated":  # rewritten: its stored export cells made again if it is cited
        study_cells.refresh(session, [study.id])
    return outcome


def _fill(session: Session, study: Study, rec: ArticleRecord, origin: str) -> None:
    from ldn_evidence.services.grading import grade_record

    look = _lookups(session)
    study.pmid_version = rec.pmid_version
    study.kind = rec.kind
    study.doi = rec.doi
    study.pmcid = rec.pmcid
    study.title = rec.title
    study.abstract = rec.abstract or None
    study.journal_title = rec.journal_title
    study.journal_iso = rec.journal_iso
    study.issn = rec.issn
    study.volume = rec.volume
    study.issue = rec.issue
    study.pages = rec.pages
    study.pub_year = rec.pub_year
    study.pub_date = rec.pub_date
    study.article_date = rec.article_date
    study.language = rec.language
    study.publisher = rec.publisher
    study.retracted = rec.retracted
    study.origin = origin
    study.curation_note = None
    study.fetched_at = datetime.now(UTC)
    study.raw_xml = rec.raw_xml.decode("utf-8", errors="replace")
    study.raw_sha256 = rec.sha256
    study.evidence_level = grade_record(rec)
    study.abstract_sections = [
        AbstractSectionRow(position=i, label=s.label, category=s.category, text=s.text)
        for i, s in enumerate(rec.abstract_sections)
    ]
    study.authors = [
        StudyAuthor(
            position=i,
            last_name=a.last_name,
            fore_name=a.fore_name,
            initials=a.initials,
            collective_name=a.collective_name,
            orcid=a.orcid,
            affiliations=list(a.affiliations) or None,
        )
        for i, a in enumerate(rec.authors)
    ]
    seen: set[str] = set()
    types = []
    for t in rec.publication_types:
        if t.name not in seen:
            seen.add(t.name)
            types.append(look.publication_type(t.name, t.ui))
    study.publication_types = types
    mesh = []
    seen_terms: set[str] = set()
    for i, m in enumerate(rec.mesh_terms):
        term = look.mesh_term(m.descriptor_ui, m.descriptor_name)
        if (m.descriptor_ui or m.descriptor_name) in seen_terms:
            continue
        seen_terms.add(m.descriptor_ui or m.descriptor_name)
        qualifiers = [
            {"ui": q.ui, "name": q.name, "major_topic": q.major_topic} for q in m.qualifiers
        ]
        mesh.append(
            StudyMeshTerm(
                position=i, term=term, major_topic=m.major_topic, qualifiers=qualifiers or None
            )
        )
    if study.id is not None and study.mesh:
        # delete the old headings first: the new rows share (study, term) keys with them
        study.mesh = []
        session.flush()
    study.mesh = mesh
    study.keywords = [
        KeywordRow(position=i, text=k.text, major_topic=k.major_topic, owner=k.owner)
        for i, k in enumerate(rec.keywords)
    ]
    study.links = [
        StudyLinkRow(position=i, ref_type=link.ref_type, pmid=link.pmid, ref_source=link.ref_source)
        for i, link in enumerate(rec.links)
    ]


def delete_studies(*, session: Session, pmids: Iterable[str]) -> tuple[list[str], list[str]]:
    """Apply a DeleteCitation: remove uncited studies. Returns (deleted, kept because cited)."""
    deleted, kept = [], []
    wanted = list(dict.fromkeys(pmids))
    for study in session.scalars(select(Study).where(Study.pmid.in_(wanted))):
        cited = session.scalar(
            select(func.count()).select_from(Citation).where(Citation.study_id == study.id)
        )
        if cited:
            kept.append(study.pmid)
        else:
            session.delete(study)
            deleted.append(study.pmid)
    session.flush()
    return deleted, kept


def get_study(*, session: Session, pmid: str) -> Study:
    """The study with its parts and the claims citing it, in one statement each (by the
    PMID's unique index, then by study id); its raw XML is not loaded.

    The test oracle of `show_rows.read_study` (what `studies show` reads): the same
    `views.study_detail` made from either is identical (tests/cli/test_show_core.py)."""
    study = session.scalars(
        select(Study)
        .options(
            *STUDY_LOAD,
            defer(Study.raw_xml),
            selectinload(Study.citations).selectinload(Citation.claim),
        )
        .where(Study.pmid == pmid.strip())
    ).first()
    if study is None:
        raise NotFoundError(f"no study with PMID {pmid}")
    return study


def list_studies(
    *,
    session: Session,
    search: str | None = None,
    year: int | None = None,
    publication_type: str | None = None,
    retracted: bool = False,
    level: str | None = None,
    limit: int | None = None,
) -> list[Study]:
    """Studies, newest first (all loaded at once: `iter_studies` streams them). See
    `studies_query`."""
    # the lists' query (and their views) load to list: storing a record needs neither
    from ldn_evidence.services.list_rows import studies_query

    query = studies_query(
        search=search,
        year=year,
        publication_type=publication_type,
        retracted=retracted,
        level=level,
    )
    if limit:
        query = query.limit(limit)
    return [s for batch in _study_batches(session, query, STUDY_LOAD) for s in batch]


# What a `studies list` row reads: no raw XML, no abstract sections, MeSH or keywords.
_BRIEF_LOAD = (
    defer(Study.raw_xml),
    selectinload(Study.authors),
    selectinload(Study.publication_types),
    selectinload(Study.links),
    selectinload(Study.retraction_notices),
)


def iter_studies(
    *,
    session: Session,
    query: Select[int],
    offset: int = 0,
    limit: int | None = None,
    size: int = 1000,
) -> Iterator[Study]:
    """The studies `query` selects, in order, loaded `size` at a time with what a list row
    shows; none is kept once the next batch is read. The test oracle of
    `list_rows.study_briefs` (what `studies list` reads)."""
    if offset:
        query = query.offset(offset)
    if limit is not None:
        query = query.limit(limit)
    for batch in _study_batches(session, query, _BRIEF_LOAD, size):
        yield from batch


def _study_batches(
    session: Session, query: Select[int], options: Sequence[Any], size: int = 1000
) -> Iterator[list[Study]]:
    result = session.execute(query.execution_options(yield_per=size))
    for ids in result.scalars().partitions(size):
        rows = session.scalars(select(Study).options(*options).where(Study.id.in_(ids)))
        loaded = {s.id: s for s in rows}
        yield [loaded[i] for i in ids if i in loaded]
