"""Storing full texts (new, unchanged, updated, not open, linked to their study) and
`import-pmc` (files, gzip, open-access packages, directories, bad files)."""

from __future__ import annotations

import gzip
import io
import json
import tarfile
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from ldn_evidence.errors import InputError, NotFoundError
from ldn_evidence.models import FullText, Study
from ldn_evidence.pubmed.jats import parse_full_texts
from ldn_evidence.services.fulltext import full_text_for, store_full_text
from ldn_evidence.services.fulltext_views import passage_location
from tests.conftest import Cli, count_rows
from tests.helpers.jats import make_pmc_article

FIXTURE = Path(__file__).parents[1] / "pubmed" / "fixtures" / "fulltext.nxml"


def record(pmcid: str = "PMC11", pmid: str | None = "11", **kw: object):  # type: ignore[no-untyped-def]
    (rec,) = parse_full_texts(make_pmc_article(pmcid, pmid, **kw))  # type: ignore[arg-type]
    return rec


def add_study(session: Session, pmid: str, pmcid: str | None = None) -> Study:
    study = Study(pmid=pmid, pmcid=pmcid, title=f"Study {pmid}")
    session.add(study)
    session.flush()
    return study


def test_store_links_by_pmid_and_keeps_locations(session: Session) -> None:
    study = add_study(session, "11")
    (rec,) = parse_full_texts(FIXTURE.read_bytes().replace(b">9000001<", b">11<"))
    assert store_full_text(session=session, record=rec, origin="file") == "new"
    row = full_text_for(session=session, study=study)
    assert row is not None and row.study_id == study.id and row.status == "open"
    assert row.license_name == "CC BY 4.0" and row.origin == "file"
    assert [passage_location(row, p) for p in row.passages] == [
        rec.location(p) for p in rec.passages
    ]
    assert [(s.title, s.kind, s.parent_position) for s in row.sections] == [
        (s.title, s.kind, s.parent) for s in rec.sections
    ]
    assert store_full_text(session=session, record=rec, origin="file") == "unchanged"


def test_updated_article_replaces_its_passages(session: Session) -> None:
    store_full_text(session=session, record=record(sections={"Results": ["a", "b"]}), origin="x")
    changed = record(sections={"Results": ["c"]})
    assert store_full_text(session=session, record=changed, origin="efetch") == "updated"
    row = session.scalars(select(FullText)).one()
    assert [p.text for p in row.passages] == ["c"] and len(row.sections) == 1


def test_not_open_is_recorded_and_never_replaces_a_stored_text(session: Session) -> None:
    closed = record("PMC12", "12", open_access=False)
    assert store_full_text(session=session, record=closed, origin="efetch") == "not_open"
    row = session.scalars(select(FullText).where(FullText.pmcid == "PMC12")).one()
    assert row.status == "not_open" and "does not allow downloading" in (row.notice or "")
    assert row.fetched_at is not None and row.passages == []
    opened = record("PMC12", "12")
    assert store_full_text(session=session, record=opened, origin="file") == "new"
    assert store_full_text(session=session, record=closed, origin="efetch") == "unchanged"
    assert row.status == "open" and len(row.passages) == 1


def test_a_text_stored_before_its_study_is_found_and_linked_later(session: Session) -> None:
    rec = record("PMC13", None)  # the article names no PMID
    assert store_full_text(session=session, record=rec, origin="file") == "new"
    study = add_study(session, "13", pmcid="PMC13")
    found = full_text_for(session=session, study=study)
    assert found is not None and found.study_id is None and found.pmcid == "PMC13"
    assert full_text_for(session=session, study=add_study(session, "14")) is None
    assert store_full_text(session=session, record=rec, origin="file") == "unchanged"
    assert found.study_id == study.id


def test_a_study_keeps_one_full_text(session: Session) -> None:
    study = add_study(session, "15")
    store_full_text(session=session, record=record("PMC15", "15"), origin="file")
    store_full_text(session=session, record=record("PMC16", "15"), origin="file")
    linked = session.scalars(select(FullText).where(FullText.study_id == study.id)).all()
    assert [r.pmcid for r in linked] == ["PMC16"]


def test_an_article_without_a_pmcid_is_refused(session: Session) -> None:
    rec = record()
    rec.pmcid = None
    with pytest.raises(InputError, match="no PMCID"):
        store_full_text(session=session, record=rec, origin="file")


# ---- import-pmc ----------------------------------------------------------------------------------


def _package(path: Path, members: dict[str, bytes], *, link: bool = False) -> None:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        if link:
            info = tarfile.TarInfo("PMC1/evil.nxml")
            info.type = tarfile.SYMTYPE
            info.linkname = "/etc/passwd"
            tar.addfile(info)


