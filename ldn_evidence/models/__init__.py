"""The database schema as typed SQLAlchemy 2.x models: pages (source documents), claims,
references, claim ↔ study citations with their verdict history, studies (PubMed
records and their parts) and their full texts from PubMed Central. The migrations in
`migrations/versions` build the same schema."""

from ldn_evidence.models.base import Base, utcnow
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
from ldn_evidence.vocab import (
    CITATION_ORIGINS,
    REFERENCE_KINDS,
    RESOLUTION_STATUSES,
    STUDY_ORIGINS,
    VERDICT_ORIGINS,
    VERDICTS,
)

__all__ = [
    "Base",
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
