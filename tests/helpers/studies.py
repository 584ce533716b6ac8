"""Study tables: whole-table snapshots and wipes (to compare two write paths on one
database), and a record with every kind of part plus the check that all were stored."""

from __future__ import annotations

import sqlalchemy as sa

from tests.eutils_server import make_article

STUDY_TABLES = (
    "citation_events",
    "citations",
    "claims",
    "study_publication_types",
    "study_mesh_terms",
    "abstract_sections",
    "study_authors",
    "keywords",
    "study_links",
    "studies",
    "publication_types",
    "mesh_terms",
)


def dump(engine: sa.Engine) -> dict[str, list[tuple]]:
    """Every study table, surrogate ids replaced by PMIDs / vocabulary keys, JSON as the
    stored text, fetched_at left out."""
    q = {
        "studies": "SELECT pmid, pmid_version, kind, doi, pmcid, title, abstract, journal_title, "
        "journal_iso, issn, volume, issue, pages, pub_year, pub_date, article_date, language, "
        "publisher, evidence_level, retracted, origin, curation_note, raw_xml, raw_sha256 "
        "FROM studies",
        "abstract_sections": "SELECT s.pmid, x.position, x.label, x.category, x.text "
        "FROM abstract_sections x JOIN studies s ON s.id = x.study_id",
        "study_authors": "SELECT s.pmid, x.position, x.last_name, x.fore_name, x.initials, "
        "x.collective_name, x.orcid, CAST(x.affiliations AS TEXT) "
        "FROM study_authors x JOIN studies s ON s.id = x.study_id",
        "keywords": "SELECT s.pmid, x.position, x.text, x.major_topic, x.owner "
        "FROM keywords x JOIN studies s ON s.id = x.study_id",
        "study_links": "SELECT s.pmid, x.position, x.ref_type, x.pmid, x.ref_source "
        "FROM study_links x JOIN studies s ON s.id = x.study_id",
        "study_publication_types": "SELECT s.pmid, p.name FROM study_publication_types x "
        "JOIN studies s ON s.id = x.study_id JOIN publication_types p "
        "ON p.id = x.publication_type_id",
        "study_mesh_terms": "SELECT s.pmid, m.ui, x.position, x.major_topic, "
        "CAST(x.qualifiers AS TEXT) FROM study_mesh_terms x JOIN studies s "
        "ON s.id = x.study_id JOIN mesh_terms m ON m.id = x.mesh_term_id",
        "publication_types": "SELECT name, ui FROM publication_types",
        "mesh_terms": "SELECT ui, name FROM mesh_terms",
    }
    with engine.connect() as conn:
        return {t: sorted(map(tuple, conn.exec_driver_sql(sql)), key=repr) for t, sql in q.items()}


def wipe(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        for table in STUDY_TABLES:
            conn.exec_driver_sql(f"DELETE FROM {table}")


def rich_article(pmid: str) -> bytes:
    """A record with two authors, a MeSH term and a keyword (all stored with the study)."""
    base = make_article(
        pmid,
        f"Trial {pmid}",
        f"Abstract of {pmid}.",
        publication_types=["Journal Article", "Randomized Controlled Trial"],
    )
    authors = (
        b'<AuthorList CompleteYN="Y"><Author ValidYN="Y"><LastName>Doe</LastName>'
        b'<ForeName>Jane</ForeName><Initials>J</Initials></Author><Author ValidYN="Y">'
        b"<LastName>Roe</LastName><ForeName>Rick</ForeName><Initials>R</Initials></Author>"
        b"</AuthorList><Language>"
    )
    mesh = (
        b'<MeshHeadingList><MeshHeading><DescriptorName UI="D005356" MajorTopicYN="Y">'
        b"Fibromyalgia</DescriptorName></MeshHeading></MeshHeadingList>"
        b'<KeywordList Owner="NOTNLM"><Keyword MajorTopicYN="N">pain</Keyword></KeywordList>'
        b"</MedlineCitation>"
    )
    return base.replace(b"<Language>", authors, 1).replace(b"</MedlineCitation>", mesh, 1)


def assert_complete(url: str, *, expected: list[str]) -> None:
    """Exactly `expected` are stored, and each has all of its parts (no half record) —
    the parts of a `rich_article`."""
    from ldn_evidence.db import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                sa.text(
                    "SELECT s.pmid, "
                    "(SELECT COUNT(*) FROM study_authors a WHERE a.study_id = s.id), "
                    "(SELECT COUNT(*) FROM abstract_sections b WHERE b.study_id = s.id), "
                    "(SELECT COUNT(*) FROM study_publication_types t WHERE t.study_id = s.id), "
                    "(SELECT COUNT(*) FROM study_mesh_terms m WHERE m.study_id = s.id), "
                    "(SELECT COUNT(*) FROM keywords k WHERE k.study_id = s.id) "
                    "FROM studies s"
                )
            ).all()
    finally:
        engine.dispose()
    assert sorted(r[0] for r in rows) == sorted(expected)
    bad = [tuple(r) for r in rows if tuple(r[1:]) != (2, 1, 2, 1, 1)]
    assert not bad, f"studies stored without all their parts: {bad[:3]}"
