"""The database schema as typed SQLAlchemy 2.x models: pages (source documents), claims,
references, claim ↔ study citations with their verdict history, studies (PubMed
records and their parts) and their full texts from PubMed Central. The migrations in
`migrations/versions` build the same schema.

The evidence runs, watch runs and full texts are mapped when first named (each group
refers only to the tables above it): `claims show` and the lists map only the claims,
citations and studies. `all_tables()` maps everything (Alembic, schema comparisons)."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from sqlalchemy import MetaData

from ldn_evidence.models.base import Base, utcnow
from ldn_evidence.models.citations import Citation, CitationEvent
from ldn_evidence.models.documents import Claim, Reference, SourceDocument
from ldn_evidence.models.retractions import RetractionNotice
from ldn_evidence.models.studies import (
    AbstractSectionRow,
    KeywordRow,
    MeshTermRow,
    PublicationTypeRow,
    Study,
    StudyAuthor,
    StudyLinkRow,
    StudyMeshTerm,
    study_publication_types,
)
from ldn_evidence.vocab import (
    CITATION_ORIGINS,
    REFERENCE_KINDS,
    RESOLUTION_STATUSES,
    STUDY_ORIGINS,
    VERDICT_ORIGINS,
    VERDICTS,
)

if TYPE_CHECKING:
    from ldn_evidence.models.evidence import EvidenceResult, EvidenceRun
    from ldn_evidence.models.fulltext import FullText, FullTextPassage, FullTextSection
    from ldn_evidence.models.monitoring import StudyChange, StudyCheck, WatchRun

# name → the module mapping it, imported on first use (PEP 562)
_LATER = {
    "EvidenceResult": "evidence",
    "EvidenceRun": "evidence",
    "FullText": "fulltext",
    "FullTextPassage": "fulltext",
    "FullTextSection": "fulltext",
    "StudyChange": "monitoring",
    "StudyCheck": "monitoring",
    "WatchRun": "monitoring",
}


def __getattr__(name: str) -> Any:
    if name in _LATER:
        value = getattr(importlib.import_module(f"{__name__}.{_LATER[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def all_tables() -> MetaData:
    """`Base.metadata` with every table mapped: what the migrations build."""
    for module in sorted(set(_LATER.values())):
        importlib.import_module(f"{__name__}.{module}")
    return Base.metadata


__all__ = [
    "Base",
    "all_tables",
    "utcnow",
    "CITATION_ORIGINS",
    "VERDICT_ORIGINS",
    "VERDICTS",
    "Citation",
    "CitationEvent",
    "REFERENCE_KINDS",
    "RESOLUTION_STATUSES",
    "Claim",
    "EvidenceResult",
    "EvidenceRun",
    "Reference",
    "RetractionNotice",
    "SourceDocument",
    "FullText",
    "FullTextPassage",
    "FullTextSection",
    "STUDY_ORIGINS",
    "AbstractSectionRow",
    "KeywordRow",
    "MeshTermRow",
    "PublicationTypeRow",
    "Study",
    "StudyAuthor",
    "StudyChange",
    "StudyCheck",
    "StudyLinkRow",
    "StudyMeshTerm",
    "study_publication_types",
    "WatchRun",
]
