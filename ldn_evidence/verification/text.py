"""Words as the verification engine compares them: content terms, their stems and weights,
abbreviations an abstract defines, and the section a sentence belongs to.

- A *term* is a content word (not a function word), stemmed with the Snowball English
  stemmer, so "reduces", "reduced" and "reducing" are one term.
- A term's *weight* says how much it tells: rare words ("naltrexone", "myopia", "CYP2D6")
  weigh more than common ones ("people", "high"), from the word's frequency in English
  (the `wordfreq` package; Zipf scale, 7 ≈ "the", 1 ≈ one in a billion words).
- *Aliases* align a few words written differently for the same thing (COVID-19 /
  SARS-CoV-2 / coronavirus; death / mortality). They only align words: whether a claim can
  be checked never depends on them.
- *Abbreviations* an abstract defines ("low-dose naltrexone (LDN)") are expanded, so a
  claim saying "LDN" matches a sentence saying "low-dose naltrexone" and the reverse.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer
from wordfreq import get_frequency_dict, zipf_frequency, zipf_to_freq

_STEMMER = snowballstemmer.stemmer("english")

STOPWORDS = frozenset(
    """a an the and or but if then than that this these those there here of in on at to
    for from by with within without into onto over under about as is are was were be been
    being am do does did done doing have has had having it its it's they them their we our
    you your he she his her i me my who whom whose which what when where why how all any
    both each few more most other some such only own same so too very can will just should
    would could may might must shall also not no nor never per via vs versus et al e.g i.e
    among between during after before while whereas because since although though however
    upon up down out off again further once one two three four five six seven eight nine
    ten first second new use used using based found find finds show shows shown showed
    study studies report reported reports data result results evidence analysis analyses
    suggest suggests suggested research researchers researcher scientists according
    recent recently according now current currently people person case cases s t
    percent percentage cent half third thirds quarter quarters nearly almost approximately
    around roughly many much several likely unlikely help helps helped able known
    preliminary estimated estimate estimates figure figures number numbers
    play plays played playing role roles major key important importance crucial central
    demonstrate demonstrates demonstrated directly indirectly significantly taking having
    remain remains until across due whether type types various""".split()
)
"""Function words and reporting words: they say nothing about what a claim asserts."""

# A few ways the same thing is written in health text: each maps to one canonical stem.
ALIASES: dict[str, str] = {
    "covid": "covid", "covid19": "covid", "sars": "covid", "cov": "covid", "cov2": "covid",
    "sarscov2": "covid", "coronavirus": "covid", "coronaviruses": "covid", "ncov": "covid",
    "2019ncov": "covid",
    "death": "mortal", "deaths": "mortal", "die": "mortal", "died": "mortal", "dying": "mortal",
    "dies": "mortal", "fatal": "mortal", "fatality": "mortal", "fatalities": "mortal",
    "mortality": "mortal", "lethal": "mortal", "lethality": "mortal",
    "paediatric": "pediatr", "pediatric": "pediatr", "child": "child", "children": "child",
    "kids": "child", "childhood": "child",
    "vaccine": "vaccin", "vaccines": "vaccin", "vaccination": "vaccin", "vaccinated": "vaccin",
    "immunization": "vaccin", "immunisation": "vaccin",
    "tumour": "tumor", "tumours": "tumor", "tumors": "tumor",
    "haemoglobin": "hemoglobin", "oestrogen": "estrogen", "anaemia": "anemia",
    "behaviour": "behavior", "behaviours": "behavior",
    "hospitalization": "hospit", "hospitalisation": "hospit", "hospitalized": "hospit",
    "hospitalised": "hospit", "hospital": "hospit", "hospitals": "hospit",
    "hospitalizations": "hospit", "hospitalisations": "hospit",
    "asymptomatic": "asymptomat", "symptomless": "asymptomat",
    "mice": "mous", "mouse": "mous", "murine": "mous",
    "spread": "transmiss", "spreads": "transmiss", "spreading": "transmiss",
    "transmission": "transmiss", "transmit": "transmiss", "transmits": "transmiss",
    "transmitted": "transmiss", "transmissible": "transmiss", "transmissibility": "transmiss",
    "sick": "ill", "illness": "ill", "illnesses": "ill",
    "severe": "sever", "severely": "sever", "serious": "sever", "seriously": "sever",
    "critical": "sever", "critically": "sever",
    "women": "woman", "men": "man", "female": "woman", "females": "woman",
    "male": "man", "males": "man",
}  # fmt: skip

_WORD = re.compile(r"[a-z0-9]+(?=['’]s\b)|[a-z0-9]+(?:['’][a-z]+)?")  # "covid-19's" -> "19"
_PLAIN_RUN = re.compile(r"[a-z0-9]+")
_NUMBER = re.compile(r"^\d+$")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The canonical form of a lower-case word: its alias, else its Snowball stem."""
    alias = ALIASES.get(word)
    if alias is not None:
        return alias
    return _STEMMER.stemWord(word)


