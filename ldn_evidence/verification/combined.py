"""A claim × study verdict from the abstract and, where the abstract does not settle it,
the study's full text.

The abstract decides first (`verify_claim`). Its verdict stands unless it is
not_in_abstract, not_supported or unchecked (`RECHECK`), or the study has no abstract, or
the claim has a figure that the abstract supports only in part for want of a figure of
its own: then the full text is read (`full_text.verify_full_text`), if the study has one.
A verdict the full text settles replaces the abstract's, with the location of its
deciding sentence; so does not_supported where the abstract said nothing.

`decide` takes the full text as a callable, so that a caller reads a study's full text
only when the abstract leaves the claim open, and says whether it asked for it
(`Decision.read_full_text`): a verdict reached without it does not depend on it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from ldn_evidence.figures import parse_claim_figure
from ldn_evidence.verification.full_text import DECISIVE, Passage, verify_full_text
from ldn_evidence.verification.results import (
    NOT_IN_ABSTRACT,
    NOT_SUPPORTED,
    PARTIALLY_SUPPORTED,
    UNCHECKED,
    ClaimInput,
    StudyInput,
    VerificationResult,
)
from ldn_evidence.verification.verdict import verify_claim

RECHECK = (NOT_IN_ABSTRACT, NOT_SUPPORTED, UNCHECKED)
"""Abstract verdicts the full text is checked for."""

FullTextInput = tuple[str, Sequence[Passage]]
"""A study's open full text: its PMCID and its passages."""


@dataclass(frozen=True, slots=True)
class Decision:
    result: VerificationResult
    location: str | None  # where the deciding sentence is when the full text gave it
    read_full_text: bool  # whether the verdict depends on the full text (or its absence)


def figure_wanting(claim: ClaimInput, abstract: VerificationResult) -> bool:
    """A claim with a figure that the abstract supports in part, with no figure of its own."""
    return (
        abstract.verdict == PARTIALLY_SUPPORTED
        and abstract.study_figure is None
        and (claim.figure is not None or parse_claim_figure(claim.text) is not None)
    )


def decide(
    claim: ClaimInput, study: StudyInput, full_text: Callable[[], FullTextInput | None]
) -> Decision:
    """The verdict of `claim` against `study`; `full_text()` gives the study's open full
    text (None: none). A study with neither an abstract nor a full text is the caller's
    to skip (asserted)."""
    abstract = verify_claim(claim, study) if study.abstract else None
    no_figure = abstract is not None and figure_wanting(claim, abstract)
    if abstract is not None and abstract.verdict not in RECHECK and not no_figure:
        return Decision(abstract, None, read_full_text=False)
    text = full_text()
    if text is None:
        assert abstract is not None  # a study with neither is skipped by the caller
        return Decision(abstract, None, read_full_text=True)
    pmcid, passages = text
    found = verify_full_text(claim, study, passages, with_abstract=abstract is None)
    if no_figure:  # the full text counts only where a figure decides
        if found.result.verdict in DECISIVE and found.result.study_figure is not None:
            return Decision(found.result, found.location, read_full_text=True)
        assert abstract is not None
        return Decision(abstract, None, read_full_text=True)
    if abstract is None or found.result.verdict in DECISIVE:
        return Decision(found.result, found.location, read_full_text=True)
    if abstract.verdict == NOT_IN_ABSTRACT and found.result.verdict == NOT_SUPPORTED:
        return Decision(found.result, found.location, read_full_text=True)
    if abstract.verdict == NOT_IN_ABSTRACT and found.result.verdict == NOT_IN_ABSTRACT:
        reason = f"{abstract.reason}; nor does the full text ({pmcid})"
        return Decision(replace(abstract, reason=reason), None, read_full_text=True)
    return Decision(abstract, None, read_full_text=True)


def decide_given(item: tuple[ClaimInput, StudyInput, FullTextInput | None]) -> Decision:
    """`decide` with the study's full text (or None) at hand: a worker process's call."""
    claim, study, text = item
    return decide(claim, study, lambda: text)
