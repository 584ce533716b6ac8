"""A fake NCBI E-utilities + PMC ID Converter on a pytest-httpserver `HTTPServer`.

Reusable by any test that needs PubMed over HTTP (client, fetch, extract CLI tests)::

    from tests.eutils_server import FakeEutils, Fault, make_article

    def test_fetch(httpserver, monkeypatch):
        fake = FakeEutils(httpserver)
        fake.add_article("111", make_article("111", "Low-dose naltrexone for pain"))
        fake.add_title("Low-dose naltrexone for pain", ["111"])
        fake.add_doi("10.1000/ldn.1", "111")
        fake.inject(Fault.http(503))               # the next request gets a 503
        for name, value in fake.env().items():     # point from_env() / the CLI at the fake
            monkeypatch.setenv(name, value)
        ...
        assert [r.utility for r in fake.requests] == ["efetch", "efetch"]

Endpoints (paths under ``base_url`` / ``idconv_url``): ``efetch.fcgi`` (GET or POST,
answers only the requested PMIDs it knows, as NCBI does; with ``db=pmc`` a
``pmc-articleset`` of the PMC articles added with `FakeEutils.add_pmc_article`, open
ones or the front matter with PMC's not-open notice: see tests/helpers/jats.py),
``esearch.fcgi`` (a ``"…"[Title]`` term looked up in the titles added, a ``"…"[AID]`` term
in the DOIs added; JSON or XML by ``retmode``),
``ecitmatch.cgi`` (plain text, one line per ``bdata`` record) and the ID Converter (JSON).
An esearch term that is not a title is evaluated over the articles added (`parse_query`:
booleans, [tiab], [pt], systematic[sb], the Clinical Queries therapy filter, [dp] ranges).
Faults queue up with `FakeEutils.inject` and are served one per matching request.
"""

from __future__ import annotations

import dataclasses
import json
import re
import socket
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

import pytest
from lxml import etree
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

EUTILS_PATH = "/entrez/eutils/"
IDCONV_PATH = "/idconv/api/v1/articles/"
_DOCTYPE = (
    b'<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" '
    b'"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">'
)
_HTML = (
    b"<!DOCTYPE html><html><head><title>Service unavailable</title></head><body>"
    b"<h1>NCBI</h1><p>The service is temporarily unavailable. Try again later.</p>"
    b"</body></html>"
)


@dataclass
class Fault:
    """One misbehaviour, served instead of (or around) the normal answer.

    kinds: ``status`` (an HTTP status + body), ``html`` (a 200 HTML page), ``error`` (a 200
    reply in the utility's error shape: ``<ERROR>``, ``{"error": …}``), ``truncate`` (the
    normal answer cut short, well-formed HTTP: broken XML / JSON; a cut ECitMatch text line
    cannot be told from a whole one), ``cut`` (Content-Length promises more than
    is sent: the client sees a broken read), ``drop`` (socket closed, no reply),
    ``slow`` (the normal answer after ``delay`` seconds), ``trickle`` (the normal answer in
    ``chunks`` pieces, ``delay`` seconds apart: each read is quick, the whole is slow),
    ``raw`` (``body`` as given).
    ``utility`` limits the fault to one utility ("efetch", "esearch", "idconv", "ecitmatch").
    """

    kind: str
    status: int = 200
    body: bytes = b""
    content_type: str = "text/plain; charset=UTF-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    message: str = "Search Backend failed"
    utility: str | None = None
    chunks: int = 1

    @classmethod
    def http(
        cls,
        status: int,
        *,
        retry_after: str | int | None = None,
        body: bytes = b"",
        utility: str | None = None,
    ) -> Fault:
        if not body and status == 429:
            body = b'{"error":"API rate limit exceeded","count":"5","limit":"3"}'
        headers = {} if retry_after is None else {"Retry-After": str(retry_after)}
        ctype = "application/json" if body.startswith(b"{") else "text/plain; charset=UTF-8"
        return cls(
            "status",
            status=status,
            body=body or b"error",
            headers=headers,
            content_type=ctype,
            utility=utility,
        )

    @classmethod
    def html_page(cls, *, status: int = 200, utility: str | None = None) -> Fault:
        return cls("html", status=status, body=_HTML, content_type="text/html", utility=utility)

    @classmethod
    def error_element(
        cls, message: str = "Search Backend failed", *, utility: str | None = None
    ) -> Fault:
        return cls("error", message=message, utility=utility)

    @classmethod
    def truncated(cls, *, utility: str | None = None) -> Fault:
        return cls("truncate", utility=utility)

    @classmethod
    def cut(cls, *, utility: str | None = None) -> Fault:
        return cls("cut", utility=utility)

    @classmethod
    def drop(cls, *, utility: str | None = None) -> Fault:
        return cls("drop", utility=utility)

    @classmethod
    def slow(cls, seconds: float, *, utility: str | None = None) -> Fault:
        return cls("slow", delay=seconds, utility=utility)

    @classmethod
    def trickle(cls, delay: float, chunks: int = 4, *, utility: str | None = None) -> Fault:
        return cls("trickle", delay=delay, chunks=chunks, utility=utility)

    @classmethod
    def raw(
        cls,
        body: bytes,
        *,
        status: int = 200,
        content_type: str = "text/xml",
        utility: str | None = None,
    ) -> Fault:
        return cls("raw", status=status, body=body, content_type=content_type, utility=utility)


