"""Wording shared by the Markdown and HTML reports: labels, dates, the summary lines."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit

from ldn_evidence import __version__
from ldn_evidence.viewmodel import CitationEntry, EvidenceStudy, Filters, StudyRecord, Summary
from ldn_evidence.vocab import Verdict, VerdictOrigin, citation_origin_label
from ldn_evidence.vocab import level_label as graded_label

VERDICT_LABELS: dict[str, str] = {
    Verdict.UNCHECKED: "unchecked",
    Verdict.SUPPORTED: "supported",
    Verdict.PARTIALLY_SUPPORTED: "partially supported",
    Verdict.NOT_SUPPORTED: "not supported",
    Verdict.CONTRADICTED: "contradicted",
    Verdict.NOT_IN_ABSTRACT: "not in the abstract",
}
# The CSS class (and Markdown emphasis) a verdict gets: good, partial, bad, neutral.
VERDICT_TONE: dict[str, str] = {
    Verdict.SUPPORTED: "good",
    Verdict.PARTIALLY_SUPPORTED: "partial",
    Verdict.NOT_SUPPORTED: "bad",
    Verdict.CONTRADICTED: "bad",
    Verdict.NOT_IN_ABSTRACT: "partial",
    Verdict.UNCHECKED: "neutral",
}


def verdict_label(verdict: str) -> str:
    return VERDICT_LABELS.get(verdict, verdict.replace("_", " "))


def verdict_tone(verdict: str) -> str:
    return VERDICT_TONE.get(verdict, "neutral")


def level_label(study: StudyRecord) -> str:
    """ "2 · Randomized controlled trial"; "ungraded" until the study is graded."""
    if not study.evidence_level:
        return "ungraded"
    return graded_label(study.evidence_level)


NO_REASON = "no reason was recorded"


def verdict_reason(citation: CitationEntry) -> str | None:
    """Why the verdict is what it is: the engine's one-line reason. An "unchecked" verdict
    that was checked always has one, so it never stands beside "Checked by … on …" alone;
    one never checked needs none."""
    return reason_of(
        citation.reason,
        citation.verdict,
        bool(citation.checked_at or citation.checked_by),
        citation.verdict_origin,
    )


def reason_of(reason: str | None, verdict: str, checked: bool, origin: str) -> str | None:
    """`verdict_reason` of a citation's stored values (`checked`: it has a check time or
    a checker)."""
    if reason:
        return reason
    if verdict == Verdict.UNCHECKED and checked:
        if origin == VerdictOrigin.REVIEWER:
            return "a reviewer set the verdict back to unchecked"
        return NO_REASON
    return None


def level_line(study: StudyRecord) -> str:
    """The level and, beside it, the design: "2 · Randomized controlled trial — RCT,
    crossover, double-blind, 31 women, 10 weeks"."""
    label = level_label(study)
    return f"{label} — {study.design}" if study.design else label


def when(value: str | None) -> str:
    """An ISO timestamp as "2026-01-05 14:03 UTC" (or the text as stored)."""
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    zone = moment.strftime("%Z") or ""
    if zone in ("UTC", "UTC+00:00"):
        zone = "UTC"
    return f"{moment:%Y-%m-%d %H:%M} {zone}".strip()


def day(value: str | None) -> str:
    """An ISO timestamp's day in UTC, "2026-05-01" (or the text as stored)."""
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return f"{moment:%Y-%m-%d}"


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 21st."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def evidence_design(study: EvidenceStudy) -> str:
    """A ranked study's level and size: "1 · Systematic review / meta-analysis, N = 1200"."""
    size = f", N = {study.participants}" if study.participants else ""
    return f"{study.level_label}{size}"


def safe_href(url: str | None) -> str | None:
    """The URL when it is a plain web link; None for javascript:, data: and the like."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def record_note(citation: CitationEntry) -> str:
    """Which version of the study record the verdict was reached against."""
    study = citation.study
    if study is None:
        return ""
    note = study.record_version
    if record_changed(citation):
        checked = citation.checked_record_sha256 or ""
        note += f" (the verdict was reached on record {checked[:12]}; the record changed since)"
    return note


def record_changed(citation: CitationEntry) -> bool:
    study = citation.study
    checked = citation.checked_record_sha256
    return bool(
        study is not None and checked and study.record_sha256 and checked != study.record_sha256
    )


def summary_items(summary: Summary) -> list[tuple[str, int, str]]:
    """(label, count, tone) in the order the report shows them."""
    return [
        ("Claims", summary.claims, "neutral"),
        ("Supported", summary.supported, "good"),
        ("Partially supported", summary.partially_supported, "partial"),
        ("Unsupported", summary.unsupported, "bad" if summary.unsupported else "neutral"),
        ("Not in the abstract", summary.not_in_abstract, "partial"),
        ("Unchecked", summary.unchecked, "neutral"),
        ("Unsourced claims", summary.unsourced, "bad" if summary.unsourced else "neutral"),
        (
            "Retracted sources",
            summary.retracted_sources,
            "bad" if summary.retracted_sources else "neutral",
        ),
    ]


def filters_text(filters: Filters) -> str:
    parts = []
    if filters.document_ids:
        parts.append("documents " + ", ".join(map(str, filters.document_ids)))
    if filters.claim_ids:
        parts.append("claims " + ", ".join(map(str, filters.claim_ids)))
    if filters.verdict:
        parts.append("verdict " + verdict_label(filters.verdict))
    if filters.pmids:
        parts.append("PMIDs " + ", ".join(filters.pmids))
    return "; ".join(parts) if parts else "none (every claim)"


def tool_version() -> str:
    return f"ldn-evidence {__version__}"


# Helpers the templates call, by name.
TEMPLATE_GLOBALS = {
    "verdict_label": verdict_label,
    "origin_label": citation_origin_label,
    "verdict_tone": verdict_tone,
    "level_label": level_label,
    "level_line": level_line,
    "verdict_reason": verdict_reason,
    "when": when,
    "day": day,
    "ordinal": ordinal,
    "evidence_design": evidence_design,
    "safe_href": safe_href,
    "record_note": record_note,
    "record_changed": record_changed,
    "summary_items": summary_items,
    "filters_text": filters_text,
    "tool_version": tool_version,
}
