"""grade_study: every publication type of the table, retraction above everything, the
mechanistic heuristic, each modifier and each flag."""

from __future__ import annotations

import pytest

from ldn_evidence.pubmed.records import RETRACTION_LINK_TYPES
from ldn_evidence.verification.grading import (
    LEVELS,
    PUBLICATION_TYPE_LEVELS,
    design_level,
    grade_study,
    level_label,
    level_rank,
    levels_at_least,
)
from ldn_evidence.verification.modifiers import duration, study_modifiers

HUMAN = "Forty patients with fibromyalgia took part."
RANDOMIZED = "Forty patients were randomized to LDN or placebo."

# publication type, abstract, expected level
TYPES = [
    ("Meta-Analysis", HUMAN, "systematic_review"),
    ("Systematic Review", HUMAN, "systematic_review"),
    ("Network Meta-Analysis", HUMAN, "systematic_review"),
    ("Randomized Controlled Trial", HUMAN, "rct"),
    ("Pragmatic Clinical Trial", HUMAN, "rct"),
    ("Equivalence Trial", HUMAN, "rct"),
    ("Clinical Trial, Phase III", RANDOMIZED, "rct"),
    ("Clinical Trial, Phase IV", RANDOMIZED, "rct"),
    ("Clinical Trial, Phase III", HUMAN, "controlled_trial"),
    ("Clinical Trial, Phase IV", "A non-randomized study of 40 patients.", "controlled_trial"),
    ("Controlled Clinical Trial", HUMAN, "controlled_trial"),
    ("Clinical Trial", HUMAN, "controlled_trial"),
    ("Clinical Trial, Phase I", HUMAN, "controlled_trial"),
    ("Clinical Trial, Phase II", RANDOMIZED, "controlled_trial"),
    ("Clinical Study", HUMAN, "controlled_trial"),
    ("Adaptive Clinical Trial", HUMAN, "controlled_trial"),
    ("Observational Study", HUMAN, "observational"),
    ("Comparative Study", HUMAN, "observational"),
    ("Evaluation Study", HUMAN, "observational"),
    ("Twin Study", HUMAN, "observational"),
    ("Validation Study", HUMAN, "observational"),
    ("Multicenter Study", "A retrospective cohort of 400 patients.", "observational"),
    ("Multicenter Study", HUMAN, "unclassified"),  # not a design without cohort words
    ("Case Reports", "We report a woman with CRPS.", "case_report"),
    ("Practice Guideline", HUMAN, "guideline"),
    ("Guideline", HUMAN, "guideline"),
    ("Consensus Development Conference", HUMAN, "guideline"),
    ("Consensus Development Conference, NIH", HUMAN, "guideline"),
    ("Review", HUMAN, "opinion"),
    ("Scoping Review", HUMAN, "opinion"),
    ("Editorial", HUMAN, "opinion"),
    ("Letter", HUMAN, "opinion"),
    ("Comment", HUMAN, "opinion"),
    ("News", HUMAN, "opinion"),
    ("Newspaper Article", HUMAN, "opinion"),
    ("Interview", HUMAN, "opinion"),
    ("Lecture", HUMAN, "opinion"),
    ("Personal Narrative", HUMAN, "opinion"),
    ("Historical Article", HUMAN, "opinion"),
    ("Published Erratum", HUMAN, "opinion"),
    ("Retraction of Publication", HUMAN, "opinion"),
    ("Expression of Concern", HUMAN, "opinion"),
    ("Clinical Trial Protocol", HUMAN, "opinion"),
    ("Randomized Controlled Trial, Veterinary", "Forty dogs were randomized.", "mechanistic"),
    ("Clinical Trial, Veterinary", "Twelve cats.", "mechanistic"),
    ("Observational Study, Veterinary", "Twelve horses.", "mechanistic"),
    ("Retracted Publication", HUMAN, "retracted"),
]


@pytest.mark.parametrize(("ptype", "abstract", "level"), TYPES)
def test_publication_type_levels(ptype: str, abstract: str, level: str) -> None:
    grade = grade_study(["Journal Article", ptype], "A title", abstract, [])
    assert grade.level == level
    assert grade.label == level_label(level)
    assert grade.rank == level_rank(level)


def test_every_table_entry_is_tested() -> None:
    tested = {t.lower() for t, _, _ in TYPES}
    assert tested == set(PUBLICATION_TYPE_LEVELS)


def test_best_design_wins_and_case_is_ignored() -> None:
    grade = grade_study(["Journal Article", "Multicenter Study", "randomized controlled trial",
                         "Review"], "", HUMAN, [])  # fmt: skip
    assert grade.level == "rct"
    assert grade_study(["Meta-Analysis", "Review"], "", HUMAN, []).level == "systematic_review"
    assert grade_study([], "", "", []).level == "unclassified"
    assert grade_study(["Journal Article"], "", HUMAN, []).level == "unclassified"


