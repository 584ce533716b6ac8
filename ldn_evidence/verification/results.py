"""The verification contract: what goes in (a claim, a study) and what comes out."""

from __future__ import annotations

from dataclasses import dataclass, field

from ldn_evidence.figures import Figure

# The verdict vocabulary stored in `citations.verdict`, defined in `ldn_evidence.vocab`.
from ldn_evidence.vocab import CONTRADICTED as CONTRADICTED
from ldn_evidence.vocab import NOT_IN_ABSTRACT as NOT_IN_ABSTRACT
from ldn_evidence.vocab import NOT_SUPPORTED as NOT_SUPPORTED
from ldn_evidence.vocab import PARTIALLY_SUPPORTED as PARTIALLY_SUPPORTED
from ldn_evidence.vocab import SUPPORTED as SUPPORTED
from ldn_evidence.vocab import UNCHECKED as UNCHECKED
from ldn_evidence.vocab import VERDICTS as VERDICTS


@dataclass(frozen=True, slots=True)
class ClaimInput:
    """A claim as extraction / the database hold it."""

    text: str
    figure: Figure | None = None
    outcome: str | None = None  # "pain", "fibromyalgia symptoms", "FIQ" …
    population: str | None = None  # "patients", "women", "children" …
    condition: str | None = None
    intervention: str | None = None  # "low-dose naltrexone", "LDN 4.5 mg"
    versus_placebo: bool | None = None  # does the claim's figure compare with placebo?


@dataclass(frozen=True, slots=True)
class StudyInput:
    title: str = ""
    abstract: str = ""
    publication_types: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class VerificationResult:
    """A verdict (one of VERDICTS), the abstract sentence(s) that decided it, the study's
    own figure when one decided it, and a reason a pharmacist can read."""

    verdict: str
    sentences: list[str]
    study_figure: str | None
    reason: str
