"""The one sentence splitter: a page's sentences (PAGE: abbreviations, decimals, ellipses,
quotes, paragraphs, line breaks), an abstract's (ABSTRACT), and where the two modes differ."""

from __future__ import annotations

import pytest

from ldn_evidence.sentences import (
    ABSTRACT,
    MAX_SENTENCE,
    PAGE,
    sentence_spans,
    sentence_texts,
    split_sentences,
)


def texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text, PAGE)]


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
    sentences = split_sentences(text, PAGE)
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
    assert split_sentences("", PAGE) == []
    assert split_sentences(" \n\n \n", PAGE) == []


# ---- an abstract (ABSTRACT) ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("Pain fell. Mood rose.", ["Pain fell.", "Mood rose."]),
        ("Pain fell by 28.8% with LDN. Mood rose.", ["Pain fell by 28.8% with LDN.", "Mood rose."]),
        ("LDN vs. placebo differed. Next.", ["LDN vs. placebo differed.", "Next."]),
        ("LDN vs. Placebo: 28% vs. 18%.", ["LDN vs. Placebo: 28% vs. 18%."]),
        ("As Smith et al. Reported, pain fell.", ["As Smith et al. Reported, pain fell."]),
        ("Pain fell (p < 0.05). Sleep did not.", ["Pain fell (p < 0.05).", "Sleep did not."]),
        ("Pain fell (p<.05). Sleep did not.", ["Pain fell (p<.05).", "Sleep did not."]),
        ("Doses, e.g. 4.5 mg, were used. Next.", ["Doses, e.g. 4.5 mg, were used.", "Next."]),
        ("Dose was 4.5 mg. Pain fell.", ["Dose was 4.5 mg.", "Pain fell."]),
        ("Approx. 30 women took part.", ["Approx. 30 women took part."]),
        ("Written by J. Doe. Then more.", ["Written by J. Doe.", "Then more."]),
        ("Did it work? Yes! It did.", ["Did it work?", "Yes!", "It did."]),
        ("BACKGROUND: One.\nRESULTS: Two", ["BACKGROUND: One.", "RESULTS: Two"]),
        ("Ends with 12. 31 women took part.", ["Ends with 12.", "31 women took part."]),
        ("", []),
        ("   \n  ", []),
    ],
)
def test_abstract_sentences(text: str, sentences: list[str]) -> None:
    assert sentence_texts(text, ABSTRACT) == sentences


def test_abstract_sentences_are_exact_substrings() -> None:
    text = "  A first one.   A second (n = 10).\n\nA third vs. nothing.  "
    for start, end in sentence_spans(text, ABSTRACT):
        assert text[start:end] in sentence_texts(text, ABSTRACT)
        assert text[start:end] == text[start:end].strip()


# ---- where the modes differ, by name ------------------------------------------------------


def test_a_structured_abstract_keeps_its_labelled_lines_apart() -> None:
    text = (
        "BACKGROUND: LDN is used off label in many pain clinics today\n"
        "RESULTS: pain fell in 12 of 20"
    )
    assert sentence_texts(text, ABSTRACT) == [
        "BACKGROUND: LDN is used off label in many pain clinics today",
        "RESULTS: pain fell in 12 of 20",
    ]
    # a page reads the break after a long line as a soft wrap
    assert len(split_sentences(text, PAGE)) == 1


def test_only_a_page_ends_at_an_ellipsis_or_after_a_footnote_marker() -> None:
    text = "Pain fell… Sleep rose.[1] Mood too."
    assert [s.text for s in split_sentences(text, PAGE)] == [
        "Pain fell…",
        "Sleep rose.[1]",
        "Mood too.",
    ]
    assert sentence_texts(text, ABSTRACT) == [text]


def test_only_an_abstract_cuts_a_run_on_stretch() -> None:
    text = "word " * (MAX_SENTENCE // 2)
    assert len(split_sentences(text, PAGE)) == 1
    pieces = sentence_texts(text, ABSTRACT)
    assert len(pieces) > 1 and all(len(p) <= MAX_SENTENCE for p in pieces)
    assert " ".join(pieces) == text.strip()
