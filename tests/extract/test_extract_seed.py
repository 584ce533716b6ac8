"""The shared seed page: the claims and references the extractor must find."""

from __future__ import annotations

from ldn_evidence.extract import extract_claims, extract_references, is_unsourced, link_claims

CLAIM_1 = (
    "Picking up right where we left off last time, researchers have discovered that naltrexone, "
    "when given in a dose of 4.5 mg each night at bedtime, appears to work via “boosting” or "
    "“priming” the immune system."
)
CLAIM_2_START = "Upon the discovery that immune cells throughout the body have opioid receptors"
CLAIM_2_END = "such as endorphins and enkephalins."
CLAIM_3 = (
    "One study conducted in normal volunteers, for example, showed a marked increase in "
    "beta-endorphin blood levels in the days following taking low dose naltrexone as described "
    "above."
)
CLAIM_4 = (
    "In one trial, for example, 60% of patients reported a reduction in fibromyalgia symptoms."
)
CLAIM_5 = (
    "Another small study in women found that low dose naltrexone improved pain scored by "
    "nearly 30%."
)


def by_text(claims, text):
    matches = [c for c in claims if c.text == text]
    assert len(matches) == 1, text
    return matches[0]


def test_seed_claims(seed_page):
    claims = extract_claims(seed_page)
    texts = [c.text for c in claims]

    first = by_text(claims, CLAIM_1)
    assert first.kind == "mechanism" and first.dose == "4.5 mg"
    assert first.intervention == "low-dose naltrexone"

    (second,) = [c for c in claims if c.text.startswith(CLAIM_2_START)]
    assert second.text.endswith(CLAIM_2_END)
    assert second.kind == "mechanism" and second.outcome == "endorphins and enkephalins"

    third = by_text(claims, CLAIM_3)
    assert third.population == "normal volunteers"
    assert third.outcome == "beta-endorphin levels"

    fourth = by_text(claims, CLAIM_4)
    assert fourth.kind == "figure"
    assert (fourth.figure.value, fourth.figure.unit, fourth.figure.qualifier) == (60, "%", "exact")
    assert (fourth.population, fourth.outcome, fourth.condition) == (
        "patients",
        "symptoms",
        "fibromyalgia",
    )

    fifth = by_text(claims, CLAIM_5)
    assert (fifth.figure.value, fifth.figure.unit, fifth.figure.qualifier) == (30, "%", "nearly")
    assert (fifth.population, fifth.outcome) == ("women", "pain")

    assert texts.index(CLAIM_1) < texts.index(CLAIM_3) < texts.index(CLAIM_4)
    assert [c.position for c in claims] == list(range(len(claims)))
    for claim in claims:
        assert seed_page.text[claim.start : claim.end] == claim.text
        assert claim.intervention == "low-dose naltrexone"


def test_seed_safety_claims(seed_page):
    safety = [c for c in extract_claims(seed_page) if c.kind == "safety"]
    assert [c.text[:40] for c in safety] == [
        "Encouragingly, no serious side effects w",
        "Participants in this study also didn’t r",
    ]


def test_seed_non_claims(seed_page):
    joined = "\n".join(c.text for c in extract_claims(seed_page))
    for fragment in (
        "DISCLAIMER",
        "Trinova Health",
        "1209 Tech Blvd",
        "813-551-1165",
        "contact@",
        "Skip to main content",
        "Leave a Reply",
        "Remember to check back soon",
        "Just in case you didn",
        "Food and Drugs Administration",
        "consult your physician",
        "there is promise",
        "Abstract available",
        "Resources",
    ):
        assert fragment not in joined, fragment


def test_seed_references(seed_page):
    refs = extract_references(seed_page)
    assert [r.kind for r in refs] == ["pubmed", "title", "web"]
    pubmed, titled, web = refs
    assert pubmed.pmid == "23359310"
    assert pubmed.url == "http://www.ncbi.nlm.nih.gov/pubmed/23359310"
    assert pubmed.title == (
        "Low-dose naltrexone for the treatment of fibromyalgia: findings of a small, randomized, "
        "double-blind, placebo-controlled, counterbalanced, crossover trial assessing daily pain "
        "levels"
    )
    assert titled.title == "Fibromyalgia Symptoms are reduced by low-dose naltrexone: A pilot study"
    assert titled.url == "http://med.stanford.edu/snapl/research/ldn.html"
    assert web.url == "http://www.lowdosenaltrexone.org/index.htm#How_does_LDN_work_"
    assert web.title is None
    for ref in refs:
        assert " ".join(seed_page.text[ref.start : ref.end].split()) == ref.raw


def test_seed_links(seed_page):
    claims, refs = extract_claims(seed_page), extract_references(seed_page)
    links = link_claims(claims, refs)
    assert {how for _, _, how in links} == {"page"}
    for claim in claims:
        assert [r for c, r, _ in links if c == claim.position] == [0, 1]  # not the web page
        assert not is_unsourced(claim, links)
