"""The schema as SQLAlchemy Core tables: the one definition of every table, column,
constraint and index. The ORM classes (`models/*.py`) map onto these tables, and the
commands that only read (`claims show`, `studies show`, `documents show`) query them
without importing the ORM (`services/show_rows.py`). The migrations in
`migrations/versions` build the same schema; `metadata` is `Base.metadata`, which Alembic
compares with them."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    literal_column,
    type_coerce,
)
from sqlalchemy.types import TypeDecorator

from ldn_evidence.vocab import (
    CHANGE_KINDS,
    CHANGE_SOURCES,
    CHECK_OUTCOMES,
    CITATION_ORIGINS,
    DOI_MAX,
    FULL_TEXT_STATUSES,
    PASSAGE_KINDS,
    REFERENCE_KINDS,
    RESOLUTION_STATUSES,
    RETRACTION_NATURES,
    SECTION_KINDS,
    URL_MAX,
    VERDICT_ORIGINS,
    VERDICTS,
    CitationOrigin,
    ResolutionStatus,
    StudyOrigin,
    Verdict,
    VerdictOrigin,
)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    return datetime.now(UTC)


def too_long(table: str, column: str, value: str, limit: int) -> str:
    """How every write path words a value longer than its column: PostgreSQL would refuse
    it and SQLite store it, so both refuse it first."""
    return f"field {table}.{column} is {len(value):,} characters long; at most {limit} fit"


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC timestamps on both engines (SQLite stores naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value

    @staticmethod
    def raw(column: Column[Any]) -> Any:
        """The column as the driver gives it, without this type's processing (a statement
        read by the hundred thousand rows): `iso` reads it."""
        return type_coerce(column, String).label(column.key)

    @staticmethod
    def iso(value: str | datetime | None) -> str | None:
        """`isoformat()` of the value this type reads, from what `raw` reads: SQLite's
        stored text (naive UTC), or the driver's datetime (PostgreSQL's)."""
        return None if value is None else _iso(value)


@lru_cache(maxsize=4096)
def _iso(value: str | datetime) -> str:
    """`UTCDateTime.iso` of a value. Cached: the same few stamps recur by the thousand
    (`verify` stamps every pair of a batch with one `checked_at`; 100 distinct among the
    110,000 citations of the scale bench)."""
    stamp = datetime.fromisoformat(value) if isinstance(value, str) else value
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)
    return stamp.isoformat()


def one_of(column: str, values: tuple[str, ...], *, name: str) -> CheckConstraint:
    """CHECK (`column` IN (values)): a column holding one value of a `vocab` set."""
    return CheckConstraint(f"{column} IN ('" + "', '".join(values) + "')", name=name)


def _id() -> Column[int]:
    return Column("id", Integer, primary_key=True)


def _fk(
    name: str,
    target: str,
    ondelete: str,
    *,
    nullable: bool,
    index: bool | None = None,
    unique: bool | None = None,
) -> Column[int]:
    """An integer column referring to `target` (table.column)."""
    fk = ForeignKey(target, ondelete=ondelete)
    return Column(name, Integer, fk, nullable=nullable, index=index, unique=unique)


def _created() -> Column[datetime]:
    return Column("created_at", UTCDateTime(), nullable=False, default=utcnow)


# ---- pages and what they say ---------------------------------------------------------------

# A page as retrieved. A changed page at the same URL is a new version.
source_documents = Table(
    "source_documents",
    metadata,
    _id(),
    Column("url", String(URL_MAX)),
    Column("version", Integer, nullable=False, default=1),
    Column("title", String(1000)),
    Column("publisher", String(500)),
    Column("retrieved_at", UTCDateTime()),
    Column("content_sha256", String(64), index=True),
    Column("text", Text),
    _created(),
    UniqueConstraint("url", "version"),
)

# A claim's own data beside its text and page: what a dataset gives, `load` stores and the
# report reads (services/bulk_load.py, services/report_rows.py).
CLAIM_DATA_COLUMNS = (
    "position",
    "kind",
    "condition",
    "intervention",
    "dose",
    "outcome",
    "population",
    "figure_value",
    "figure_unit",
    "figure_qualifier",
    "figure_text",
)

claims = Table(
    "claims",
    metadata,
    _id(),
    _fk("document_id", "source_documents.id", "CASCADE", nullable=True, index=True),
    Column("text", Text, nullable=False),
    Column("position", Integer),
    Column("kind", String(20)),  # figure, effect, mechanism, safety
    Column("condition", String(200)),
    Column("intervention", String(200)),
    Column("dose", String(100)),
    Column("outcome", String(200)),
    Column("population", String(200)),
    Column("figure_value", Float),
    Column("figure_unit", String(20)),
    Column("figure_qualifier", String(20)),
    Column("figure_text", String(100)),
    _created(),
    Column("updated_at", UTCDateTime(), nullable=False, default=utcnow, onupdate=utcnow),
)

# A reference as the page writes it, and what it resolved to.
references = Table(
    "references",
    metadata,
    _id(),
    _fk("document_id", "source_documents.id", "CASCADE", nullable=True, index=True),
    Column("position", Integer),
    Column("marker", String(20)),
    Column("raw", Text, nullable=False),
    Column("url", String(URL_MAX)),
    Column("title", Text),
    Column("kind", String(20), nullable=False),
    Column("pmid", String(16), index=True),
    Column("doi", String(DOI_MAX)),
    Column("pmcid", String(20)),
    _fk("study_id", "studies.id", "SET NULL", nullable=True, index=True),
    Column("status", String(20), nullable=False, default=ResolutionStatus.UNRESOLVED.value),
    Column("error", Text),
    Column("candidates", JSON),
    Column("resolved_at", UTCDateTime()),
    one_of("kind", REFERENCE_KINDS, name="kind"),
    one_of("status", RESOLUTION_STATUSES, name="status"),
)

# ---- claim ↔ study links with their verdicts, and the verdict changes ----------------------

citations = Table(
    "citations",
    metadata,
    _id(),
    _fk("claim_id", "claims.id", "CASCADE", nullable=False, index=True),
    _fk("study_id", "studies.id", "SET NULL", nullable=True),
    _fk("reference_id", "references.id", "SET NULL", nullable=True, index=True),
    Column("origin", String(20), nullable=False, default=CitationOrigin.PAGE.value),
    Column("verdict", String(30), nullable=False, default=Verdict.UNCHECKED.value),
    Column("verdict_origin", String(20), nullable=False, default=VerdictOrigin.AUTOMATIC.value),
    Column("study_figure", String(200)),
    Column("evidence_sentence", Text),
    # where the evidence sentence is when it is not the abstract's ("full text, Results, ¶4",
    # "Table 2"); NULL: the abstract
    Column("evidence_location", String(300)),
    Column("reason", Text),
    Column("note", Text),
    Column("checked_at", UTCDateTime()),
    Column("checked_by", String(200)),
    # sha256 of the study record the verdict was reached against
    Column("checked_record_sha256", String(64)),
    # sha256 of what the automatic verdict was computed from (the claim as checked, the
    # study record, the full text when it was read, the engine's version): `verify` skips
    # a citation whose inputs are unchanged. NULL: never checked, or a reviewer's verdict
    Column("checked_inputs_sha256", String(64)),
    _created(),
    UniqueConstraint("claim_id", "study_id"),
    UniqueConstraint("claim_id", "reference_id"),
    one_of("verdict", VERDICTS, name="verdict"),
    one_of("origin", CITATION_ORIGINS, name="origin"),
    one_of("verdict_origin", VERDICT_ORIGINS, name="verdict_origin"),
    CheckConstraint("study_id IS NOT NULL OR reference_id IS NOT NULL", name="has_source"),
    Index("ix_citations_study_id", "study_id"),
)

# Every verdict change: who, when, old, new, note.
citation_events = Table(
    "citation_events",
    metadata,
    _id(),
    _fk("citation_id", "citations.id", "CASCADE", nullable=False, index=True),
    Column("at", UTCDateTime(), nullable=False, default=utcnow),
    Column("by", String(200)),
    Column("origin", String(20), nullable=False),
    Column("old_verdict", String(30)),
    Column("new_verdict", String(30), nullable=False),
    Column("note", Text),
    Column("record_sha256", String(64)),
)

# ---- studies (PubMed records) and their parts -----------------------------------------------

studies = Table(
    "studies",
    metadata,
    _id(),
    Column("pmid", String(16), nullable=False, unique=True),
    Column("pmid_version", Integer, nullable=False, default=1),
    Column("kind", String(10), nullable=False, default="article"),
    Column("doi", String(DOI_MAX), index=True),
    Column("pmcid", String(20), index=True),
    Column("title", Text, nullable=False, default=""),
    Column("abstract", Text),
    Column("journal_title", String(500)),
    Column("journal_iso", String(200)),
    Column("issn", String(20)),
    Column("volume", String(50)),
    Column("issue", String(50)),
    Column("pages", String(100)),
    Column("pub_year", Integer, index=True),
    Column("pub_date", String(100)),
    Column("article_date", String(10)),
    Column("language", String(10)),
    Column("publisher", String(500)),
    Column("evidence_level", String(30)),
    Column("retracted", Boolean, nullable=False, default=False),
    Column("fetched_at", UTCDateTime()),
    Column("origin", String(10), nullable=False, default=StudyOrigin.EFETCH.value),
    Column("curation_note", Text),
    Column("raw_xml", Text),
    Column("raw_sha256", String(64)),
)

abstract_sections = Table(
    "abstract_sections",
    metadata,
    _id(),
    _fk("study_id", "studies.id", "CASCADE", nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("label", String(200)),
    Column("category", String(30)),
    Column("text", Text, nullable=False),
)

study_authors = Table(
    "study_authors",
    metadata,
    _id(),
    _fk("study_id", "studies.id", "CASCADE", nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("last_name", String(200)),
    Column("fore_name", String(200)),
    Column("initials", String(20)),
    Column("collective_name", Text),
    Column("orcid", String(40)),
    Column("affiliations", JSON),
)


def author_name(
    collective_name: str | None, last_name: str | None, initials: str | None, fore_name: str | None
) -> str:
    """An author as shown: the collective name, else "Last I" (`StudyAuthor.display_name`,
    and the author rows read without the ORM)."""
    if collective_name:
        return collective_name
    return " ".join(p for p in (last_name, initials or fore_name) if p)


publication_types = Table(
    "publication_types",
    metadata,
    _id(),
    Column("name", String(200), nullable=False, unique=True),
    Column("ui", String(20)),
)

study_publication_types = Table(
    "study_publication_types",
    metadata,
    Column("study_id", ForeignKey("studies.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "publication_type_id",
        ForeignKey("publication_types.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)

mesh_terms = Table(
    "mesh_terms",
    metadata,
    _id(),
    # NLM descriptor UI (D012345) is the key; terms without a UI use their name.
    Column("ui", String(200), nullable=False, unique=True),
    Column("name", String(500), nullable=False),
)

# A study's MeSH heading, with its major flag and qualifiers. Read by study_id, through the
# unique constraint's index (its first column); no query reads by mesh_term_id, so neither
# has an index of its own: each would cost every stored heading a write (revision 0011).
study_mesh_terms = Table(
    "study_mesh_terms",
    metadata,
    _id(),
    _fk("study_id", "studies.id", "CASCADE", nullable=False),
    _fk("mesh_term_id", "mesh_terms.id", "CASCADE", nullable=False),
    Column("position", Integer, nullable=False),
    Column("major_topic", Boolean, nullable=False, default=False),
    # [{"ui": "Q000000", "name": "...", "major_topic": false}, ...]
    Column("qualifiers", JSON),
    UniqueConstraint("study_id", "mesh_term_id"),
)

keywords = Table(
    "keywords",
    metadata,
    _id(),
    _fk("study_id", "studies.id", "CASCADE", nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("major_topic", Boolean, nullable=False, default=False),
    Column("owner", String(20)),
)

# CommentsCorrections: RetractionIn, ErratumIn, CommentIn, UpdateIn … and the other PMID.
study_links = Table(
    "study_links",
    metadata,
    _id(),
    _fk("study_id", "studies.id", "CASCADE", nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("ref_type", String(40), nullable=False),
    Column("pmid", String(16), index=True),
    Column("ref_source", Text),
)

# What may make a study retracted, each with a partial index of the few rows it holds, so
# that the retracted among the cited are found from these rows, not by probing every
# cited study (`report_stream._retracted_sources`). The terms are literal: SQLite uses a
# partial index only for a query that names its WHERE term as written.
RETRACTED_STUDY = studies.c.retracted.is_(True)
RETRACTION_LINK = study_links.c.ref_type == literal_column("'RetractionIn'")
Index(
    "ix_studies_retracted",
    studies.c.id,
    sqlite_where=RETRACTED_STUDY,
    postgresql_where=RETRACTED_STUDY,
)
Index(
    "ix_study_links_retraction",
    study_links.c.study_id,
    sqlite_where=RETRACTION_LINK,
    postgresql_where=RETRACTION_LINK,
)

# Retraction Watch notices, as Crossref publishes the database (one CSV row each): a
# retraction, correction, expression of concern or reinstatement of a paper, matched to
# studies by PMID or DOI when they are read. DOIs are kept lower-case.
retraction_notices = Table(
    "retraction_notices",
    metadata,
    _id(),
    Column("record_id", BigInteger, nullable=False, unique=True),  # Retraction Watch's
    Column("nature", String(30), nullable=False),
    Column("notice_date", String(10)),  # ISO date
    Column("notice_doi", String(255)),
    Column("notice_pmid", String(16)),
    Column("original_date", String(10)),
    Column("original_doi", String(255), index=True),
    Column("original_pmid", String(16), index=True),
    Column("title", Text),
    Column("journal", String(500)),
    Column("publisher", String(500)),
    Column("article_type", String(500)),
    Column("reasons", JSON),
    Column("urls", JSON),
    Column("notes", Text),
    Column("row_sha256", String(64), nullable=False),  # the row's values: unchanged rows skip
    Column("imported_at", UTCDateTime(), nullable=False, default=utcnow),
    Column("updated_at", UTCDateTime(), nullable=False, default=utcnow),
    one_of("nature", RETRACTION_NATURES, name="nature"),
)


def _stored(name: str, *columns: Column[Any]) -> Table:
    """A table of stored export values: one row a study (deleted with it), the `basis` it
    is used while, the study's PMID, then `columns`."""
    return Table(
        name,
        metadata,
        Column("study_id", Integer, ForeignKey("studies.id", ondelete="CASCADE"), primary_key=True),
        Column("basis", String(64), nullable=False),
        Column("pmid", String(16), nullable=False),
        *columns,
    )


