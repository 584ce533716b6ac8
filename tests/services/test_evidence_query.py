"""The PubMed query `evidence` builds for a claim."""

from __future__ import annotations

import pytest

from ldn_evidence.errors import InputError
from ldn_evidence.services.evidence_query import (
    DESIGN_FILTER,
    SOURCE_FIELDS,
    SOURCE_GIVEN,
    SOURCE_TEXT,
    build_query,
    text_terms,
)

CLAIM = "In one trial, 60% of patients reported a reduction in fibromyalgia symptoms."


def test_the_design_filter_is_pubmeds_own() -> None:
    assert DESIGN_FILTER == (
        "(systematic[sb] OR randomized controlled trial[pt] OR therapy/narrow[filter])"
    )


def test_from_the_stored_intervention_and_condition() -> None:
    q = build_query(claim_text=CLAIM, intervention="Low-Dose Naltrexone", condition="fibromyalgia")
    assert q.topic == "(low-dose naltrexone) AND (fibromyalgia)"
    assert q.term == f"(low-dose naltrexone) AND (fibromyalgia) AND {DESIGN_FILTER}"
    assert q.source == SOURCE_FIELDS


def test_since_adds_a_publication_year_range() -> None:
    q = build_query(claim_text=CLAIM, intervention="zinc", condition="cold", since=2015)
    assert q.term.endswith(f"{DESIGN_FILTER} AND 2015:3000[dp]")


def test_field_text_cannot_break_the_query() -> None:
    q = build_query(
        claim_text=CLAIM, intervention='LDN (4.5 mg) OR "x"[pt]', condition="pain; AND NOT sleep"
    )
    assert q.topic == "(ldn 4.5 mg or x pt) AND (pain and not sleep)"


def test_from_the_claims_text_with_the_engines_content_terms() -> None:
    q = build_query(
        claim_text="Low-dose naltrexone improved pain by 30% in women with fibromyalgia."
    )
    assert (q.topic, q.source) == ("low-dose AND naltrexone AND fibromyalgia", SOURCE_TEXT)
    assert text_terms("Vitamin D supplementation reduces the risk of COVID-19 infection.") == [
        "vitamin",
        "supplementation",
        "covid-19",
    ]


def test_one_field_and_words_of_the_text_not_already_in_it() -> None:
    q = build_query(claim_text="Zinc shortened colds by 33% in adults.", condition="common cold")
    assert q.topic == "(common cold) AND zinc"
    assert q.source == "the claim's condition and words of its text"


def test_a_claim_with_nothing_to_search_for() -> None:
    with pytest.raises(InputError, match="give --query"):
        build_query(claim_text="It works.")


def test_a_given_query_replaces_the_topic() -> None:
    q = build_query(claim_text=CLAIM, intervention="x", condition="y", query=" naltrexone  pain ")
    assert (q.topic, q.source) == ("naltrexone pain", SOURCE_GIVEN)
    assert q.term == f"(naltrexone pain) AND {DESIGN_FILTER}"
    own = build_query(claim_text=CLAIM, query="naltrexone AND review[pt]", since=2020)
    assert own.term == "naltrexone AND review[pt] AND 2020:3000[dp]"