@lru_cache(maxsize=200_000)
def word_weight(word: str) -> float:
    """How much a lower-case word tells (0.5 for everyday words, up to 5 for rare ones)."""
    zipf = _zipf(word)
    return min(5.0, max(0.5, 6.5 - zipf))


_PLAIN_WORD = re.compile(r"[a-z]+")
_FREQ_MIN = zipf_to_freq(0.0)
_ZIPF_FLOOR = round(math.log(_FREQ_MIN, 10) + 9, 2)  # wordfreq's Zipf of a word it lacks


def _zipf(word: str) -> float:
    """`wordfreq.zipf_frequency(word, "en")`, the same number: a plain lower-case ASCII word
    is one token, so its frequency is read from the list directly (wordfreq's arithmetic,
    step for step) without wordfreq's tokenizer, and one the list lacks has wordfreq's
    floor; anything else asks wordfreq."""
    if not _PLAIN_WORD.fullmatch(word):
        return zipf_frequency(word, "en")
    freq = _FREQUENCIES().get(word)
    if freq is None:  # one token wordfreq does not list: the minimum frequency
        return _ZIPF_FLOOR
    combined = 1.0 / (0.0 + 1.0 / freq)  # one token: wordfreq's 1/f = 1/f1 + … with one term
    unrounded = max(combined, _FREQ_MIN)
    rounded = round(unrounded, math.floor(-math.log(unrounded, 10)) + 3)
    return round(math.log(rounded, 10) + 9, 2)


@lru_cache(maxsize=1)
def _FREQUENCIES() -> dict[str, float]:  # noqa: N802 - a constant, loaded when first read
    return get_frequency_dict("en", "best")


_COMPOUND = re.compile(r"[a-z0-9]+(?:[-/][a-z0-9]+)+")
_SYMPTOM_FREE = re.compile(r"\b(?:no|without|free\s+of)\s+symptoms\b|\bsymptom-?free\b")


def words(text: str) -> list[str]:
    """Lower-case word tokens; "COVID-19" gives "covid", "19" and the joined "covid19".
    "no symptoms" / "without symptoms" / "symptom-free" read as "asymptomatic"."""
    lowered = text.lower()
    if "symptom" in lowered:  # every match of _SYMPTOM_FREE holds it
        lowered = _SYMPTOM_FREE.sub("asymptomatic", lowered)
    # without an apostrophe _WORD's alternatives both come down to maximal [a-z0-9] runs
    has_quote = "'" in lowered or "’" in lowered
    out = _WORD.findall(lowered) if has_quote else _PLAIN_RUN.findall(lowered)
    # hyphenated and slashed compounds are also matched whole ("sars-cov-2" -> "sarscov2")
    if "-" in lowered or "/" in lowered:  # every compound holds one
        for compound in _COMPOUND.findall(lowered):
            out.append(compound.replace("-", "").replace("/", ""))
    return out


@dataclass(frozen=True, slots=True)
class Terms:
    """The content terms of a text: stem -> weight (the largest weight of its words)."""

    weights: dict[str, float]

    @property
    def total(self) -> float:
        return sum(self.weights.values())

    def __contains__(self, stem_: str) -> bool:
        return stem_ in self.weights


def content_terms(text: str, expansions: dict[str, tuple[str, ...]] | None = None) -> Terms:
    """The content terms of `text`; an abbreviation in `expansions` adds its long form."""
    return _content_terms(text, tuple(sorted(expansions.items())) if expansions else ())


_TERM_OF: dict[str, tuple[str, float] | None] = {}
"""word -> (stem, weight), None for a word that is no content term: `_term_of`, kept."""
_TERM_OF_MAX = 500_000


def _term_of(word: str) -> tuple[str, float] | None:
    """A word's term and weight, None for a function word, a number or one letter."""
    term = (
        None
        if word in STOPWORDS or _NUMBER.match(word) or len(word) < 2
        else (stem(word), word_weight(word))
    )
    if len(_TERM_OF) >= _TERM_OF_MAX:  # bounded: forgetting only costs the lookup again
        _TERM_OF.clear()
    _TERM_OF[word] = term
    return term


@lru_cache(maxsize=20_000)
def _content_terms(text: str, expansion_items: tuple[tuple[str, tuple[str, ...]], ...]) -> Terms:
    expansions = dict(expansion_items)
    weights: dict[str, float] = {}
    known = _TERM_OF
    for word in words(text):
        try:
            term = known[word]
        except KeyError:
            term = _term_of(word)
        if term is None:
            continue
        if expansions and word in expansions:
            for long_stem in expansions[word]:
                weights[long_stem] = max(weights.get(long_stem, 0.0), 1.0)
        s, w = term
        if w > weights.get(s, 0.0):
            weights[s] = w
    if expansions:  # the long form written out stands for its abbreviation too
        for abbr, long_form in expansions.items():
            if abbr not in weights and all(t in weights for t in long_form):
                weights[abbr] = word_weight(abbr)
    return Terms(weights)


_PAREN_ABBR = re.compile(r"\(\s*([A-Za-z][A-Za-z0-9-]{1,11})\s*[);,]")


