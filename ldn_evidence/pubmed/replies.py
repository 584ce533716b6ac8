"""Checks on E-utilities replies: is a 200 reply what was asked for?

NCBI answers many failures with status 200: an HTML error page, an ``<ERROR>`` element,
``{"error": ...}``, an ``ErrorList`` with no result, or a body cut off mid-way. Each
function here takes the reply body and either returns the useful part or raises
`UnexpectedReply`, which the client treats as a failure worth retrying.

XML is read with a safe lxml parser: no entity resolution, no network, no DTD loading.
lxml is imported by the checks that read XML, when first called (a client is made before
its command's first query; its first reply comes later, if at all).
"""

from __future__ import annotations

import email.utils
import io
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ldn_evidence.textsafe import strip_controls
from ldn_evidence.vocab import normalize_pmid

if TYPE_CHECKING:
    from lxml import etree

SAFE_XML = {"resolve_entities": False, "no_network": True, "load_dtd": False}

_DIGITS = re.compile(r"[0-9]+")
_TAGS = re.compile(rb"<[^>]*>")
_SPACE = re.compile(r"\s+")


class UnexpectedReply(Exception):
    """A reply that is not the answer asked for (retryable)."""


def _safe_parser() -> etree.XMLParser:
    # One parser per call: lxml parser objects should not be shared between threads.
    from lxml import etree

    return etree.XMLParser(**SAFE_XML)


def is_html(body: bytes, content_type: str = "") -> bool:
    """An HTML page (NCBI's error pages), judged by content type or the first bytes."""
    if "html" in content_type.lower() and "xml" not in content_type.lower():
        return True
    head = body[:512].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html"))


