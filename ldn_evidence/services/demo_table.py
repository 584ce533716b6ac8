"""The claim-to-source table: one row per claim and source, as the demo prints it."""

from __future__ import annotations

from typing import Any

from ldn_evidence.models import Claim
from ldn_evidence.services.views import figure_label, source_kind

CITED_HOW = {"page": "by the page", "claim": "for this claim", "reviewer": "by a reviewer"}


def claim_source_rows(claims: list[Claim]) -> list[dict[str, Any]]:
    rows = []
    for claim in claims:
        base = {"claim": claim.id, "text": claim.text, "figure": figure_label(claim)}
        if not claim.citations:
            rows.append(
                {
                    **base,
                    "source": "UNSOURCED" if claim.figure_value is not None else "(none)",
                    "cited": "",
                    "verdict": "",
                    "level": "",
                }
            )
        for c in claim.citations:
            if c.study is not None:
                source = f"PMID {c.study.pmid}"
                if c.study.origin == "curated":
                    source += " (curated)"
                level = c.study.evidence_level or "ungraded"
            else:
                ref = c.reference
                assert ref is not None
                source = f"{source_kind(c)}: {ref.url or ref.raw}"
                level = ""
            rows.append(
                {
                    **base,
                    "source": source,
                    "cited": CITED_HOW.get(c.origin, c.origin),
                    "verdict": c.verdict,
                    "level": level,
                }
            )
    return rows
