"""The value sets every layer shares, each defined once, and the one PMID rule.

Verdicts, verdict and citation origins, reference kinds and resolution statuses, study
origins, evidence levels. The models build their CHECK constraints from these, the services
validate input against them, the CLI offers them as choices and help text, the exporters
label them; tests hold the migrations and `export/schema.json` to them.

This module imports nothing from the package, so every layer (and `ldn-evidence --help`,
which must not load SQLAlchemy) can import it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

# ---- verdicts: does a study's abstract support a claim? (`citations.verdict`) ---------------


class Verdict(StrEnum):
    UNCHECKED = "unchecked"
    SUPPORTED = "supported"
    PARTIALLY_SUPPORTED = "partially_supported"
    NOT_SUPPORTED = "not_supported"
    CONTRADICTED = "contradicted"
    NOT_IN_ABSTRACT = "not_in_abstract"


UNCHECKED = Verdict.UNCHECKED.value
SUPPORTED = Verdict.SUPPORTED.value
PARTIALLY_SUPPORTED = Verdict.PARTIALLY_SUPPORTED.value
NOT_SUPPORTED = Verdict.NOT_SUPPORTED.value
CONTRADICTED = Verdict.CONTRADICTED.value
NOT_IN_ABSTRACT = Verdict.NOT_IN_ABSTRACT.value
VERDICTS: tuple[str, ...] = tuple(v.value for v in Verdict)
"""In the order commands list them."""
UNSUPPORTED_VERDICTS: tuple[str, ...] = (NOT_SUPPORTED, CONTRADICTED)
"""The verdicts a report counts together as "unsupported"."""


def unknown_verdict_message(value: object) -> str:
    """What every command says about a verdict that is not one of VERDICTS."""
    return f"unknown verdict {value!r}; choose one of: {', '.join(VERDICTS)}"


# ---- who set a verdict (`citations.verdict_origin`, `citation_events.origin`) ---------------


class VerdictOrigin(StrEnum):
    AUTOMATIC = "automatic"  # `verify`
    REVIEWER = "reviewer"  # `claims check`: always wins over an automatic verdict


VERDICT_ORIGINS: tuple[str, ...] = tuple(o.value for o in VerdictOrigin)


# ---- why a claim cites a study (`citations.origin`) -----------------------------------------


class CitationOrigin(StrEnum):
    PAGE = "page"  # every reference of the page, linked to every claim of the page
    CLAIM = "claim"  # the claim carries its own marker (footnote, link) for the reference
    REVIEWER = "reviewer"  # added by a reviewer (`claims cite`)


CITATION_ORIGINS: tuple[str, ...] = tuple(o.value for o in CitationOrigin)
CITATION_ORIGIN_LABELS: dict[str, str] = {
    CitationOrigin.PAGE: "cited by the page",
    CitationOrigin.CLAIM: "cited for this claim",
    CitationOrigin.REVIEWER: "added by a reviewer",
}


def citation_origin_label(origin: str) -> str:
    """ "cited by the page", "cited for this claim", "added by a reviewer"."""
    return CITATION_ORIGIN_LABELS.get(origin, origin)


# ---- references as a page writes them (`references.kind`, `references.status`) --------------


class ReferenceKind(StrEnum):
    PUBMED = "pubmed"  # a PubMed link or "PMID: N"
    PMC = "pmc"  # a PMC id or link
    DOI = "doi"
    CITATION = "citation"  # a written citation: authors, journal, year, volume, pages
    TITLE = "title"  # a title alone
    WEB = "web"  # any other link: not a study


REFERENCE_KINDS: tuple[str, ...] = tuple(k.value for k in ReferenceKind)


class ResolutionStatus(StrEnum):
    UNRESOLVED = "unresolved"
    RESOLVED = "resolved"
    AMBIGUOUS = "ambiguous"
    NOT_FOUND = "not_found"
    FAILED = "failed"
    WEB = "web"


RESOLUTION_STATUSES: tuple[str, ...] = tuple(s.value for s in ResolutionStatus)


# ---- where a stored study record came from (`studies.origin`) -------------------------------


class StudyOrigin(StrEnum):
    EFETCH = "efetch"  # fetched from PubMed
    FILE = "file"  # imported from a local PubMed XML file
    CURATED = "curated"  # facts typed into a dataset file, no PubMed record


STUDY_ORIGINS: tuple[str, ...] = tuple(o.value for o in StudyOrigin)


# ---- evidence levels (`studies.evidence_level`) ---------------------------------------------
# Oxford Centre for Evidence-Based Medicine 2011, "does this intervention help?";
# `verification.grading` says which publication types give which level.


@dataclass(frozen=True, slots=True)
class Level:
    key: str
    rank: int  # the OCEBM level; 0 = retracted, 6 = no design in the publication types
    label: str


LEVELS: tuple[Level, ...] = (
    Level("retracted", 0, "Retracted"),
    Level("systematic_review", 1, "1 · Systematic review / meta-analysis"),
    Level("rct", 2, "2 · Randomized controlled trial"),
    Level("controlled_trial", 3, "3 · Other controlled trial"),
    Level("observational", 3, "3 · Cohort / case-control / observational"),
    Level("case_report", 4, "4 · Case series / case report"),
    Level("guideline", 5, "5 · Practice guideline (check the evidence it cites)"),
    Level("opinion", 5, "5 · Review, editorial, letter, comment"),
    Level("mechanistic", 5, "5 · Mechanistic: animal or in vitro only"),
    Level("unclassified", 6, "Unclassified (no design in the publication types)"),
)
"""Ordered strongest first (retracted first: it overrides everything)."""
LEVEL_KEYS: tuple[str, ...] = tuple(lv.key for lv in LEVELS)
RETRACTED_LEVEL = "retracted"

_BY_KEY = {lv.key: lv for lv in LEVELS}


def level_label(level: str | None) -> str:
    """The display label of a level key ("rct" → "2 · Randomized controlled trial")."""
    lv = _BY_KEY.get(level or "")
    return lv.label if lv else (level or _BY_KEY["unclassified"].label)


def level_rank(level: str | None) -> int:
    lv = _BY_KEY.get(level or "")
    return lv.rank if lv else _BY_KEY["unclassified"].rank


def levels_at_least(level: str) -> list[str]:
    """Keys of the levels as strong as `level` or stronger, for filtering; never
    "retracted" (a retracted study does not count as evidence at any level)."""
    if level not in _BY_KEY:
        raise ValueError(f"unknown evidence level {level!r}; one of {list(LEVEL_KEYS)}")
    rank = _BY_KEY[level].rank
    return [lv.key for lv in LEVELS if lv.key != RETRACTED_LEVEL and lv.rank <= rank]


# ---- identifier widths ----------------------------------------------------------------------

URL_MAX = 2048
"""The longest URL kept (a page's address, a reference's link): longer ones are not links."""
DOI_MAX = 255
"""The longest DOI kept."""


# ---- the PMID rule --------------------------------------------------------------------------

PMID_MAX_DIGITS = 19
"""A PMID is at most 19 digits (it fits a 64-bit integer's width)."""


def normalize_pmid(value: object) -> str | None:
    """The PMID `value` names, as PubMed writes it, or None when it names none.

    A PMID is a positive whole number written in ASCII digits only: no sign, no spaces
    inside, no superscripts or other scripts' digits, at most `PMID_MAX_DIGITS` digits.
    Surrounding whitespace is ignored and leading zeros are dropped ("007" → "7").
    Integers are accepted as well as strings.
    """
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    text = str(value).strip()
    if not (0 < len(text) <= PMID_MAX_DIGITS and text.isascii() and text.isdigit()):
        return None
    return text.lstrip("0") or None