def snippet(body: bytes, limit: int = 160) -> str:
    """A short one-line excerpt of a reply body, tags and control characters removed, for
    error messages (shown on a terminal, stored with unresolved references)."""
    text = strip_controls(_TAGS.sub(b" ", body[:4000]).decode("utf-8", "replace"))
    text = _SPACE.sub(" ", text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if _DIGITS.fullmatch(value):
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def check_pubmed_xml(body: bytes, root: str = "PubmedArticleSet") -> None:
    """Raise `UnexpectedReply` unless ``body`` is a whole, well-formed ``PubmedArticleSet``
    (or the `root` given: ``pmc-articleset`` for PMC full texts).

    Streams through the document (clearing finished articles) so that only
    well-formedness is paid for, not a tree. An empty ``PubmedArticleSet`` is valid:
    NCBI answers unknown PMIDs with status 200 and no record.
    """
    from lxml import etree

    if not body.strip():
        raise UnexpectedReply("empty reply")
    root_tag: str | None = None
    errors: list[str] = []
    depth = 0
    try:
        events = etree.iterparse(io.BytesIO(body), events=("start", "end"), **SAFE_XML)
        for event, elem in events:
            if event == "start":
                depth += 1
                if root_tag is None:
                    root_tag = elem.tag
                continue
            depth -= 1
            if depth == 1:  # a child of the root is complete
                if elem.tag == "ERROR":
                    errors.append("".join(elem.itertext()).strip())
                elem.clear()
                parent = elem.getparent()
                while parent is not None and elem.getprevious() is not None:
                    del parent[0]
    except etree.XMLSyntaxError as exc:
        raise UnexpectedReply(f"malformed or truncated XML ({exc.msg})") from None
    if errors:
        raise UnexpectedReply("ERROR: " + "; ".join(errors))
    if root_tag != root:
        raise UnexpectedReply(f"expected <{root}>, got <{root_tag}>")


def returned_pmids(xml: bytes) -> set[str]:
    """The PMIDs of the records in an efetch reply.

    Only ``MedlineCitation/PMID`` and ``BookDocument/PMID`` count; the PMIDs named in
    ``CommentsCorrections`` or ``ReferenceList`` belong to other articles.
    """
    from lxml import etree

    found: set[str] = set()
    tags = ("PubmedArticle", "PubmedBookArticle")
    for _event, elem in etree.iterparse(io.BytesIO(xml), events=("end",), tag=tags, **SAFE_XML):
        pmid = elem.find("MedlineCitation/PMID")
        if pmid is None:
            pmid = elem.find("BookDocument/PMID")
        normal = normalize_pmid(pmid.text) if pmid is not None else None
        if normal is not None:
            found.add(normal)
        elem.clear()
        parent = elem.getparent()
        while parent is not None and elem.getprevious() is not None:
            del parent[0]
    return found


def _load_json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        raise UnexpectedReply(f"not JSON: {snippet(body, 80)!r}") from None


def _id_list(values: Any) -> list[str]:
    ids = []
    for value in values:
        pmid = normalize_pmid(str(value))
        if pmid is None:
            raise UnexpectedReply(f"IdList holds a non-PMID {str(value).strip()!r}")
        ids.append(pmid)
    return ids


@dataclass(frozen=True, slots=True)
class SearchResult:
    """An ESearch reply: how many records match, the PMIDs returned (at most ``retmax``,
    best first) and PubMed's translation of the term, when it gives one."""

    count: int
    pmids: list[str]
    translation: str | None = None


def parse_esearch(body: bytes) -> list[str]:
    """The ``IdList`` of an ESearch reply, JSON or XML."""
    return parse_esearch_result(body).pmids


def parse_esearch_result(body: bytes) -> SearchResult:
    """An ESearch reply, JSON or XML: count, ``IdList`` and query translation."""
    from lxml import etree

    text = body.lstrip()
    if text.startswith(b"{"):
        data = _load_json(body)
        if not isinstance(data, dict):
            raise UnexpectedReply("JSON reply is not an object")
        if "error" in data:
            raise UnexpectedReply(f"error: {data['error']}")
        result = data.get("esearchresult")
        if not isinstance(result, dict):
            raise UnexpectedReply("no esearchresult in the reply")
        if "ERROR" in result:
            raise UnexpectedReply(f"ERROR: {result['ERROR']}")
        if not isinstance(result.get("idlist"), list):
            raise UnexpectedReply(f"no idlist in the reply (errorlist: {result.get('errorlist')})")
        ids = _id_list(result["idlist"])
        translation = result.get("querytranslation")
        return SearchResult(
            _count(result.get("count"), len(ids)),
            ids,
            translation if isinstance(translation, str) else None,
        )
    if not text.startswith(b"<"):
        raise UnexpectedReply(f"neither JSON nor XML: {snippet(body, 80)!r}")
    try:
        root = etree.fromstring(body, _safe_parser())
    except etree.XMLSyntaxError as exc:
        raise UnexpectedReply(f"malformed or truncated XML ({exc.msg})") from None
    errors = [e for e in ([root] if root.tag == "ERROR" else root.findall("ERROR"))]
    if errors:
        raise UnexpectedReply("ERROR: " + "; ".join("".join(e.itertext()).strip() for e in errors))
    id_list = root.find("IdList")
    if root.tag != "eSearchResult" or id_list is None:
        listed = root.find("ErrorList")
        detail = snippet(etree.tostring(listed)) if listed is not None else f"<{root.tag}>"
        raise UnexpectedReply(f"no IdList in the reply ({detail})")
    ids = _id_list(i.text or "" for i in id_list.findall("Id"))
    return SearchResult(
        _count(root.findtext("Count"), len(ids)), ids, root.findtext("QueryTranslation")
    )


def _count(value: object, at_least: int) -> int:
    """ESearch's Count (a string); the number of ids returned when it is missing or odd."""
    text = str(value if value is not None else "").strip()
    return max(int(text), at_least) if text.isascii() and text.isdigit() else at_least


def parse_idconv(body: bytes) -> list[dict[str, Any]]:
    """The ``records`` of a PMC ID Converter JSON reply."""
    data = _load_json(body)
    if not isinstance(data, dict):
        raise UnexpectedReply("JSON reply is not an object")
    if "error" in data or data.get("status") == "error":
        message = data.get("error") or data.get("message") or data.get("errmsg") or "error"
        raise UnexpectedReply(f"error: {message}")
    records = data.get("records")
    if not isinstance(records, list):
        raise UnexpectedReply("no records in the reply")
    return [r for r in records if isinstance(r, dict)]


def parse_ecitmatch(body: bytes) -> dict[str, str | None]:
    """Key → PMID (``None`` for ``NOT_FOUND`` / ``AMBIGUOUS``) from an ECitMatch reply.

    Each line echoes the query ``journal|year|volume|page|author|key|`` followed by the
    answer: a PMID, ``NOT_FOUND;INVALID_JOURNAL``, ``AMBIGUOUS (3 citations)``, …
    """
    answers: dict[str, str | None] = {}
    for line in body.decode("utf-8", "replace").splitlines():
        parts = line.split("|")
        if len(parts) < 7:
            continue
        answers[parts[5].strip()] = normalize_pmid(parts[6])
    return answers
