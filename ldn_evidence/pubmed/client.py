"""HTTP client for NCBI E-utilities (efetch of PubMed records and PMC full texts, esearch,
ecitmatch) and the PMC ID Converter.

Politeness and robustness (carried out by `transport.Transport`):
- every request carries ``tool``, ``email`` and ``api_key`` (when set);
- every attempt, retries included, waits its turn on a process-wide rate limiter
  (3 requests/s without a key, 10 with one);
- 429, 500, 502, 503, 504, timeouts, dropped connections and 200 replies that are not the
  answer asked for (HTML pages, ``<ERROR>``, truncated XML) are retried with tenacity,
  exponential backoff and ``Retry-After``; other 4xx fail at once;
- the API key never appears in an error message, a log line or a repr.

The client returns raw efetch XML (`FetchBatch`, `PmcBatch` for PMC full texts);
parsing is `parser.py`'s and `jats.py`'s job.

Making a client is cheap: its HTTP session (and `requests`, `tenacity`, `transport`) is
made when the first request is sent, so a command builds its client up front and pays
for HTTP only if it goes to the network.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlencode

from ..config import DEFAULT_EUTILS_URL, DEFAULT_IDCONV_URL, Settings
from ..errors import InputError
from ..vocab import normalize_pmid
from .ids import validate_pmcids as validate_pmcids
from .ids import validate_pmids as validate_pmids
from .ratelimit import RateLimiter, default_rate, shared_rate_limiter
from .replies import (
    SearchResult,
    UnexpectedReply,
    check_pubmed_xml,
    parse_ecitmatch,
    parse_esearch,
    parse_esearch_result,
    parse_idconv,
    returned_pmids,
    snippet,
)

if TYPE_CHECKING:  # both load with the first request (`PubMedClient.transport`)
    import requests

    from .transport import Transport

__all__ = [
    "CitationQuery",
    "FetchBatch",
    "PmcBatch",
    "PubMedClient",
    "RateLimiter",
    "SearchResult",
    "returned_pmids",
    "validate_pmcids",
    "validate_pmids",
]

EFETCH_BATCH = 200  # NCBI: POST, at most 200 ids a request
PMC_BATCH = 20  # full texts are large (0.1–1 MB each): fewer a request
IDCONV_BATCH = 200  # the ID Converter's own limit
ECITMATCH_BATCH = 100  # ECitMatch is a GET: keep URLs short
ESEARCH_MAX = 10_000  # ESearch cannot page past 9,999 (a larger retmax is refused)

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class FetchBatch:
    """One efetch reply: the PMIDs asked for and the raw ``PubmedArticleSet`` bytes."""

    pmids_requested: list[str]
    xml: bytes

    def missing_pmids(self) -> list[str]:
        """PMIDs asked for with no record in the reply (unknown or deleted), in order."""
        found = returned_pmids(self.xml)
        return [p for p in self.pmids_requested if p not in found]


@dataclass(frozen=True, slots=True)
class PmcBatch:
    """One efetch db=pmc reply: the PMCIDs asked for ("PMC…") and the raw
    ``pmc-articleset`` bytes (full texts, or front matter and PMC's notice)."""

    pmcids_requested: list[str]
    xml: bytes


@dataclass(frozen=True, slots=True)
class CitationQuery:
    """One ECitMatch query; ``key`` is the caller's label for the answer."""

    journal: str = ""
    year: str | int = ""
    volume: str | int = ""
    first_page: str | int = ""
    author: str = ""
    key: str = ""

    def bdata(self) -> str:
        fields = (self.journal, self.year, self.volume, self.first_page, self.author, self.key)
        return "".join(_bdata_field(f) + "|" for f in fields)


def _bdata_field(value: object) -> str:
    return re.sub(r"[|\r\n]+", " ", str(value)).strip()


def _abbreviate(items: Sequence[str], label: str, shown: int = 5) -> str:
    if len(items) <= shown:
        return f"{label} {', '.join(items)}"
    return f"{label} {', '.join(items[:shown])} … ({len(items)} in all)"


def _chunks(items: Sequence[_T], size: int) -> Iterator[list[_T]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


class PubMedClient:
    """E-utilities and ID Converter client; see the module docstring for the policy.

    ``max_retries`` counts retries: a request is tried at most ``1 + max_retries`` times.
    """

    def __init__(
        self,
        session: requests.Session | None = None,
        *,
        base_url: str | None = None,
        idconv_url: str | None = None,
        api_key: str | None = None,
        email: str | None = None,
        tool: str = "ldn-evidence",
        timeout: float = 30.0,
        max_retries: int = 5,
        backoff: float = 1.0,
        rate_limiter: RateLimiter | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not tool or re.search(r"\s", tool):
            raise ValueError(f"tool must be a name without spaces, not {tool!r}")
        self._session = session  # else made with the first request (`session`)
        self._transport: Transport | None = None
        self.base_url = (base_url or DEFAULT_EUTILS_URL).rstrip("/") + "/"
        self.idconv_url = idconv_url or DEFAULT_IDCONV_URL
        self.email = email or None
        self.tool = tool
        identity = {"tool": tool}
        if self.email:
            identity["email"] = self.email
        if api_key:
            identity["api_key"] = api_key
        self._identity = identity
        self._rate_limiter = rate_limiter or shared_rate_limiter(default_rate(api_key))
        self._timeout = float(timeout)
        self._max_retries = max(0, int(max_retries))
        self._backoff = float(backoff)
        self._sleep = sleep

    @classmethod
    def from_env(cls, session: requests.Session | None = None, **kw: Any) -> PubMedClient:
        """A client configured from the environment (`Settings.pubmed_options`: URLs, API
        key, e-mail, HTTP policy); keyword arguments win over the environment."""
        return cls(session, **{**Settings.from_env().pubmed_options(), **kw})

    @property
    def session(self) -> requests.Session:
        """The HTTP session: the one given, else a `requests.Session` made when first
        asked for (the first request)."""
        if self._session is None:
            import requests

            self._session = requests.Session()
        return self._session

    @property
    def transport(self) -> Transport:
        """What sends the requests (`transport.Transport`), made with the first request."""
        if self._transport is None:
            from .transport import Transport

            self._transport = Transport(
                self.session,
                rate_limiter=self._rate_limiter,
                identity=self._identity,
                timeout=self._timeout,
                max_retries=self._max_retries,
                backoff=self._backoff,
                sleep=self._sleep,
            )
        return self._transport

    @property
    def has_api_key(self) -> bool:
        return "api_key" in self._identity

    @property
    def rate_limiter(self) -> RateLimiter:
        return self._rate_limiter

    @property
    def timeout(self) -> float:
        return self._timeout

    @property
    def max_retries(self) -> int:
        return self._max_retries

    def __repr__(self) -> str:
        key = "'***'" if self.has_api_key else "None"
        return (
            f"PubMedClient(base_url={self.base_url!r}, idconv_url={self.idconv_url!r}, "
            f"tool={self.tool!r}, email={self.email!r}, api_key={key}, timeout={self.timeout:g}, "
            f"max_retries={self.max_retries}, rate_limiter={self.rate_limiter!r})"
        )

    def close(self) -> None:
        """Close the HTTP session, if one was given or made (no request, nothing to close)."""
        if self._session is not None:
            self._session.close()

    def __enter__(self) -> PubMedClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- the utilities -------------------------------------------------------------

    def efetch(self, pmids: Sequence[str]) -> Iterator[FetchBatch]:
        """PubMed XML for ``pmids``, one `FetchBatch` per POST of at most 200 PMIDs.

        PMIDs are checked (`validate_pmids`) before any request. Unknown PMIDs simply have
        no record in the reply: compare with `FetchBatch.missing_pmids()`.
        """
        wanted = validate_pmids(pmids)  # eager: bad input fails at the call, not later

        def batches() -> Iterator[FetchBatch]:
            for batch in _chunks(wanted, EFETCH_BATCH):
                params = {"db": "pubmed", "retmode": "xml", "id": ",".join(batch)}
                xml = self.transport.call(
                    "efetch",
                    _abbreviate(batch, "PMIDs"),
                    "POST",
                    self.base_url + "efetch.fcgi",
                    params,
                    check=_check_efetch,
                )
                yield FetchBatch(pmids_requested=batch, xml=xml)

        return batches()

    def esearch(self, term: str, *, retmax: int = 20, sort: str = "relevance") -> SearchResult:
        """PubMed records matching ``term`` (any PubMed query: fields, filters, booleans):
        the count and the first ``retmax`` PMIDs in ``sort`` order (PubMed's Best Match by
        default). ESearch returns at most 10,000 ids; ``retmax`` is capped there."""
        clean = " ".join(str(term).split())
        if not clean:
            raise InputError("cannot search PubMed for an empty query")
        retmax = max(0, min(int(retmax), ESEARCH_MAX))
        params = {
            "db": "pubmed",
            "term": clean,
            "retmax": str(retmax),
            "sort": sort,
            "retmode": "json",
        }
        short = clean if len(clean) <= 90 else clean[:80] + "…"
        result: SearchResult = self.transport.call(
            "esearch",
            f"term {short}",
            "POST",
            self.base_url + "esearch.fcgi",
            params,
            check=lambda body, _ct: parse_esearch_result(body),
        )
        return SearchResult(result.count, result.pmids[:retmax], result.translation)

    def efetch_pmc(self, pmcids: Sequence[str]) -> Iterator[PmcBatch]:
        """PMC full-text XML for ``pmcids`` ("PMC123" or "123"), one `PmcBatch` per POST
        of at most `PMC_BATCH` articles. Checked before any request (InputError)."""
        wanted = validate_pmcids(pmcids)

        def batches() -> Iterator[PmcBatch]:
            for batch in _chunks(wanted, PMC_BATCH):
                ids = ",".join(p.removeprefix("PMC") for p in batch)
                xml = self.transport.call(
                    "efetch",
                    _abbreviate(batch, "PMCIDs"),
                    "POST",
                    self.base_url + "efetch.fcgi",
                    {"db": "pmc", "retmode": "xml", "id": ids},
                    check=_check_efetch_pmc,
                )
                yield PmcBatch(pmcids_requested=batch, xml=xml)

        return batches()

    def esearch_title(self, title: str, retmax: int = 5) -> list[str]:
        """PMIDs whose title matches ``title`` as a phrase (``"…"[Title]``), best first."""
        clean = _clean_title(title)
        if not clean:
            raise InputError(f"cannot search PubMed for an empty title ({title!r})")
        return self._esearch(f'"{clean}"[Title]', retmax)

    def esearch_doi(self, doi: str, retmax: int = 5) -> list[str]:
        """PMIDs whose record carries ``doi`` as an article identifier (``"…"[AID]``): the
        DOIs of articles outside PMC too, which the ID Converter does not know."""
        clean = " ".join(str(doi).replace('"', " ").split())
        if not clean:
            raise InputError(f"cannot search PubMed for an empty DOI ({doi!r})")
        return self._esearch(f'"{clean}"[AID]', retmax)

    def _esearch(self, term: str, retmax: int) -> list[str]:
        params = {"db": "pubmed", "term": term, "retmax": str(int(retmax)), "retmode": "json"}
        short = term if len(term) <= 90 else term[:80] + "…"
        ids = self.transport.call(
            "esearch",
            f"term {short}",
            "POST",
            self.base_url + "esearch.fcgi",
            params,
            check=lambda body, _ct: parse_esearch(body),
        )
        return ids[: max(0, int(retmax))]

    def idconv(self, ids: Sequence[str]) -> dict[str, str]:
        """PMIDs for DOIs, PMCIDs or manuscript ids, via NCBI's ID Converter.

        Keys are the ids as given (trimmed); ids the converter does not know are absent
        (it knows only articles in PMC). Ids are grouped by type, ≤ 200 a request.
        """
        groups: dict[str, dict[str, None]] = {}  # id type → ids, deduplicated, in order
        for raw in ids:
            value = str(raw).strip()
            groups.setdefault(_id_type(value), {})[value] = None
        found: dict[str, str] = {}
        for idtype, values in groups.items():
            for batch in _chunks(list(values), IDCONV_BATCH):
                params = {"ids": ",".join(batch), "idtype": idtype, "format": "json"}
                records = self.transport.call(
                    "idconv",
                    _abbreviate(batch, "ids"),
                    "GET",
                    self.idconv_url,
                    params,
                    check=lambda body, _ct: parse_idconv(body),
                )
                found.update(_match_idconv(batch, records))
        return found

    def ecitmatch(self, citations: Sequence[CitationQuery]) -> dict[str, str | None]:
        """Key → PMID for each citation; ``None`` when NCBI answers NOT_FOUND or AMBIGUOUS.

        ECitMatch can name a wrong PMID: callers should check the record it names.
        """
        keys = [_bdata_field(c.key) for c in citations]
        if any(not k for k in keys) or len(set(keys)) != len(keys):
            raise InputError("every citation needs its own non-empty key")
        answers: dict[str, str | None] = dict.fromkeys(keys)
        for batch in _chunks(list(citations), ECITMATCH_BATCH):
            # Pipes must reach NCBI unencoded: urlencode, then put them back (as Biopython);
            # raw_query makes the transport send the URL verbatim.
            bdata = urlencode({"bdata": "\r".join(c.bdata() for c in batch)}).replace("%7C", "|")
            got = self.transport.call(
                "ecitmatch",
                _abbreviate([_bdata_field(c.key) for c in batch], "keys"),
                "GET",
                self.base_url + "ecitmatch.cgi",
                {"db": "pubmed", "retmode": "xml"},
                raw_query=bdata,
                check=_check_ecitmatch,
            )
            answers.update({k: v for k, v in got.items() if k in answers})
        return answers


def _check_efetch(body: bytes, _content_type: str) -> bytes:
    check_pubmed_xml(body)
    return body


def _check_efetch_pmc(body: bytes, _content_type: str) -> bytes:
    check_pubmed_xml(body, root="pmc-articleset")
    return body


def _check_ecitmatch(body: bytes, _content_type: str) -> dict[str, str | None]:
    answers = parse_ecitmatch(body)
    if not answers:
        raise UnexpectedReply(f"no citation lines in the reply: {snippet(body, 80)!r}")
    return answers


def _clean_title(title: str) -> str:
    text = re.sub(r"\s+", " ", str(title)).strip()
    text = text.strip("\"'“”‘’ ").rstrip(". ").strip("\"'“”‘’ ")
    return text.replace('"', " ").strip()


def _id_type(value: str) -> str:
    if value.startswith("10.") and "/" in value:
        return "doi"
    if re.fullmatch(r"PMC[0-9]+(\.[0-9]+)?", value, re.IGNORECASE):
        return "pmcid"
    if re.fullmatch(r"NIHMS[0-9]+", value, re.IGNORECASE):
        return "mid"
    raise InputError(f"not a DOI, PMCID or manuscript id: {value!r}")


def _match_idconv(batch: list[str], records: list[dict[str, Any]]) -> dict[str, str]:
    """Map converter records back to the ids as asked (DOIs compare case-insensitively)."""
    asked = {value.lower(): value for value in batch}
    found: dict[str, str] = {}
    for record in records:
        pmid = normalize_pmid(str(record.get("pmid") or ""))
        if pmid is None or record.get("status") == "error":
            continue
        for field in ("requested-id", "doi", "pmcid", "mid"):
            original = asked.get(str(record.get(field) or "").strip().lower())
            if original is not None:
                found[original] = pmid
                break
    return found
