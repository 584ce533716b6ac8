"""How strong a study is: an evidence level from its publication types, plus modifiers.

The levels follow the Oxford Centre for Evidence-Based Medicine 2011 Levels of Evidence
(OCEBM Levels of Evidence Working Group, "The Oxford 2011 Levels of Evidence", Oxford
Centre for Evidence-Based Medicine, https://www.cebm.ox.ac.uk/resources/levels-of-evidence/
ocebm-levels-of-evidence), question "Does this intervention help? (treatment benefits)":
level 1 systematic review of randomized trials, 2 randomized trial, 3 non-randomized
controlled cohort / follow-up study, 4 case series, case-control or historically
controlled studies, 5 mechanism-based reasoning. A retracted study is flagged above
everything else: its level is "retracted" whatever its design.

LEVELS — in display / filter order (`rank` is the OCEBM level; 0 = retracted)
============================================================================
key                 rank  label
retracted           0     Retracted
systematic_review   1     1 · Systematic review / meta-analysis
rct                 2     2 · Randomized controlled trial
controlled_trial    3     3 · Other controlled trial
observational       3     3 · Cohort / case-control / observational
case_report         4     4 · Case series / case report
guideline           5     5 · Practice guideline (check the evidence it cites)
opinion             5     5 · Review, editorial, letter, comment
mechanistic         5     5 · Mechanistic: animal or in vitro only
unclassified        6     Unclassified (no design in the publication types)

PUBLICATION_TYPE_LEVELS — PubMed publication type -> level key
===============================================================
Meta-Analysis, Systematic Review, Network Meta-Analysis        systematic_review
Randomized Controlled Trial, Pragmatic Clinical Trial,
  Equivalence Trial                                            rct
Clinical Trial, Phase III / Phase IV                           rct when the abstract says
                                                               randomized, else
                                                               controlled_trial
Controlled Clinical Trial, Clinical Trial, Clinical Trial,
  Phase I / Phase II, Clinical Study, Adaptive Clinical Trial  controlled_trial
Observational Study, Comparative Study, Evaluation Study,
  Twin Study, Validation Study                                 observational
Multicenter Study                                              observational only with
                                                               cohort / case-control words
Case Reports                                                   case_report
Practice Guideline, Guideline, Consensus Development
  Conference (, NIH)                                           guideline
Review, Scoping Review, Editorial, Letter, Comment, News,
  Newspaper Article, Interview, Lecture, Personal Narrative,
  Historical Article, Published Erratum, Retraction of
  Publication, Expression of Concern, Clinical Trial Protocol  opinion
Randomized Controlled Trial, Veterinary, Clinical Trial,
  Veterinary, Observational Study, Veterinary                  mechanistic (animal)
Retracted Publication                                          retracted (and a flag)

A study PubMed tags Meta-Analysis / Systematic Review is not graded a systematic review
when its abstract describes a Mendelian randomisation (→ observational) or a pooled
analysis with no systematic search (→ rct when it pools randomised trials, else
observational). `Grade.rule` says in words which of these rules decided the level.
A study whose types give only "observational" / "unclassified" is "mechanistic" when its
title and abstract describe animals or cells ("in vitro", "mice", "rats", "cell line")
and no people. Flags from links: RetractionIn → "retracted", ExpressionOfConcernIn →
"expression of concern", ErratumIn → "erratum".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from ldn_evidence.verification.word_patterns import WordPattern, lowered

# The levels themselves (keys, ranks, labels) are defined in `ldn_evidence.vocab`.
from ldn_evidence.vocab import LEVELS as LEVELS
from ldn_evidence.vocab import Level as Level
from ldn_evidence.vocab import level_label as level_label
from ldn_evidence.vocab import level_rank as level_rank
from ldn_evidence.vocab import levels_at_least as levels_at_least

_BY_KEY = {lv.key: lv for lv in LEVELS}
_ORDER = {lv.key: i for i, lv in enumerate(LEVELS)}

PHASE_III_IV = "randomized_if_stated"  # a marker: rct when the abstract says randomized
PUBLICATION_TYPE_LEVELS: dict[str, str] = {
    "retracted publication": "retracted",
    "meta-analysis": "systematic_review",
    "systematic review": "systematic_review",
    "network meta-analysis": "systematic_review",
    "randomized controlled trial": "rct",
    "pragmatic clinical trial": "rct",
    "equivalence trial": "rct",
    "clinical trial, phase iii": PHASE_III_IV,
    "clinical trial, phase iv": PHASE_III_IV,
    "controlled clinical trial": "controlled_trial",
    "clinical trial": "controlled_trial",
    "clinical trial, phase i": "controlled_trial",
    "clinical trial, phase ii": "controlled_trial",
    "clinical study": "controlled_trial",
    "adaptive clinical trial": "controlled_trial",
    "observational study": "observational",
    "comparative study": "observational",
    "evaluation study": "observational",
    "twin study": "observational",
    "validation study": "observational",
    "multicenter study": "observational",  # only with cohort / case-control words
    "case reports": "case_report",
    "practice guideline": "guideline",
    "guideline": "guideline",
    "consensus development conference": "guideline",
    "consensus development conference, nih": "guideline",
    "review": "opinion",
    "scoping review": "opinion",
    "editorial": "opinion",
    "letter": "opinion",
    "comment": "opinion",
    "news": "opinion",
    "newspaper article": "opinion",
    "interview": "opinion",
    "lecture": "opinion",
    "personal narrative": "opinion",
    "historical article": "opinion",
    "published erratum": "opinion",
    "retraction of publication": "opinion",
    "expression of concern": "opinion",
    "clinical trial protocol": "opinion",
    "randomized controlled trial, veterinary": "mechanistic",
    "clinical trial, veterinary": "mechanistic",
    "observational study, veterinary": "mechanistic",
}
"""The one publication-type table; laid out in the module docstring."""

LINK_FLAGS: dict[str, str] = {
    "RetractionIn": "retracted",
    "ExpressionOfConcernIn": "expression of concern",
    "ErratumIn": "erratum",
}

# The words the design rules read in a title and abstract (case-insensitive; each is
# `\\b` + lead + rest: see word_patterns).
_RANDOMIZED = WordPattern(("randomi", r"[sz]ed\b"), ("randomly", r"\s+(?:assigned|allocated)"))
_NOT_RANDOMIZED = WordPattern(
    ("non", r"-?randomi[sz]ed\b"), ("not", r"\s+randomi[sz]ed\b"), ("unrandomi", r"[sz]ed\b")
)
_COHORT = WordPattern(
    ("cohort", r"\b"), ("case", r"-control\b"), ("case", r"\s+control\b"),
    ("prospective", r"\b"), ("retrospective", r"\b"), ("registry", r"\b"),
    ("longitudinal", r"\b"), ("cross", r"-sectional\b"), ("observational", r"\b"),
    ("follow", r"-up\s+study\b"),
)  # fmt: skip
_ANIMAL = WordPattern(
    ("in", r"\s+vitro\b"), ("ex", r"\s+vivo\b"), ("mice", r"\b"), ("mouse", r"\b"),
    ("murine", r"\b"), ("rat", r"s?\b"), ("rodent", r"s?\b"), ("cell", r"\s+lines?\b"),
    ("cultured", r"\s+(?:cells|neurons)\b"), ("xenograft", r"s?\b"),
    ("animal", r"\s+models?\b"), ("zebrafish", r"\b"), ("canine", r"\b"), ("feline", r"\b"),
    ("porcine", r"\b"), ("primates", r"\b"), ("in", r"\s+silico\b"),
)  # fmt: skip
_HUMAN = WordPattern(
    ("patient", r"s?\b"), ("participant", r"s?\b"), ("women", r"\b"), ("men", r"\b"),
    ("volunteers", r"\b"), ("human", r"s?\b"), ("children", r"\b"), ("adults", r"\b"),
    ("outpatients", r"\b"), ("inpatients", r"\b"), ("veterans", r"\b"),
    ("individuals", r"\b"), ("people", r"\b"), ("persons", r"\b"), ("case", r"s?\s+of\b"),
)  # fmt: skip


_MENDELIAN = WordPattern(("mendelian", r"\s+randomi[sz]ation\b"))
_POOLED = WordPattern(
    ("pooled", r"\s+(?:analys[ie]s|data)\b"), ("pooling", r"\b"),
    ("individual", r"[\s-]+(?:patient|participant)[\s-]+data\b"),
    ("post", r"[\s-]+hoc\s+analys[ie]s\b"), ("combined", r"\s+analys[ie]s\b"),
)  # fmt: skip
_SYSTEMATIC = WordPattern(
    ("systematic", r"(?:ally)?\b"), ("literature", r"\s+search"), ("prisma", r"\b"),
    ("search", r"(?:ed|es|ing)?\b[^.]{0,80}?\b(?:databases?|medline|pubmed|embase|cochrane|"
     r"web\s+of\s+science|scopus|cinahl|psycinfo)\b"),
)  # fmt: skip
_TRIALS = WordPattern(("randomi", r"[sz]ed\b[^.]{0,40}?\btrials?\b"), ("rcts", r"\b"))
_REVIEW_LEVEL = "systematic_review"


@dataclass(frozen=True, slots=True)
class Grade:
    """A study's evidence level (`LEVELS` key), its rank and label, modifiers, flags, and
    the design rule that decided the level (`rule`, one line)."""

    level: str
    rank: int
    label: str
    modifiers: dict[str, object] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)
    rule: str = ""


def _not_a_review(text: str, low: str | None) -> tuple[str, str] | None:
    """(level, why) when a study PubMed tags as a meta-analysis or systematic review is
    not a systematic review of trials: a Mendelian randomisation (genetic association
    data, not trials), or a pooled analysis with no systematic search. None when the
    abstract reads as a systematic review, or says too little to tell (no abstract).
    `low`: `lowered(text)`."""
    if _MENDELIAN.found(text, low):
        return "observational", "the abstract describes a Mendelian randomisation (genetic data)"
    if _POOLED.found(text, low) and not _SYSTEMATIC.found(text, low):
        pooled = "randomised trials" if _TRIALS.found(text, low) else "studies"
        level = "rct" if pooled == "randomised trials" else "observational"
        return (
            level,
            f"the abstract describes a pooled analysis of {pooled} with no systematic search",
        )
    return None


def design_rule(
    publication_types: list[str], title: str = "", abstract: str = ""
) -> tuple[str, str]:
    """(level, rule): the level the publication types give, ignoring retraction (see the
    tables), and the design rule that decided it, in words."""
    text = f"{title or ''}\n{abstract or ''}"
    low = lowered(text)
    found: list[tuple[str, str]] = []
    for raw in publication_types or []:
        name = _type_name(str(raw))
        key = PUBLICATION_TYPE_LEVELS.get(name)
        if key is None or key == "retracted":
            continue
        rule = f"publication type “{' '.join(str(raw).split())}”"
        if key == PHASE_III_IV:  # the only rule that reads "randomised": looked up here
            randomized = _RANDOMIZED.found(text, low) and not _NOT_RANDOMIZED.found(text, low)
            key = "rct" if randomized else "controlled_trial"
            rule += " and the abstract says randomised" if randomized else ", not randomised"
        if name == "multicenter study":
            if not _COHORT.found(text, low):
                continue
            rule += " with cohort / case-control words"
        if key == _REVIEW_LEVEL:
            instead = _not_a_review(text, low)
            if instead is not None:
                key, rule = instead[0], f"{rule}, but {instead[1]}"
        found.append((key, rule))
    best = (
        min(found, key=lambda kr: _ORDER[kr[0]])
        if found
        else ("unclassified", "no study design in the publication types")
    )
    if best[0] in ("observational", "unclassified") and _ANIMAL.found(text, low):
        if not _HUMAN.found(text, low):
            return "mechanistic", "animals or cells only in the title and abstract, no people"
    return best


def design_level(publication_types: list[str], title: str = "", abstract: str = "") -> str:
    """The level the publication types give, ignoring retraction (see the tables)."""
    return design_rule(publication_types, title, abstract)[0]


@lru_cache(maxsize=1024)
def _type_name(raw: str) -> str:
    """A publication type as the tables key it: lower case, single spaces (the same few
    hundred names recur in every file)."""
    return " ".join(raw.lower().split())


def _is_retracted(types: list[str], links: list[str]) -> bool:
    return any(_type_name(t) == "retracted publication" for t in types) or any(
        LINK_FLAGS.get(link) == "retracted" for link in links
    )


def grade_level(
    publication_types: list[str], title: str, abstract: str, link_types: list[str]
) -> str:
    """`grade_study(...).level` alone, without reading the modifiers off the abstract
    (participants, sex, duration …: the costly part, which a level never depends on).
    What `import-xml` and `fetch` store; the modifiers are read when a study is shown."""
    types = [str(t) for t in (publication_types or [])]
    links = [str(t) for t in (link_types or [])]
    if _is_retracted(types, links):
        return "retracted"
    return design_rule(types, title, abstract)[0]


def grade_rule(
    publication_types: list[str], title: str, abstract: str, link_types: list[str]
) -> tuple[str, str]:
    """(`grade_study(...).level`, `grade_study(...).rule`) without the modifiers: what a
    report's level rule needs."""
    types = [str(t) for t in (publication_types or [])]
    links = [str(t) for t in (link_types or [])]
    underlying, rule = design_rule(types, title, abstract)
    if _is_retracted(types, links):
        return "retracted", _retracted_rule(underlying, rule)
    return underlying, rule


