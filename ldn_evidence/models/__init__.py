"""The database schema: its Core tables (`models.tables`, the one definition, importing no
ORM) and the typed SQLAlchemy 2.x classes mapped onto them: pages (source documents),
claims, references, claim ↔ study citations with their verdict history, studies (PubMed
records and their parts) and their full texts from PubMed Central. The migrations in
`migrations/versions` build the same schema.

Importing this package maps nothing: the classes are mapped when first named (PEP 562).
The pages, claims, citations and studies are mapped together (they refer to each other);
the evidence runs, watch runs and full texts each when one of their classes is named (each
group refers only to the first). `claims show`, `studies show` and `documents show` read
the tables and map nothing. `all_tables()` maps everything (Alembic, schema comparisons)."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from sqlalchemy import MetaData

from ldn_evidence.models.tables import utcnow
from ldn_evidence.vocab import (
    CITATION_ORIGINS,
    REFERENCE_KINDS,
    RESOLUTION_STATUSES,
    STUDY_ORIGINS,
    VERDICT_ORIGINS,
    VERDICTS,
)

if TYPE_CHECKING:
    from ldn_evidence.models.base import Base
    from ldn_evidence.models.citations import Citation, CitationEvent
    from ldn_evidence.models.documents import Claim, Reference, SourceDocument
    from ldn_evidence.models.evidence import EvidenceResult, EvidenceRun
    from ldn_evidence.models.fulltext import FullText, FullTextPassage, FullTextSection
    from ldn_evidence.models.monitoring import StudyChange, StudyCheck, WatchRun
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

# The classes mapped together on first use: they name each other in their relationships.
_CORE_GROUP = ("base", "citations", "documents", "retractions", "studies")
# name → the module mapping it, imported on first use (PEP 562)
_HOMES = {
    "Base": "base",
    "Citation": "citations",
    "CitationEvent": "citations",
    "Claim": "documents",
    "Reference": "documents",
    "SourceDocument": "documents",
    "RetractionNotice": "retractions",
    "AbstractSectionRow": "studies",
    "KeywordRow": "studies",
    "MeshTermRow": "studies",
    "PublicationTypeRow": "studies",
    "Study": "studies",
    "StudyAuthor": "studies",
    "StudyLinkRow": "studies",
    "StudyMeshTerm": "studies",
    "study_publication_types": "studies",
    "EvidenceResult": "evidence",
    "EvidenceRun": "evidence",
    "FullText": "fulltext",
    "FullTextPassage": "fulltext",
    "FullTextSection": "fulltext",
    "StudyChange": "monitoring",
    "StudyCheck": "monitoring",
    "WatchRun": "monitoring",
}


def _map(module: str) -> Any:
    for first in _CORE_GROUP:
        importlib.import_module(f"{__name__}.{first}")
    return importlib.import_module(f"{__name__}.{module}")


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        value = getattr(_map(_HOMES[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def all_tables() -> MetaData:
    """`Base.metadata` (the tables of `models.tables`) with every class mapped onto it."""
    for module in sorted(set(_HOMES.values())):
        _map(module)
    from ldn_evidence.models.tables import metadata

    return metadata


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
