"""AMA-style reference strings."""

from __future__ import annotations

from dataclasses import dataclass

from ldn_evidence.export.ama import ama_authors, ama_citation, initials_of


@dataclass
class Name:
    family: str | None = None
    given: str | None = None
    initials: str | None = None
    literal: str | None = None


def test_up_to_six_authors_then_et_al() -> None:
    six = [Name(f"A{i}", initials="B") for i in range(6)]
    assert ama_authors(six) == "A0 B, A1 B, A2 B, A3 B, A4 B, A5 B"
    seven = [*six, Name("Seventh", initials="S")]
    assert ama_authors(seven) == "A0 B, A1 B, A2 B, A3 B, A4 B, A5 B, et al"


def test_collective_and_missing_initials() -> None:
    names = [Name("Müller", "Hans Peter"), Name(literal="LDN Study Group"), Name("Ñúñez")]
    assert ama_authors(names) == "Müller HP, LDN Study Group, Ñúñez"
    assert initials_of("Mary-Ann Lou") == "MAL"


def test_full_citation_and_partial_parts() -> None:
    text = ama_citation(
        authors=[Name("Younger", initials="J")],
        title="A title without a full stop",
        journal_iso="Pain Med",
        journal="Pain medicine",
        year=2009,
        volume="10",
        issue="4",
        pages="663-72",
        doi="10.1111/x",
        pmid="19453963",
        pmcid="PMC1",
    )
    assert text == (
        "Younger J. A title without a full stop. Pain Med. 2009;10(4):663-72. "
        "doi:10.1111/x. PMID: 19453963. PMCID: PMC1"
    )
    bare = ama_citation(
        authors=[],
        title="Is it true?",
        journal_iso=None,
        journal="Some Journal",
        year=2001,
        volume=None,
        issue=None,
        pages=None,
        doi=None,
        pmid="1",
    )
    assert bare == "Is it true? Some Journal. 2001. PMID: 1"
