"""Pure verification and grading: no database, no network.

- `figure_interval(Figure) -> Interval` — a claim's figure as the values that support it
  (tolerances in `intervals.TOLERANCES`).
- `find_abstract_figures(abstract) -> list[AbstractFigure]` — the abstract's figures with
  sentence, value(s), unit, outcome (`outcomes.OUTCOMES`) and role (`roles.ROLES`).
- `verify_claim(ClaimInput, StudyInput) -> VerificationResult` — one of `VERDICTS` with
  the deciding sentence(s).
- `grade_study(publication_types, title, abstract, link_types) -> Grade` — evidence level
  (`grading.LEVELS`, Oxford CEBM 2011), modifiers and flags.

Each name is imported on first use (PEP 562), so importing one module of the package
(`verification.grading` for `import-xml`) does not load the whole engine and its word
lists.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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
    from ldn_evidence.verification.outcomes import OUTCOMES, normalize_outcome
    from ldn_evidence.verification.results import (
        VERDICTS,
        ClaimInput,
        StudyInput,
        VerificationResult,
    )
    from ldn_evidence.verification.roles import ROLES
    from ldn_evidence.verification.sentences import split_sentences
    from ldn_evidence.verification.verdict import verify_claim

_HOMES = {
    "AbstractFigure": "abstract_figures",
    "find_abstract_figures": "abstract_figures",
    "LEVELS": "grading",
    "PUBLICATION_TYPE_LEVELS": "grading",
    "Grade": "grading",
    "Level": "grading",
    "grade_study": "grading",
    "level_label": "grading",
    "level_rank": "grading",
    "levels_at_least": "grading",
    "TOLERANCES": "intervals",
    "Interval": "intervals",
    "close_margin": "intervals",
    "figure_interval": "intervals",
    "OUTCOMES": "outcomes",
    "normalize_outcome": "outcomes",
    "VERDICTS": "results",
    "ClaimInput": "results",
    "StudyInput": "results",
    "VerificationResult": "results",
    "ROLES": "roles",
    "split_sentences": "sentences",
    "verify_claim": "verdict",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


__all__ = [
    "LEVELS",
    "OUTCOMES",
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
    "split_sentences",
    "verify_claim",
]
