"""A page with every red flag a report lists, built through the ORM (texts of our own).

One study is an RCT whose abstract says "Thirty-two percent of participants…" beside its 31
women; one is tagged Meta-Analysis but is a Mendelian randomisation; one is retracted, one
carries an erratum. The page cites a PMID PubMed does not know (`not_found`), a reference
resolved to a PMID that was never fetched, and web pages; one claim cites nothing; the page
text has sentences with a marker or a figure that are not claims.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine

from ldn_evidence.db import ensure_schema, make_engine, session_scope
from ldn_evidence.models import (
    Citation,
    Claim,
    PublicationTypeRow,
    Reference,
    SourceDocument,
    Study,
    StudyAuthor,
    StudyLinkRow,
)
from ldn_evidence.services.report import build_report
from ldn_evidence.viewmodel import Report

CHECKED_AT = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
GENERATED_AT = datetime(2026, 3, 3, 8, 0, tzinfo=UTC)

RCT_ABSTRACT = (
    "BACKGROUND: Sleep is often poor in fibromyalgia. METHODS: Thirty-one women with "
    "fibromyalgia took part in this randomized, double-blind, placebo-controlled, crossover "
    "trial of 10 weeks. RESULTS: Thirty-two percent of participants reported better sleep on "
    "the drug; pain fell by 28.8% versus 18.0% on placebo. CONCLUSIONS: A modest benefit."
)
MR_ABSTRACT = (
    "We performed a two-sample Mendelian randomization meta-analysis of genome-wide "
    "association data from 14,000 adults. Genetically higher vitamin D was associated with "
    "40% fewer nights of poor sleep."
)
PAGE_TEXT = """Sleep and pain: what the studies say

In a trial, 60% of women reported less pain with LDN.[1] LDN improved sleep by 40%.[2]
Up to 90% of our customers sleep better.

LDN eased fatigue in 30% of patients.[3] LDN is safe in pregnancy.[4] LDN reduces inflammation.[5]

See the guide [6] for dosing. Order today and save 20%!

