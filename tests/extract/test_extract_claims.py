"""extract_claims: which sentences are claims, their kind, fields and markers."""

from __future__ import annotations

import pytest

from ldn_evidence.extract import extract_claims, page_to_text
from ldn_evidence.extract.claim_rules import classify


def claims_of(text: str, kind: str = "text"):
    return extract_claims(page_to_text(text.encode(), kind=kind))


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("In one trial, 60% of patients reported a reduction in symptoms.", "figure"),
        ("LDN reduced pain by nearly 30% in women.", "figure"),
        ("LDN boosted endorphin levels threefold.", "figure"),
        ("Pain scores fell significantly with LDN (p < 0.05).", "figure"),
        ("Naltrexone appears to work via priming the immune system.", "mechanism"),
        ("It is believed to block TLR4 receptors on microglia.", "mechanism"),
        ("Low dose naltrexone improved sleep in the study.", "effect"),
        ("One study showed a marked increase in beta-endorphin levels.", "effect"),
        ("No serious side effects were reported during the study.", "safety"),
        ("LDN was well tolerated by participants.", "safety"),
        ("Side effects may include vivid dreams.", "safety"),
        ("LDN is considered safe at low doses.", "safety"),
    ],
)
def test_claim_kinds(sentence, kind):
    assert classify(sentence)[0] == kind


@pytest.mark.parametrize(
    "sentence",
    [
        "Skip to main content",
        "Leave a Reply",
        "Does LDN work for fibromyalgia?",
        "Remember to check back soon to find out more about low dose naltrexone (LDN)!",
        "Be sure to check out Part 1 of our series on LDN, which reduced pain in 60% of readers.",
        "You should consult your physician before starting LDN.",
        "These statements have not been evaluated by the Food and Drug Administration.",
        "Call 813-551-1165 or write to contact@example.com.",
        "1209 Tech Blvd.",
        "Save 20% on your first order!",
        "http://www.ncbi.nlm.nih.gov/pubmed/23359310",
        "While these particular studies were small, it does indeed show that there is promise "
        "in low dose naltrexone and that it does appear to have a beneficial effect.",
        "More research is needed before LDN can be recommended.",
        "Our pharmacy has compounded LDN since 2005.",
        "Shipping is safe and fast.",
    ],
)
def test_not_claims(sentence):
    assert classify(sentence)[0] is None


def test_heading_is_not_a_claim_unless_it_states_a_figure():
    assert classify("LDN reduces fibromyalgia pain", own_line=True)[0] is None
    assert classify("LDN reduces pain by 30%", own_line=True)[0] == "figure"


def test_fields_from_sentence_paragraph_and_page():
    claims = claims_of(
        "Low dose naltrexone and fibromyalgia\n\n"
        "Patients take 4.5 mg at bedtime. It reduced pain by 30% in women.\n\n"
        "Participants also reported improved mood."
    )
    first, second = claims
    assert first.text == "It reduced pain by 30% in women."
    assert (first.intervention, first.dose, first.condition) == (
        "low-dose naltrexone",
        "4.5 mg",
        "fibromyalgia",
    )
    assert (first.outcome, first.population, first.figure.value) == ("pain", "women", 30)
    assert second.kind == "effect" and second.dose is None
    assert (second.intervention, second.outcome, second.population) == (
        "low-dose naltrexone",
        "mood",
        "participants",
    )


def test_intervention_names_are_normalised():
    for name in ("LDN", "low dose naltrexone", "Low-dose naltrexone", "low-dose  naltrexone"):
        (claim,) = claims_of(f"{name} reduced pain by 20% in a trial.")
        assert claim.intervention == "low-dose naltrexone", name


def test_plain_naltrexone_stays_naltrexone_at_full_dose():
    (claim,) = claims_of("Naltrexone 50 mg reduced drinking days by 25% in a trial.")
    assert claim.intervention == "naltrexone" and claim.dose == "50 mg"
    (claim,) = claims_of("Naltrexone 3 mg reduced pain by 25% in a trial.")
    assert claim.intervention == "low-dose naltrexone"


def test_markers_footnotes_superscripts_parentheses_links_and_ids(load_page):
    claims = extract_claims(load_page("footnotes.html"))
    numbers = [[m.number for m in c.markers if m.kind == "footnote"] for c in claims]
    assert numbers == [[1], [2], [], [3], []]
    links = [[m.href for m in c.markers if m.kind == "link"] for c in claims]
    assert links[0] == ["#ref-1"]
    assert links[2] == ["https://www.ncbi.nlm.nih.gov/pmc/articles/PMC3962576/"]
    (claim,) = claims_of("LDN helped 88% of patients (PMID: 17222320).")
    assert [(m.kind, m.text) for m in claim.markers] == [("id", "PMID: 17222320")]