def defined_abbreviations(text: str) -> dict[str, tuple[str, ...]]:
    """Abbreviations `text` defines, "low-dose naltrexone (LDN)" -> {"ldn": stems of the
    long form}: the long form is the shortest run of the (at most seven) words before the
    parenthesis that starts with the abbreviation's first letter and is not much shorter
    than the abbreviation."""
    out: dict[str, tuple[str, ...]] = {}
    for m in _PAREN_ABBR.finditer(text):
        abbr = m.group(1)
        if not any(c.isupper() for c in abbr) or abbr.lower() in out:
            continue
        before = re.split(r"[\s-]+", text[max(0, m.start() - 120) : m.start()].strip())[-7:]
        first = abbr[0].lower()
        letters = sum(c.isalpha() for c in abbr)
        for size in range(max(1, min(letters, 2) - 1), len(before) + 1):
            long_words = before[-size:]
            if long_words[0][:1].lower() == first:
                stems = tuple(
                    stem(w.lower())
                    for w in long_words
                    if w.lower() not in STOPWORDS and w.isalnum() and not _NUMBER.match(w)
                )
                if stems:
                    out[abbr.lower()] = stems
                break
    return out


# Sections of a structured abstract, by the label that opens a sentence: "RESULTS:",
# "Results:", or upper-case words without a colon ("CONCLUSIONS A substantial …").
_TITLE_LABEL = re.compile(r"^\s*([A-Z][A-Za-z ,/&'-]{2,50}?)\s*:")
_CAPS_WORD = re.compile(r"[A-Z][A-Z'/&,-]*|&")
BACKGROUND_LABELS = frozenset(
    {"BACKGROUND", "INTRODUCTION", "OBJECTIVE", "OBJECTIVES", "AIM", "AIMS", "PURPOSE",
     "CONTEXT", "RATIONALE", "HYPOTHESIS", "IMPORTANCE", "METHODS", "METHOD", "DESIGN",
     "SETTING", "PARTICIPANTS", "PATIENTS", "MATERIALS AND METHODS", "METHODS AND MATERIALS",
     "STUDY DESIGN", "DESIGN SETTING AND PARTICIPANTS", "INTERVENTION", "INTERVENTIONS",
     "MAIN OUTCOME MEASURES", "MEASUREMENTS", "DATA SOURCES", "STUDY SELECTION",
     "DATA EXTRACTION", "SEARCH METHODS", "SELECTION CRITERIA", "SUBJECTS",
     "DATA COLLECTION AND ANALYSIS", "EXPOSURE", "EXPOSURES", "MAIN OUTCOMES AND MEASURES",
     "OBJECTIVE AND METHODS", "BACKGROUND AND AIMS", "BACKGROUND AND OBJECTIVES"}
)  # fmt: skip
FINDING_LABELS = frozenset(
    {"RESULTS", "RESULT", "FINDINGS", "CONCLUSION", "CONCLUSIONS", "INTERPRETATION",
     "DISCUSSION", "MAIN RESULTS", "AUTHORS' CONCLUSIONS", "AUTHORS CONCLUSIONS",
     "CONCLUSIONS AND RELEVANCE", "SIGNIFICANCE", "IMPLICATIONS", "SUMMARY",
     "RESULTS AND CONCLUSIONS", "CONCLUSION AND RELEVANCE", "OUTCOMES", "METHODS AND RESULTS",
     "METHODS AND FINDINGS", "OBSERVATIONS", "MEASUREMENTS AND MAIN RESULTS", "KEY RESULTS"}
)  # fmt: skip


def section_label(sentence: str) -> str | None:
    """The upper-case section label a sentence opens with ("RESULTS"), if any."""
    m = _TITLE_LABEL.match(sentence)
    if m:
        label = _canonical_label(m.group(1))
        if label in BACKGROUND_LABELS or label in FINDING_LABELS:
            return label
    caps: list[str] = []
    for word in sentence.split(maxsplit=8)[:8]:  # the first eight words, the rest unsplit
        if not _CAPS_WORD.fullmatch(word.rstrip(":")):
            break
        caps.append(word.rstrip(":"))
    for size in range(len(caps), 0, -1):
        label = _canonical_label(" ".join(caps[:size]))
        if label in BACKGROUND_LABELS or label in FINDING_LABELS:
            return label
    return None


def _canonical_label(text: str) -> str:
    text = text.replace("/", " ").replace("&", "AND").replace(",", " ")
    return " ".join(text.split()).upper()


_INITIALISM = re.compile(r"\b[A-Z][A-Za-z]?[A-Z]{1,5}s?\b")


def initialisms(claim: str, text: str) -> dict[str, tuple[str, ...]]:
    """Abbreviations the claim uses that `text` writes out without defining them:
    "LDN" in a claim, "low-dose naltrexone" in the abstract -> {"ldn": stems of it}."""
    out: dict[str, tuple[str, ...]] = {}
    found = list(_INITIALISM.finditer(claim))
    if not found:  # most claims use none: the text is not read
        return out
    tokens = re.findall(r"[A-Za-z][A-Za-z0-9']*", text)
    initials = "".join(t[0].lower() for t in tokens)
    for m in found:
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