@pytest.mark.parametrize(
    ("types", "links", "flags"),
    [
        (["Retracted Publication", "Randomized Controlled Trial"], [], ["retracted"]),
        (["Randomized Controlled Trial"], ["RetractionIn"], ["retracted"]),
        (["Meta-Analysis"], ["RetractionIn", "ErratumIn"], ["retracted", "erratum"]),
    ],
)
def test_retracted_is_above_everything(
    types: list[str], links: list[str], flags: list[str]
) -> None:
    grade = grade_study(types, "t", RANDOMIZED, links)
    assert grade.level == "retracted" and grade.rank == 0
    assert grade.flags == flags
    assert grade.modifiers["underlying_level"] in ("rct", "systematic_review")


@pytest.mark.parametrize(
    ("links", "flags"),
    [
        (["ExpressionOfConcernIn"], ["expression of concern"]),
        (["ErratumIn"], ["erratum"]),
        (["ErratumIn", "ErratumIn", "CommentIn"], ["erratum"]),
        (["CommentIn", "UpdateIn"], []),
    ],
)
def test_link_flags(links: list[str], flags: list[str]) -> None:
    grade = grade_study(["Randomized Controlled Trial"], "t", HUMAN, links)
    assert grade.level == "rct"
    assert grade.flags == flags


def test_every_retraction_link_type_gives_a_flag() -> None:
    for link in RETRACTION_LINK_TYPES:
        assert grade_study([], "", "", [link]).flags


def test_protocol_flag() -> None:
    assert "protocol: no results" in grade_study(["Clinical Trial Protocol"], "", "", []).flags


@pytest.mark.parametrize(
    ("types", "title", "abstract", "level"),
    [
        (["Journal Article"], "LDN in mice", "Mice received naltrexone.", "mechanistic"),
        (["Journal Article"], "", "In vitro, naltrexone reduced TLR4 signalling in a cell line.",
         "mechanistic"),
        (["Comparative Study"], "", "Rats were given LDN or saline.", "mechanistic"),
        (["Journal Article"], "", "Cultured cells and murine microglia were exposed.",
         "mechanistic"),
        # human evidence present: not mechanistic
        (["Comparative Study"], "", "Forty patients and cells in vitro were studied.",
         "observational"),
        # the publication type says RCT: trust it
        (["Randomized Controlled Trial"], "", "Mice and rats.", "rct"),
    ],
)  # fmt: skip
def test_mechanistic_heuristic(types: list[str], title: str, abstract: str, level: str) -> None:
    assert design_level(types, title, abstract) == level


def test_levels_table() -> None:
    keys = [lv.key for lv in LEVELS]
    assert keys[0] == "retracted"
    assert len(set(keys)) == len(keys)
    ranks = [lv.rank for lv in LEVELS]
    assert ranks == sorted(ranks)
    assert set(PUBLICATION_TYPE_LEVELS.values()) - {"randomized_if_stated"} <= set(keys)
    assert levels_at_least("rct") == ["systematic_review", "rct"]
    assert "retracted" not in levels_at_least("unclassified")
    assert levels_at_least("controlled_trial") == [
        "systematic_review", "rct", "controlled_trial", "observational"
    ]  # fmt: skip
    with pytest.raises(ValueError):
        levels_at_least("nope")


def test_level_label() -> None:
    assert level_label("rct") == "2 · Randomized controlled trial"
    assert level_label("retracted") == "Retracted"
    assert level_label("something") == "something"
    assert level_label(None).startswith("Unclassified")


# abstract text, modifier, expected value
MODIFIERS = [
    ("Thirty-one women with fibromyalgia took part.", "participants", 31),
    ("Patients (n = 10) took part.", "participants", 10),
    ("Ten participants completed the study.", "participants", 10),
    ("We enrolled 28 patients with CRPS.", "participants", 28),
    ("Of 120 patients screened, a total of 58 patients were randomized.", "participants", 58),
    ("A case of chronic pain.", "participants", None),
    ("Thirty-one women with fibromyalgia took part.", "sex", "female"),
    ("Twelve men with chronic pain took part.", "sex", "male"),
    ("We enrolled 28 patients (12 men and 16 women).", "sex", "mixed"),
    ("Participants (85% female) took part.", "sex", "mixed"),
    ("BACKGROUND: Fibromyalgia mostly affects women. METHODS: 40 patients.", "sex", None),
    ("A pilot study of LDN.", "pilot", True),
    ("A feasibility trial of LDN.", "pilot", True),
    ("A trial of LDN.", "pilot", False),
    ("A crossover trial.", "crossover", True),
    ("A cross-over trial.", "crossover", True),
    ("A parallel-group trial.", "crossover", False),
    ("Patients were randomized to LDN or placebo.", "randomized", True),
    ("Patients were randomised to LDN or placebo.", "randomized", True),
    ("Patients were randomly assigned to LDN or placebo.", "randomized", True),
    ("A non-randomized comparison.", "randomized", False),
    ("An uncontrolled series.", "randomized", False),
    ("A triple-blind trial.", "blinding", "triple"),
    ("A double-blind trial.", "blinding", "double"),
    ("A double-blinded trial.", "blinding", "double"),
    ("A single-blind trial.", "blinding", "single"),
    ("An assessor-blinded trial.", "blinding", "single"),
    ("An open-label trial.", "blinding", "open-label"),
    ("An open label trial.", "blinding", "open-label"),
    ("A trial.", "blinding", None),
    ("A placebo-controlled trial.", "placebo_controlled", True),
    ("A sham-controlled trial.", "placebo_controlled", True),
    ("A trial without placebo.", "placebo_controlled", False),
    ("LDN for 12 weeks.", "duration", "12 weeks"),
    ("An 8-week trial.", "duration", "8-week"),
    ("A 6-month follow-up.", "duration", "6-month"),
    ("Patients with pain for at least 3 months took LDN for 8 weeks.", "duration", "8 weeks"),
    ("Women aged 18 years or older.", "duration", None),
    ("A twelve-week trial.", "duration", "twelve-week"),
]