# A cited study's cells as the csv export writes them (and the values its report views
# read off the abstract), stored when the study is cited or
# rewritten (`services/study_cells.py`): a cache, read only while `basis` (the code that
# makes them) still matches; else the export works the study out again. Deleted with the
# study, by every write that rewrites it, and by the database itself when one of the
# study's `STORE_WATCHED` values changes (`STORE_TRIGGERS`), whatever wrote it. `pmid` is
# the study's, so that an export reading a fresh row does not read the study's own.
study_cells = _stored(
    "study_cells",
    Column("csv", Text, nullable=False),  # the study's csv cells, joined by U+001F
    # its level rule, design and modifiers (JSON): what the report's views read off the
    # abstract, for the exports that build them (json, html, markdown)
    Column("derived", Text, nullable=False),
)

# Beside a `study_cells` row, written and deleted with it, with the same basis (used while
# it matches): the study object as the json export writes it (`json_out.study_text`) and
# what a page's red flags read of it (`figure_marks.marks_text`: its flags, title, whether
# it has an abstract and the abstract's figures, JSON), for the json export written from
# SQL. A table of its own: the csv, which reads none of it, reads small rows, and the json
# reads one row a study.
study_json = _stored(
    "study_json",
    Column("json", Text, nullable=False),
    Column("marks", Text, nullable=False),
)

