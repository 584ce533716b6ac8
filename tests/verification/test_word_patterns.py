"""`WordPattern.found` (verification/word_patterns.py) answers what `re.search` of the
pattern as first written answers, and the grading that reads it gives the level the
straightforward rule (those patterns, searched whole) gives, on every real record."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ldn_evidence.pubmed.parser import iter_articles
from ldn_evidence.pubmed.records import ArticleRecord
from ldn_evidence.verification import grading
from ldn_evidence.verification.word_patterns import WordPattern, lowered
from tests.conftest import shared_path

# The grading patterns as they were written before WordPattern (re.search, IGNORECASE).
ORIGINAL = {
    "_RANDOMIZED": r"\brandomi[sz]ed\b|\brandomly\s+(?:assigned|allocated)",
    "_NOT_RANDOMIZED": r"\b(?:non-?|not\s+|un)randomi[sz]ed\b",
    "_COHORT": r"\b(?:cohort|case-control|case\s+control|prospective|retrospective|registry|"
    r"longitudinal|cross-sectional|observational|follow-up\s+study)\b",
    "_ANIMAL": r"\bin\s+vitro\b|\bex\s+vivo\b|\bmice\b|\bmouse\b|\bmurine\b|\brats?\b"
    r"|\brodents?\b|\bcell\s+lines?\b|\bcultured\s+(?:cells|neurons)\b|\bxenografts?\b"
    r"|\banimal\s+models?\b|\bzebrafish\b|\bcanine\b|\bfeline\b|\bporcine\b|\bprimates\b"
    r"|\bin\s+silico\b",
    "_HUMAN": r"\b(?:patients?|participants?|women|men|volunteers|humans?|children|adults|"
    r"outpatients|inpatients|veterans|individuals|people|persons|cases?\s+of)\b",
    "_MENDELIAN": r"\bmendelian\s+randomi[sz]ation\b",
    "_POOLED": r"\bpooled\s+(?:analys[ie]s|data)\b|\bpooling\b|\bindividual[\s-]+"
    r"(?:patient|participant)[\s-]+data\b|\bpost[\s-]+hoc\s+analys[ie]s\b"
    r"|\bcombined\s+analys[ie]s\b",
    "_SYSTEMATIC": r"\bsystematic(?:ally)?\b|\bliterature\s+search|\bPRISMA\b|\bsearch(?:ed|es|"
    r"ing)?\b[^.]{0,80}?\b(?:databases?|MEDLINE|PubMed|Embase|Cochrane|Web\s+of\s+Science|"
    r"Scopus|CINAHL|PsycINFO)\b",
    "_TRIALS": r"\brandomi[sz]ed\b[^.]{0,40}?\btrials?\b|\bRCTs\b",
}
PLAIN = {name: re.compile(p, re.IGNORECASE) for name, p in ORIGINAL.items()}
PATTERNS: dict[str, WordPattern] = {name: getattr(grading, name) for name in ORIGINAL}

# Texts made of the patterns' own words in any case, next to what can end or join them
# (and the characters re's IGNORECASE reads as ASCII letters: ſ, K, İ, ı).
WORDS = sorted({w for p in ORIGINAL.values() for w in re.findall(r"[a-z]{2,}", p.lower())})
PIECES = st.one_of(
    st.sampled_from(WORDS).flatmap(
        lambda w: st.sampled_from([w, w.upper(), w.title(), w + "s", "x" + w, w[:-1]])
    ),
    st.sampled_from([" ", "  ", "\n", "-", ".", ",", "(", ")", "_", "0", "é", "ſ", "K", "İ", "ı"]),
    st.text(alphabet="abcdeilmnorstuvxyz AEIS-.", max_size=4),
)
TEXTS = st.lists(PIECES, max_size=10).map("".join)
SETTINGS = settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(text=TEXTS)
def test_found_is_the_original_patterns_search(text: str) -> None:
    low = lowered(text)
    for name, pattern in PATTERNS.items():
        assert pattern.found(text, low) is bool(PLAIN[name].search(text)), name
        assert pattern.found(text, None) is bool(PLAIN[name].search(text)), name


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Rats were fed.", True),
        ("the ratio of rats", True),  # the first "rat" is inside a word, the second is not
        ("pirates and karats", False),  # "rat" only inside words
        ("rat_s", False),
        ("_rats", False),  # "_" is a word character: no word starts at the r
        ("9rats 4mice", False),
        ("-rats", True),
        ("in_vitro", False),
        ("IN  VITRO", True),
        ("in\nvitro.", True),
        ("ſuper rats", True),  # not ASCII: the pattern itself decides
        ("mouse", True),
        ("", False),
    ],
)
def test_animal_words(text: str, found: bool) -> None:
    assert PATTERNS["_ANIMAL"].found(text, lowered(text)) is found
    assert bool(PLAIN["_ANIMAL"].search(text)) is found


def test_the_pattern_is_the_alternatives_behind_a_word_boundary() -> None:
    wp = WordPattern(("rat", r"s?\b"), ("in", r"\s+(?:vitro|silico)\b"))
    assert wp.pattern.pattern == r"\brat(?:s?\b)|\bin(?:\s+(?:vitro|silico)\b)"
    assert wp.pattern.flags & re.IGNORECASE


@pytest.mark.parametrize(
    "alternative",
    [("Rat", r"s?\b"), ("ra t", r"\b"), ("", r"\b"), ("ré", r"\b"), ("rat", r"S?\b"),
     ("rat", r"(?i)s"), ("rat", r"\x53"), ("rat", r"(a)\1")],
)  # fmt: skip
def test_an_alternative_that_lowering_could_change_is_refused(
    alternative: tuple[str, str],
) -> None:
    with pytest.raises(ValueError):
        WordPattern(alternative)


# -- the grading, against the straightforward rule -------------------------------------


def _reference_design_level(types: list[str], title: str, abstract: str) -> str:
    """The design rule as written before the word patterns (`re.search` of each pattern
    over the whole text), the level only."""
    text = f"{title or ''}\n{abstract or ''}"
    found: list[str] = []
    for raw in types:
        name = " ".join(str(raw).lower().split())
        key = grading.PUBLICATION_TYPE_LEVELS.get(name)
        if key is None or key == "retracted":
            continue
        if key == grading.PHASE_III_IV:
            randomized = bool(PLAIN["_RANDOMIZED"].search(text)) and not PLAIN[
                "_NOT_RANDOMIZED"
            ].search(text)
            key = "rct" if randomized else "controlled_trial"
        if name == "multicenter study" and not PLAIN["_COHORT"].search(text):
            continue
        if key == "systematic_review":
            if PLAIN["_MENDELIAN"].search(text):
                key = "observational"
            elif PLAIN["_POOLED"].search(text) and not PLAIN["_SYSTEMATIC"].search(text):
                key = "rct" if PLAIN["_TRIALS"].search(text) else "observational"
        found.append(key)
    order = {lv.key: i for i, lv in enumerate(grading.LEVELS)}
    best = min(found, key=lambda k: order[k]) if found else "unclassified"
    if best in ("observational", "unclassified") and PLAIN["_ANIMAL"].search(text):
        if not PLAIN["_HUMAN"].search(text):
            return "mechanistic"
    return best


def _reference_level(types: list[str], title: str, abstract: str, links: list[str]) -> str:
    retracted = any(" ".join(t.lower().split()) == "retracted publication" for t in types)
    if retracted or any(grading.LINK_FLAGS.get(x) == "retracted" for x in links):
        return "retracted"
    return _reference_design_level(types, title, abstract)


def _inputs(paths: list[Path]) -> list[tuple[list[str], str, str, list[str]]]:
    out = []
    for path in paths:
        for r in iter_articles(path):
            if isinstance(r, ArticleRecord):
                types = [t.name for t in r.publication_types]
                out.append((types, r.title, r.abstract, [x.ref_type for x in r.links]))
    return out


def _assert_same_levels(inputs: list[tuple[list[str], str, str, list[str]]]) -> None:
    differ = [i for i in inputs if grading.grade_level(*i) != _reference_level(*i)]
    assert not differ, differ[:3]


@pytest.mark.slow
def test_every_baseline_record_gets_the_straightforward_rules_level() -> None:
    """All 30,000 records of a real baseline file (18,000 of them read for animal words,
    some for every other rule)."""
    inputs = _inputs([shared_path("pubmed", "baseline", "pubmed20n0014.xml.gz")])
    assert len(inputs) == 30000
    _assert_same_levels(inputs)
    levels = {grading.grade_level(*i) for i in inputs}
    assert {"mechanistic", "rct", "controlled_trial", "observational"} <= levels


def test_every_efetch_sample_gets_the_straightforward_rules_level() -> None:
    folder = shared_path("pubmed", "efetch")
    inputs = _inputs(sorted(p for p in folder.rglob("*.xml*") if p.is_file()))
    assert len(inputs) > 20
    _assert_same_levels(inputs)