@pytest.mark.parametrize(("abstract", "key", "value"), MODIFIERS)
def test_modifiers(abstract: str, key: str, value: object) -> None:
    assert study_modifiers("", abstract)[key] == value


def test_modifiers_in_a_grade() -> None:
    grade = grade_study(
        ["Randomized Controlled Trial"],
        "Low-dose naltrexone for fibromyalgia: a pilot crossover trial",
        "Thirty-one women took part in a randomized, double-blind, placebo-controlled, "
        "22-week crossover trial with 12 weeks of LDN.",
        [],
    )
    assert grade.modifiers == {
        "participants": 31,
        "sex": "female",
        "pilot": True,
        "crossover": True,
        "randomized": True,
        "blinding": "double",
        "placebo_controlled": True,
        "duration": "22-week",
        "duration_weeks": 22.0,
    }


def test_duration_weeks() -> None:
    assert duration("for 10 days") == ("10 days", 1.43)
    assert duration("over 6 months") == ("6 months", 26.0)
    assert duration("no period") == (None, None)


# ---- meta-analyses that are not systematic reviews of trials; the rule that decided -------

MR = (
    "We ran a two-sample Mendelian randomisation meta-analysis of genome-wide association "
    "data (PubMed, GWAS Catalog) in 400,000 adults."
)
POOLED_TRIALS = (
    "A pooled analysis of individual participant data from three randomized controlled "
    "trials of LDN in 300 patients."
)
POOLED_COHORTS = "We pooled data from four cohorts (pooled analysis, 12,000 adults)."
SYSTEMATIC = (
    "We systematically searched MEDLINE and Embase for randomized trials and pooled "
    "their results in a random-effects meta-analysis."
)


@pytest.mark.parametrize(
    ("types", "abstract", "level", "rule"),
    [
        (["Meta-Analysis"], MR, "observational",
         "publication type “Meta-Analysis”, but the abstract describes a Mendelian "
         "randomisation (genetic data)"),
        (["Meta-Analysis", "Systematic Review"], MR, "observational", "Mendelian"),
        (["Meta-Analysis"], POOLED_TRIALS, "rct",
         "pooled analysis of randomised trials with no systematic search"),
        (["Meta-Analysis"], POOLED_COHORTS, "observational",
         "pooled analysis of studies with no systematic search"),
        (["Meta-Analysis"], SYSTEMATIC, "systematic_review", "publication type “Meta-Analysis”"),
        (["Meta-Analysis"], "", "systematic_review", "publication type “Meta-Analysis”"),
        (["Randomized Controlled Trial"], RANDOMIZED, "rct",
         "publication type “Randomized Controlled Trial”"),
        (["Clinical Trial, Phase III"], RANDOMIZED, "rct",
         "publication type “Clinical Trial, Phase III” and the abstract says randomised"),
        (["Clinical Trial, Phase III"], HUMAN, "controlled_trial", ", not randomised"),
        (["Journal Article"], HUMAN, "unclassified", "no study design in the publication types"),
        (["Journal Article"], "Mice received naltrexone.", "mechanistic", "animals or cells"),
    ],
)  # fmt: skip
def test_design_rule_says_what_decided_the_level(
    types: list[str], abstract: str, level: str, rule: str
) -> None:
    grade = grade_study(types, "", abstract, [])
    assert (grade.level, design_level(types, "", abstract)) == (level, level)
    assert rule in grade.rule


def test_a_retracted_study_keeps_its_design_rule() -> None:
    grade = grade_study(["Randomized Controlled Trial"], "", RANDOMIZED, ["RetractionIn"])
    assert grade.level == "retracted"
    assert grade.rule == (
        "retracted, whatever its design (rct: publication type “Randomized Controlled Trial”)"
    )
