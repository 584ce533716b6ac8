"""The faster modifier reading (verification/number_scan.py and the literal pre-checks in
population.py / modifiers.py) gives exactly what the plain regular expressions give.

The reference below is the modifiers' code as it was before the pre-checks: every pattern
run with `finditer` / `search` over the whole text. It is compared on edge cases (number
words, "n = 1,234", ranges, Unicode digits and case folding) and, slow, on a sample of a
real baseline file."""

from __future__ import annotations

import itertools
import re

import pytest

from ldn_evidence.pubmed.parser import iter_articles
from ldn_evidence.pubmed.records import ArticleRecord
from ldn_evidence.verification import modifiers, population
from ldn_evidence.verification.number_scan import contains_any, finditer_numbers, number_starts
from ldn_evidence.verification.numbers import parse_number
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


def ref_without_background(text: str) -> str:
    parts = population._LABEL.split(text or "")
    kept = [parts[0]]
    for label, body in zip(parts[1::2], parts[2::2], strict=False):
        if label.strip() not in population._BACKGROUND_LABELS:
            kept.append(f"{label}: {body}")
    return " ".join(kept)


def ref_study_sex(text: str) -> str | None:
    body = ref_without_background(text)
    mixed = population._MIXED.search(body)
    if mixed and not re.search(r"\b100\s*%", mixed.group(0)):
        return "mixed"
    female, male = bool(population._FEMALE.search(body)), bool(population._MALE.search(body))
    if female and male:
        return "mixed"
    if female and population._STRONG_FEMALE.search(body):
        return "female"
    if male and population._STRONG_MALE.search(body):
        return "male"
    return None


def ref_duration(text: str) -> tuple[str | None, float | None]:
    best: tuple[float, str] | None = None
    for m in modifiers._DURATION.finditer(text):
        if modifiers._NOT_STUDY_DURATION.search(text[max(0, m.start() - 30) : m.start()]):
            continue
        after = text[m.end() : m.end() + 10]
        if re.match(r"\s*(?:old|of\s+age|or\s+older|and\s+older)\b", after, re.I):
            continue
        n = parse_number(m.group("n"))
        unit = m.group("unit").lower().rstrip("s")
        if n is None or n <= 0:
            continue
        weeks = n * modifiers._WEEKS[unit]
        if best is None or weeks > best[0]:
            best = (weeks, m.group(0))
    if best is None:
        return None, None
    return best[1], round(best[0], 2)


def ref_blinding(text: str) -> str | None:
    for name, rx in modifiers._BLINDING:
        if rx.search(text):
            return name
    return None


def ref_modifiers(title: str, abstract: str) -> dict[str, object]:
    text = f"{title or ''}\n{abstract or ''}"
    m = modifiers
    randomized = bool(m._RANDOMIZED.search(text)) and not m._NOT_RANDOMIZED.search(text)
    text_d, weeks = ref_duration(text)
    return {
        "participants": ref_participant_count(text),
        "sex": ref_study_sex(text),
        "pilot": bool(m._PILOT.search(text)),
        "crossover": bool(m._CROSSOVER.search(text)),
        "randomized": randomized,
        "blinding": ref_blinding(text),
        "placebo_controlled": bool(m._PLACEBO.search(text)) and not m._NO_PLACEBO.search(text),
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


def test_number_starts() -> None:
    assert number_starts("n = 1,234 and Twenty-two, often ten") == (4, 6, 14, 21, 32)
    assert number_starts("no digits, no number words") == ()
    assert number_starts("ſix") is None  # not ASCII: every offset is a candidate


def test_contains_any_rules_out_only_ascii_text_without_the_words() -> None:
    assert not contains_any("Forty PATIENTS", ("women",))
    assert contains_any("Forty WOMEN", ("women",))
    assert contains_any("Forty wo\u017fmen", ("nothing",))  # not ASCII: always a maybe


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
        found += got["participants"] is not None
    assert found > 300  # the sample exercises the participant patterns
