"""Who a study enrolled (how many, which sex), and whether that fits a claim's population.

Participants N, in order of preference: "a total of 31", "enrolled / randomized /
recruited 28 (patients)", "28 patients were enrolled / randomized", "n = 31" / "N=31"
(the largest), "31 women" / "ten participants" (the largest people count).
Sex: "female" when the participants are described only as women ("31 women", "female
patients", "women with fibromyalgia") and men are never mentioned; "male" likewise;
"mixed" for "men and women", "12 men", "85% female", "both sexes".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ldn_evidence.verification.number_scan import finditer_numbers
from ldn_evidence.verification.numbers import NUMBER, parse_number
from ldn_evidence.verification.word_patterns import WordPattern, holds_any, lowered

_PEOPLE = (
    r"(?:participants|patients|subjects|women|men|adults|volunteers|individuals|people"
    r"|children|adolescents|veterans|persons|females|males|cases|girls|boys)"
)
# Up to three words between a number and the people it counts ("31 adult women"), but
# never a share ("Thirty-two percent of participants" is not 32 participants) nor a part
# of a group ("twenty of the patients").
_ADJ = r"(?:(?!(?:percent|per|of|out)\b)[A-Za-z][\w-]*\s+){0,3}?"
_N_PATTERNS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (0, re.compile(rf"\ba\s+total\s+of\s+(?P<n>{NUMBER})", re.I)),
    (1, re.compile(rf"\b(?:enrolled|randomi[sz]ed|recruited|included|studied)\s+(?P<n>{NUMBER})"
                   rf"\s+{_ADJ}{_PEOPLE}", re.I)),
    (1, re.compile(rf"(?P<n>{NUMBER})\s+{_ADJ}{_PEOPLE}\s+(?:\([^)]*\)\s+)?(?:were|was)\s+"
                   r"(?:enrolled|randomi[sz]ed|recruited|included|studied)", re.I)),
    (2, re.compile(r"\b[nN]\s*=\s*(?P<n>\d+)")),
    (3, re.compile(rf"(?<![\d.,/%])(?<!\d\sin\s)(?P<n>{NUMBER})\s+{_ADJ}{_PEOPLE}\b", re.I)),
)  # fmt: skip
_NOT_ENROLLED = re.compile(
    r"^\s*(?:\w+\s+){0,3}?(?:were\s+)?(?:screened|assessed|excluded|declined|ineligible|"
    r"dropped|withdrew|lost)|^\s*(?:of|out\s+of)\b",
    re.I,
)
# The participants' sex words (case-insensitive, `\\b` + lead + rest: see word_patterns).
_FEMALE = WordPattern(
    ("women", r"\b"), ("woman", r"\b"), ("female", r"s?\b"), ("girls", r"\b"),
    ("mothers", r"\b"), ("postmenopausal", r"\b"), ("pregnant", r"\b"),
)  # fmt: skip
_MALE = WordPattern(
    ("men", r"\b"), ("man", r"\b"), ("male", r"s?\b"), ("boys", r"\b"), ("fathers", r"\b")
)
_MIXED = re.compile(
    r"\b(?:men\s+and\s+women|women\s+and\s+men|males?\s+and\s+females?|females?\s+and\s+males?"
    r"|both\s+sexes|both\s+genders)\b"
    r"|(?<![\d.])(?:[1-9]?\d(?:\.\d+)?)\s*%\s*(?:were\s+)?(?:women|female|men|male)\b",
    re.IGNORECASE,
)
# `_MIXED`'s alternatives without a "%" (all of its matches in a text without one), and
# the one with neither a women's nor a men's word in it.
_MIXED_WORDS = WordPattern(
    ("men", r"\s+and\s+women\b"), ("women", r"\s+and\s+men\b"),
    ("male", r"s?\s+and\s+females?\b"), ("female", r"s?\s+and\s+males?\b"),
    ("both", r"\s+(?:sexes|genders)\b"),
)  # fmt: skip
_BOTH_SEXES = WordPattern(("both", r"\s+(?:sexes|genders)\b"))
# A section label ("METHODS: ") at the start or after whitespace: the capital first, then
# the look-behind (the two characters before are not a non-space and the capital), so
# `re` jumps from capital to capital.
_LABEL = re.compile(r"([A-Z](?<!\S.)[A-Z /&-]{2,40}):\s")
_BACKGROUND_LABELS = {"BACKGROUND", "INTRODUCTION", "CONTEXT", "OBJECTIVE", "OBJECTIVES"}


def without_background(text: str) -> str:
    """`text` minus its BACKGROUND / INTRODUCTION / OBJECTIVE sections (labelled inline
    "BACKGROUND: …" or on their own lines)."""
    if ":" not in (text or ""):  # no label: _LABEL.split would give [text]
        return text or ""
    parts = _LABEL.split(text or "")
    kept = [parts[0]]
    for label, body in zip(parts[1::2], parts[2::2], strict=False):
        if label.strip() not in _BACKGROUND_LABELS:
            kept.append(f"{label}: {body}")
    return " ".join(kept)


@dataclass(frozen=True, slots=True)
class StudyPopulation:
    participants: int | None = None
    sex: str | None = None  # "female" | "male" | "mixed" | None (not stated)


# What every match of each `_N_PATTERNS` entry holds, lowered (a cheap test before it
# runs, on ASCII text), and whether it starts with its number (`finditer_numbers`).
_ENROLLING = ("enrolled", "randomi", "recruited", "included", "studied")
_ENROLLED_AFTER = re.compile(r"w(?:ere|as)\s+(?:enrolled|randomi[sz]ed|recruited|included|studied)")
_PEOPLE_WORDS = (
    "participants", "patients", "subjects", "men", "adults", "volunteers", "individuals",
    "people", "children", "adolescents", "veterans", "persons", "males", "cases", "girls",
    "boys",
)  # fmt: skip  # "men" holds "women", "males" "females"
_N_FROM_NUMBER = (False, False, True, False, True)


def _may_match(index: int, low: str) -> bool:
    """False when the lowered ASCII text `low` lacks what every match of `_N_PATTERNS[index]`
    holds."""
    if index == 0:
        return "total" in low
    if index == 1:
        return holds_any(low, _ENROLLING)
    if index == 2:  # "… were enrolled" itself, not merely both words somewhere
        return _ENROLLED_AFTER.search(low) is not None
    if index == 3:
        return "=" in low
    return holds_any(low, _PEOPLE_WORDS)


def participant_count(text: str) -> int | None:
    """The number of participants a title / abstract reports, or None."""
    best: tuple[int, int] | None = None  # (priority, n)
    text = text or ""
    low = lowered(text)
    for index, (priority, rx) in enumerate(_N_PATTERNS):
        if low is not None and not _may_match(index, low):
            matches: Iterator[re.Match[str]] = iter(())
        elif _N_FROM_NUMBER[index]:
            matches = finditer_numbers(rx, text)
        else:
            matches = rx.finditer(text)
        for m in matches:
            if _NOT_ENROLLED.match(text[m.end() : m.end() + 40]):
                continue
            n = parse_number(m.group("n"))
            if n is None or n < 1 or n != int(n) or n > 10_000_000:
                continue
            if best is None or priority < best[0] or (priority == best[0] and n > best[1]):
                best = (priority, int(n))
        if best is not None and best[0] <= priority:
            break
    return best[1] if best else None


class _Strong:
    """A participant phrase of one sex ("31 women", "female patients", "women only"):
    `pattern` as first written (case-insensitive), and `found`, the same answer searched
    in parts on ASCII text: the counted people ("31 women") at the numbers alone
    (`finditer_numbers`), "100 % women" only where "100" is, the rest as `WordPattern`s."""

    __slots__ = ("pattern", "_counted", "_count_words", "_hundred", "_words")

    def __init__(self, words: tuple[str, ...], adjective: str) -> None:
        alts = "|".join(words)
        counted = rf"(?<![\d.,/%])(?:{NUMBER})\s+{_ADJ}(?:{alts})\b"
        hundred = rf"\b100\s*%\s*(?:{alts}|{adjective})\b"
        people = (
            r"patients|participants|subjects|volunteers|adults|cohort|veterans|individuals"
            r"|children|athletes"
        )
        self.pattern = re.compile(
            rf"{counted}|\b{adjective}\s+(?:{people})\b"
            rf"|\b(?:participants|patients|subjects)\s+were\s+(?:all\s+)?(?:{alts}|{adjective})\b"
            rf"|\b(?:{alts})[\s-]+only\b|\bonly\s+(?:{alts})\b|\ball[\s-]+(?:{alts}|{adjective})\b"
            rf"|{hundred}|\b(?:{alts})\s+(?:with|aged|who)\b",
            re.IGNORECASE,
        )
        self._counted = re.compile(counted, re.IGNORECASE)
        self._count_words = words
        self._hundred = re.compile(hundred, re.IGNORECASE)
        were = rf"\s+were\s+(?:all\s+)?(?:{alts}|{adjective})\b"
        self._words = WordPattern(
            (adjective, rf"\s+(?:{people})\b"),
            ("participants", were), ("patients", were), ("subjects", were),
            *((w, r"[\s-]+only\b") for w in words),
            ("only", rf"\s+(?:{alts})\b"),
            ("all", rf"[\s-]+(?:{alts}|{adjective})\b"),
            *((w, r"\s+(?:with|aged|who)\b") for w in words),
        )  # fmt: skip

    def found(self, text: str, low: str | None) -> bool:
        """Whether `pattern` matches somewhere in `text`; `low` is `lowered(text)`."""
        if low is None:
            return self.pattern.search(text) is not None
        if self._words.found(text, low):
            return True
        if "100" in low and self._hundred.search(text) is not None:
            return True
        if not any(w in low for w in self._count_words):
            return False
        return next(finditer_numbers(self._counted, text), None) is not None


_STRONG_FEMALE = _Strong(("women", "females", "girls"), "female")
_STRONG_MALE = _Strong(("men", "males", "boys"), "male")


def study_sex(text: str) -> str | None:
    """ "female" / "male" / "mixed" / None from the study's own description of participants.

    Single-sex needs a participant phrase ("31 women", "female patients", "women with
    fibromyalgia", "women only") and no mention of the other sex; a BACKGROUND line
    ("fibromyalgia mostly affects women") is ignored.
    """
    body = without_background(text)
    low = lowered(body)
    female = _FEMALE.found(body, low)
    male = _MALE.found(body, low)
    if not female and not male:  # then only "both sexes / genders" can be a _MIXED match
        return "mixed" if _BOTH_SEXES.found(body, low) else None
    if low is None or "%" in low:
        mixed = _MIXED.search(body)
        if mixed and not re.search(r"\b100\s*%", mixed.group(0)):
            return "mixed"
    elif _MIXED_WORDS.found(body, low):  # no "%": a match has none, so no "100 %" either
        return "mixed"
    if female and male:
        return "mixed"
    if female and _STRONG_FEMALE.found(body, low):
        return "female"
    if male and _STRONG_MALE.found(body, low):
        return "male"
    return None


def study_population(title: str, abstract: str) -> StudyPopulation:
    text = f"{title or ''}\n{abstract or ''}"
    return StudyPopulation(participant_count(text), study_sex(text))


_CLAIM_FEMALE = re.compile(r"\b(?:women|woman|female|females|girls|mothers)\b", re.I)
_CLAIM_MALE = re.compile(r"\b(?:men|man|male|males|boys)\b", re.I)
_CLAIM_CHILDREN = re.compile(r"\b(?:children|child|pediatric|paediatric|kids|infants)\b", re.I)
_STUDY_CHILDREN = re.compile(
    r"\b(?:children|child|pediatric|paediatric|adolescents?|infants?|aged\s+\d\s*-\s*1\d)\b", re.I
)


def population_mismatch(
    claim_population: str | None, pop: StudyPopulation, text: str
) -> str | None:
    """Why the study's population differs from the claim's, or None when it fits (or the
    claim names no population). `text` is the study's title and abstract."""
    claim = claim_population or ""
    if not claim.strip():
        return None
    who = _describe(pop)
    if _CLAIM_CHILDREN.search(claim) and not _STUDY_CHILDREN.search(text):
        return f"the claim is about children; the study does not report enrolling children{who}"
    claim_female, claim_male = bool(_CLAIM_FEMALE.search(claim)), bool(_CLAIM_MALE.search(claim))
    if claim_female and not claim_male and pop.sex in ("male", "mixed"):
        return f"the claim is about women; the study enrolled {_sex_words(pop.sex)}{who}"
    if claim_male and not claim_female and pop.sex in ("female", "mixed"):
        return f"the claim is about men; the study enrolled {_sex_words(pop.sex)}{who}"
    if not claim_female and not claim_male and pop.sex in ("female", "male"):
        return (
            f"the claim says {claim.strip()!r}; the study enrolled only {_sex_words(pop.sex)}{who}"
        )
    return None


def _sex_words(sex: str | None) -> str:
    return {"female": "women", "male": "men", "mixed": "men and women"}.get(sex or "", "people")


def _describe(pop: StudyPopulation) -> str:
    return f" (N = {pop.participants})" if pop.participants else ""
