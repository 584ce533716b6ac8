"""The reviewer workflow: `claims add|cite|check`, and `set_verdict`'s rules (who wins,
what is recorded, what a concurrent automatic run may not overwrite)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.conftest import Cli, count_rows
from tests.eutils_server import FakeEutils, Fault

YOUNGER_2013 = "23359310"  # seed study, DOI 10.1002/art.37734
YOUNGER_2009 = "19453963"  # seed study, DOI 10.1111/j.1526-4637.2009.00613.x


def _ok(result: Any) -> Any:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _error(result: Any, code: int = 1) -> str:
    """The one-line error of a failed command."""
    assert result.exit_code == code, result.output
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def _seed(cli: Cli, seed_file: Path) -> int:
    """Load the seed dataset; the id of its document."""
    _ok(cli("load", str(seed_file), "--json"))
    (doc,) = _ok(cli("documents", "list", "--json"))
    return int(doc["id"])


def _new_claim(cli: Cli, *args: str) -> int:
    return int(_ok(cli("claims", "add", *args, "--json"))["id"])


# ---- claims add ----------------------------------------------------------------------------


def test_add_claim_without_document(cli: Cli) -> None:
    data = _ok(cli("claims", "add", "  LDN reduces fatigue.  ", "--condition", "ME/CFS", "--json"))
    assert data["text"] == "LDN reduces fatigue."
    assert data["document_id"] is None and data["position"] is None
    assert data["figure"] is None and data["condition"] == "ME/CFS"
    assert data["citations"] == 0 and data["unsourced"] is False
    result = cli("claims", "add", "LDN reduces fatigue.")
    assert result.exit_code == 0
    assert result.stdout.startswith(f"Claim {data['id']}: LDN reduces fatigue.")


def test_add_claim_in_document_with_figure(cli: Cli, seed_file: Path, db_url: str) -> None:
    doc = _seed(cli, seed_file)
    args = ("Pain fell by nearly 30% in women.", "--document", str(doc), "--figure", "nearly 30%")
    data = _ok(cli("claims", "add", *args, "--outcome", "pain", "--population", "women", "--json"))
    assert data["document_id"] == doc and data["position"] == 6  # after the seed's five
    assert data["kind"] == "figure"
    assert data["figure"] == {
        "value": 30.0,
        "unit": "%",
        "qualifier": "nearly",
        "text": "nearly 30%",
    }
    assert data["outcome"] == "pain" and data["population"] == "women"
    assert data["unsourced"] is True  # a figure, nothing cited yet
    # The same text in the same document is the same claim: re-adding updates it.
    again = _ok(cli("claims", "add", *args, "--dose", "4.5 mg", "--json"))
    assert again["id"] == data["id"] and again["position"] == 6
    assert again["dose"] == "4.5 mg" and again["outcome"] == "pain"
    assert count_rows(db_url, "claims") == 6
    shown = _ok(cli("claims", "show", str(data["id"]), "--json"))
    assert shown["document"]["id"] == doc
    text = cli(
        "claims",
        "add",
        "Most improved: 60% of patients.",
        "--document",
        str(doc),
        "--figure",
        "60%",
    )
    assert text.exit_code == 0
    assert (
        "(document" in text.stdout and "position 7" in text.stdout and "[figure 60%]" in text.stdout
    )


def test_add_claim_errors(cli: Cli) -> None:
    assert _error(cli("claims", "add", "x", "--document", "99")) == "Error: no document with id 99"
    line = _error(cli("claims", "add", "LDN helps.", "--figure", "a lot"))
    assert line.startswith("Error: cannot read figure 'a lot'")
    assert _error(cli("claims", "add", "   ")) == "Error: the claim text is empty"
    assert "at most 200" in _error(cli("claims", "add", "y", "--outcome", "o" * 201))
    assert _ok(cli("claims", "list", "--json")) == []


# ---- claims cite ---------------------------------------------------------------------------


def test_cite_stored_study_by_pmid_twice_changes_nothing(
    cli: Cli, seed_file: Path, db_url: str
) -> None:
    doc = _seed(cli, seed_file)
    claim = _new_claim(cli, "LDN lowered pain scores.", "--document", str(doc))
    before = {t: count_rows(db_url, t) for t in ("citations", "references")}
    data = _ok(cli("claims", "cite", str(claim), YOUNGER_2013, "--json"))
    assert data["claim_id"] == claim and data["origin"] == "reviewer"
    assert data["study"]["pmid"] == YOUNGER_2013 and data["reference"] is None
    assert data["verdict"] == "unchecked"
    again = _ok(cli("claims", "cite", str(claim), f"PMID: {YOUNGER_2013}", "--json"))
    assert again["id"] == data["id"]
    assert count_rows(db_url, "citations") == before["citations"] + 1
    assert count_rows(db_url, "references") == before["references"]  # stored: no new reference
    line = cli("claims", "cite", str(claim), YOUNGER_2013)
    assert line.stdout.startswith(f"Claim {claim} cites PMID {YOUNGER_2013}: Low-dose naltrexone")
    assert "(added by a reviewer)" in line.stdout


def test_cite_a_study_the_page_already_cites_changes_nothing(
    cli: Cli, seed_file: Path, db_url: str
) -> None:
    _seed(cli, seed_file)
    first = _ok(cli("claims", "list", "--json"))[0]["id"]
    n = count_rows(db_url, "citations")
    data = _ok(cli("claims", "cite", str(first), YOUNGER_2009, "--json"))
    assert data["origin"] == "page" and data["study"]["pmid"] == YOUNGER_2009
    assert count_rows(db_url, "citations") == n


def test_cite_pmid_not_stored_makes_a_resolved_reference(
    cli: Cli, seed_file: Path, db_url: str
) -> None:
    doc = _seed(cli, seed_file)
    claim = _new_claim(cli, "LDN helps Crohn's disease.", "--document", str(doc))
    refs = count_rows(db_url, "references")
    data = _ok(cli("claims", "cite", str(claim), "17222320", "--json"))
    assert data["study"] is None and data["origin"] == "reviewer"
    ref = data["reference"]
    assert ref["kind"] == "pubmed" and ref["pmid"] == "17222320" and ref["status"] == "resolved"
    assert ref["url"] == "https://pubmed.ncbi.nlm.nih.gov/17222320/"
    again = _ok(cli("claims", "cite", str(claim), "17222320", "--json"))
    assert again["id"] == data["id"] and again["reference"]["id"] == ref["id"]
    assert count_rows(db_url, "references") == refs + 1
    text = cli("claims", "cite", str(claim), "17222320")
    assert "not stored yet" in text.stdout and "fetch --missing" in text.stdout
    # The reference belongs to the claim's document, listed after the page's own.
    shown = _ok(cli("documents", "show", str(doc), "--json"))
    assert shown["references"][-1]["pmid"] == "17222320"
    assert shown["references"][-1]["position"] == 4
    assert shown["references"][-1]["study_stored"] is False


@pytest.mark.slow
def test_cite_stored_study_by_doi_needs_no_network(
    cli: Cli, seed_file: Path, fake: FakeEutils
) -> None:
    doc = _seed(cli, seed_file)
    claim = _new_claim(cli, "Daily pain fell with LDN.", "--document", str(doc))
    for form in ("10.1002/ART.37734", "doi:10.1002/art.37734", "https://doi.org/10.1002/art.37734"):
        data = _ok(cli("claims", "cite", str(claim), form, "--json"))
        assert data["study"]["pmid"] == YOUNGER_2013
    assert len(_ok(cli("claims", "show", str(claim), "--json"))["citations"]) == 1
    assert fake.requests == []


def test_cite_doi_through_the_id_converter(cli: Cli, fake: FakeEutils, db_url: str) -> None:
    fake.add_doi("10.1000/ldn.9", "31415926")
    claim = _new_claim(cli, "LDN eased symptoms.")
    data = _ok(cli("claims", "cite", str(claim), "https://doi.org/10.1000/LDN.9", "--json"))
    ref = data["reference"]
    assert ref["kind"] == "doi" and ref["doi"] == "10.1000/LDN.9"
    assert ref["pmid"] == "31415926" and ref["status"] == "resolved" and ref["error"] is None
    assert data["study"] is None
    (request,) = fake.requests_for("idconv")
    assert request.params["ids"] == "10.1000/LDN.9" and request.params["idtype"] == "doi"
    # Cited again (any spelling): the PMID is known, no second look-up.
    again = _ok(cli("claims", "cite", str(claim), "doi:10.1000/ldn.9", "--json"))
    assert again["id"] == data["id"]
    assert len(fake.requests_for("idconv")) == 1
    assert count_rows(db_url, "references") == 1


def test_cite_doi_resolved_to_a_stored_study_links_it(
    cli: Cli, fake: FakeEutils, tmp_path: Path
) -> None:
    dataset = tmp_path / "study.yaml"
    dataset.write_text(
        'format: ldn-evidence/1\nstudies:\n  - {pmid: "27182116", '
        'title: "A study stored without its DOI"}\n',
        encoding="utf-8",
    )
    _ok(cli("load", str(dataset), "--json"))
    fake.add_doi("10.1000/no-doi-stored", "27182116")
    claim = _new_claim(cli, "LDN works.")
    data = _ok(cli("claims", "cite", str(claim), "10.1000/no-doi-stored", "--json"))
    assert data["study"]["pmid"] == "27182116"
    assert data["reference"]["pmid"] == "27182116" and data["reference"]["kind"] == "doi"


@pytest.mark.slow
def test_cite_doi_when_the_id_converter_fails(
    cli: Cli, fake: FakeEutils, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LDN_EVIDENCE_HTTP_RETRIES", "0")
    fake.add_doi("10.1000/ldn.10", "27182818")
    fake.inject(Fault.http(500, utility="idconv"))
    claim = _new_claim(cli, "LDN calmed inflammation.")
    result = cli("claims", "cite", str(claim), "10.1000/ldn.10", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    ref = data["reference"]
    assert ref["status"] == "unresolved" and ref["pmid"] is None
    assert "idconv" in ref["error"] and "500" in ref["error"]
    warning = result.stderr.strip().splitlines()
    assert len(warning) == 1 and warning[0].startswith(
        "warning: doi:10.1000/ldn.10 is not resolved"
    )
    # Once the converter answers, citing again resolves the same reference.
    again = _ok(cli("claims", "cite", str(claim), "10.1000/ldn.10", "--json"))
    assert again["id"] == data["id"] and again["reference"]["id"] == ref["id"]
    assert again["reference"]["status"] == "resolved" and again["reference"]["pmid"] == "27182818"
    assert count_rows(db_url, "references") == 1 and count_rows(db_url, "citations") == 1


def test_cite_doi_unknown_to_the_id_converter(cli: Cli, fake: FakeEutils) -> None:
    claim = _new_claim(cli, "LDN is safe.")
    result = cli("claims", "cite", str(claim), "10.1000/not-in-pmc")
    assert result.exit_code == 0
    assert "not resolved to a PMID" in result.stdout
    assert "does not know DOI 10.1000/not-in-pmc" in result.stderr


def test_cite_errors(cli: Cli) -> None:
    assert _error(cli("claims", "cite", "42", YOUNGER_2013)) == "Error: no claim with id 42"
    claim = _new_claim(cli, "LDN claim.")
    assert _error(cli("claims", "cite", str(claim), "abc")).startswith(
        "Error: not a PMID or DOI: 'abc'"
    )
    for bad in ("10.12/short", "doi:nonsense", "https://doi.org/"):
        assert _error(cli("claims", "cite", str(claim), bad)).startswith("Error: not a DOI:")
    assert "positive whole number" in _error(cli("claims", "cite", str(claim), "0"))
    assert "longer than 16 digits" in _error(cli("claims", "cite", str(claim), "1" * 17))
    assert cli("claims", "cite", "x", "1").exit_code == 2  # CLAIM is not a number


# ---- claims check --------------------------------------------------------------------------


def test_check_records_the_event_history(cli: Cli, seed_file: Path) -> None:
    _seed(cli, seed_file)
    claim = _ok(cli("claims", "list", "--json"))[3]["id"]  # "60% of patients …"
    first = _ok(
        cli(
            "claims",
            "check",
            str(claim),
            YOUNGER_2009,
            "--verdict",
            "supported",
            "--note",
            "60% is in the abstract",
            "--by",
            "J. Doe, PharmD",
            "--json",
        )
    )
    assert first["verdict"] == "supported" and first["verdict_origin"] == "reviewer"
    assert first["checked_by"] == "J. Doe, PharmD" and first["note"] == "60% is in the abstract"
    second = cli(
        "claims",
        "check",
        str(claim),
        YOUNGER_2009,
        "--verdict",
        "Not supported",
        "--note",
        "responders were 32%",
        "--by",
        "A. Roe",
    )
    assert second.exit_code == 0, second.output
    assert second.stdout.strip() == (
        f"Claim {claim} × PMID {YOUNGER_2009}: supported → not_supported by A. Roe"
        " — responders were 32%"
    )
    shown = _ok(cli("claims", "show", str(claim), "--json"))
    (citation,) = [
        c for c in shown["citations"] if c["study"] and c["study"]["pmid"] == YOUNGER_2009
    ]
    assert citation["verdict"] == "not_supported" and citation["checked_by"] == "A. Roe"
    assert citation["checked_at"] is not None
    events = citation["events"]
    assert [
        (e["by"], e["origin"], e["old_verdict"], e["new_verdict"], e["note"]) for e in events
    ] == [
        ("J. Doe, PharmD", "reviewer", "unchecked", "supported", "60% is in the abstract"),
        ("A. Roe", "reviewer", "supported", "not_supported", "responders were 32%"),
    ]
    assert all(e["at"] for e in events) and events[0]["at"] <= events[1]["at"]
    # The other citations of the claim are untouched.
    others = [c for c in shown["citations"] if c["id"] != citation["id"]]
    assert others and all(c["verdict"] == "unchecked" and c["events"] == [] for c in others)


def test_check_by_defaults_to_the_os_user(
    cli: Cli, seed_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import getpass

    monkeypatch.setattr(getpass, "getuser", lambda: "pharmacist7")
    _seed(cli, seed_file)
    claim = _ok(cli("claims", "list", "--json"))[4]["id"]
    data = _ok(
        cli("claims", "check", str(claim), YOUNGER_2013, "--verdict", "not_in_abstract", "--json")
    )
    assert data["checked_by"] == "pharmacist7"
    assert data["events"][-1]["by"] == "pharmacist7"


def test_check_a_reviewer_citation_of_an_unstored_pmid(cli: Cli) -> None:
    claim = _new_claim(cli, "LDN reduced flares.")
    _ok(cli("claims", "cite", str(claim), "17222320", "--json"))
    data = _ok(
        cli(
            "claims",
            "check",
            str(claim),
            "17222320",
            "--verdict",
            "supported",
            "--by",
            "R",
            "--json",
        )
    )
    assert data["verdict"] == "supported" and data["events"][0]["record_sha256"] is None


def test_check_errors(cli: Cli, seed_file: Path) -> None:
    _seed(cli, seed_file)
    claim = _ok(cli("claims", "list", "--json"))[0]["id"]
    line = _error(cli("claims", "check", str(claim), YOUNGER_2013, "--verdict", "true"))
    assert line.startswith("Error: unknown verdict 'true'; choose one of: unchecked, supported")
    assert _error(cli("claims", "check", "999", YOUNGER_2013, "--verdict", "supported")) == (
        "Error: no claim with id 999"
    )
    line = _error(cli("claims", "check", str(claim), "12345", "--verdict", "supported"))
    assert line == (
        f"Error: claim {claim} does not cite PMID 12345; add it first with "
        f"`ldn-evidence claims cite {claim} 12345`"
    )
    assert "invalid PMID 'abc'" in _error(
        cli("claims", "check", str(claim), "abc", "--verdict", "supported")
    )
    assert cli("claims", "check", str(claim), YOUNGER_2013).exit_code == 2  # --verdict missing
    assert cli("claims", "check", "one", YOUNGER_2013, "--verdict", "supported").exit_code == 2
    shown = _ok(cli("claims", "show", str(claim), "--json"))
    assert all(c["events"] == [] for c in shown["citations"])  # nothing written


def test_check_help_lists_every_verdict(cli: Cli) -> None:
    from ldn_evidence.models import VERDICTS

    help_text = " ".join(cli("claims", "check", "--help").stdout.split())
    for verdict in VERDICTS:
        assert verdict in help_text


# ---- set_verdict, the service --------------------------------------------------------------


def _citation(session: Any, sha: str | None = "a" * 64) -> Any:
    from ldn_evidence.models import Claim, Study
    from ldn_evidence.services.linking import cite

    study = Study(pmid="11111111", title="A trial", raw_sha256=sha)
    claim = Claim(text="LDN halves pain.")
    session.add_all([study, claim])
    session.flush()
    citation, _ = cite(session=session, claim=claim, study=study, origin="claim")
    return citation


def _events(session: Any, citation: Any) -> list[tuple[str, str | None, str]]:
    from ldn_evidence.models import CitationEvent

    rows = session.scalars(
        sa.select(CitationEvent)
        .where(CitationEvent.citation_id == citation.id)
        .order_by(CitationEvent.id)
    )
    return [(e.origin, e.old_verdict, e.new_verdict) for e in rows]


def test_automatic_verdict_is_recorded_once(session: Any) -> None:
    from ldn_evidence.services.verdicts import set_verdict

    citation = _citation(session)
    kw = {
        "verdict": "supported",
        "origin": "automatic",
        "evidence_sentence": "Pain fell 52%.",
        "study_figure": "52%",
        "reason": "52% is within 'half'",
    }
    assert set_verdict(session=session, citation=citation, **kw) is True
    assert citation.verdict == "supported" and citation.verdict_origin == "automatic"
    assert citation.checked_record_sha256 == "a" * 64 and citation.checked_at is not None
    assert set_verdict(session=session, citation=citation, **kw) is False  # same again: no-op
    assert _events(session, citation) == [("automatic", "unchecked", "supported")]
    # New evidence is a change even with the same verdict.
    assert (
        set_verdict(
            session=session, citation=citation, **{**kw, "evidence_sentence": "Pain fell 49%."}
        )
        is True
    )
    assert len(_events(session, citation)) == 2
    event = citation.events[-1]
    assert event.record_sha256 == "a" * 64 and event.by is None


def test_automatic_never_overwrites_a_reviewer(session: Any) -> None:
    from ldn_evidence.services.verdicts import set_verdict

    citation = _citation(session)
    assert (
        set_verdict(
            session=session,
            citation=citation,
            verdict="contradicted",
            origin="reviewer",
            by="J. Doe",
            note="the abstract says worse",
        )
        is True
    )
    changed = set_verdict(
        session=session,
        citation=citation,
        verdict="supported",
        origin="automatic",
        evidence_sentence="Pain fell 52%.",
    )
    assert changed is False
    session.expire_all()
    assert citation.verdict == "contradicted" and citation.verdict_origin == "reviewer"
    assert citation.checked_by == "J. Doe" and citation.note == "the abstract says worse"
    assert citation.evidence_sentence is None
    assert _events(session, citation) == [("reviewer", "unchecked", "contradicted")]
    # A reviewer can always change it again, even to the same verdict (a re-check is kept).
    assert (
        set_verdict(
            session=session,
            citation=citation,
            verdict="contradicted",
            origin="reviewer",
            by="A. Roe",
        )
        is True
    )
    assert len(_events(session, citation)) == 2
    # `unchecked` from a reviewer hands the citation back to automatic verification.
    set_verdict(
        session=session, citation=citation, verdict="unchecked", origin="reviewer", by="A. Roe"
    )
    assert citation.verdict_origin == "automatic"
    assert (
        set_verdict(session=session, citation=citation, verdict="supported", origin="automatic")
        is True
    )
    assert citation.verdict == "supported"


def test_set_verdict_refuses_unknown_values(session: Any) -> None:
    from ldn_evidence.errors import InputError
    from ldn_evidence.services.verdicts import set_verdict

    citation = _citation(session, sha=None)
    with pytest.raises(InputError, match="unknown verdict 'maybe'; choose one of: unchecked"):
        set_verdict(session=session, citation=citation, verdict="maybe", origin="reviewer")
    with pytest.raises(InputError, match="unknown verdict origin 'robot'"):
        set_verdict(session=session, citation=citation, verdict="supported", origin="robot")
    assert citation.verdict == "unchecked" and _events(session, citation) == []


def test_concurrent_reviewer_verdict_survives_a_stale_automatic_run(engine: Any) -> None:
    """An automatic run read the citation before a reviewer's verdict was committed: its
    conditional UPDATE matches no row, so the reviewer's verdict stays."""
    from ldn_evidence.db import session_scope
    from ldn_evidence.models import Citation
    from ldn_evidence.services.verdicts import set_verdict

    with session_scope(engine) as s:
        citation_id = _citation(s).id
    with session_scope(engine) as automatic:
        stale = automatic.get(Citation, citation_id)
        assert stale is not None and stale.verdict_origin == "automatic"
        with session_scope(engine) as reviewer:
            fresh = reviewer.get(Citation, citation_id)
            set_verdict(
                session=reviewer,
                citation=fresh,
                verdict="not_supported",
                origin="reviewer",
                by="J. Doe",
            )
        assert stale.verdict_origin == "automatic"  # this session has not seen it
        assert (
            set_verdict(session=automatic, citation=stale, verdict="supported", origin="automatic")
            is False
        )
        assert stale.verdict == "not_supported"  # refreshed from the database
    with session_scope(engine) as s:
        row = s.get(Citation, citation_id)
        assert row is not None
        assert (row.verdict, row.verdict_origin, row.checked_by) == (
            "not_supported",
            "reviewer",
            "J. Doe",
        )
        assert _events(s, row) == [("reviewer", "unchecked", "not_supported")]


def test_cite_reuses_a_reference_citation_of_a_study_stored_later(session: Any) -> None:
    """The page cited PMID X through a reference; X was stored without linking: citing X
    again is the same citation, now linked to the study (no second citation)."""
    from ldn_evidence.models import Claim, Reference, Study
    from ldn_evidence.services.linking import cite
    from ldn_evidence.services.reviewer import cite_claim

    claim = Claim(text="LDN works.")
    ref = Reference(raw="PMID 22222222", kind="pubmed", pmid="22222222", status="resolved")
    session.add_all([claim, ref])
    session.flush()
    existing, _ = cite(session=session, claim=claim, reference=ref, origin="page")
    study = Study(pmid="22222222", title="Stored later")
    session.add(study)
    session.flush()

    def no_network() -> Any:
        raise AssertionError("no look-up needed")

    citation = cite_claim(
        session=session, claim_id=claim.id, identifier="22222222", client_factory=no_network
    )
    assert citation.id == existing.id and citation.origin == "page"
    assert citation.study_id == study.id and ref.study_id == study.id
    assert len(claim.citations) == 1
