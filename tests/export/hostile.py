"""The export test database: the seed dataset plus hostile rows inserted through the ORM.

Hostile data: a claim that is a spreadsheet formula, a claim and an abstract carrying a
script, TeX specials in titles, non-ASCII author names, a retracted study (flag and
RetractionIn link), an unresolved and a web reference, an unsourced claim, a claim with
no document, two studies whose citation keys collide.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine

from ldn_evidence.db import ensure_schema, make_engine, session_scope
from ldn_evidence.export.model import Report
from ldn_evidence.models import (
    Citation,
    Claim,
    Reference,
    SourceDocument,
    Study,
    StudyAuthor,
    StudyLinkRow,
)
from ldn_evidence.services.loading import load_file
from ldn_evidence.services.report import build_report

SEED = Path(__file__).resolve().parents[2] / "data" / "ldn-fibromyalgia-part2.yaml"

# What the hostile script would do if it ever ran in a browser.
SCRIPT = (
    "<script>document.title='pwned';document.body.insertAdjacentHTML('beforeend',"
    "'<p id=\"pwned\">PWNED</p>')</script>"
)
FORMULA_CLAIM = '=HYPERLINK("http://x","y") LDN cut pain by 40%'
SCRIPT_CLAIM = SCRIPT + " LDN halves fatigue"
TAB_CLAIM = "\tLDN improves sleep in 70% of patients"
UNSOURCED_CLAIM = "+30% more energy on LDN"
LOOSE_CLAIM = "@everyone LDN helps long COVID"
HOSTILE_TITLE = r"Effects of {braces} & 50% naltrexone_dose ~ $cost #1 ^ \path on pain"
HOSTILE_ABSTRACT = "Background: <script>alert(1)</script> 40% less pain.\nResults: fine & dandy."
SENTENCE = "Pain fell by 40% <img src=x onerror=alert(1)> versus placebo."
REVIEWER = "Ñúñez, PharmD"
CHECKED_AT = datetime(2026, 1, 5, 14, 3, tzinfo=UTC)
GENERATED_AT = datetime(2026, 2, 1, 9, 30, tzinfo=UTC)
AUTHORS = [
    ("Müller", "Hans", "H"),
    ("Ñúñez", "Ana María", "AM"),
    ("Wójcik", "Łukasz", "Ł"),
    ("O'Brien", "Seán", "S"),
    ("Smith", "John", "J"),
    ("Doe", "Jane", "J"),
    ("Roe", "Richard", "R"),
]


@dataclass
class ExportDb:
    url: str
    engine: Engine
    document_id: int  # the hostile page
    seed_document_id: int
    formula_claim_id: int
    script_claim_id: int
    unsourced_claim_id: int
    loose_claim_id: int


def _study(pmid: str, title: str, authors: list[tuple[str, str, str]], **kw: object) -> Study:
    study = Study(pmid=pmid, title=title, **kw)
    study.authors = [
        StudyAuthor(position=i, last_name=last, fore_name=fore, initials=ini)
        for i, (last, fore, ini) in enumerate(authors)
    ]
    return study


def _hostile(session) -> dict[str, int]:  # type: ignore[no-untyped-def]
    trial = _study(
        "90000001",
        HOSTILE_TITLE,
        AUTHORS,
        abstract=HOSTILE_ABSTRACT,
        journal_title="Journal of Pain & Research",
        journal_iso="J Pain Res",
        pub_year=2020,
        pub_date="2020 Mar 15",
        volume="12",
        issue="3",
        pages="100-9",
        doi="10.1000/xyz_{1}%",
        pmcid="PMC1234567",
        issn="1178-7090",
        language="eng",
        evidence_level="rct",
        origin="efetch",
        raw_sha256="a" * 64,
    )
    trial.authors.append(
        StudyAuthor(position=len(AUTHORS), collective_name="LDN Study Group & Friends")
    )
    twin = _study(
        "90000003",
        "Effects of LDN on sleep",
        [("Müller", "Hans", "H")],
        journal_title="Sleep",
        pub_year=2020,
        origin="efetch",
        raw_sha256="b" * 64,
    )
    retracted = _study(
        "90000002",
        "A fabricated trial of LDN.",
        [("Fraud", "Fiona", "F")],
        journal_title="Journal of Retractions",
        journal_iso="J Retract",
        pub_year=2015,
        origin="efetch",
        retracted=True,
        raw_sha256="c" * 64,
    )
    retracted.links = [StudyLinkRow(position=0, ref_type="RetractionIn", pmid="90000099")]
    doc = SourceDocument(
        title="Hostile page <b>bold</b>",
        url="javascript:alert(1)",
        publisher="Evil & Co",
    )
    unresolved = Reference(
        document=doc,
        position=1,
        raw="Some {unresolved} study & 100% real",
        kind="title",
        status="not_found",
        error="no match in PubMed",
    )
    web = Reference(
        document=doc,
        position=2,
        raw="https://example.org/a_b?x=1&y=2",
        url="https://example.org/a_b?x=1&y=2",
        kind="web",
        status="web",
    )
    formula = Claim(
        document=doc,
        position=1,
        text=FORMULA_CLAIM,
        figure_value=40,
        figure_unit="%",
        figure_qualifier="exact",
        figure_text="40%",
    )
    script = Claim(document=doc, position=2, text=SCRIPT_CLAIM)
    tab = Claim(document=doc, position=3, text=TAB_CLAIM)
    unsourced = Claim(
        document=doc, position=4, text=UNSOURCED_CLAIM, figure_value=30, figure_unit="%"
    )
    loose = Claim(document=None, text=LOOSE_CLAIM)
    session.add_all([trial, twin, retracted, doc, formula, script, tab, unsourced, loose])
    session.flush()
    session.add_all(
        [
            Citation(
                claim=formula,
                study=trial,
                origin="claim",
                verdict="supported",
                verdict_origin="reviewer",
                evidence_sentence=SENTENCE,
                study_figure="40%",
                note="=cmd|' /C calc'!A0",
                checked_at=CHECKED_AT,
                checked_by=REVIEWER,
                checked_record_sha256="d" * 64,  # an older version of the record
            ),
            Citation(claim=formula, study=twin, origin="reviewer"),
            Citation(
                claim=script,
                study=retracted,
                origin="claim",
                verdict="contradicted",
                evidence_sentence="-10% versus placebo",
                checked_at=CHECKED_AT,
            ),
            Citation(claim=tab, reference=unresolved, origin="page"),
            Citation(claim=tab, reference=web, origin="page"),
            Citation(claim=loose, study=trial, origin="reviewer"),
        ]
    )
    session.flush()
    return {
        "document_id": doc.id,
        "formula_claim_id": formula.id,
        "script_claim_id": script.id,
        "unsourced_claim_id": unsourced.id,
        "loose_claim_id": loose.id,
    }


def build_export_db(tmp_path: Path) -> ExportDb:
    url = f"sqlite:///{tmp_path / 'export.db'}"
    engine = make_engine(url)
    ensure_schema(engine)
    with session_scope(engine) as session:
        summary = load_file(session=session, path=SEED)
        ids = _hostile(session)
    assert summary.document_id is not None
    return ExportDb(
        url=url,
        engine=engine,
        seed_document_id=summary.document_id,
        **ids,
    )


def copy_export_db(template: ExportDb, tmp_path: Path) -> ExportDb:
    """A copy of the database `build_export_db` made (its engine disposed), same ids."""
    source = Path(template.url.removeprefix("sqlite:///"))
    assert not source.with_name(source.name + "-wal").exists(), "template engine not disposed"
    target = tmp_path / "export.db"
    shutil.copyfile(source, target)
    url = f"sqlite:///{target}"
    return replace(template, url=url, engine=make_engine(url))


def full_report(db: ExportDb) -> Report:
    with session_scope(db.engine) as session:
        return build_report(session=session, generated_at=GENERATED_AT)