_SHORTCUTS = {
    "html": Fault.html_page,
    "error": Fault.error_element,
    "truncate": Fault.truncated,
    "cut": Fault.cut,
    "drop": Fault.drop,
}


@dataclass
class RecordedRequest:
    """A request as the fake server received it."""

    utility: str  # efetch, esearch, ecitmatch, idconv, or "unknown"
    method: str
    path: str
    params: dict[str, str]  # query arguments and form fields merged (form wins)
    query_string: bytes  # raw, exactly as sent (e.g. to see unencoded pipes)
    time: float  # time.monotonic() on arrival
    fault: Fault | None = None

    @property
    def ids(self) -> list[str]:
        """The ``id`` (efetch) or ``ids`` (idconv) parameter, split on commas."""
        value = self.params.get("id") or self.params.get("ids") or ""
        return [v for v in value.split(",") if v]


def make_article(
    pmid: str,
    title: str = "A study",
    abstract: str | None = None,
    *,
    doi: str | None = None,
    pmcid: str | None = None,
    year: str = "2020",
    journal: str = "Test Journal",
    publication_types: Iterable[str] = ("Journal Article",),
    links: Iterable[tuple[str, str | None, str | None]] = (),
) -> bytes:
    """A small but valid ``<PubmedArticle>`` for tests (text is XML-escaped). ``links``
    are CommentsCorrections: (RefType, PMID or None, RefSource or None)."""
    abstract_xml = (
        f"<Abstract><AbstractText>{escape(abstract)}</AbstractText></Abstract>" if abstract else ""
    )
    types = "".join(f"<PublicationType>{escape(t)}</PublicationType>" for t in publication_types)
    ids = f'<ArticleId IdType="pubmed">{pmid}</ArticleId>'
    if doi:
        ids += f'<ArticleId IdType="doi">{escape(doi)}</ArticleId>'
    comments = "".join(
        f'<CommentsCorrections RefType="{escape(ref_type)}">'
        + (f"<RefSource>{escape(source)}</RefSource>" if source else "")
        + (f'<PMID Version="1">{escape(ref_pmid)}</PMID>' if ref_pmid else "")
        + "</CommentsCorrections>"
        for ref_type, ref_pmid, source in links
    )
    comments_xml = (
        f"<CommentsCorrectionsList>{comments}</CommentsCorrectionsList>" if comments else ""
    )
    if pmcid:
        ids += f'<ArticleId IdType="pmc">{escape(pmcid)}</ArticleId>'
    return (
        f'<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">{pmid}'
        f'</PMID><Article PubModel="Print"><Journal><JournalIssue CitedMedium="Print">'
        f"<PubDate><Year>{year}</Year></PubDate></JournalIssue><Title>{escape(journal)}</Title>"
        f"</Journal><ArticleTitle>{escape(title)}</ArticleTitle>{abstract_xml}"
        f"<Language>eng</Language><PublicationTypeList>{types}</PublicationTypeList></Article>"
        f"{comments_xml}</MedlineCitation><PubmedData><ArticleIdList>{ids}</ArticleIdList>"
        f"</PubmedData></PubmedArticle>"
    ).encode()


