"""What a page's red flags read of a cited study, stored with it (`study_json.marks`) so
the json export written from SQL (`report_flat_json`) flags a page without the study's
record or abstract: its flags and title (retracted, corrected), whether it has an abstract
and the abstract's figures, from which "figure in no cited abstract" is answered as
`verification.figure_presence.figure_in_abstract` answers it from the abstract
(`figure_in_marks`; the tests hold the two equal).
"""

from __future__ import annotations

import json
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ldn_evidence.figures import Figure
    from ldn_evidence.viewmodel import StudyRecord


class Marks:
    """A study as a page's red flags read it (`red_flags.PageFlags`), from its stored text
    (`marks_text`), read when first asked: `flags`, `retracted`, `title`; `abstract` is
    only whether it has one; `values` (unit, low, high) and `numbers` are the abstract's
    figures (`abstract_figures.figure_values`) and every number it states. Most studies
    have no flag and cite no figure: their text is never parsed."""

    __slots__ = ("pmid", "_text", "_data")

    def __init__(self, pmid: str, text: str) -> None:
        self.pmid = pmid
        self._text = text
        self._data: list[Any] | None = None

    def _parsed(self) -> list[Any]:
        if self._data is None:
            self._data = json.loads(self._text)
        return self._data

    @property
    def flags(self) -> list[str]:
        if self._data is None and self._text.startswith(_NO_FLAGS):
            return []
        flags: list[str] = self._parsed()[0]
        return flags

    @property
    def abstract(self) -> bool:
        if self._data is None and self._text.startswith(_NO_FLAGS_NO_ABSTRACT):
            return False
        return bool(self._parsed()[1])

    @property
    def retracted(self) -> bool:  # as `entries.study_record` sets it
        return "retracted" in self.flags

    @property
    def title(self) -> str:
        title: str = self._parsed()[2]
        return title

    @property
    def values(self) -> list[list[Any]]:  # [unit, low, high]
        values: list[list[Any]] = self._parsed()[3]
        return values

    @property
    def numbers(self) -> list[float]:
        numbers: list[float] = self._parsed()[4]
        return numbers


# how `marks_text` starts for a study without flags, and without flags or abstract
_NO_FLAGS, _NO_FLAGS_NO_ABSTRACT = "[[], ", "[[], false, "


def marks_text(record: StudyRecord) -> str:
    """The stored marks of a study's record (JSON; floats as repr, so read back exact)."""
    values: list[Any] = []
    numbers: list[Any] = []
    if record.abstract:
        from ldn_evidence.verification.abstract_figures import figure_values
        from ldn_evidence.verification.figure_presence import _ANY_NUMBER
        from ldn_evidence.verification.numbers import parse_number

        values = [list(v) for v in figure_values(record.abstract)]
        for m in _ANY_NUMBER.finditer(record.abstract):
            value = parse_number(m.group(0))
            if value is not None:
                numbers.append(value)
    data = [record.flags, bool(record.abstract), record.title, values, numbers]
    return json.dumps(data, ensure_ascii=False)


def marks_of(pmid: str, text: str) -> Marks:
    """A study's `Marks` from its stored text (`marks_text`)."""
    return Marks(pmid, text)


@cache
def _figure_checks() -> tuple[Any, Any, Any]:
    """`is_checkable`, `figure_interval`, `normalize_unit`: imported when a figure is first
    checked (not by every command that imports this), then kept."""
    from ldn_evidence.verification.figure_presence import is_checkable
    from ldn_evidence.verification.intervals import figure_interval, normalize_unit

    return is_checkable, figure_interval, normalize_unit


def figure_in_marks(figure: Figure, marks: Marks) -> bool:
    """`figure_presence.figure_in_abstract(figure, the study's abstract)`, from its marks."""
    is_checkable, figure_interval, normalize_unit = _figure_checks()
    if not marks.abstract or not is_checkable(figure):
        return False
    interval = figure_interval(figure)
    unit = normalize_unit(figure.unit)
    if unit in ("%", "fold") and (figure.unit or "").strip().lower() not in ("points",):
        for fig_unit, low, high in marks.values:
            if fig_unit != unit:
                continue
            if interval.overlaps(low, low if high is None else high):
                return True
        return False
    return any(interval.contains(value) for value in marks.numbers)
