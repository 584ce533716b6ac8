"""A page's red flags: what a pharmacist must see before anything else (`vocab.RedFlagKind`).

Read from the report's views only (claims with their citations, studies and references),
so the report and `documents show` flag the same things, and a reference status or a
claim's `unsourced` flag set anywhere upstream is flagged without more work here:

- a cited study that is retracted, or carries an erratum / expression of concern;
- a claim a source contradicts or does not support (the verdict's reason and the
  reviewer's note travel with it);
- a claim whose figure is in no cited abstract (`verification.figure_presence`);
- an unsourced claim;
- a reference that does not resolve (any status but resolved and web, with its error),
  and one resolved to a PMID whose record is not stored;
- a claim whose only sources are web pages;
- a sentence with a citation marker or a figure that the extractor skipped. Skipped
  sentences are not stored: they are read again from the stored page text, so a sentence
  whose only marker was a hyperlink (links are not stored) is not found again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ldn_evidence.figures import Figure as ClaimFigure
from ldn_evidence.viewmodel import CitationEntry, ClaimEntry, RedFlag, ReferenceEntry, StudyRecord
from ldn_evidence.vocab import (
    RED_FLAG_KINDS,
    RED_FLAG_LABELS,
    UNSUPPORTED_VERDICTS,
    RedFlagKind,
    ReferenceKind,
    ResolutionStatus,
)

_CORRECTIONS = ("erratum", "expression of concern")
_SHORT = 90


@dataclass(frozen=True)
class Skipped:
    """A sentence the extractor did not take although it has a marker or a figure."""

    text: str
    reason: str


def page_red_flags(
    claims: Sequence[ClaimEntry],
    references: Sequence[ReferenceEntry] = (),
    skipped: Iterable[Skipped] = (),
    *,
    whole_page: bool = True,
) -> list[RedFlag]:
    """The red flags of one page's `claims` (in page order), most serious first.

    `whole_page`: the claims are all the page's, so flags not tied to one of them (an
    uncited reference that does not resolve, a skipped sentence) are listed too.
    """
    collector = PageFlags()
    for claim in claims:
        collector.add(claim)
    return collector.flags(references, skipped, whole_page=whole_page)


class PageFlags:
    """`page_red_flags` one claim at a time, for a page whose claims are streamed: keeps
    what the flags need (the flags of each claim, the studies that flag and the claims
    citing each reference), never the claims themselves.

    `present(figure, study)`: whether a cited study's abstract states the claim's figure
    (default: read off `study.abstract`; the json written from SQL passes studies'
    stored `figure_marks.Marks` and `figure_marks.figure_in_marks`)."""

    def __init__(self, present: Callable[[ClaimFigure, Any], bool] | None = None) -> None:
        self._present = present or _in_abstract
        self._count = 0
        self._order: dict[int, int] = {}
        self._studies: dict[str, tuple[StudyRecord, list[int]]] = {}  # only studies that flag
        self._claim_flags: list[RedFlag] = []
        self._citing: dict[int, list[int]] = {}
        self._not_stored: dict[int, ReferenceEntry] = {}

    def add(self, claim: ClaimEntry) -> None:
        self._order[claim.id] = self._count
        self._count += 1
        for c in claim.citations:
            study = c.study
            # a study flags only with a flag (most have none: one test for them)
            if study is not None and study.flags and (study.retracted or _corrections(study)):
                ids = self._studies.setdefault(study.pmid, (study, []))[1]
                if claim.id not in ids:
                    ids.append(claim.id)
            ref = c.reference
            if ref is not None:
                citing = self._citing.setdefault(ref.id, [])
                if claim.id not in citing:
                    citing.append(claim.id)
                if c.study is None and ref.status == ResolutionStatus.RESOLVED:
                    self._not_stored[ref.id] = ref
        self._claim_flags += _claim_flags([claim], self._present)

    def flags(
        self,
        references: Sequence[ReferenceEntry] = (),
        skipped: Iterable[Skipped] = (),
        *,
        whole_page: bool = True,
    ) -> list[RedFlag]:
        flags = (
            _study_flags(self._studies)
            + self._claim_flags
            + _reference_flags(self._citing, self._not_stored, references)
        )
        if not whole_page:
            flags = [f for f in flags if f.claim_ids]
        else:
            flags += [
                _flag(RedFlagKind.SKIPPED_SENTENCE, [], f"not taken as a claim: {s.reason}", s.text)
                for s in skipped
            ]
        rank = {kind: i for i, kind in enumerate(RED_FLAG_KINDS)}
        order, count = self._order, self._count
        return sorted(
            flags,
            key=lambda f: (rank[f.kind], min((order[i] for i in f.claim_ids), default=count)),
        )


def _corrections(study: StudyRecord) -> list[str]:
    return [f for f in study.flags if f in _CORRECTIONS]


def _flag(
    kind: RedFlagKind,
    claim_ids: list[int],
    detail: str,
    text: str | None = None,
    *,
    pmid: str | None = None,
    reference_id: int | None = None,
) -> RedFlag:
    return RedFlag(
        kind=kind.value,
        label=RED_FLAG_LABELS[kind],
        claim_ids=claim_ids,
        detail=detail,
        text=text,
        pmid=pmid,
        reference_id=reference_id,
    )


def _short(text: str | None, width: int = _SHORT) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def source_name(citation: CitationEntry) -> str:
    """ "PMID 23359310", or the reference as the page writes it."""
    if citation.study is not None:
        return f"PMID {citation.study.pmid}"
    if citation.reference is not None:
        return f"“{_short(citation.source_label, 60)}”"
    return "an unknown source"


def _is_web(citation: CitationEntry) -> bool:
    ref = citation.reference
    return (
        citation.study is None
        and ref is not None
        and (ref.kind == ReferenceKind.WEB or ref.status == ResolutionStatus.WEB)
    )


def _study_flags(studies: dict[str, tuple[StudyRecord, list[int]]]) -> list[RedFlag]:
    flags = []
    for pmid, (study, ids) in studies.items():
        title = _short(study.title, 70)
        if study.retracted:
            flags.append(
                _flag(RedFlagKind.RETRACTED, ids, f"PMID {pmid} is retracted: {title}", pmid=pmid)
            )
        corrections = _corrections(study)
        if corrections:
            detail = f"PMID {pmid} has {' and '.join(corrections)}: {title}"
            flags.append(_flag(RedFlagKind.CORRECTED, ids, detail, pmid=pmid))
    return flags


def _verdict_words(c: CitationEntry) -> str:
    words = f"{c.verdict.replace('_', ' ')} by {source_name(c)}"
    if c.verdict_origin == "reviewer":
        words += " (a reviewer's verdict)"
    if c.reason:
        words += f": {c.reason}"
    if c.note:
        words += f" — reviewer's note: {c.note}"
    return words


def _claim_flags(
    claims: Sequence[ClaimEntry], present: Callable[[ClaimFigure, Any], bool]
) -> list[RedFlag]:
    flags = []
    for claim in claims:
        ids, text = [claim.id], claim.text
        bad = [c for c in claim.citations if c.verdict in UNSUPPORTED_VERDICTS]
        if bad:
            detail = "; ".join(_verdict_words(c) for c in bad)
            flags.append(_flag(RedFlagKind.UNSUPPORTED, ids, detail, text))
        missing = _figure_missing(claim, present)
        if missing:
            flags.append(_flag(RedFlagKind.FIGURE_NOT_IN_ABSTRACT, ids, missing, text))
        if claim.unsourced:
            detail = "no source on the page is cited for it"
            if claim.figure_label:
                detail = f"states {claim.figure_label} and {detail}"
            flags.append(_flag(RedFlagKind.UNSOURCED, ids, detail, text))
        if claim.citations and all(_is_web(c) for c in claim.citations):
            pages = ", ".join(source_name(c) for c in claim.citations)
            flags.append(_flag(RedFlagKind.WEB_ONLY, ids, f"cites web pages only: {pages}", text))
    return flags


def _in_abstract(figure: ClaimFigure, study: StudyRecord) -> bool:
    from ldn_evidence.verification.figure_presence import figure_in_abstract

    return figure_in_abstract(figure, study.abstract)


def _figure_missing(claim: ClaimEntry, present: Callable[[ClaimFigure, Any], bool]) -> str | None:
    """Why the claim's figure is in no cited abstract, or None (present somewhere, no
    figure, a p-value, or no study cited)."""
    fig = claim.figure
    if fig is None:
        return None
    studies = [c.study for c in claim.citations if c.study is not None]
    if not studies:
        return None
    from ldn_evidence.verification.figure_presence import is_checkable

    figure = ClaimFigure(fig.value, fig.unit or "%", fig.qualifier or "exact", fig.text or "")
    if not is_checkable(figure):
        return None
    if any(present(figure, s) for s in studies):
        return None
    without = [s.pmid for s in studies if not s.abstract]
    with_abstract = [s.pmid for s in studies if s.abstract]
    parts = []
    if with_abstract:
        parts.append(f"not in the abstract of PMID {', '.join(with_abstract)}")
    if without:
        parts.append(f"no abstract on file for PMID {', '.join(without)}")
    return f"{claim.figure_label or figure.text}: " + "; ".join(parts)


def _reference_flags(
    citing: dict[int, list[int]],
    not_stored: dict[int, ReferenceEntry],
    references: Sequence[ReferenceEntry],
) -> list[RedFlag]:
    numbers = {ref.id: i for i, ref in enumerate(references, start=1)}
    seen = {ref.id: ref for ref in references}
    for ref_id, ref in not_stored.items():
        seen.setdefault(ref_id, ref)
    flags = []
    for ref in seen.values():
        if ref.kind == ReferenceKind.WEB or ref.status == ResolutionStatus.WEB:
            continue
        if ref.status == ResolutionStatus.RESOLVED and ref.id not in not_stored:
            continue  # most references: nothing to flag, no name to write
        where = f"reference {numbers[ref.id]}" if ref.id in numbers else "a reference"
        name = f"{where} “{_short(ref.raw, 70)}”"
        ids = citing.get(ref.id, [])
        if ref.status != ResolutionStatus.RESOLVED:
            detail = f"{name}: {ref.status.replace('_', ' ')}"
            if ref.error:
                detail += f" ({ref.error})"
            flags.append(
                _flag(
                    RedFlagKind.UNRESOLVED_REFERENCE,
                    ids,
                    detail,
                    pmid=ref.pmid,
                    reference_id=ref.id,
                )
            )
        else:  # resolved, to a study whose record is not stored
            pmid = ref.pmid or "?"
            detail = (
                f"{name} resolved to PMID {pmid}, whose record is not stored "
                "(`ldn-evidence fetch --missing` fetches it)"
            )
            flags.append(
                _flag(RedFlagKind.STUDY_NOT_STORED, ids, detail, pmid=ref.pmid, reference_id=ref.id)
            )
    return flags


def skipped_sentences(text: str | None, claim_texts: Iterable[str] = ()) -> list[Skipped]:
    """The sentences of a stored page text that the extractor skips although they carry a
    citation marker or a figure, less those stored as claims (a reviewer may have added
    one by hand)."""
    from ldn_evidence.extract.claims import extract_claims_and_skipped
    from ldn_evidence.extract.page import page_to_text

    if not text or not text.strip():
        return []
    _, skipped = extract_claims_and_skipped(page_to_text(text, kind="text"))
    if not skipped:
        return []
    # Only the claims matching a skipped sentence are kept: `claim_texts` may be streamed.
    pending = {" ".join(s.text.split()) for s in skipped}
    taken = {t for t in (" ".join(c.split()) for c in claim_texts) if t in pending}
    return [Skipped(s.text, s.reason) for s in skipped if " ".join(s.text.split()) not in taken]
