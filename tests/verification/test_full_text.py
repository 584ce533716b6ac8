"""The full-text check (`verification.full_text`): the order passages are read in, the
location of the deciding sentence, and what comes back when nothing addresses the claim."""

from __future__ import annotations

from ldn_evidence.verification import ClaimInput, StudyInput
from ldn_evidence.verification.full_text import Passage, groups, verify_full_text

STUDY = StudyInput(title="Low-dose naltrexone for fibromyalgia: a pilot study")
RESPONDERS = Passage(
    "Six of the ten women (60%) reported a reduction in fibromyalgia symptoms with low-dose "
    "naltrexone.",
    "full text, Results, ¶2",
    "paragraph",
    "results",
    2,
)
PASSAGES = [
    Passage("We had low-dose naltrexone for fibromyalgia in mind.", "full text, ¶1", "paragraph"),
    Passage("Ten women with fibromyalgia were enrolled.", "full text, Methods, ¶1", "paragraph",
            "methods", 1),
    Passage("All ten women completed the study.", "full text, Results, ¶1", "paragraph",
            "results", 2),
    RESPONDERS,
    Passage("Table 2. Responders by week\nWeek | Women with less fatigue\n8 | 7 of 10 (70%)",
            "Table 2", "table", "results", 2),
    Passage("Figure 1. Sleep quality improved over the eight weeks of low-dose naltrexone.",
            "Figure 1 legend", "figure", "results", 2),
    Passage("Low-dose naltrexone may reduce fibromyalgia symptoms.", "full text, Discussion, ¶1",
            "paragraph", "discussion", 3),
    Passage("Funding came from a charity.", "full text, Funding, ¶1", "paragraph",
            "declarations", 4),
    Passage("Only the abstract says this.", "full text, Abstract, ¶1", "paragraph", "abstract", 0),
]  # fmt: skip


def claim(text: str) -> ClaimInput:
    return ClaimInput(text=text)


def test_results_then_tables_then_figures_then_discussion_then_the_rest() -> None:
    order = [(label, [p.location for p in g]) for label, g in groups(PASSAGES)]
    assert order == [
        ("RESULTS", ["full text, Results, ¶1", "full text, Results, ¶2"]),
        ("RESULTS", ["Table 2"]),
        ("RESULTS", ["Figure 1 legend"]),
        ("DISCUSSION", ["full text, Discussion, ¶1"]),
        ("", ["full text, ¶1"]),
    ]  # methods, declarations and the abstract are not findings
    label, first = groups(PASSAGES, with_abstract=True)[0]
    assert (label, first[0].location) == ("", "full text, Abstract, ¶1")


def test_a_figure_in_the_results_decides_with_its_paragraph() -> None:
    found = verify_full_text(
        claim("60% of patients reported a reduction in fibromyalgia symptoms."), STUDY, PASSAGES
    )
    assert found.result.verdict in ("supported", "partially_supported")
    assert found.location == "full text, Results, ¶2"
    assert found.result.sentences == [RESPONDERS.text]
    assert "abstract" not in found.result.reason


def test_a_table_row_decides_with_the_table() -> None:
    row = "Arm: low-dose naltrexone | Pain (mm) week 0: 62 | Pain (mm) week 8: 41"
    passages = [
        Passage("All ten women completed the study.", "full text, Results, ¶1", "paragraph",
                "results", 2),
        Passage(f"Table 2. Pain scores on a 100 mm scale\n{row}", "Table 2", "table", "results",
                2),
    ]  # fmt: skip
    found = verify_full_text(claim("Low-dose naltrexone lowered pain to 41 mm by week 8."), STUDY,
                             passages)  # fmt: skip
    assert found.result.verdict != "not_in_abstract"
    assert (found.location, found.result.sentences) == ("Table 2", [row])


def test_the_opposite_direction_in_the_results_contradicts() -> None:
    more = [*PASSAGES, Passage("Fatigue decreased with low-dose naltrexone in the women with "
                               "fibromyalgia.", "full text, Results › Fatigue, ¶1", "paragraph",
                               "results", 2)]  # fmt: skip
    found = verify_full_text(
        claim("Low-dose naltrexone increased fatigue in women with fibromyalgia."), STUDY, more
    )
    assert found.result.verdict == "contradicted"
    assert found.location == "full text, Results › Fatigue, ¶1"
    assert "the full text reports a change in the opposite direction" in found.result.reason


def test_nothing_in_the_full_text() -> None:
    found = verify_full_text(claim("Magnesium halves migraine days in children."), STUDY, PASSAGES)
    assert found.result.verdict == "not_in_abstract" and found.location is None
    assert "no passage of the full text" in found.result.reason
    empty = verify_full_text(claim("Magnesium halves migraine days."), STUDY, [])
    assert empty.result.verdict == "not_in_abstract"


def test_a_claim_that_asserts_nothing_stays_unchecked() -> None:
    found = verify_full_text(claim("Naltrexone was studied for pain."), STUDY, PASSAGES)
    assert found.result.verdict == "unchecked" and found.location is None
