"""Extraction layer (pure: no database, no HTTP): page → text → claims and references.

page = page_to_text(data, kind="html")       # or kind="text"
claims = extract_claims(page)
references = extract_references(page)
links = link_claims(claims, references)      # (claim pos, reference pos, "marker"|"page")
"""

from ldn_evidence.extract.claims import extract_claims
from ldn_evidence.extract.linking import is_unsourced, link_claims
from ldn_evidence.extract.model import (
    CLAIM_KINDS,
    ExtractedClaim,
    ExtractedReference,
    JournalCitation,
    Link,
    Marker,
    PageText,
)
from ldn_evidence.extract.page import PAGE_KINDS, page_to_text
from ldn_evidence.extract.references import extract_references
from ldn_evidence.sentences import Sentence
from ldn_evidence.vocab import REFERENCE_KINDS

__all__ = [
    "CLAIM_KINDS",
    "PAGE_KINDS",
    "REFERENCE_KINDS",
    "ExtractedClaim",
    "ExtractedReference",
    "JournalCitation",
    "Link",
    "Marker",
    "PageText",
    "Sentence",
    "extract_claims",
    "extract_references",
    "is_unsourced",
    "link_claims",
    "page_to_text",
]