# The study's values a stored row (`study_cells`, `study_json`) was made with and the
# export writes beside it: when one of them changes, the rows go.
STORE_WATCHED = (
    "id",
    "pmid",
    "doi",
    "pmcid",
    "pub_year",
    "evidence_level",
    "retracted",
    "origin",
    "raw_sha256",
)
STORE_TABLES = (study_cells, study_json)  # a study's stored values, written together
_CHANGED = " OR ".join(f"OLD.{name} IS DISTINCT FROM NEW.{name}" for name in STORE_WATCHED)
# The statements that make the trigger, per dialect (`db.schema_ddl` and revision 0009).
STORE_TRIGGERS = {
    "sqlite": [
        "CREATE TRIGGER studies_store_stale AFTER UPDATE ON studies FOR EACH ROW WHEN "
        + _CHANGED.replace("IS DISTINCT FROM", "IS NOT")
        + " BEGIN "
        + " ".join(f"DELETE FROM {t.name} WHERE study_id = OLD.id;" for t in STORE_TABLES)
        + " END"
    ],
    "postgresql": [
        "CREATE FUNCTION studies_store_stale() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        + " ".join(f"DELETE FROM {t.name} WHERE study_id = OLD.id;" for t in STORE_TABLES)
        + " RETURN NULL; END $$",
        "CREATE TRIGGER studies_store_stale AFTER UPDATE ON studies FOR EACH ROW WHEN ("
        + _CHANGED
        + ") EXECUTE FUNCTION studies_store_stale()",
    ],
}