def _retracted_rule(underlying: str, rule: str) -> str:
    return f"retracted, whatever its design ({underlying}: {rule})"


def grade_study(
    publication_types: list[str], title: str, abstract: str, link_types: list[str]
) -> Grade:
    """Grade one study: level (retracted first), rank, label, modifiers, flags."""
    types = [str(t) for t in (publication_types or [])]
    links = [str(t) for t in (link_types or [])]
    flags: list[str] = []
    retracted = any(_type_name(t) == "retracted publication" for t in types)
    for link in links:
        flag = LINK_FLAGS.get(link)
        if flag == "retracted":
            retracted = True
        elif flag and flag not in flags:
            flags.append(flag)
    if retracted:
        flags.insert(0, "retracted")
    if any(_type_name(t) == "clinical trial protocol" for t in types):
        flags.append("protocol: no results")

    from ldn_evidence.verification.modifiers import study_modifiers

    underlying, rule = design_rule(types, title, abstract)
    modifiers = study_modifiers(title, abstract)
    level = underlying
    if retracted:
        level = "retracted"
        modifiers["underlying_level"] = underlying
        rule = _retracted_rule(underlying, rule)
    lv = _BY_KEY[level]
    return Grade(
        level=lv.key, rank=lv.rank, label=lv.label, modifiers=modifiers, flags=flags, rule=rule
    )
