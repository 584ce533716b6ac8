"""split_sentences: abbreviations, decimals, ellipses, quotes, paragraphs, line breaks."""

from __future__ import annotations

import pytest

from ldn_evidence.extract import split_sentences


def texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


@pytest.mark.parametrize(
    "text",
    [
        "Take 4.5 mg at bedtime, e.g. at 10 p.m. every night.",
        "Dr. Younger et al. found a drop in pain vs. placebo.",
        "Pain fell 30% (p < 0.05) in the U.S. trial.",
        "See Fig. 2 and No. 5 of the series.",
        "Jarred W. Younger led the study.",
        "The i.e. form is used approx. twice.",
    ],
)
def test_one_sentence(text):
    assert texts(text) == [text]


def test_two_sentences():
    assert texts("It works. It is safe!") == ["It works.", "It is safe!"]
    assert texts("Pain fell 4.5 points. Sleep improved.") == [
        "Pain fell 4.5 points.",
        "Sleep improved.",
    ]


def test_question_and_ellipsis():
    assert texts("Does it work? Studies say yes… More soon.") == [
        "Does it work?",
        "Studies say yes…",
        "More soon.",
    ]
    assert texts("It was... fine. Next.") == ["It was... fine.", "Next."]


def test_closing_quotes_and_footnotes_stay_with_the_sentence():
    assert texts("He said “it works.” Then he left.") == ["He said “it works.”", "Then he left."]
    assert texts("Pain fell by 30%.[1] Sleep improved.²  Mood too.") == [
        "Pain fell by 30%.[1]",
        "Sleep improved.²",
        "Mood too.",
    ]


def test_lowercase_after_period_is_not_a_boundary():
    assert texts("The dose was 4.5 mg. and then stopped.") == [
        "The dose was 4.5 mg. and then stopped."
    ]


def test_vitamin_d_ends_a_sentence():
    assert texts("Take vitamin D. Then rest.") == ["Take vitamin D.", "Then rest."]


def test_paragraph_indexes_and_offsets():
    text = "First one. Second one.\n\nThird one."
    sentences = split_sentences(text)
    assert [s.paragraph_index for s in sentences] == [0, 0, 1]
    for sentence in sentences:
        assert text[sentence.start : sentence.end] == sentence.text


def test_short_lines_are_their_own_sentences_and_wrapped_lines_join():
    text = (
        "DISCLAIMER\nThe information is general.\n\n"
        "This is a long hard-wrapped line of running text that goes on and\n"
        "continues on the next line without a break."
    )
    assert texts(text) == [
        "DISCLAIMER",
        "The information is general.",
        "This is a long hard-wrapped line of running text that goes on and "
        "continues on the next line without a break.",
    ]


def test_list_items_split_on_line_breaks():
    assert texts("Benefits include:\n- less pain\n- better sleep") == [
        "Benefits include:",
        "- less pain",
        "- better sleep",
    ]


def test_empty_text():
    assert split_sentences("") == []
    assert split_sentences(" \n\n \n") == []
