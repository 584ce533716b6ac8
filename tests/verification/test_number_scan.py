"""The faster modifier reading (verification/number_scan.py, the literal pre-checks and the
word patterns in population.py / modifiers.py) gives exactly what the plain regular
expressions give.

The reference below is the modifiers' code as it was before the pre-checks: every pattern
as first written, run with `finditer` / `search` over the whole text (the patterns the
package now searches in parts are kept here, as the oracle only). It is compared on edge
cases (number words, "n = 1,234", ranges, Unicode digits and case folding), on texts
Hypothesis makes of the patterns' own words and, slow, on a sample of a real baseline
file."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ldn_evidence.pubmed.parser import iter_articles
from ldn_evidence.pubmed.records import ArticleRecord
from ldn_evidence.verification import modifiers, number_scan, population
from ldn_evidence.verification.number_scan import finditer_numbers, number_starts
from ldn_evidence.verification.numbers import NUMBER, parse_number
from ldn_evidence.verification.word_patterns import holds_any, lowered
from tests.conftest import shared_path


def ref_participant_count(text: str) -> int | None:
    best: tuple[int, int] | None = None
    for priority, rx in population._N_PATTERNS:
        for m in rx.finditer(text or ""):
            if population._NOT_ENROLLED.match(text[m.end() : m.end() + 40]):
                continue
            n = parse_number(m.group("n"))
            if n is None or n < 1 or n != int(n) or n > 10_000_000:
                continue
            if best is None or priority < best[0] or (priority == best[0] and n > best[1]):
                best = (priority, int(n))
        if best is not None and best[0] <= priority:
            break
    return best[1] if best else None


REF_LABEL = re.compile(r"(?:^|(?<=\s))([A-Z][A-Z /&-]{2,40}):\s")  # as first written


def ref_without_background(text: str) -> str:
    parts = REF_LABEL.split(text or "")
    kept = [parts[0]]
    for label, body in zip(parts[1::2], parts[2::2], strict=False):
        if label.strip() not in population._BACKGROUND_LABELS:
            kept.append(f"{label}: {body}")
    return " ".join(kept)


# The sex patterns as first written (population.py now searches them in parts).
REF_FEMALE = re.compile(
    r"\b(?:women|woman|females?|girls|mothers|postmenopausal|pregnant)\b", re.IGNORECASE
)
REF_MALE = re.compile(r"\b(?:men|man|males?|boys|fathers)\b", re.IGNORECASE)


def ref_strong(words: str, adjective: str) -> re.Pattern[str]:
    return re.compile(
        rf"(?<![\d.,/%])(?:{NUMBER})\s+{population._ADJ}(?:{words})\b"
        rf"|\b{adjective}\s+(?:patients|participants|subjects|volunteers|adults|cohort"
        rf"|veterans|individuals|children|athletes)\b"
        rf"|\b(?:participants|patients|subjects)\s+were\s+(?:all\s+)?(?:{words}|{adjective})\b"
        rf"|\b(?:{words})[\s-]+only\b|\bonly\s+(?:{words})\b|\ball[\s-]+(?:{words}|{adjective})\b"
        rf"|\b100\s*%\s*(?:{words}|{adjective})\b|\b(?:{words})\s+(?:with|aged|who)\b",
        re.IGNORECASE,
    )


REF_STRONG_FEMALE = ref_strong("women|females|girls", "female")
REF_STRONG_MALE = ref_strong("men|males|boys", "male")


def ref_study_sex(text: str) -> str | None:
    body = ref_without_background(text)
    mixed = population._MIXED.search(body)
    if mixed and not re.search(r"\b100\s*%", mixed.group(0)):
        return "mixed"
    female, male = bool(REF_FEMALE.search(body)), bool(REF_MALE.search(body))
    if female and male:
        return "mixed"
    if female and REF_STRONG_FEMALE.search(body):
        return "female"
    if male and REF_STRONG_MALE.search(body):
        return "male"
    return None


# The modifier patterns as first written (modifiers.py now searches them as WordPatterns).
REF_PILOT = re.compile(r"\b(?:pilot|feasibility)\b", re.I)
REF_CROSSOVER = re.compile(r"\bcross[\s-]?over\b", re.I)
REF_NOT_RANDOMIZED = re.compile(
    r"\b(?:non-?|not\s+|un)randomi[sz]ed\b|\b(?:without|no)\s+randomi[sz]ation\b"
    r"|\bnot\s+randomly\b",
    re.I,
)
REF_BLINDING = (
    ("triple", re.compile(r"\btriple[\s-]+(?:blind|mask)", re.I)),
    ("double", re.compile(r"\bdouble[\s-]+(?:blind|mask|dummy)", re.I)),
    (
        "single",
        re.compile(r"\b(?:single|observer|assessor|rater|investigator)[\s-]+(?:blind|mask)", re.I),
    ),
    ("open-label", re.compile(r"\bopen[\s-]+label\b|\bunblinded\b|\bnon-?blinded\b", re.I)),
)
REF_PLACEBO = re.compile(r"\b(?:placebo|sham)\b", re.I)
REF_NO_PLACEBO = re.compile(r"\b(?:without|no)\s+(?:a\s+)?(?:placebo|sham)\b", re.I)
# number_scan's word starts as first written: every number word, longest first
REF_WORD_START = re.compile(r"\b(?:" + "|".join(number_scan._NUMBER_WORDS) + ")")


def ref_number_starts(text: str) -> tuple[int, ...] | None:
    if not text.isascii():
        return None
    starts = [m.start() for m in re.finditer(r"[0-9]+", text)]
    starts += [m.start() for m in REF_WORD_START.finditer(text.lower())]
    return tuple(sorted(starts))


def ref_duration(text: str) -> tuple[str | None, float | None]:
    best: tuple[float, str] | None = None
    for m in modifiers._DURATION.finditer(text):
        if modifiers._NOT_STUDY_DURATION.search(text[max(0, m.start() - 30) : m.start()]):
            continue
        after = text[m.end() : m.end() + 10]
        if re.match(r"\s*(?:old|of\s+age|or\s+older|and\s+older)\b", after, re.I):
            continue
        n = parse_number(m.group("n"))
        unit = m.group("unit").casefold().rstrip("s")  # .lower() raised KeyError on "weekſ"
        if n is None or n <= 0:
            continue
        weeks = n * modifiers._WEEKS[unit]
        if best is None or weeks > best[0]:
            best = (weeks, m.group(0))
    if best is None:
        return None, None
    return best[1], round(best[0], 2)


def ref_blinding(text: str) -> str | None:
    for name, rx in REF_BLINDING:
        if rx.search(text):
            return name
    return None


def ref_modifiers(title: str, abstract: str) -> dict[str, object]:
    text = f"{title or ''}\n{abstract or ''}"
    m = modifiers
    randomized = bool(m._RANDOMIZED.search(text)) and not REF_NOT_RANDOMIZED.search(text)
    text_d, weeks = ref_duration(text)
    return {
        "participants": ref_participant_count(text),
        "sex": ref_study_sex(text),
        "pilot": bool(REF_PILOT.search(text)),
        "crossover": bool(REF_CROSSOVER.search(text)),
        "randomized": randomized,
        "blinding": ref_blinding(text),
        "placebo_controlled": bool(REF_PLACEBO.search(text)) and not REF_NO_PLACEBO.search(text),
        "duration": text_d,
        "duration_weeks": weeks,
    }


EDGES = [
    "",
    "n = 1,234 patients were enrolled.",
    "(n=31) and N = 12; n= 7",
    "A total of one hundred and twenty-five participants were randomized.",
    "Thirty-two patients were randomised (16 per arm) to LDN.",
    "Thirty-two percent of participants and twenty of the patients improved.",
    "We enrolled 28 adult female patients with fibromyalgia over 8-12 weeks.",
    "1,204 women and 1,234,567 men; 28·8 years; 12.5 patients; 3–5 days; 3-5 days.",
    "Often ten; tone; hormone one; oneself; seventy-seven volunteers; Ninety nine subjects.",
    "x2 patients, 2x patients, a2 b3 women, _7 men, 7_ girls, 10/12 boys, 45% women.",
    "Eight-week, 12-week, six months, 2 yrs, 3 wks, four days old, aged 30 years, 1 year.",
    "Patients aged 18 years or older took 4.5 mg for 10 weeks (after 3 years of illness).",
    "ſix patients were enrolled; İ; Ⅻ; ٣ patients; ３ patients; twenty ſubjects.",
    "Both sexes; men and women; 100 % women; 100% male; women only; male patients.",
    "BACKGROUND: Fibromyalgia mostly affects women. METHODS: 31 women were studied.",
    "OBJECTIVE: men. RESULTS: 12 participants, double-blind, placebo; cross-over pilot.",
    "Sixteen veterans: randomly assigned, triple-masked, non-blinded, open label.",
    "Twelve\nthousand\tpatients; one\u00a0hundred patients; 40 - week; 40 -weeks; 7 days.",
    "We studied 12 (of 40) patients; 40 patients were screened; 9 patients withdrew.",
    "Fifteen",
    "15",
    "twenty-",
    "one hundred",
    "men",
    "n=",
    "a total of 3",
    "8-weekſ and 2 wKs",  # re's IGNORECASE reads ſ as s and the Kelvin sign as k
]


@pytest.mark.parametrize("text", EDGES)
def test_number_patterns_match_where_finditer_does(text: str) -> None:
    for rx in (population._N_PATTERNS[2][1], population._N_PATTERNS[4][1], modifiers._DURATION):
        expected = [(m.span(), m.group(0)) for m in rx.finditer(text)]
        assert [(m.span(), m.group(0)) for m in finditer_numbers(rx, text)] == expected


@pytest.mark.parametrize("text", EDGES)
def test_modifiers_are_the_plain_patterns_results(text: str) -> None:
    assert modifiers.study_modifiers("", text) == ref_modifiers("", text)
    assert modifiers.study_modifiers(text, text) == ref_modifiers(text, text)
    assert population.without_background(text) == ref_without_background(text)


# Texts made of the modifier patterns' own words in any case, numbers, and what can end or
# join them (and the characters re's IGNORECASE reads as ASCII letters: ſ, K, İ, ı).
_SOURCES = [
    population._N_PATTERNS[0][1].pattern, population._N_PATTERNS[1][1].pattern,
    population._N_PATTERNS[2][1].pattern, population._PEOPLE, population._MIXED.pattern,
    REF_FEMALE.pattern, REF_MALE.pattern, REF_STRONG_FEMALE.pattern, REF_STRONG_MALE.pattern,
    REF_PILOT.pattern, REF_CROSSOVER.pattern, REF_NOT_RANDOMIZED.pattern,
    modifiers._RANDOMIZED.pattern, *(rx.pattern for _, rx in REF_BLINDING), REF_PLACEBO.pattern,
    REF_NO_PLACEBO.pattern, modifiers._DURATION.pattern, modifiers._NOT_STUDY_DURATION.pattern,
    population._NOT_ENROLLED.pattern,
]  # fmt: skip
WORDS = sorted({w for p in _SOURCES for w in re.findall(r"[a-z]{2,}", p.lower())})
PIECES = st.one_of(
    st.sampled_from(WORDS).flatmap(
        lambda w: st.sampled_from([w, w.upper(), w.title(), w + "s", "x" + w, w[:-1]])
    ),
    st.sampled_from(
        [" ", "  ", "\n", "-", ".", ",", ";", ":", "(", ")", "_", "%", " %", "=", "/", "100",
         "n = ", "12", "1,234", "3.5", "0", "BACKGROUND: ", "METHODS: ", "é", "ſ", "K", "İ",
         "ı", "３"]
    ),
    st.text(alphabet="abdeilmnorstuvwxyz AEIS-.%0123", max_size=4),
    st.sampled_from(
        ["100% ", "100 % ", "45% ", "12.5 %", "men and women", "Females and males", "both sexes",
         "female and male", "women and men", "male and females", "both genders",
         "female patients", "patients were all women", "women only", "only men", "all-female",
         "women with", "men aged", "twenty-two women", "31 adult women", "Eighty men",
         "double-blind", "open label", "non-randomized", "not randomly", "randomly assigned",
         "Mendelian randomisation", "cross-over", "no placebo", "without a sham", "8-week",
         "12 weeks", "six months", " old",
         "a total of ", "enrolled 28 ", "were randomized", "n = 31", "N=7", "aged 30 years"]
    ),
)  # fmt: skip
TEXTS = st.lists(PIECES, max_size=14).map("".join)
SETTINGS = settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(text=TEXTS)
def test_modifiers_of_made_texts_are_the_plain_patterns_results(text: str) -> None:
    assert modifiers.study_modifiers("", text) == ref_modifiers("", text)
    assert number_scan.number_starts(text) == ref_number_starts(text)


@SETTINGS
@given(text=TEXTS)
def test_the_patterns_searched_in_parts_answer_as_the_whole(text: str) -> None:
    low = lowered(text)
    body = population.without_background(text)
    body_low = lowered(body)
    assert population._FEMALE.found(text, low) is bool(REF_FEMALE.search(text))
    assert population._MALE.found(text, low) is bool(REF_MALE.search(text))
    assert population._STRONG_FEMALE.found(body, body_low) is bool(REF_STRONG_FEMALE.search(body))
    assert population._STRONG_MALE.found(body, body_low) is bool(REF_STRONG_MALE.search(body))
    if "%" not in text:
        assert population._MIXED_WORDS.found(text, low) is bool(population._MIXED.search(text))
    assert modifiers._PILOT.found(text, low) is bool(REF_PILOT.search(text))
    assert modifiers._CROSSOVER.found(text, low) is bool(REF_CROSSOVER.search(text))
    assert modifiers._NOT_RANDOMIZED.found(text, low) is bool(REF_NOT_RANDOMIZED.search(text))
    assert modifiers._PLACEBO.found(text, low) is bool(REF_PLACEBO.search(text))
    assert modifiers._NO_PLACEBO.found(text, low) is bool(REF_NO_PLACEBO.search(text))
    for (name, words), (_, rx) in zip(modifiers._BLINDING, REF_BLINDING, strict=True):
        assert words.found(text, low) is bool(rx.search(text)), name
    assert population.study_sex(text) == ref_study_sex(text)
    assert population.participant_count(text) == ref_participant_count(text)


LABEL_TEXTS = st.lists(
    st.sampled_from(
        ["BACKGROUND", "METHODS", "A", "AB", "ABC", "R/S", "A-B", "OBJECTIVES", "x", "Ab", "É",
         ":", ": ", ":\n", " ", "\n", "\t", "\u00a0", "\r", "1", ".", "(", "text", "  AIM: "]
    ),
    max_size=16,
).map("".join)  # fmt: skip


@SETTINGS
@given(text=LABEL_TEXTS)
def test_the_label_splits_as_first_written(text: str) -> None:
    assert population._LABEL.split(text) == REF_LABEL.split(text)
    assert population.without_background(text) == ref_without_background(text)


def test_the_strong_patterns_are_the_ones_first_written() -> None:
    assert population._STRONG_FEMALE.pattern.pattern == REF_STRONG_FEMALE.pattern
    assert population._STRONG_MALE.pattern.pattern == REF_STRONG_MALE.pattern


def test_number_starts() -> None:
    assert number_starts("n = 1,234 and Twenty-two, often ten") == (4, 6, 14, 21, 32)
    assert number_starts("no digits, no number words") == ()
    assert number_starts("ſix") is None  # not ASCII: every offset is a candidate


def test_holds_any_reads_the_lowered_text() -> None:
    assert not holds_any("forty patients", ("women",))
    assert holds_any("forty women", ("wom", "x"))


def _baseline_texts() -> list[tuple[str, str]]:
    path = shared_path("pubmed", "baseline", "pubmed20n0014.xml.gz")
    records = (r for r in iter_articles(path) if isinstance(r, ArticleRecord))
    return [(r.title, r.abstract) for r in itertools.islice(records, 0, None, 10)]


@pytest.mark.slow
def test_baseline_sample_modifiers_are_the_plain_patterns_results() -> None:
    """Every 10th record of a real baseline file (3 000), title + abstract and each part."""
    texts = _baseline_texts()
    assert len(texts) == 3000
    found = 0
    for title, abstract in texts:
        got = modifiers.study_modifiers(title, abstract)
        assert got == ref_modifiers(title, abstract), title
        text = f"{title}\n{abstract}"
        assert number_scan.number_starts(text) == ref_number_starts(text), title
        found += got["participants"] is not None
    assert found > 300  # the sample exercises the participant patterns
