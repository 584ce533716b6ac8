"""`verify` re-checks only what changed (the claim as checked, the study record, the full
text a verdict read, the engine version), and writes its verdicts in bulk with
`set_verdict`'s rules: an event only when a verdict or its evidence changes, a reviewer's
verdict never touched."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ldn_evidence.models import Citation, CitationEvent, Claim, Study
from ldn_evidence.pubmed.jats import parse_full_texts
from ldn_evidence.services import verification
from ldn_evidence.services.fulltext import store_full_text
from ldn_evidence.services.verdicts import AutomaticVerdict, set_automatic_verdicts, set_verdict
from ldn_evidence.services.verification import VerifySummary, verify
from tests.helpers.jats import make_pmc_article

CROSSOVER = (
    "Thirty-one women with fibromyalgia completed a randomized, double-blind, "
    "placebo-controlled crossover trial of low-dose naltrexone (4.5 mg). "
    "Low-dose naltrexone was associated with a 28.8% reduction in pain, compared with an "
    "18.0% reduction during placebo. No serious adverse events occurred."
)
NULL_TRIAL = "Thirty-one women took part. Pain did not differ between naltrexone and placebo."
UNRELATED = "We measured bone density in 40 elderly men over two years of vitamin D."
RESPONDERS = "Six of the ten women (60%) reported less pain with low-dose naltrexone."


def _study(session: Session, pmid: str, abstract: str) -> Study:
    study = Study(
        pmid=pmid,
        title=f"Trial {pmid}",
        abstract=abstract,
        origin="efetch",
        raw_sha256=hashlib.sha256(abstract.encode()).hexdigest(),
    )
    session.add(study)
    session.flush()
    return study


def _cite(session: Session, text: str, *studies: Study) -> Claim:
    claim = Claim(text=text)
    session.add(claim)
    session.add_all(Citation(claim=claim, study=s) for s in studies)
    session.flush()
    return claim


def _events(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(CitationEvent)) or 0


def _checked(summary: VerifySummary) -> set[tuple[int, str | None]]:
    return {(r.claim_id, r.pmid) for r in summary.rows if not r.skipped}


@pytest.fixture
def two(session: Session) -> tuple[Claim, Claim, Study, Study]:
    a, b = _study(session, "1", CROSSOVER), _study(session, "2", UNRELATED)
    pain = _cite(session, "Low-dose naltrexone reduced pain in fibromyalgia.", a, b)
    bone = _cite(session, "Vitamin D improved bone density in elderly men.", b)
    return pain, bone, a, b


def test_a_re_run_with_nothing_changed_checks_nothing(session: Session, two) -> None:  # type: ignore[no-untyped-def]
    pain, bone, _a, _b = two
    first = verify(session=session)
    assert _checked(first) == {(pain.id, "1"), (pain.id, "2"), (bone.id, "2")}
    assert first.unchanged == 0 and all(r.changed for r in first.rows)
    events = _events(session)
    again = verify(session=session)
    assert (again.rows, again.unchanged) == ([], 3)
    assert _events(session) == events
    forced = verify(session=session, force=True)
    assert _checked(forced) == _checked(first) and forced.unchanged == 0
    assert not any(r.changed for r in forced.rows)  # same verdicts: no event
    assert _events(session) == events
    assert [(r.verdict, r.sentence) for r in forced.rows] == [
        (r.verdict, r.sentence) for r in first.rows
    ]


def test_an_edited_claim_is_checked_again_alone(session: Session, two) -> None:  # type: ignore[no-untyped-def]
    pain, bone, _a, _b = two
    verify(session=session)
    bone.population = "elderly men"  # a field verification reads
    session.flush()
    assert _checked(verify(session=session)) == {(bone.id, "2")}
    pain.text = "Low-dose naltrexone reduced pain in women with fibromyalgia."
    session.flush()
    summary = verify(session=session)
    assert _checked(summary) == {(pain.id, "1"), (pain.id, "2")} and summary.unchanged == 1


def test_a_changed_record_is_checked_again_with_an_event(session: Session, two) -> None:  # type: ignore[no-untyped-def]
    pain, _bone, a, _b = two
    verify(session=session)
    before = session.scalars(select(Citation).where(Citation.study_id == a.id)).one()
    old = before.verdict
    a.abstract = NULL_TRIAL
    session.flush()
    assert _checked(verify(session=session)) == set()  # same record: not read again
    a.raw_sha256 = hashlib.sha256(NULL_TRIAL.encode()).hexdigest()  # a re-fetched record
    session.flush()
    summary = verify(session=session)
    assert _checked(summary) == {(pain.id, "1")} and summary.unchanged == 2
    (row,) = summary.rows
    assert row.changed and row.verdict != old
    events = session.scalars(
        select(CitationEvent).where(CitationEvent.citation_id == before.id)
    ).all()
    assert [(e.old_verdict, e.new_verdict) for e in events][-1] == (old, row.verdict)
    assert events[-1].record_sha256 == a.raw_sha256


def test_a_study_without_its_record_is_fingerprinted_on_its_text(session: Session) -> None:
    study = _study(session, "3", CROSSOVER)
    study.raw_sha256 = None
    claim = _cite(session, "Low-dose naltrexone reduced pain in fibromyalgia.", study)
    verify(session=session)
    assert verify(session=session).unchanged == 1
    study.abstract = NULL_TRIAL
    session.flush()
    assert _checked(verify(session=session)) == {(claim.id, "3")}


def test_a_new_engine_version_checks_everything_again(
    session: Session,
    two,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    verify(session=session)
    events = _events(session)
    monkeypatch.setattr(verification, "ENGINE_VERSION", "a later engine")
    summary = verify(session=session)
    assert len(_checked(summary)) == 3 and summary.unchanged == 0
    assert _events(session) == events  # the same verdicts: no event
    assert verify(session=session).unchanged == 3  # their new inputs are recorded


def test_a_reviewer_verdict_is_never_checked_nor_touched(session: Session, two) -> None:  # type: ignore[no-untyped-def]
    pain, _bone, a, _b = two
    verify(session=session)
    citation = session.scalars(select(Citation).where(Citation.study_id == a.id)).one()
    set_verdict(
        session=session, citation=citation, verdict="contradicted", origin="reviewer", by="J. Doe"
    )
    assert citation.checked_inputs_sha256 is None
    events = _events(session)
    for summary in (verify(session=session), verify(session=session, force=True)):
        (row,) = [r for r in summary.rows if r.skipped]
        assert (row.claim_id, row.skipped) == (pain.id, "decided by a reviewer")
    session.refresh(citation)
    assert (citation.verdict, citation.verdict_origin) == ("contradicted", "reviewer")
    assert _events(session) == events
    # withdrawn ("unchecked"): verify checks it again
    set_verdict(session=session, citation=citation, verdict="unchecked", origin="reviewer")
    summary = verify(session=session)
    assert _checked(summary) == {(pain.id, "1")}
    session.refresh(citation)
    assert citation.verdict_origin == "automatic" and citation.verdict != "unchecked"


def test_a_full_text_counts_only_where_the_abstract_left_the_claim_open(
    session: Session,
) -> None:
    settled = _study(session, "5", CROSSOVER)
    silent = _study(session, "6", "Ten women with fibromyalgia took part in a pilot study.")
    claim = _cite(session, "60% of women reported less pain with low-dose naltrexone.", silent)
    other = _cite(session, "Low-dose naltrexone reduced pain in fibromyalgia.", settled)
    first = {r.claim_id: r for r in verify(session=session).rows}
    assert first[claim.id].verdict in ("not_in_abstract", "not_supported")
    assert first[other.id].verdict in ("supported", "partially_supported")
    for pmid, pmcid in (("6", "PMC6"), ("5", "PMC5")):
        xml = make_pmc_article(pmcid, pmid, sections={"Methods": ["Ten."], "Results": [RESPONDERS]})
        (record,) = parse_full_texts(xml)
        store_full_text(session=session, record=record, origin="file")
    summary = verify(session=session)
    (row,) = summary.rows  # the settled claim does not depend on the full text
    assert (row.claim_id, row.evidence_location, row.sentence) == (
        claim.id,
        "full text, Results, ¶1",
        RESPONDERS,
    )
    assert summary.unchanged == 1
    assert verify(session=session).unchanged == 2
    only = verify(session=session, abstract_only=True)  # read without it: checked again
    assert _checked(only) == {(claim.id, "6")} and only.rows[0].evidence_location is None


# ---- set_automatic_verdicts ------------------------------------------------------------


def _item(citation: Citation, verdict: str, **kw: object) -> AutomaticVerdict:
    read = {
        k: getattr(citation, k)
        for k in (
            "verdict",
            "evidence_sentence",
            "evidence_location",
            "study_figure",
            "reason",
            "note",
            "checked_record_sha256",
        )
    }
    values = {
        "evidence_sentence": None,
        "evidence_location": None,
        "study_figure": None,
        "reason": "r",
        "record_sha256": None,
        "inputs_sha256": "x" * 64,
        **kw,
    }
    return AutomaticVerdict(
        citation_id=citation.id,
        read=read,
        verdict=verdict,
        read_inputs_sha256=citation.checked_inputs_sha256,
        **values,  # type: ignore[arg-type]
    )


def test_bulk_writes_record_an_event_only_for_a_change(session: Session, two) -> None:  # type: ignore[no-untyped-def]
    pain, _bone, a, b = two
    first, second = session.scalars(
        select(Citation).where(Citation.claim_id == pain.id).order_by(Citation.id)
    ).all()
    outcome = set_automatic_verdicts(
        session=session, items=[_item(first, "supported"), _item(second, "unchecked")], by="v"
    )
    # the second was "unchecked" with no reason: its reason changed
    assert outcome == {first.id: True, second.id: True}
    assert _events(session) == 2
    session.refresh(first)
    assert (first.verdict, first.checked_by, first.checked_inputs_sha256) == (
        "supported",
        "v",
        "x" * 64,
    )
    at = first.checked_at
    same = set_automatic_verdicts(
        session=session, items=[_item(first, "supported", inputs_sha256="y" * 64)], by="v"
    )
    assert same == {first.id: False} and _events(session) == 2
    session.refresh(first)
    assert (first.checked_inputs_sha256, first.checked_at) == ("y" * 64, at)


def test_bulk_writes_leave_a_reviewer_verdict_that_arrived_after_the_read(
    session: Session,
    two,  # type: ignore[no-untyped-def]
) -> None:
    pain, _bone, _a, _b = two
    citation = session.scalars(select(Citation).where(Citation.claim_id == pain.id)).first()
    assert citation is not None
    stale = _item(citation, "supported")  # read while automatic
    set_verdict(session=session, citation=citation, verdict="contradicted", origin="reviewer")
    events = _events(session)
    assert set_automatic_verdicts(session=session, items=[stale]) == {citation.id: None}
    session.refresh(citation)
    assert (citation.verdict, citation.verdict_origin) == ("contradicted", "reviewer")
    assert _events(session) == events


def test_bulk_writes_refuse_an_unknown_verdict(session: Session, two) -> None:  # type: ignore[no-untyped-def]
    from ldn_evidence.errors import InputError

    citation = session.scalars(select(Citation)).first()
    assert citation is not None
    with pytest.raises(InputError):
        set_automatic_verdicts(session=session, items=[_item(citation, "maybe")])


@pytest.mark.slow
def test_worker_processes_give_the_same_verdicts(session: Session, two) -> None:  # type: ignore[no-untyped-def]
    pain, _bone, _a, _b = two
    extra = [_study(session, str(10 + i), CROSSOVER if i % 2 else UNRELATED) for i in range(6)]
    _cite(session, "Low-dose naltrexone reduced pain by nearly 30% in fibromyalgia.", *extra)
    alone = verify(session=session)
    pooled = verify(session=session, force=True, jobs=2)
    assert [(r.claim_id, r.pmid, r.verdict, r.sentence, r.reason) for r in pooled.rows] == [
        (r.claim_id, r.pmid, r.verdict, r.sentence, r.reason) for r in alone.rows
    ]
    assert len(alone.rows) == 9 and not any(r.changed for r in pooled.rows)


def test_inputs_digest_is_sha256_of_json_dumps() -> None:
    """The fingerprint stays what earlier runs stored: sha256 of `json.dumps(parts,
    default=str)` (a datetime as its str)."""
    import json
    from datetime import UTC, datetime

    from ldn_evidence.services.verify_batch import digest

    parts = ("2026.11.30-2", 'é \u2028 "q"', 1.5, None, 12, datetime(2026, 1, 1, tzinfo=UTC), [1])
    expected = hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()
    assert digest(*parts) == expected
