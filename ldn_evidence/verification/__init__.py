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
"""

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
from ldn_evidence.verification.intervals import TOLERANCES, Interval, close_margin, figure_interval
from ldn_evidence.verification.results import (
    VERDICTS,
    ClaimInput,
    StudyInput,
    VerificationResult,
)
from ldn_evidence.verification.roles import ROLES
from ldn_evidence.verification.verdict import verify_claim
from ldn_evidence.verification.version import ENGINE_VERSION

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
