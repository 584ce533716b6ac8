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

from ldn_evidence.verification.number_scan import contains_any, finditer_numbers
from ldn_evidence.verification.numbers import NUMBER, parse_number

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
_FEMALE = re.compile(
    r"\b(?:women|woman|females?|girls|mothers|postmenopausal|pregnant)\b", re.IGNORECASE
)
_MALE = re.compile(r"\b(?:men|man|males?|boys|fathers)\b", re.IGNORECASE)
_MIXED = re.compile(
    r"\b(?:men\s+and\s+women|women\s+and\s+men|males?\s+and\s+females?|females?\s+and\s+males?"
    r"|both\s+sexes|both\s+genders)\b"
    r"|(?<![\d.])(?:[1-9]?\d(?:\.\d+)?)\s*%\s*(?:were\s+)?(?:women|female|men|male)\b",
    re.IGNORECASE,
)
# What every _FEMALE / _MALE match holds (lowered), and the one _MIXED alternative with
# neither a women's nor a men's word in it.
_FEMALE_STEMS = ("wom", "female", "girls", "mothers", "postmenopausal", "pregnant")
_MALE_STEMS = ("men", "man", "male", "boys", "fathers")
_BOTH_SEXES = re.compile(r"\b(?:both\s+sexes|both\s+genders)\b", re.IGNORECASE)
_LABEL = re.compile(r"(?:^|(?<=\s))([A-Z][A-Z /&-]{2,40}):\s")
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


# What every match of each `_N_PATTERNS` entry contains (a cheap test before it runs:
# `number_scan.contains_any`), and whether it starts with its number (`finditer_numbers`).
_ENROLLING = ("enrolled", "randomi", "recruited", "included", "studied")
_N_NEEDS: tuple[tuple[tuple[str, ...], ...], ...] = (
    (("total",),),
    (_ENROLLING,),
    (("were", "was"), _ENROLLING),
    (("=",),),
    (),
)
_N_FROM_NUMBER = (False, False, True, False, True)


def _n_matches(index: int, rx: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """`rx.finditer(text)`, skipped when the text lacks what every match holds."""
    if not all(contains_any(text, words) for words in _N_NEEDS[index]):
        return iter(())
    return finditer_numbers(rx, text) if _N_FROM_NUMBER[index] else rx.finditer(text)


def participant_count(text: str) -> int | None:
    """The number of participants a title / abstract reports, or None."""
    best: tuple[int, int] | None = None  # (priority, n)
    text = text or ""
    for index, (priority, rx) in enumerate(_N_PATTERNS):
        for m in _n_matches(index, rx, text):
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


def _strong(words: str, adjective: str) -> re.Pattern[str]:
    return re.compile(
        rf"(?<![\d.,/%])(?:{NUMBER})\s+{_ADJ}(?:{words})\b"
        rf"|\b{adjective}\s+(?:patients|participants|subjects|volunteers|adults|cohort"
        rf"|veterans|individuals|children|athletes)\b"
        rf"|\b(?:participants|patients|subjects)\s+were\s+(?:all\s+)?(?:{words}|{adjective})\b"
        rf"|\b(?:{words})[\s-]+only\b|\bonly\s+(?:{words})\b|\ball[\s-]+(?:{words}|{adjective})\b"
        rf"|\b100\s*%\s*(?:{words}|{adjective})\b|\b(?:{words})\s+(?:with|aged|who)\b",
        re.IGNORECASE,
    )


_STRONG_FEMALE = _strong("women|females|girls", "female")
_STRONG_MALE = _strong("men|males|boys", "male")


def study_sex(text: str) -> str | None:
    """ "female" / "male" / "mixed" / None from the study's own description of participants.

    Single-sex needs a participant phrase ("31 women", "female patients", "women with
    fibromyalgia", "women only") and no mention of the other sex; a BACKGROUND line
    ("fibromyalgia mostly affects women") is ignored.
    """
    body = without_background(text)
    female = contains_any(body, _FEMALE_STEMS) and bool(_FEMALE.search(body))
    male = contains_any(body, _MALE_STEMS) and bool(_MALE.search(body))
    if not female and not male:  # then only "both sexes / genders" can be a _MIXED match
        return "mixed" if _BOTH_SEXES.search(body) else None
    mixed = _MIXED.search(body)
    if mixed and not re.search(r"\b100\s*%", mixed.group(0)):
        return "mixed"
    if female and male:
        return "mixed"
    if female and _STRONG_FEMALE.search(body):
        return "female"
    if male and _STRONG_MALE.search(body):
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
