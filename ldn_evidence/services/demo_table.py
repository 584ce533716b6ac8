"""The claim-to-source table: one row per claim, its sources listed in the row."""

from __future__ import annotations

from typing import Any

from ldn_evidence.models import Claim
from ldn_evidence.services.views import figure_label, source_kind
from ldn_evidence.vocab import citation_origin_label, level_label


def _source(citation: Any) -> dict[str, Any]:
    if citation.study is not None:
        study = citation.study
        label = f"PMID {study.pmid}" + (" (curated)" if study.origin == "curated" else "")
        level = level_label(study.evidence_level)
    else:
        ref = citation.reference
        label = f"{source_kind(citation)}: {ref.url or ref.raw}" if ref else "?"
        level = "web page, not a study"
    return {
        "source": label,
        "level": level,
        "verdict": citation.verdict,
        "cited": citation_origin_label(citation.origin),
    }


def claim_source_rows(claims: list[Claim]) -> list[dict[str, Any]]:
    rows = []
    for claim in claims:
        rows.append(
            {
                "claim": claim.id,
                "text": claim.text,
                "figure": figure_label(claim),
                "unsourced": claim.figure_value is not None and not claim.citations,
                "sources": [_source(c) for c in claim.citations],
            }
        )
    return rows
