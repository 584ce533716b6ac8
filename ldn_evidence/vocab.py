"""The value sets every layer shares, each defined once, and the one PMID rule.

Verdicts, verdict and citation origins, reference kinds and resolution statuses, study
origins, Retraction Watch natures, the changes `watch` reports, evidence levels. The
models build their CHECK constraints from these, the services validate input against
them, the CLI offers them as choices and help text, the exporters label them; tests hold
the migrations and `export/schema.json` to them.

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
    PAGE = "page"  # a page without per-claim markers: its studies, linked to each claim
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


# ---- red flags: what a pharmacist must see first on a page (reports, `documents show`) -------


class RedFlagKind(StrEnum):
    RETRACTED = "retracted"  # a cited study is retracted
    UNSUPPORTED = "unsupported"  # a source contradicts the claim or does not support it
    FIGURE_NOT_IN_ABSTRACT = "figure_not_in_abstract"  # the claim's figure is in no cited abstract
    UNSOURCED = "unsourced"  # the claim cites nothing
    UNRESOLVED_REFERENCE = "unresolved_reference"  # not resolved, not found, failed, ambiguous
    STUDY_NOT_STORED = "study_not_stored"  # resolved to a PMID whose record is not stored
    CORRECTED = "corrected"  # an erratum or expression of concern on a cited study
    WEB_ONLY = "web_only"  # the claim cites only web pages, no study
    SKIPPED_SENTENCE = "skipped_sentence"  # a sentence with a marker or figure, not taken


RED_FLAG_KINDS: tuple[str, ...] = tuple(k.value for k in RedFlagKind)
"""In the order reports list them: the most serious first."""
RED_FLAG_LABELS: dict[str, str] = {
    RedFlagKind.RETRACTED: "Retracted source",
    RedFlagKind.UNSUPPORTED: "Contradicted or not supported",
    RedFlagKind.FIGURE_NOT_IN_ABSTRACT: "Figure in no cited abstract",
    RedFlagKind.UNSOURCED: "Unsourced claim",
    RedFlagKind.UNRESOLVED_REFERENCE: "Reference that does not resolve",
    RedFlagKind.STUDY_NOT_STORED: "Study record not fetched",
    RedFlagKind.CORRECTED: "Corrected source",
    RedFlagKind.WEB_ONLY: "Only web pages cited",
    RedFlagKind.SKIPPED_SENTENCE: "Sentence skipped by the extractor",
}


# ---- where a stored study record came from (`studies.origin`) -------------------------------


class StudyOrigin(StrEnum):
    EFETCH = "efetch"  # fetched from PubMed
    FILE = "file"  # imported from a local PubMed XML file
    CURATED = "curated"  # facts typed into a dataset file, no PubMed record


STUDY_ORIGINS: tuple[str, ...] = tuple(o.value for o in StudyOrigin)


# ---- Retraction Watch notices (`retraction_notices.nature`) ---------------------------------


class RetractionNature(StrEnum):
    RETRACTION = "retraction"
    CORRECTION = "correction"
    EXPRESSION_OF_CONCERN = "expression_of_concern"
    REINSTATEMENT = "reinstatement"


RETRACTION_NATURES: tuple[str, ...] = tuple(n.value for n in RetractionNature)
RETRACTION_NATURE_LABELS: dict[str, str] = {
    RetractionNature.RETRACTION: "Retraction",
    RetractionNature.CORRECTION: "Correction",
    RetractionNature.EXPRESSION_OF_CONCERN: "Expression of concern",
    RetractionNature.REINSTATEMENT: "Reinstatement",
}
"""As the Retraction Watch CSV writes them (its RetractionNature column)."""


def retraction_nature(label: str) -> str | None:
    """The nature key of a RetractionNature value ("Expression of Concern" →
    "expression_of_concern"; case and spacing ignored), or None for any other value."""
    wanted = " ".join(str(label).split()).lower()
    for key, text in RETRACTION_NATURE_LABELS.items():
        if text.lower() == wanted:
            return key
    return None


# ---- what `watch` finds changed in a cited study (`study_checks`, `study_changes`) ----------


class ChangeKind(StrEnum):
    RETRACTED = "retracted"
    EXPRESSION_OF_CONCERN = "expression_of_concern"
    ERRATUM = "erratum"
    CORRECTION = "correction"
    REINSTATED = "reinstated"
    COMMENT = "comment"
    TITLE_CHANGED = "title_changed"
    ABSTRACT_CHANGED = "abstract_changed"
    PUBLICATION_TYPES_CHANGED = "publication_types_changed"


CHANGE_KINDS: tuple[str, ...] = tuple(k.value for k in ChangeKind)
ALERT_CHANGES: tuple[str, ...] = (
    ChangeKind.RETRACTED.value,
    ChangeKind.EXPRESSION_OF_CONCERN.value,
)
"""The changes `watch` exits 4 for: a cited study newly retracted or put under concern."""
CHANGE_LABELS: dict[str, str] = {
    ChangeKind.RETRACTED: "retracted",
    ChangeKind.EXPRESSION_OF_CONCERN: "expression of concern",
    ChangeKind.ERRATUM: "erratum",
    ChangeKind.CORRECTION: "correction",
    ChangeKind.REINSTATED: "reinstated",
    ChangeKind.COMMENT: "comment linked",
    ChangeKind.TITLE_CHANGED: "title changed",
    ChangeKind.ABSTRACT_CHANGED: "abstract changed",
    ChangeKind.PUBLICATION_TYPES_CHANGED: "publication types changed",
}


class CheckOutcome(StrEnum):
    UNCHANGED = "unchanged"  # nothing a pharmacist needs to hear of changed
    CHANGED = "changed"  # one change or more (`study_changes`)
    NOT_FOUND = "not_found"  # PubMed no longer returns the record


CHECK_OUTCOMES: tuple[str, ...] = tuple(o.value for o in CheckOutcome)


class ChangeSource(StrEnum):
    PUBMED = "pubmed"  # the re-fetched PubMed record differs from the stored one
    RETRACTION_WATCH = "retraction_watch"  # a notice imported since the study's last check


CHANGE_SOURCES: tuple[str, ...] = tuple(s.value for s in ChangeSource)
# ---- full texts from PubMed Central (`full_texts`, `full_text_sections`, `…_passages`) ------


class FullTextStatus(StrEnum):
    OPEN = "open"  # the article's body is stored
    NOT_OPEN = "not_open"  # PMC gave the front matter only (the publisher allows no XML)


FULL_TEXT_STATUSES: tuple[str, ...] = tuple(s.value for s in FullTextStatus)


class SectionKind(StrEnum):
    """What a section of an article is, from its `sec-type` or its title."""

    ABSTRACT = "abstract"
    INTRODUCTION = "introduction"
    METHODS = "methods"
    RESULTS = "results"
    DISCUSSION = "discussion"
    CONCLUSIONS = "conclusions"
    SUPPLEMENTARY = "supplementary"
    DECLARATIONS = "declarations"  # funding, competing interests, contributions …
    OTHER = "other"


SECTION_KINDS: tuple[str, ...] = tuple(k.value for k in SectionKind)


class PassageKind(StrEnum):
    PARAGRAPH = "paragraph"
    TABLE = "table"  # caption, then one line of cells per row, then the table's notes
    FIGURE = "figure"  # the label and caption
    FOOTNOTE = "footnote"


PASSAGE_KINDS: tuple[str, ...] = tuple(k.value for k in PassageKind)


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


def normalize_pmcid(value: object) -> str | None:
    """The PubMed Central id `value` names, written "PMC" + digits ("3166277", "PMC3166277",
    "pmc03166277" → "PMC3166277"), or None when it names none."""
    if not isinstance(value, str | int) or isinstance(value, bool):
        return None
    text = str(value).strip()
    if text[:3].upper() == "PMC":
        text = text[3:]
    if not (0 < len(text) <= 12 and text.isascii() and text.isdigit()):
        return None
    digits = text.lstrip("0")
    return f"PMC{digits}" if digits else None


PUBMED_URL = "https://pubmed.ncbi.nlm.nih.gov/{pmid}/"
PMC_ARTICLE_URL = "https://pmc.ncbi.nlm.nih.gov/articles/{pmcid}/"


def pubmed_url(pmid: str) -> str:
    """The PubMed page of a record ("23359310")."""
    return PUBMED_URL.format(pmid=pmid)


def pmc_article_url(pmcid: str) -> str:
    """The PubMed Central page of an article ("PMC2891387")."""
    return PMC_ARTICLE_URL.format(pmcid=pmcid)
