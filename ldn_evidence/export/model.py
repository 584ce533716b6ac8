"""The report every export format renders: `Report` and its parts, plain data.

Defined in `ldn_evidence.viewmodel` (with the commands' views they share parts with) and
named here too, as the export package's model. `dataclasses.asdict(report)` is the JSON
export's shape (see `schema.json`), so field names there are part of the documented
`ldn-evidence/3` format.
"""

from ldn_evidence.viewmodel import (
    SCHEMA,
    Author,
    CitationEntry,
    ClaimEntry,
    DocumentEntry,
    EvidenceStudy,
    Figure,
    Filters,
    ReferenceEntry,
    Report,
    StrongerEvidence,
    StudyRecord,
    Summary,
)

__all__ = [
    "SCHEMA",
    "Author",
    "CitationEntry",
    "ClaimEntry",
    "DocumentEntry",
    "EvidenceStudy",
    "Figure",
    "Filters",
    "ReferenceEntry",
    "Report",
    "StrongerEvidence",
    "StudyRecord",
    "Summary",
]