def test_bracket_ranges_and_enumerations():
    (claim,) = claims_of("LDN reduced pain by 30% in two trials [1-3].")
    assert [m.number for m in claim.markers] == [1, 2, 3]
    (claim,) = claims_of("In the trial LDN (1) reduced pain by 30% and (2) improved sleep.")
    assert claim.markers == []


def test_fixture_pages_claims(load_page):
    page = load_page("footnotes.html")
    claims = extract_claims(page)
    assert [c.kind for c in claims] == ["figure", "figure", "mechanism", "figure", "safety"]
    assert claims[1].figure.qualifier == "over" and claims[1].population == "women"
    assert claims[4].dose == "4.5 mg"
    for claim in claims:
        assert page.text[claim.start : claim.end] == claim.text
    assert [c.position for c in claims] == list(range(len(claims)))


def test_hostile_page_claims_only_visible_text(load_page):
    claims = extract_claims(load_page("hostile.html"))
    assert [c.figure.value for c in claims] == [25, 40]


def test_sentences_in_references_and_disclaimer_are_not_claims():
    claims = claims_of(
        "LDN reduced pain by 30% in a trial.\n\nReferences\n\n"
        "Fibromyalgia symptoms are reduced by low-dose naltrexone: a pilot study.\n\n"
        "DISCLAIMER\nLDN reduced pain by 50% in our customers.\n\n"
        "Leave a Reply\n\nLDN cured 90% of my pain!"
    )
    assert [c.text for c in claims] == ["LDN reduced pain by 30% in a trial."]


# --- issue #11: a cited sentence is a claim whatever it speaks of ---------------------------


def test_a_cited_figure_sentence_is_kept_without_vocabulary() -> None:
    page = (
        "Blood clots\n\n"
        "Aspirin reduced the risk of a repeat blood clot by 50%.[1] "
        "Save 20% today on every order.\n\n"
        "References\n\n"
        "1. Becattini C, et al. Aspirin for preventing the recurrence of venous "
        "thromboembolism. N Engl J Med. 2012;366:1959-67.\n"
    )
    claims = claims_of(page)
    cited = "Aspirin reduced the risk of a repeat blood clot by 50%.[1]"
    assert [c.text for c in claims] == [cited]
    assert claims[0].kind == "figure" and claims[0].figure.value == 50


def test_a_cited_statement_is_a_claim_and_a_pointer_is_not() -> None:
    from ldn_evidence.extract.claim_rules import classify_why

    assert classify_why("Naltrexone was approved in 1984 [2].", cited=True)[0] == "statement"
    kind, _, why = classify_why("See also the trial record [3].", cited=True)
    assert kind is None and "points to a source" in why
    assert classify_why("Naltrexone was approved in 1984.")[0] is None


def test_sentences_with_a_marker_or_figure_not_taken_are_listed_with_why() -> None:
    from ldn_evidence.extract.claims import extract_claims_and_skipped

    page = (
        "Offers\n\n"
        "Save 20% today on every order.\n"
        "Magnesium lowered blood pressure in adults [1].\n\n"
        "References\n\n1. Smith J. Magnesium and blood pressure. Hypertension. 2016;68:324-33.\n"
    )
    claims, skipped = extract_claims_and_skipped(page_to_text(page.encode(), kind="text"))
    assert [c.text for c in claims] == ["Magnesium lowered blood pressure in adults [1]."]
    assert [(s.text, s.reason) for s in skipped] == [
        ("Save 20% today on every order.",
         "states a figure but names nothing it is about and cites no source")
    ]  # fmt: skip


# ---- parsing: thousands in doses; no intervention inherited (issue 13 item 13) -------------


def test_a_dose_with_a_thousands_separator_is_one_number():
    from ldn_evidence.extract.vocabulary import dose_in, dose_mg

    assert dose_in("Vitamin D at 14,000 IU weekly cut falls by 20%.") == "14000 IU"
    assert dose_in("1,000 mg of magnesium a day") == "1000 mg" and dose_mg("1000 mg") == 1000
    assert dose_in("A dose of 4.5mg at night") == "4.5 mg"
    (claim,) = claims_of("Vitamin D at 14,000 IU weekly cut falls in older adults by 20%.")
    assert claim.dose == "14000 IU"


def test_a_claim_never_inherits_the_previous_sentences_intervention():
    page = (
        "Magnesium for migraine\n\n"
        "Magnesium is a mineral found in leafy greens. Magnesium cut migraine days by 41%.\n\n"
        "Duloxetine is often prescribed for migraine. "
        "In one trial, 60% of patients had fewer migraine days.[1]\n\n"
        "References\n1. Example A. A trial. PMID: 1111111\n"
    )
    by_text = {c.text: c for c in claims_of(page)}
    assert by_text["Magnesium cut migraine days by 41%."].intervention == "magnesium"
    # not duloxetine, which only the sentence before names: the page's own subject
    assert by_text["In one trial, 60% of patients had fewer migraine days.[1]"].intervention == (
        "magnesium"
    )