def _trickle(response: Response, fault: Fault) -> Response:
    body = response.get_data()
    size = -(-len(body) // max(1, fault.chunks))

    def pieces() -> Iterator[bytes]:
        for start in range(0, len(body), size):
            if start:
                time.sleep(fault.delay)
            yield body[start : start + size]

    return Response(pieces(), content_type=response.content_type, direct_passthrough=True)


# ---- a small PubMed query language, evaluated over the articles added -----------------------


class QueryError(ValueError):
    """A query the fake cannot read: PubMed would answer an error too."""


@dataclass(frozen=True)
class _Doc:
    words: frozenset[str]
    text: str  # title and abstract, lower case, words separated by single spaces
    types: frozenset[str]  # lower case
    year: int | None


_SYSTEMATIC = {"systematic review", "meta-analysis", "network meta-analysis"}
_QUERY_TOKEN = re.compile(r'\s*(\(|\)|"[^"]*"(?:\[[^\]]+\])?|[^\s()"]+(?:\[[^\]]+\])?)')


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def _doc(xml: bytes) -> _Doc:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    root = etree.fromstring(xml, parser)
    title = "".join(root.xpath(".//ArticleTitle//text()"))
    abstract = " ".join("".join(a.itertext()) for a in root.iter("AbstractText"))
    year = root.findtext(".//PubDate/Year")
    words = _words(f"{title} {abstract}")
    return _Doc(
        words=frozenset(words),
        text=" ".join(words),
        types=frozenset(t.text.strip().lower() for t in root.iter("PublicationType") if t.text),
        year=int(year) if year and year.isdigit() else None,
    )


def parse_query(term: str) -> object:
    """``term`` as a tree: ("and"|"or"|"not", left, right) or ("term", text, tag, quoted).

    Understood: parentheses; AND, OR, NOT (upper case, AND binding tighter than OR, NOT
    left to right at AND's level); runs of words ("low-dose naltrexone"), quoted phrases,
    each with an optional tag: none or [tiab] (every word in the title or abstract; a
    quoted phrase as a phrase), [pt] (a publication type), systematic[sb] (systematic
    reviews and meta-analyses), therapy/narrow[filter] and therapy/broad[filter] (the
    Clinical Queries therapy filter: a randomized controlled trial by type, or randomized,
    controlled and trial in the title or abstract; broad: randomized or trial), and
    YYYY:YYYY[dp] (publication year in the range).
    """
    tokens = [m.group(1) for m in _QUERY_TOKEN.finditer(term) if m.group(1).strip()]
    if "".join(tokens).replace(" ", "") != re.sub(r"\s+", "", term):
        raise QueryError(f"unreadable query {term!r}")
    tree, rest = _or(tokens)
    if rest:
        raise QueryError(f"unexpected {rest[0]!r}")
    return tree


def _or(tokens: list[str]) -> tuple[object, list[str]]:
    left, rest = _and(tokens)
    while rest and rest[0] == "OR":
        right, rest = _and(rest[1:])
        left = ("or", left, right)
    return left, rest


def _and(tokens: list[str]) -> tuple[object, list[str]]:
    left, rest = _atom(tokens)
    while rest and rest[0] in ("AND", "NOT"):
        op = rest[0].lower()
        right, rest = _atom(rest[1:])
        left = (op, left, right)
    return left, rest


def _atom(tokens: list[str]) -> tuple[object, list[str]]:
    if not tokens:
        raise QueryError("the query ends too soon")
    if tokens[0] == "(":
        inner, rest = _or(tokens[1:])
        if not rest or rest[0] != ")":
            raise QueryError("unbalanced parentheses")
        return inner, rest[1:]
    if tokens[0] in (")", "AND", "OR", "NOT"):
        raise QueryError(f"unexpected {tokens[0]!r}")
    run: list[str] = []
    rest = tokens
    while rest and rest[0] not in ("(", ")", "AND", "OR", "NOT"):
        run.append(rest[0])
        rest = rest[1:]
        if run[-1].endswith("]") or run[-1].startswith('"'):
            break
    text = " ".join(run)
    tag = None
    tagged = re.fullmatch(r"(.*)\[([^\]]+)\]", text)
    if tagged:
        text, tag = tagged.group(1), tagged.group(2).strip().lower()
    quoted = text.startswith('"') and text.endswith('"') and len(text) > 1
    return ("term", text.strip('"').strip(), tag, quoted), rest


def evaluate_query(node: object, doc: _Doc) -> bool:
    assert isinstance(node, tuple)
    op = node[0]
    if op == "and":
        return evaluate_query(node[1], doc) and evaluate_query(node[2], doc)
    if op == "or":
        return evaluate_query(node[1], doc) or evaluate_query(node[2], doc)
    if op == "not":
        return evaluate_query(node[1], doc) and not evaluate_query(node[2], doc)
    _, text, tag, quoted = node
    if tag in (None, "tiab", "title/abstract", "all fields"):
        words = _words(text)
        if quoted:
            return f" {' '.join(words)} " in f" {doc.text} "
        return all(w in doc.words for w in words)
    if tag in ("pt", "publication type"):
        return text.lower() in doc.types
    if tag == "sb" and text.lower() == "systematic":
        return bool(doc.types & _SYSTEMATIC)
    if tag == "filter" and text.lower() in ("therapy/narrow", "therapy/broad"):
        if "randomized controlled trial" in doc.types:
            return True
        if text.lower() == "therapy/broad":
            return bool({"randomized", "trial"} & doc.words)
        return {"randomized", "controlled", "trial"} <= doc.words
    if tag == "dp":
        span = re.fullmatch(r"(\d{4})(?::(\d{4}))?", text)
        if span and doc.year is not None:
            return int(span.group(1)) <= doc.year <= int(span.group(2) or span.group(1))
        if span:
            return False
    raise QueryError(f"the fake does not know {text}[{tag}]")


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().rstrip(".").strip().lower()


class FakeEutils:
    """E-utilities speaking from dictionaries, with injectable faults; see module doc."""

    def __init__(self, httpserver: HTTPServer) -> None:
        self.server = httpserver
        self.articles: dict[str, bytes] = {}
        self.pmc_articles: dict[str, bytes] = {}  # "PMC123" → one <article>
        self.titles: dict[str, list[str]] = {}
        self.idmap: dict[str, dict[str, str]] = {}  # lower-case DOI / PMCID → record
        self.article_ids: dict[str, list[str]] = {}  # lower-case DOI → PMIDs, not in PMC
        self.citations: dict[tuple[str, str, str, str], str] = {}
        self.faults: list[Fault] = []
        self.requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        httpserver.expect_request(re.compile(".*")).respond_with_handler(self._handle)

    # ---- configuration ------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return self.server.url_for(EUTILS_PATH)

    @property
    def idconv_url(self) -> str:
        return self.server.url_for(IDCONV_PATH)

    def env(self) -> dict[str, str]:
        """Environment variables that point `PubMedClient.from_env` (and the CLI) here."""
        return {
            "LDN_EVIDENCE_EUTILS_URL": self.base_url,
            "LDN_EVIDENCE_IDCONV_URL": self.idconv_url,
        }

    def add_article(self, pmid: str, xml: bytes) -> None:
        """``xml`` is one ``<PubmedArticle>`` (or ``<PubmedBookArticle>``) element."""
        self.articles[str(pmid)] = xml.strip()

    def add_pmc_article(self, pmcid: str, xml: bytes) -> None:
        """``xml`` is one JATS ``<article>`` (`tests.helpers.jats.make_pmc_article`)."""
        self.pmc_articles["PMC" + pmcid.removeprefix("PMC")] = xml.strip()

    def add_article_set(self, xml: bytes) -> list[str]:
        """Add every article of a ``PubmedArticleSet`` document; return their PMIDs."""
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        root = etree.fromstring(xml, parser)
        added = []
        for article in root:
            pmid = article.findtext("MedlineCitation/PMID") or article.findtext("BookDocument/PMID")
            if pmid:
                self.add_article(pmid.strip(), etree.tostring(article))
                added.append(pmid.strip())
        return added

    def add_title(self, title: str, pmids: Iterable[str] | str) -> None:
        self.titles[_norm(title)] = [pmids] if isinstance(pmids, str) else list(pmids)

    def add_doi(self, doi: str, pmid: str, *, pmcid: str | None = None) -> None:
        record = {"doi": doi, "pmid": str(pmid), **({"pmcid": pmcid} if pmcid else {})}
        self.idmap[doi.lower()] = record
        if pmcid:
            self.idmap[pmcid.lower()] = record

    def add_article_id(self, doi: str, *pmids: str) -> None:
        """A DOI PubMed's search knows (``"…"[AID]``) but the ID Converter does not: an
        article outside PMC. Several PMIDs make the DOI ambiguous."""
        self.article_ids[doi.lower()] = [str(p) for p in pmids]

    def add_pmcid(self, pmcid: str, pmid: str, *, doi: str | None = None) -> None:
        record = {"pmcid": pmcid, "pmid": str(pmid), **({"doi": doi} if doi else {})}
        self.idmap[pmcid.lower()] = record
        if doi:
            self.idmap[doi.lower()] = record

    def add_citation(
        self, journal: str, year: str | int, volume: str | int, first_page: str | int, answer: str
    ) -> None:
        """ECitMatch answer (a PMID or e.g. "AMBIGUOUS (2 citations)"); others NOT_FOUND."""
        self.citations[(_norm(journal), str(year), str(volume), str(first_page))] = answer

    def inject(self, *faults: Fault | int | str, utility: str | None = None) -> None:
        """Queue faults; ints are HTTP statuses, strings name a kind ("html", "drop", …)."""
        for fault in faults:
            if isinstance(fault, int):
                fault = Fault.http(fault)
            elif isinstance(fault, str):
                fault = _SHORTCUTS[fault]()
            if utility is not None:
                fault = dataclasses.replace(fault, utility=utility)
            self.faults.append(fault)

    def search(self, term: str) -> list[str]:
        """PMIDs of the articles added that ``term`` matches, in the order added (see
        `evaluate_query` for the query language understood)."""
        query = parse_query(term)
        return [pmid for pmid, xml in self.articles.items() if evaluate_query(query, _doc(xml))]

    def requests_for(self, utility: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.utility == utility]

    # ---- the server side ----------------------------------------------------------

    def _handle(self, request: Request) -> Response:
        arrived = time.monotonic()
        utility = self._utility(request.path)
        params = {**request.args.to_dict(), **request.form.to_dict()}
        with self._lock:
            fault = next((f for f in self.faults if f.utility in (None, utility)), None)
            if fault is not None:
                self.faults.remove(fault)
        self.requests.append(
            RecordedRequest(
                utility, request.method, request.path, params, request.query_string, arrived, fault
            )
        )
        if fault is not None and fault.kind in ("status", "html", "raw"):
            return Response(
                fault.body,
                status=fault.status,
                headers=fault.headers,
                content_type=fault.content_type,
            )
        if fault is not None and fault.kind == "drop":
            sock = request.environ.get("werkzeug.socket")
            if sock is not None:
                sock.shutdown(socket.SHUT_RDWR)
            return Response(b"", status=200)
        if fault is not None and fault.kind == "slow":
            time.sleep(fault.delay)
        if fault is not None and fault.kind == "error":
            return self._error_reply(utility, params, fault.message)
        response = self._answer(utility, request, params)
        if fault is not None and fault.kind in ("truncate", "cut"):
            body = response.get_data()
            response.set_data(body[: max(1, len(body) * 3 // 5)])
            if fault.kind == "cut":
                response.headers["Content-Length"] = str(len(body))
        if fault is not None and fault.kind == "trickle":
            return _trickle(response, fault)
        return response

    @staticmethod
    def _utility(path: str) -> str:
        if path.startswith(IDCONV_PATH.rstrip("/")):
            return "idconv"
        for name in ("efetch", "esearch", "ecitmatch"):
            if path.startswith(EUTILS_PATH + name):
                return name
        return "unknown"

    def _answer(self, utility: str, request: Request, params: dict[str, str]) -> Response:
        if utility == "efetch" and params.get("db") == "pmc":
            asked = ("PMC" + p.strip().removeprefix("PMC") for p in params.get("id", "").split(","))
            body = (
                b'<?xml version="1.0" ?>\n<!DOCTYPE pmc-articleset PUBLIC "-//NLM//DTD ARTICLE '
                b'SET 2.0//EN" "https://dtd.nlm.nih.gov/ncbi/pmc/articleset/nlm-articleset-2.0.dtd">'
                b"\n<pmc-articleset>"
                + b"".join(self.pmc_articles[p] for p in asked if p in self.pmc_articles)
                + b"</pmc-articleset>\n"
            )
            return Response(body, content_type="text/xml; charset=UTF-8")
        if utility == "efetch":
            found = [
                self.articles[p]
                for p in params.get("id", "").split(",")
                if p.strip() in self.articles
            ]
            body = (
                b'<?xml version="1.0" ?>\n'
                + _DOCTYPE
                + b"\n<PubmedArticleSet>\n"
                + b"".join(a + b"\n" for a in found)
                + b"</PubmedArticleSet>\n"
            )
            return Response(body, content_type="text/xml; charset=UTF-8")
        if utility == "esearch":
            return self._esearch(params)
        if utility == "idconv":
            return self._idconv(params)
        if utility == "ecitmatch":
            return self._ecitmatch(request)
        return Response(b"not found", status=404)

    def _esearch(self, params: dict[str, str]) -> Response:
        term = params.get("term", "")
        match = re.fullmatch(r'"(.*)"\[Title\]', term.strip())
        aid = re.fullmatch(r'"(.*)"\[AID\]', term.strip())
        if match:
            ids = self.titles.get(_norm(match.group(1)), [])
        elif aid:
            key = aid.group(1).strip().lower()
            ids = self.article_ids.get(key) or (
                [self.idmap[key]["pmid"]] if key in self.idmap else []
            )
        else:
            try:
                ids = self.search(term)
            except QueryError as exc:
                return self._error_reply("esearch", params, f"Invalid query: {exc}")
        shown = ids[: int(params.get("retmax", "20"))]
        if params.get("retmode") == "json":
            result: dict[str, object] = {
                "count": str(len(ids)),
                "retmax": str(len(shown)),
                "retstart": "0",
                "idlist": shown,
                "translationset": [],
                "querytranslation": term,
            }
            if not ids:
                result["warninglist"] = {
                    "quotedphrasesnotfound": [term],
                    "outputmessages": ["No items found."],
                }
            body = {"header": {"type": "esearch", "version": "0.3"}, "esearchresult": result}
            return Response(json.dumps(body), content_type="application/json; charset=UTF-8")
        xml = (
            f'<?xml version="1.0" encoding="UTF-8" ?>\n<eSearchResult><Count>{len(ids)}'
            f"</Count><RetMax>{len(shown)}</RetMax><RetStart>0</RetStart><IdList>"
            + "".join(f"<Id>{i}</Id>" for i in shown)
            + f"</IdList><QueryTranslation>{escape(term)}</QueryTranslation></eSearchResult>"
        )
        return Response(xml, content_type="text/xml; charset=UTF-8")

    def _idconv(self, params: dict[str, str]) -> Response:
        records: list[dict[str, object]] = []
        for requested in (v.strip() for v in params.get("ids", "").split(",") if v.strip()):
            known = self.idmap.get(requested.lower())
            if known is None:
                records.append(
                    {
                        "requested-id": requested,
                        "status": "error",
                        "errmsg": "Identifier not found in PMC",
                    }
                )
            else:
                records.append({"requested-id": requested, **known, "pmid": int(known["pmid"])})
        body = {
            "status": "ok",
            "responseDate": "2025-01-01 00:00:00",
            "request": f"ids={params.get('ids', '')}",
            "records": records,
        }
        return Response(json.dumps(body), content_type="application/json; charset=UTF-8")

    def _ecitmatch(self, request: Request) -> Response:
        lines = []
        for record in re.split(r"[\r\n]+", request.args.get("bdata", "")):
            parts = record.split("|")
            if len(parts) < 6:
                continue
            journal, year, volume, page = parts[:4]
            answer = self.citations.get(
                (_norm(journal), year.strip(), volume.strip(), page.strip()),
                "NOT_FOUND;INVALID_JOURNAL",
            )
            lines.append("|".join(parts[:6]) + "|" + answer)
        return Response("\n".join(lines) + "\n", content_type="text/plain; charset=UTF-8")

    def _error_reply(self, utility: str, params: dict[str, str], message: str) -> Response:
        if utility in ("idconv",) or params.get("retmode") == "json":
            body = (
                json.dumps({"error": message})
                if utility != "esearch"
                else json.dumps(
                    {"header": {"type": "esearch"}, "esearchresult": {"ERROR": message}}
                )
            )
            return Response(body, content_type="application/json; charset=UTF-8")
        root = {"efetch": "eFetchResult", "esearch": "eSearchResult"}.get(utility, "eResult")
        body = (
            f'<?xml version="1.0" encoding="UTF-8" ?>\n<{root}>\n\t<ERROR>{escape(message)}'
            f"</ERROR>\n</{root}>\n"
        )
        return Response(body, content_type="text/xml; charset=UTF-8")


@pytest.fixture
def fake_eutils(httpserver: HTTPServer) -> FakeEutils:
    """A `FakeEutils` on the session's pytest-httpserver (register with ``pytest_plugins``)."""
    return FakeEutils(httpserver)
