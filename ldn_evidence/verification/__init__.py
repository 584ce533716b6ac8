"""Pure verification and grading: no database, no network.

- `figure_interval(Figure) -> Interval` — a claim's figure as the values that support it
  (tolerances in `intervals.TOLERANCES`).
- `find_abstract_figures(abstract) -> list[AbstractFigure]` — the abstract's figures with
  sentence, value(s), unit, outcome (`outcomes.FIGURE_OUTCOMES`) and role (`roles.ROLES`).
- `verify_claim(ClaimInput, StudyInput) -> VerificationResult` — one of `VERDICTS` with
  the deciding sentence(s).
- `grade_study(publication_types, title, abstract, link_types) -> Grade` — evidence level
  (`grading.LEVELS`, Oxford CEBM 2011), modifiers and flags.
- `ENGINE_VERSION` — bumped when a verdict could change (`version.py`); `verify`
  re-checks every citation after a bump.

Importing the package loads none of its modules (a name is imported when first used), so
a command that needs one small part (`modifiers` for a study's design) does not pay for
the engine and its word lists.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ldn_evidence.outcomes import FIGURE_OUTCOMES, normalize_outcome
    from ldn_evidence.verification.abstract_figures import AbstractFigure, find_abstract_figures
    from ldn_evidence.verification.grading import (
        LEVELS,
        PUBLICATION_TYPE_LEVELS,
        Grade,
        Level,
        grade_study,
        level_label,
        level_rank,
        levels_at_least,
    )
    from ldn_evidence.verification.intervals import (
        TOLERANCES,
        Interval,
        close_margin,
        figure_interval,
    )
    from ldn_evidence.verification.results import (
        VERDICTS,
        ClaimInput,
        StudyInput,
        VerificationResult,
    )
    from ldn_evidence.verification.roles import ROLES
    from ldn_evidence.verification.verdict import verify_claim
    from ldn_evidence.verification.version import ENGINE_VERSION

# Where each name of the package lives: imported from there when first asked for.
_HOMES = {
    "FIGURE_OUTCOMES": "ldn_evidence.outcomes",
    "normalize_outcome": "ldn_evidence.outcomes",
    "AbstractFigure": "ldn_evidence.verification.abstract_figures",
    "find_abstract_figures": "ldn_evidence.verification.abstract_figures",
    "LEVELS": "ldn_evidence.verification.grading",
    "PUBLICATION_TYPE_LEVELS": "ldn_evidence.verification.grading",
    "Grade": "ldn_evidence.verification.grading",
    "Level": "ldn_evidence.verification.grading",
    "grade_study": "ldn_evidence.verification.grading",
    "level_label": "ldn_evidence.verification.grading",
    "level_rank": "ldn_evidence.verification.grading",
    "levels_at_least": "ldn_evidence.verification.grading",
    "TOLERANCES": "ldn_evidence.verification.intervals",
    "Interval": "ldn_evidence.verification.intervals",
    "close_margin": "ldn_evidence.verification.intervals",
    "figure_interval": "ldn_evidence.verification.intervals",
    "VERDICTS": "ldn_evidence.verification.results",
    "ClaimInput": "ldn_evidence.verification.results",
    "StudyInput": "ldn_evidence.verification.results",
    "VerificationResult": "ldn_evidence.verification.results",
    "ROLES": "ldn_evidence.verification.roles",
    "verify_claim": "ldn_evidence.verification.verdict",
    "ENGINE_VERSION": "ldn_evidence.verification.version",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOMES])


__all__ = [
    "ENGINE_VERSION",
    "LEVELS",
    "FIGURE_OUTCOMES",
    "PUBLICATION_TYPE_LEVELS",
    "ROLES",
    "TOLERANCES",
    "VERDICTS",
    "AbstractFigure",
    "ClaimInput",
    "Grade",
    "Interval",
    "Level",
    "StudyInput",
    "VerificationResult",
    "close_margin",
    "figure_interval",
    "find_abstract_figures",
    "grade_study",
    "level_label",
    "level_rank",
    "levels_at_least",
    "normalize_outcome",
    "verify_claim",
]