def test_import_pmc_files_packages_and_directories(tmp_path: Path, sqlite_url: str) -> None:
    cli = Cli(sqlite_url)
    tree = tmp_path / "oa"
    (tree / "sub").mkdir(parents=True)
    (tree / "a.nxml").write_bytes(make_pmc_article("PMC21", "21"))
    (tree / "sub" / "b.xml.gz").write_bytes(gzip.compress(make_pmc_article("PMC22", "22")))
    (tree / "notes.txt").write_text("not an article")
    _package(
        tree / "PMC23.tar.gz",
        {"PMC23/article.nxml": make_pmc_article("PMC23", "23"), "PMC23/fig1.jpg": b"\xff\xd8"},
        link=True,
    )
    (tree / "closed.nxml").write_bytes(make_pmc_article("PMC24", "24", open_access=False))
    result = cli("import-pmc", str(tree), "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["files"] == 4
    assert sorted(summary["new"]) == ["PMC21", "PMC22", "PMC23"]
    assert summary["not_open"] == ["PMC24"] and summary["failed"] == []
    assert sorted(summary["unlinked"]) == ["PMC21", "PMC22", "PMC23", "PMC24"]
    again = cli("import-pmc", str(tree / "a.nxml"))
    assert again.stdout.strip() == (
        "1 files: 1 full texts (0 new, 0 updated, 1 unchanged), 0 not open, 0 failed; "
        "1 for studies not stored yet (fetch their PMIDs)"
    )


def test_a_bad_file_is_reported_after_the_others(tmp_path: Path, sqlite_url: str) -> None:
    cli = Cli(sqlite_url)
    good = tmp_path / "good.nxml"
    good.write_bytes(make_pmc_article("PMC31", "31"))
    pubmed = tmp_path / "pubmed.xml"
    pubmed.write_bytes(b"<PubmedArticleSet></PubmedArticleSet>")
    cut = tmp_path / "cut.nxml"
    cut.write_bytes(make_pmc_article("PMC32", "32")[:-40])
    broken = tmp_path / "broken.tar.gz"
    broken.write_bytes(b"\x1f\x8b not a package")
    result = cli("import-pmc", str(pubmed), str(good), str(cut), str(broken))
    assert result.exit_code == 1
    assert result.stdout.startswith("4 files: 1 full texts (1 new")
    assert "3 failed" in result.stdout
    line = result.stderr.strip()
    assert line.startswith(f"Error: {pubmed}") and "not PMC full-text XML" in line
    assert line.endswith("(and 2 more)") and "\n" not in line
    assert count_rows(sqlite_url, "full_texts") == 1  # nothing of the cut file


def test_import_pmc_usage_errors(tmp_path: Path, sqlite_url: str) -> None:
    cli = Cli(sqlite_url)
    missing = cli("import-pmc", str(tmp_path / "nope.nxml"))
    assert missing.exit_code == 1 and "no such file or directory" in missing.stderr
    empty = cli("import-pmc", str(tmp_path))
    assert empty.exit_code == 1 and "no .nxml, .xml or .tar.gz files" in empty.stderr


def test_article_files_raise_before_reading(tmp_path: Path) -> None:
    from ldn_evidence.services.pmc_import import article_files

    with pytest.raises(NotFoundError):
        list(article_files([tmp_path, tmp_path / "missing"]))


# ---- verify on the full text --------------------------------------------------------------------


def test_a_study_without_an_abstract_is_checked_on_its_full_text(session: Session) -> None:
    from ldn_evidence.models import Citation, Claim
    from ldn_evidence.services.verification import verify

    study = add_study(session, "41", pmcid="PMC41")  # a PubMed record without an abstract
    study.origin = "efetch"
    text = "Six of the ten women (60%) reported less pain with low-dose naltrexone."
    rec = record("PMC41", "41", sections={"Methods": ["Ten women."], "Results": [text]})
    store_full_text(session=session, record=rec, origin="file")
    claim = Claim(text="60% of women reported less pain with low-dose naltrexone.")
    session.add_all([claim, Citation(claim=claim, study=study)])
    session.flush()
    (row,) = verify(session=session).rows
    assert row.skipped is None and row.verdict in ("supported", "partially_supported")
    assert (row.sentence, row.evidence_location) == (text, "full text, Results, ¶1")
    (only,) = verify(session=session, abstract_only=True).rows
    assert only.skipped == "the PubMed record has no abstract"


def test_a_hostile_article_file_leaks_nothing(tmp_path: Path, sqlite_url: str) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    hostile = tmp_path / "hostile.nxml"
    hostile.write_bytes(
        f'<!DOCTYPE article [<!ENTITY xxe SYSTEM "file://{secret}">]>'.encode()
        + make_pmc_article("PMC51", "51", sections={"Results": ["Pain &xxe; fell."]}).replace(
            b"&amp;xxe;", b"&xxe;"
        )
    )
    result = Cli(sqlite_url)("import-pmc", str(hostile))
    assert result.exit_code == 0, result.output
    import sqlalchemy as sa

    from ldn_evidence.db import make_engine

    engine = make_engine(sqlite_url)
    with engine.connect() as conn:
        stored = " ".join(
            str(v) for row in conn.execute(sa.text("SELECT * FROM full_text_passages")) for v in row
        )
        raw = conn.execute(sa.text("SELECT raw_xml FROM full_texts")).scalar_one()
    engine.dispose()
    # the entity stays an unexpanded reference: no text of its own, nothing read
    assert "Pain fell." in stored and "TOP-SECRET" not in stored + raw