LDN was studied for fibromyalgia sleep.[1]
"""
PAIN_CLAIM = "In a trial, 60% of women reported less pain with LDN.[1]"
SLEEP_CLAIM = "LDN improved sleep by 40%.[2]"
CUSTOMERS_CLAIM = "Up to 90% of our customers sleep better."
FATIGUE_CLAIM = "LDN eased fatigue in 30% of patients.[3]"
PREGNANCY_CLAIM = "LDN is safe in pregnancy.[4]"
INFLAMMATION_CLAIM = "LDN reduces inflammation.[5]"
STUDIED_CLAIM = "LDN was studied for fibromyalgia sleep.[1]"
LDN = "low-dose naltrexone"
REASON = "the abstract reports 28.8% less pain, not 60% of women"
NOTE = "the 40% is a genetic association, not a trial of LDN"


@dataclass
class ReviewDb:
    engine: Engine
    document_id: int
    claim_ids: dict[str, int]  # claim text -> id
    not_found_reference_id: int


_TYPES: dict[str, PublicationTypeRow] = {}


def _study(pmid: str, title: str, types: list[str], **kw: object) -> Study:
    study = Study(pmid=pmid, title=title, origin="efetch", pub_year=2020, **kw)
    study.authors = [StudyAuthor(position=0, last_name="Writer", fore_name="Ann", initials="A")]
    study.publication_types = [_TYPES.setdefault(t, PublicationTypeRow(name=t)) for t in types]
    return study


def build_review_db(tmp_path: Path) -> ReviewDb:
    _TYPES.clear()
    engine = make_engine(f"sqlite:///{tmp_path / 'review.db'}")
    ensure_schema(engine)
    with session_scope(engine) as session:
        rct = _study(
            "91000001",
            "Low-dose naltrexone for sleep in fibromyalgia: a randomized crossover trial.",
            ["Journal Article", "Randomized Controlled Trial"],
            abstract=RCT_ABSTRACT,
            evidence_level="rct",
            journal_iso="Sleep Med",
        )
        mr = _study(
            "91000002",
            "Vitamin D and sleep: a Mendelian randomization meta-analysis.",
            ["Journal Article", "Meta-Analysis"],
            abstract=MR_ABSTRACT,
            evidence_level="observational",
        )
        retracted = _study(
            "91000003",
            "LDN in pregnancy: a case series.",
            ["Journal Article", "Case Reports"],
            evidence_level="retracted",
            retracted=True,
        )
        retracted.links = [StudyLinkRow(position=0, ref_type="RetractionIn", pmid="91000099")]
        corrected = _study(
            "91000004",
            "Safety of LDN in 40 pregnancies.",
            ["Journal Article", "Observational Study"],
            abstract="Forty women took LDN in pregnancy; no birth defects were seen.",
            evidence_level="observational",
        )
        corrected.links = [StudyLinkRow(position=0, ref_type="ErratumIn", pmid="91000098")]
        doc = SourceDocument(title="Sleep and pain: what the studies say", text=PAGE_TEXT)
        refs = [
            Reference(document=doc, position=0, raw="PMID: 91000001", kind="pubmed",
                      pmid="91000001", status="resolved", study=rct),
            Reference(document=doc, position=1, raw="PMID: 91000002", kind="pubmed",
                      pmid="91000002", status="resolved", study=mr),
            Reference(document=doc, position=2,
                      raw="https://pubmed.ncbi.nlm.nih.gov/99999991/", kind="pubmed",
                      pmid="99999991", status="not_found",
                      error="PMID 99999991 is not in PubMed"),
            Reference(document=doc, position=3, raw="PMID: 91000005", kind="pubmed",
                      pmid="91000005", status="resolved"),
            Reference(document=doc, position=4, raw="https://ldn.example/inflammation",
                      url="https://ldn.example/inflammation", kind="web", status="web"),
            Reference(document=doc, position=5, raw="Dosing guide, Example Press 2020",
                      kind="citation", status="failed", error="PubMed could not be reached"),
        ]  # fmt: skip
        claims = {
            text: Claim(document=doc, position=i, text=text)
            for i, text in enumerate(
                [
                    PAIN_CLAIM,
                    SLEEP_CLAIM,
                    CUSTOMERS_CLAIM,
                    FATIGUE_CLAIM,
                    PREGNANCY_CLAIM,
                    INFLAMMATION_CLAIM,
                    STUDIED_CLAIM,
                ],
                start=1,
            )
        }
        figures = {PAIN_CLAIM: 60, SLEEP_CLAIM: 40, CUSTOMERS_CLAIM: 90, FATIGUE_CLAIM: 30}
        for text, value in figures.items():
            claim = claims[text]
            claim.figure_value, claim.figure_unit = value, "%"
            claim.figure_qualifier = "up to" if text == CUSTOMERS_CLAIM else "exact"
            claim.figure_text = ("up to " if text == CUSTOMERS_CLAIM else "") + f"{value}%"
        pain = claims[PAIN_CLAIM]
        pain.condition, pain.intervention, pain.dose = ("fibromyalgia", LDN, "4.5 mg")
        pain.outcome, pain.population = "pain", "women"
        session.add_all([rct, mr, retracted, corrected, doc, *refs, *claims.values()])
        session.flush()
        session.add_all(
            [
                Citation(claim=pain, study=rct, reference=refs[0], origin="claim",
                         verdict="not_supported", verdict_origin="automatic",
                         evidence_sentence="Pain fell by 28.8% versus 18.0% on placebo.",
                         reason=REASON, checked_at=CHECKED_AT, checked_by="ldn-evidence verify"),
                Citation(claim=claims[SLEEP_CLAIM], study=mr, reference=refs[1], origin="claim",
                         verdict="contradicted", verdict_origin="reviewer", note=NOTE,
                         checked_at=CHECKED_AT, checked_by="J. Doe, PharmD"),
                Citation(claim=claims[FATIGUE_CLAIM], reference=refs[2], origin="claim"),
                Citation(claim=claims[PREGNANCY_CLAIM], study=retracted, origin="claim"),
                Citation(claim=claims[PREGNANCY_CLAIM], study=corrected, origin="claim",
                         verdict="supported", verdict_origin="automatic",
                         reason="no birth defects were seen", checked_at=CHECKED_AT),
                Citation(claim=claims[PREGNANCY_CLAIM], reference=refs[3], origin="claim"),
                Citation(claim=claims[INFLAMMATION_CLAIM], reference=refs[4], origin="claim"),
                Citation(claim=claims[STUDIED_CLAIM], study=rct, reference=refs[0],
                         origin="claim", verdict="unchecked", verdict_origin="automatic",
                         checked_at=CHECKED_AT, checked_by="ldn-evidence verify"),
            ]
        )  # fmt: skip
        session.flush()
        ids = {text: claim.id for text, claim in claims.items()}
        return ReviewDb(engine, doc.id, ids, refs[2].id)


def review_report(db: ReviewDb, **filters: object) -> Report:
    with session_scope(db.engine) as session:
        return build_report(session=session, generated_at=GENERATED_AT, **filters)