# ---- `watch`: each run over the cited studies, each study's check, what changed ------------

watch_runs = Table(
    "watch_runs",
    metadata,
    _id(),
    Column("started_at", UTCDateTime(), nullable=False, default=utcnow),
    Column("finished_at", UTCDateTime()),
    _fk("document_id", "source_documents.id", "SET NULL", nullable=True, index=True),
)

study_checks = Table(
    "study_checks",
    metadata,
    _id(),
    _fk("run_id", "watch_runs.id", "CASCADE", nullable=False, index=True),
    _fk("study_id", "studies.id", "CASCADE", nullable=False, index=True),
    Column("checked_at", UTCDateTime(), nullable=False, default=utcnow),
    Column("outcome", String(20), nullable=False),
    Column("record_sha256", String(64)),
    Column("snapshot", JSON),
    one_of("outcome", CHECK_OUTCOMES, name="outcome"),
)

study_changes = Table(
    "study_changes",
    metadata,
    _id(),
    _fk("check_id", "study_checks.id", "CASCADE", nullable=False, index=True),
    Column("kind", String(40), nullable=False),
    Column("source", String(20), nullable=False),
    Column("detail", Text),
    one_of("kind", CHANGE_KINDS, name="kind"),
    one_of("source", CHANGE_SOURCES, name="source"),
)

