"""The engine's shortcuts (issue #15) give what the long way gives: the word weight read
from wordfreq's list directly, the pre-filters in `words`, the kept word terms."""

from __future__ import annotations

import itertools
import json
import re

import pytest
from wordfreq import iter_wordlist, zipf_frequency

from ldn_evidence import outcomes
from ldn_evidence.outcomes import FIGURE_OUTCOMES
from ldn_evidence.sentences import ABSTRACT, sentence_texts
from ldn_evidence.verification import (
    ClaimInput,
    StudyInput,
    cues,
    engine,
    quantities,
    text,
    verify_claim,
)
from ldn_evidence.verification.population import StudyPopulation, population_mismatch
from ldn_evidence.verification.text import (
    STOPWORDS,
    _term_of,
    _zipf,
    content_terms,
    stem,
    word_weight,
    words,
)
from tests.conftest import shared_path


def _dev_pairs(per_file: int) -> list[dict]:
    """The first `per_file` pairs of each verify-dev file (skips cleanly without ../shared)."""
    dev = shared_path("verify-dev")
    return [
        json.loads(line)
        for path in sorted(dev.glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()[:per_file]
    ]


def _dev_texts(per_file: int, *, claims: bool = True) -> list[str]:
    """Of `_dev_pairs`: each claim (unless `claims` is False) and its abstract's sentences."""
    texts: list[str] = []
    for pair in _dev_pairs(per_file):
        if claims:
            texts.append(pair["claim"])
        texts.extend(sentence_texts(pair["study"].get("abstract") or "", ABSTRACT))
    return texts


TRICKY_WORDS = [
    "the", "a", "i", "naltrexone", "ldn", "covid", "covid19", "sarscov2", "19", "2019ncov",
    "it's", "don't", "children's", "café", "naïve", "zzzzqqq", "xq", "cyp2d6", "b12", "0",
    "mg", "iii", "’s", "e", "ii", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "can't", "o'clock",
]  # fmt: skip


@pytest.mark.parametrize("word", TRICKY_WORDS)
def test_zipf_is_wordfreqs_own(word: str) -> None:
    assert _zipf(word) == zipf_frequency(word, "en")


@pytest.mark.slow
def test_zipf_is_wordfreqs_own_across_the_list() -> None:
    """Every 25th word of wordfreq's English list (frequent to rare), plain or not."""
    for word in itertools.islice(iter_wordlist("en"), 0, None, 25):
        assert _zipf(word) == zipf_frequency(word, "en"), word


def _words_the_long_way(t: str) -> list[str]:
    lowered = re.sub(
        r"\b(?:no|without|free\s+of)\s+symptoms\b|\bsymptom-?free\b", "asymptomatic", t.lower()
    )
    out = re.findall(r"[a-z0-9]+(?=['’]s\b)|[a-z0-9]+(?:['’][a-z]+)?", lowered)
    for compound in re.findall(r"[a-z0-9]+(?:[-/][a-z0-9]+)+", lowered):
        out.append(compound.replace("-", "").replace("/", ""))
    return out


@pytest.mark.parametrize(
    "sentence",
    [
        "Patients without symptoms were SYMPTOM-FREE at week 4.",
        "No Symptoms; symptomfree; free of  symptoms; symptoms-free.",
        "SARS-CoV-2 and COVID-19/influenza in 2/3 of patients (n=12).",
        "A slash / alone - and a dash alone.",
        "Plain words only, nothing joined.",
        "",
    ],
)
def test_words_prefilters_change_nothing(sentence: str) -> None:
    assert words(sentence) == _words_the_long_way(sentence)


def test_kept_word_terms_match_the_rule() -> None:
    for word in ["the", "12", "x", "naltrexone", "reduced", "covid19", "it's"]:
        expected = (
            None
            if word in STOPWORDS or word.isdigit() or len(word) < 2
            else (stem(word), word_weight(word))
        )
        assert _term_of(word) == expected
        assert text._TERM_OF[word] == expected


def test_kept_word_terms_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(text, "_TERM_OF_MAX", 3)
    monkeypatch.setattr(text, "_TERM_OF", {})
    for word in ["alpha", "beta", "gamma", "delta", "epsilon"]:
        _term_of(word)
        assert len(text._TERM_OF) <= 3
    text._content_terms.cache_clear()
    assert content_terms("alpha beta gamma delta").weights == {
        stem(w): word_weight(w) for w in ["alpha", "beta", "gamma", "delta"]
    }


@pytest.mark.parametrize("who", [None, "", "   ", "\t\n"])
def test_no_population_named_is_no_mismatch_whatever_the_study(who: str | None) -> None:
    """`verify_claim` skips reading the study's population when the claim names none:
    `population_mismatch` must then say nothing whatever the study enrolled."""
    for pop in [
        StudyPopulation(12, "female"),
        StudyPopulation(None, "male"),
        StudyPopulation(300, "mixed"),
        StudyPopulation(None, None),
    ]:
        assert population_mismatch(who, pop, "Forty children and women were enrolled.") is None


def test_population_mismatch_still_found_when_named() -> None:
    abstract = "We enrolled 40 women with fibromyalgia. Pain fell by 30% on LDN versus placebo."
    result = verify_claim(
        ClaimInput(text="LDN reduced pain in men with fibromyalgia."),
        StudyInput(title="LDN in women with fibromyalgia", abstract=abstract),
    )
    assert "the claim is about men" in result.reason
    plain = verify_claim(
        ClaimInput(text="LDN reduced pain in fibromyalgia."),
        StudyInput(title="LDN in women with fibromyalgia", abstract=abstract),
    )
    assert "enrolled" not in plain.reason


FIGURE_EDGE_TEXTS = [
    "Pain fell by 30% (p < .05).",
    "significant (p < .)",
    "P=.",
    "Pain fell by ٣٠% in the arabic-indic digits.",
    "Twice as many; DOUBLED risk; a threefold rise; tripled.",
    "One in five patients; an in ten; two out of every twelve; one of twenty.",
    "Half of the patients; a third of them; three-quarters of women; a tenth of all.",
    "ONE IN FIVE; Out Of Ten",
    "Rates were 2 times higher and five times greater.",
    "No figure here at all, only words about fatigue and sleep.",
    "In one study, of one mind.",
    "aged 40 to 60 years old in 2019 (ref [12])",
    "ﬁve-fold and ｆｉｖｅ",
    "",
]


@pytest.mark.slow
def test_figure_prefilter_skips_nothing_the_patterns_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`_find_quantities` returns early on text the pre-filter rules out: on tricky text
    and on every sentence of the verify-dev abstracts, what it finds with the filter is
    what it finds without."""
    texts = list(FIGURE_EDGE_TEXTS)
    texts.extend(_dev_texts(150))
    with_filter = [quantities._find_quantities(t) for t in texts]
    monkeypatch.setattr(quantities, "_MAY_HOLD_A_FIGURE", re.compile(""))
    assert [quantities._find_quantities(t) for t in texts] == with_filter
    assert any(with_filter)  # the texts do hold figures


@pytest.mark.parametrize("sentence", FIGURE_EDGE_TEXTS)
def test_figure_prefilter_passes_figures(sentence: str) -> None:
    if quantities._find_quantities(sentence) or sentence in ("P=.", "significant (p < .)"):
        assert quantities._MAY_HOLD_A_FIGURE.search(sentence)


def _outcome_texts() -> list[str]:
    texts = [
        "Pain scores fell; painful; BPI; bpi; Brief Pain Inventory; hyperalgesia; analgesic.",
        "pain-free; non-pain; PAIN SEVERITY; pains",
        "FIQR and FIQ; fiq; Fibromyalgia Impact Questionnaire; symptoms severity",
        "TNF-α, TNF-alpha, tnf, IL-6, il-6, IL6, CRP, crp, ESR",
        "cytokines, pro-inflammatory cytokines",
        "β-endorphin, beta endorphins, ß-endorphin, OGF, met-enkephalin, Endorphins",
        "AEs, AE, ae, side-effects, adverse drug reactions, tolerability, vivid dreams",
        "HR-QoL, QoL, SF-36, sf36, health-related quality of life, quality-of-life, wellbeing",
        "PHQ-9, PHQ9, HADS, BDI, depressive symptoms, anxiety, mood, moody",
        "sleep quality, PSQI, insomnia, asleep, sleeplessness",
        "responders, responded, response rates, clinical response, remission, flares, relapse",
        "Nothing here names an outcome at all.",
        "",
    ]
    for outcome in FIGURE_OUTCOMES.values():
        for name in (outcome.name, outcome.name.upper(), outcome.name.title()):
            texts += [name, f"the {name} fell", f"{name}-like", f"x{name}"]
    texts.extend(_dev_texts(120))
    return texts


@pytest.mark.slow
def test_outcome_prefilter_skips_no_mention(monkeypatch: pytest.MonkeyPatch) -> None:
    """`find_outcomes` returns early when the one combined pattern finds nothing: with and
    without that shortcut it finds the same mentions."""
    texts = _outcome_texts()
    find = outcomes.find_outcomes.__wrapped__
    with_filter = [find(t) for t in texts]
    assert sum(bool(found) for found in with_filter) > 50
    monkeypatch.setattr(outcomes, "_ANY_OUTCOME", re.compile(""))
    assert [find(t) for t in texts] == with_filter


@pytest.mark.slow
def test_outcome_prefilter_matches_exactly_when_a_pattern_does() -> None:
    for t in _outcome_texts():
        assert bool(outcomes._ANY_OUTCOME.search(t)) == any(
            p.search(t) for _, p in outcomes._PATTERNS
        ), t


HEDGE_TEXTS = [
    "It is unclear whether LDN helps.",
    "It remains UNKNOWN; still uncertain; controversial; inconclusive results.",
    "This is not yet established. It is not clear.",
    "We cannot conclude; we can't say; could not determine; can not be confirmed.",
    "There is no good evidence that it works; no indication of benefit; no proof for it.",
    "Insufficient data; limited clinical evidence; scarce data.",
    "It remains to be seen.",
    "Further large trials are needed; more research is warranted; additional data are required.",
    "We investigated whether pain fell.",
    "Previously unclear, now settled.",
    "LDN may help; might; could; possibly; a possible effect; potentially; perhaps.",
    "The data suggest; it suggested; suggesting; suggestive; appears to; seems to; likely.",
    "Presumably; putatively; we hypothesized; hypothesise; speculated; promising.",
    "Pain fell by 30% compared with placebo.",
    "MAY IMPROVE SLEEP.",
    "It is uncertaın (dotless i) whether it helps.",
    "The data ſuggeſt a benefit (long s).",
    "Possibly — with a dash — and “quotes”.",
    "",
]


def _hedge_the_long_way(sentence: str) -> str | None:
    if cues.STRONG_HEDGE.search(sentence):
        return "strong"
    if cues.WEAK_HEDGE.search(sentence):
        return "weak"
    return None


def test_hedge_prefilter_changes_nothing() -> None:
    """`cues.hedge` searches ASCII text only when it holds a word every match holds: on
    tricky text (each branch of both patterns, Unicode case folds) and on verify-dev
    sentences it says what the two patterns say."""
    texts = list(HEDGE_TEXTS)
    texts.extend(_dev_texts(200))
    got = [cues.hedge.__wrapped__(t) for t in texts]
    assert got == [_hedge_the_long_way(t) for t in texts]
    assert got[:14].count("strong") == 9 and got[10:13] == ["weak"] * 3


def test_hedge_words_are_in_every_match() -> None:
    for t in HEDGE_TEXTS:
        if not t.isascii():
            continue
        for m in cues.STRONG_HEDGE.finditer(t):
            assert any(w in m.group(0).lower() for w in cues._STRONG_HEDGE_WORDS), m
        for m in cues.WEAK_HEDGE.finditer(t):
            assert any(w in m.group(0).lower() for w in cues._WEAK_HEDGE_WORDS), m


@pytest.mark.parametrize(
    "sentence",
    [
        "The patient's pain and the patients’ fatigue; don't; it's; rock 'n' roll.",
        "No apostrophe here: COVID-19 and SARS-CoV-2 in 12 of 40 (30%).",
        "A trailing quote' and a leading 'quote and ’s alone.",
    ],
)
def test_words_without_apostrophes_take_the_plain_runs(sentence: str) -> None:
    assert words(sentence) == _words_the_long_way(sentence)


AIM_TEXTS = [
    "We aimed to test LDN.", "We AIM to test it.", "We sought to; we seek to.",
    "We hypothesised that; we hypothesized that; we propose; we designed a trial.",
    "The aim of this trial; the objectives were; the purpose is; the goal was.",
    "This study aims to; the present study was designed; our study investigates; "
    "this study examines.",
    "It has been suggested; has been proposed; has been hypothesized.",
    "Patients were randomised to; were randomized to; was assigned to; were allocated to; "
    "were enrolled to; were recruited to; were included to.",
    "We conducted a trial; we performed; we carried out; we searched; we recruited; "
    "we enrolled.",
    "Pain fell by 30% on LDN.",
    "We found that pain fell.",
    "The aım (dotless i) of this trial was to test it.",
    "",
]  # fmt: skip


def test_aim_prefilter_changes_nothing() -> None:
    """`engine._is_aim` searches ASCII text only when it holds a word every match of
    `_AIM` holds: on each branch, Unicode case folds and verify-dev sentences it says
    what `_AIM` says."""
    texts = list(AIM_TEXTS)
    texts.extend(_dev_texts(200, claims=False))
    got = [engine._is_aim(t) for t in texts]
    assert got == [bool(engine._AIM.search(t)) for t in texts]
    assert got[:9] == [True] * 9 and got[9:11] == [False, False]
    for t in AIM_TEXTS:
        for m in engine._AIM.finditer(t):
            assert not t.isascii() or any(w in m.group(0).lower() for w in engine._AIM_WORDS)


NEGATION_TEXTS = [
    "LDN did not reduce pain; it is also not effective; was not only safe.",
    "It isn't, aren't, wasn't, weren't, doesn't, don't, didn't, hasn't, haven't, hadn't.",
    "It can't, cannot, couldn't, won't, wouldn't, shouldn't, mustn't and never helps.",
    "Pain was not been associated; not significantly different; not due to LDN.",
    "It failed to help; fails to; unable to; incapable of; devoid of effect.",
    "There was no clear effect; no association; no role; no evidence; no difference.",
    "Pain was independent of dose; unrelated to age; irrespective of sex; regardless of it.",
    "Neither arm; nor placebo; lacked efficacy; lack of evidence; in the absence of effect.",
    "No significant difference; did not differ; was similar; were comparable; unchanged.",
    "Pain remained stable; remained unchanged; non-significant; ineffective; "
    "little or no effect; minimal benefit; negligible change; did not reach significance.",
    "Pain fell by 30% with LDN.",
    "NO EFFECT ON PAIN WAS SEEN.",
    "Pain was unrelated to dose (ı: dotless i) and ſimilar.",
    "",
]  # fmt: skip


@pytest.mark.slow
def test_negation_prefilters_change_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """`negations` and `no_effect_spans` skip ASCII text holding none of the words every
    match holds: on each branch, Unicode case folds and verify-dev sentences they give
    what they give with the filter off."""
    texts = list(NEGATION_TEXTS)
    texts.extend(_dev_texts(200))

    def run() -> list[object]:
        return [
            (cues.negations(t), cues.negations(t, claim=True), cues.no_effect_spans(t))
            for t in texts
        ]

    with_filter = run()
    assert all(any(spans) for spans in with_filter[:10])
    monkeypatch.setattr(cues, "_may_hold", lambda sentence, needed: True)
    assert run() == with_filter
    for t in NEGATION_TEXTS:
        for pattern, needed in (
            (cues.NEGATION, cues._NEGATION_WORDS),
            (cues.NO_EFFECT, cues._NO_EFFECT_WORDS),
        ):
            for m in pattern.finditer(t):
                assert not t.isascii() or any(w in m.group(0).lower() for w in needed), m


def test_zipf_of_unlisted_plain_words_is_wordfreqs_floor() -> None:
    """A plain lower-case word wordfreq's list lacks gets wordfreq's own floor."""
    for word in ["zzzzqqq", "qqxqq", "naltrexonex", "fibromyalgiaz", "aaaaaaaaaaaaaaaaaaaaaaaa"]:
        assert word not in text._FREQUENCIES()
        assert _zipf(word) == zipf_frequency(word, "en"), word


@pytest.mark.slow
def test_zipf_of_verify_dev_words_is_wordfreqs_own() -> None:
    """Every word of the first verify-dev claims and abstracts, listed or not, plain or not."""
    seen: set[str] = set()
    for pair in _dev_pairs(150):
        seen.update(words(pair["claim"]), words(pair["study"].get("abstract") or ""))
    unlisted = [w for w in seen if w.isalpha() and w.isascii() and w not in text._FREQUENCIES()]
    assert len(unlisted) > 20
    for word in sorted(seen):
        assert _zipf(word) == zipf_frequency(word, "en"), word


def _initialisms_the_long_way(claim: str, body: str) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    tokens = re.findall(r"[A-Za-z][A-Za-z0-9']*", body)
    initials = "".join(t[0].lower() for t in tokens)
    for m in text._INITIALISM.finditer(claim):
        abbr = m.group(0).rstrip("s") if m.group(0).endswith("s") else m.group(0)
        letters = abbr.lower()
        if len(letters) < 2 or letters in out:
            continue
        at = initials.find(letters)
        while at >= 0:
            phrase = tokens[at : at + len(letters)]
            if all(w[0].islower() or w[0].isupper() for w in phrase) and not any(
                w.lower() in STOPWORDS for w in phrase
            ):
                out[letters] = tuple(stem(w.lower()) for w in phrase)
                break
            at = initials.find(letters, at + 1)
    return out


@pytest.mark.parametrize(
    "claim",
    ["LDN reduced pain.", "ldn reduced pain.", "Low dose naltrexone reduced pain.", "NSAIDs help.",
     "The CRP and the HbA1c fell.", ""],
)  # fmt: skip
def test_initialisms_read_the_text_only_for_a_claim_with_one(claim: str) -> None:
    body = (
        "Low dose naltrexone (4.5 mg) lowered C-reactive protein; non-steroidal "
        "anti-inflammatory drugs."
    )
    assert text.initialisms(claim, body) == _initialisms_the_long_way(claim, body)


def _quantity_texts() -> list[str]:
    texts = list(FIGURE_EDGE_TEXTS) + [
        "OR 1.86 (95% CI 1.2-2.4); aOR 2.1; HR 0.74; sHR 1.2; IRR 3.4; RRR 20%; rr 1.2.",
        "The odds ratio was 1.5; hazard ratios of 0.8; relative risk 2.1; rate ratio 1.1.",
        "12 per 1000; 493 per million; 3 deaths per 100,000 people; 10 PER CENT; 5 percent.",
        "3529/5237 (in 12/40 patients); 10/66 dementia; of 3/4.",
        "It tripled.",
        "A triple dose.",
        "Rates doubled.",
        "2 times higher.",
        "7 million cases.",
        "400 thousand deaths.",
        "2 lakh people.",
        "3 BILLION doses.",
        "Pain fell 12 mmHg, 4.5 days, 3 d, 12 h, 2.3 kg, 6 feet, 27 kg/m2, 5 points.",
        "Half of 20 patients; a THIRD of them; one-fifth of 10; a tenth of 30.",
        "atropine 0.5–1% eye drops; LDN 4.5% cream; about 30% (95% CI 20-40%).",
        "2 tımes hıgher; ſeven-day; 3 ﬁve; p ≤ 0.05; P≥.01; p = .",
        "Ten in 100; one out of every ten; 12 in 40 (30%).",
    ]
    texts.extend(_dev_texts(200))
    return texts


@pytest.mark.slow
def test_figure_pattern_guards_skip_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """`_find_quantities` runs a pattern only on text holding what its every match holds
    (a digit, "%", "/", a word): with the guards off it finds the same figures."""
    texts = _quantity_texts()
    with_guards = [quantities._find_quantities(t) for t in texts]
    assert sum(bool(found) for found in with_guards) > 100
    monkeypatch.setattr(quantities, "_DIGIT", re.compile(""))
    monkeypatch.setattr(quantities, "_holds", lambda lowered, needed: True)
    monkeypatch.setattr(quantities, "_RATIO_NAMES", ("",))
    without = [quantities._find_quantities(t) for t in texts]
    assert without == with_guards


def test_figure_pattern_guard_words_are_in_every_match() -> None:
    """Each guarded pattern's every match (ASCII text) holds a digit and one of its words."""
    guarded = [
        (quantities._PERCENT, quantities._NEEDS_PERCENT, True),
        (quantities._FOLD, quantities._NEEDS_FOLD, False),
        (quantities._PER_N, quantities._NEEDS_PER_N, True),
        (quantities._FRACTION, quantities._NEEDS_FRACTION, False),
        (quantities._COUNT, quantities._NEEDS_COUNT, True),
        (quantities._MEASURE, (), True),
        (quantities._SLASH, ("/",), True),
        (quantities._CONCENTRATION, ("%",), True),
        (quantities._CONFIDENCE, ("%",), True),
    ]
    texts = [t for t in _quantity_texts()[:40] if t.isascii()]
    matched = 0
    for pattern, needed, digit in guarded:
        for t in texts:
            for m in pattern.finditer(t):
                matched += 1
                assert not digit or quantities._DIGIT.search(m.group(0)), m
                assert not needed or any(w in m.group(0).lower() for w in needed), m
    for t in texts:
        for m in quantities._RATIO.finditer(t):
            name = m.group("name")
            assert any(n in name for n in quantities._RATIO_NAMES) or any(
                w in name.lower() for w in quantities._NEEDS_RATIO
            ), m
    assert matched > 30


CLAIM_TEXTS = [
    "LDN reduced pain in women with fibromyalgia.",
    "Pain did not decrease, but fatigue increased with LDN.",
    "LDN is associated with lower fatigue.",
    "Nearly 30% of patients improved on LDN.",
    "LDN was studied for pain.",
    "Fatigue and sleep.",
    "",
]


def _anchors_the_long_way(claim: engine.ClaimAnalysis) -> frozenset[str]:
    first = None
    for _, at in claim.directions:
        first = at if first is None else min(first, at)
    m = engine._ASSERTING.search(claim.text)
    if m and (first is None or m.start() < first):
        first = m.start()
    if first is None:
        return frozenset()
    found = [w for w in words(claim.text[first:])[1:] if not cues.word_direction(w)]
    stems = {stem(w) for w in found}
    return frozenset(t for t in claim.terms.weights if t in stems)


@pytest.mark.parametrize("claim_text", CLAIM_TEXTS)
def test_kept_claim_analysis_is_the_fresh_one(claim_text: str) -> None:
    """`analyze_claim` is kept per text; what it keeps (and the anchor and direction stems
    kept with it) is what a fresh reading gives, and checking a claim changes none of it."""
    fresh = engine.analyze_claim.__wrapped__(claim_text)
    kept = engine.analyze_claim(claim_text)
    assert kept == fresh
    assert engine.anchor_terms(kept) == _anchors_the_long_way(kept)
    light = engine.predicate_light(content_terms(claim_text), claim_text)
    directional = {stem(w) for w in words(claim_text) if cues.word_direction(w)}
    assert light.weights == {
        t: w * engine.DIRECTION_WEIGHT if t in directional else w
        for t, w in content_terms(claim_text).weights.items()
    }
    verify_claim(
        ClaimInput(text=claim_text),
        StudyInput(title="LDN (low-dose naltrexone)", abstract="LDN reduced pain by 30%."),
    )
    assert engine.analyze_claim(claim_text) == fresh


@pytest.mark.parametrize(
    "sentence",
    ["RESULTS: Pain fell.", "METHODS AND MATERIALS Forty women.", "  CONCLUSIONS   A B C D E F G",
     "A B C D E F G H RESULTS", "Pain fell.", "", "   ", "MAIN OUTCOME MEASURES: pain"],
)  # fmt: skip
def test_section_label_reads_the_first_eight_words(sentence: str) -> None:
    def long_way(s: str) -> str | None:
        m = text._TITLE_LABEL.match(s)
        if m:
            label = text._canonical_label(m.group(1))
            if label in text.BACKGROUND_LABELS or label in text.FINDING_LABELS:
                return label
        caps: list[str] = []
        for word in s.split()[:8]:
            if not text._CAPS_WORD.fullmatch(word.rstrip(":")):
                break
            caps.append(word.rstrip(":"))
        for size in range(len(caps), 0, -1):
            label = text._canonical_label(" ".join(caps[:size]))
            if label in text.BACKGROUND_LABELS or label in text.FINDING_LABELS:
                return label
        return None

    assert text.section_label(sentence) == long_way(sentence)


@pytest.mark.parametrize(
    "claim_text", [*CLAIM_TEXTS, "A 3-fold rise; 8 of 10 patients.", "p < 0.05", "Half of them."]
)
def test_kept_claim_figure_is_the_fresh_one(claim_text: str) -> None:
    from ldn_evidence.figures import parse_claim_figure

    assert parse_claim_figure(claim_text) == parse_claim_figure.__wrapped__(claim_text)
    assert parse_claim_figure(claim_text) == parse_claim_figure.__wrapped__(claim_text)