# ---- `evidence`: each search for a claim's stronger evidence, and its ranked results -------

evidence_runs = Table(
    "evidence_runs",
    metadata,
    _id(),
    _fk("claim_id", "claims.id", "CASCADE", nullable=False, index=True),
    Column("ran_at", UTCDateTime(), nullable=False, default=utcnow),
    Column("query", Text, nullable=False),
    Column("query_source", String(100), nullable=False),
    Column("since_year", Integer),
    Column("max_results", Integer, nullable=False),
    Column("found", Integer, nullable=False),  # PubMed's count for the query
)

evidence_results = Table(
    "evidence_results",
    metadata,
    _id(),
    _fk("run_id", "evidence_runs.id", "CASCADE", nullable=False, index=True),
    Column("rank", Integer, nullable=False),
    Column("pmid", String(16), nullable=False),
    _fk("study_id", "studies.id", "SET NULL", nullable=True, index=True),
    Column("title", Text, nullable=False, default=""),
    Column("year", Integer),
    Column("journal", String(200)),
    Column("level", String(30)),
    Column("participants", Integer),
    Column("flags", JSON),
    Column("cited", Boolean, nullable=False, default=False),
    Column("stronger", Boolean, nullable=False, default=False),
    Column("verdict", String(30), nullable=False),
    Column("verdict_origin", String(20)),
    Column("evidence_sentence", Text),
    Column("reason", Text),
    UniqueConstraint("run_id", "pmid"),
    one_of("verdict", VERDICTS, name="verdict"),
)

# ---- full texts from PubMed Central ----------------------------------------------------------

full_texts = Table(
    "full_texts",
    metadata,
    _id(),
    # NULL until the study is stored (a local file imported first); one full text a study
    _fk("study_id", "studies.id", "SET NULL", nullable=True, unique=True),
    Column("pmcid", String(20), nullable=False, unique=True),
    Column("pmid", String(20), index=True),
    Column("status", String(10), nullable=False),
    Column("origin", String(10), nullable=False),  # "efetch" or "file", as for studies
    Column("title", Text),
    Column("article_type", String(100)),
    Column("license_name", String(100)),
    Column("license_url", String(500)),
    Column("license_type", String(100)),
    Column("license_text", Text),
    Column("copyright", Text),
    Column("notice", Text),
    Column("fetched_at", UTCDateTime(), nullable=False, default=utcnow),
    Column("raw_xml", Text),
    Column("raw_sha256", String(64)),
    one_of("status", FULL_TEXT_STATUSES, name="status"),
)

full_text_sections = Table(
    "full_text_sections",
    metadata,
    _id(),
    _fk("full_text_id", "full_texts.id", "CASCADE", nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("parent_position", Integer),
    Column("depth", Integer, nullable=False, default=0),
    Column("title", Text, nullable=False, default=""),
    Column("kind", String(20), nullable=False),
    one_of("kind", SECTION_KINDS, name="kind"),
)

full_text_passages = Table(
    "full_text_passages",
    metadata,
    _id(),
    _fk("full_text_id", "full_texts.id", "CASCADE", nullable=False, index=True),
    _fk("section_id", "full_text_sections.id", "CASCADE", nullable=True, index=True),
    Column("position", Integer, nullable=False),
    Column("number", Integer, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("label", String(200)),
    Column("cells", Integer, nullable=False, default=0),
    Column("text", Text, nullable=False),
    one_of("kind", PASSAGE_KINDS, name="kind"),
)
