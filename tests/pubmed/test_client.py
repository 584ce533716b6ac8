"""PubMedClient against a real local HTTP server speaking E-utilities (tests/eutils_server)."""

from __future__ import annotations

import logging
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime

import pytest

from ldn_evidence.errors import InputError, PubMedError
from ldn_evidence.pubmed.client import CitationQuery, PubMedClient, validate_pmids
from ldn_evidence.pubmed.ratelimit import RateLimiter, shared_rate_limiter
from ldn_evidence.pubmed.replies import (
    SearchResult,
    UnexpectedReply,
    check_pubmed_xml,
    parse_esearch,
    parse_esearch_result,
    parse_retry_after,
    returned_pmids,
)
from tests.eutils_server import FakeEutils, Fault, make_article
from tests.helpers.network import closed_port

KEY = "SeCrEtKeY0123456789"


@pytest.fixture
def fake(httpserver) -> FakeEutils:
    return FakeEutils(httpserver)


def make_client(fake: FakeEutils, **kw) -> PubMedClient:
    kw.setdefault("backoff", 0.01)
    kw.setdefault("timeout", 5.0)
    kw.setdefault("email", "pharmacist@example.org")
    if "rate_limiter" not in kw:
        kw["rate_limiter"] = RateLimiter(1000)  # the spacing tests use the real ones
    return PubMedClient(base_url=fake.base_url, idconv_url=fake.idconv_url, **kw)


def add_articles(fake: FakeEutils, *pmids: str) -> None:
    for pmid in pmids:
        fake.add_article(pmid, make_article(pmid, f"Study {pmid}"))


def gaps(times: list[float]) -> list[float]:
    return [b - a for a, b in zip(times, times[1:], strict=False)]


# ---- efetch: batching, parameters, missing PMIDs ------------------------------------


def test_efetch_posts_450_pmids_in_batches_of_200(fake):
    pmids = [str(1000 + i) for i in range(450)]
    add_articles(fake, *pmids[:3], *pmids[-2:])
    batches = list(make_client(fake).efetch(pmids))
    assert [len(b.pmids_requested) for b in batches] == [200, 200, 50]
    assert [r.method for r in fake.requests] == ["POST"] * 3
    assert [r.ids for r in fake.requests] == [pmids[:200], pmids[200:400], pmids[400:]]
    assert returned_pmids(batches[0].xml) == set(pmids[:3])
    assert batches[2].missing_pmids() == pmids[400:448]


def test_every_request_carries_tool_email_and_key_in_the_body(fake):
    add_articles(fake, "111")
    client = make_client(fake, api_key=KEY, tool="ldn-test")
    (batch,) = client.efetch(["111"])
    (request,) = fake.requests
    assert request.method == "POST"
    assert request.params == {
        "db": "pubmed",
        "retmode": "xml",
        "id": "111",
        "tool": "ldn-test",
        "email": "pharmacist@example.org",
        "api_key": KEY,
    }
    assert KEY.encode() not in request.query_string  # never in a URL for POSTs
    assert b'<PMID Version="1">111</PMID>' in batch.xml


def test_no_email_or_key_means_no_such_parameters(fake):
    add_articles(fake, "111")
    list(make_client(fake, email=None).efetch(["111"]))
    assert set(fake.requests[0].params) == {"db", "retmode", "id", "tool"}


def test_unknown_pmids_are_reported_missing_not_dropped(fake):
    article = make_article("111", "Has a comment").replace(
        b"</MedlineCitation>",
        b'<CommentsCorrectionsList><CommentsCorrections RefType="CommentIn">'
        b"<RefSource>x</RefSource><PMID>222</PMID></CommentsCorrections>"
        b"</CommentsCorrectionsList></MedlineCitation>",
    )
    fake.add_article("111", article)
    (batch,) = make_client(fake).efetch(["111", "222", "333"])
    assert batch.pmids_requested == ["111", "222", "333"]
    assert returned_pmids(batch.xml) == {"111"}  # 222 is only a CommentsCorrections PMID
    assert batch.missing_pmids() == ["222", "333"]


def test_book_articles_count_as_returned():
    xml = (
        b'<PubmedArticleSet><PubmedBookArticle><BookDocument><PMID Version="1">20301295'
        b"</PMID></BookDocument></PubmedBookArticle></PubmedArticleSet>"
    )
    check_pubmed_xml(xml)
    assert returned_pmids(xml) == {"20301295"}


@pytest.mark.parametrize("bad", ["abc", "-1", "12 34", "0", "", "1.5", "１２"])
def test_invalid_pmids_are_refused_before_any_request(fake, bad):
    with pytest.raises(InputError, match="invalid PMID") as err:
        make_client(fake).efetch(["123", bad])
    assert repr(bad) in str(err.value)
    assert fake.requests == []


def test_validate_pmids_trims_and_dedupes_in_order():
    assert validate_pmids([" 123 ", "45", "123", "0045", 7]) == ["123", "45", "7"]
    assert validate_pmids([]) == []


# ---- rate limit ----------------------------------------------------------------------


@pytest.mark.slow  # over 1 s
def test_requests_without_key_are_at_least_a_third_of_a_second_apart(fake):
    add_articles(fake, "1")
    first, second = make_client(fake, rate_limiter=None), make_client(fake, rate_limiter=None)
    assert first.rate_limiter is second.rate_limiter is shared_rate_limiter(3)
    for client in (first, second, first, second):  # two clients share one process limiter
        list(client.efetch(["1"]))
    assert min(gaps([r.time for r in fake.requests])) >= 0.333


@pytest.mark.slow
def test_requests_with_key_are_at_least_a_tenth_of_a_second_apart(fake):
    add_articles(fake, "1")
    client = make_client(fake, rate_limiter=None, api_key=KEY)
    assert client.rate_limiter is shared_rate_limiter(10)
    for _ in range(5):
        list(client.efetch(["1"]))
    assert min(gaps([r.time for r in fake.requests])) >= 0.099


@pytest.mark.slow
def test_retries_pass_through_the_limiter_too(fake):
    add_articles(fake, "1")
    fake.inject(503, 503)
    list(make_client(fake, rate_limiter=RateLimiter(5)).efetch(["1"]))
    assert len(fake.requests) == 3
    assert min(gaps([r.time for r in fake.requests])) >= 0.2


def test_rate_limiter_with_injected_clock_and_sleep():
    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    limiter = RateLimiter(3, clock=lambda: now[0], sleep=sleep)
    limiter.wait()
    limiter.wait()
    now[0] += 1.0  # idle for a while: no wait needed
    limiter.wait()
    limiter.wait()
    assert slept == [pytest.approx(1 / 3 + 0.025), pytest.approx(1 / 3 + 0.025)]


def test_rate_limiter_gives_each_thread_its_own_slot():
    slots, lock = [], threading.Lock()
    limiter = RateLimiter(10, clock=lambda: 50.0, sleep=lambda _s: None)  # time stands still

    def work() -> None:
        for _ in range(50):
            delay = limiter.wait()
            with lock:
                slots.append(50.0 + delay)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(slots) == pytest.approx([50.0 + i * limiter.interval for i in range(200)])


# ---- retries -------------------------------------------------------------------------


@pytest.mark.slow  # over 1 s
def test_429_with_retry_after_waits_then_succeeds(fake):
    add_articles(fake, "1")
    fake.inject(Fault.http(429, retry_after=1))
    (batch,) = make_client(fake).efetch(["1"])
    assert returned_pmids(batch.xml) == {"1"}
    first, second = fake.requests
    assert first.fault is not None and second.fault is None
    assert second.time - first.time >= 0.98


def test_retry_after_as_seconds_or_http_date():
    now = datetime(2025, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("2") == 2.0
    assert parse_retry_after("Wed, 01 Jan 2025 12:00:05 GMT", now=now) == 5.0
    assert parse_retry_after("Wed, 01 Jan 2025 11:00:00 GMT", now=now) == 0.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


@pytest.mark.parametrize("statuses", [[500], [503], [500, 502, 504]])
def test_server_errors_are_retried(fake, statuses):
    add_articles(fake, "1")
    fake.inject(*statuses)
    (batch,) = make_client(fake).efetch(["1"])
    assert returned_pmids(batch.xml) == {"1"}
    assert len(fake.requests) == len(statuses) + 1


@pytest.mark.slow  # over 1 s
def test_slow_reply_past_the_timeout_is_retried(fake):
    add_articles(fake, "1")
    fake.inject(Fault.slow(1.0))
    start = time.monotonic()
    (batch,) = make_client(fake, timeout=0.5).efetch(["1"])
    assert returned_pmids(batch.xml) == {"1"}
    assert len(fake.requests) >= 2
    assert time.monotonic() - start < 4


@pytest.mark.parametrize("fault", ["drop", "cut", "truncate", "html", "error"])
def test_broken_or_wrong_200_replies_are_retried(fake, fault):
    add_articles(fake, "1", "2")
    fake.inject(fault)
    (batch,) = make_client(fake).efetch(["1", "2"])
    assert returned_pmids(batch.xml) == {"1", "2"}
    assert [r.fault is not None for r in fake.requests] == [True, False]


@pytest.mark.slow  # over 1 s
def test_the_timeout_bounds_the_whole_reply_not_each_read(fake):
    add_articles(fake, "1")
    fake.inject(Fault.trickle(0.3, chunks=5))  # every read well within 0.5 s; 1.2 s in all
    (batch,) = make_client(fake, timeout=0.5).efetch(["1"])
    assert returned_pmids(batch.xml) == {"1"}
    assert len(fake.requests) >= 2


@pytest.mark.parametrize("fault", ["drop", "cut", "html", 503, Fault.http(429, retry_after=0)])
@pytest.mark.slow
def test_ecitmatch_and_idconv_retry_too(fake, fault):
    fake.add_citation("science", 1987, 235, 182, "3026048")
    fake.add_doi("10.1000/x", "42")
    fake.inject(fault, utility="ecitmatch")
    fake.inject(fault, utility="idconv")
    client = make_client(fake)
    assert client.ecitmatch([CitationQuery("Science", 1987, 235, 182, "x", "k")]) == {
        "k": "3026048"
    }
    assert client.idconv(["10.1000/x"]) == {"10.1000/x": "42"}
    assert [r.utility for r in fake.requests] == ["ecitmatch"] * 2 + ["idconv"] * 2


def test_max_retries_zero_means_one_attempt(fake):
    fake.inject("error")
    with pytest.raises(PubMedError, match="after 1 attempts.*Search Backend failed"):
        make_client(fake, max_retries=0).idconv(["PMC1"])
    assert len(fake.requests) == 1


def test_giving_up_names_utility_pmids_and_status_but_never_the_key(fake, caplog):
    fake.inject(503, 503, 503)
    client = make_client(fake, api_key=KEY, max_retries=2)
    pmids = [str(i) for i in range(1, 31)]
    with caplog.at_level(logging.DEBUG), pytest.raises(PubMedError) as err:
        list(client.efetch(pmids))
    message = str(err.value)
    assert len(fake.requests) == 3
    assert "efetch" in message and "3 attempts" in message and "HTTP 503" in message
    assert "1, 2, 3" in message and "(30 in all)" in message and "\n" not in message
    assert err.value.exit_code == 3
    assert KEY not in message and KEY not in caplog.text and KEY not in repr(client)
    assert "retrying" in caplog.text


def test_key_in_get_urls_is_redacted_from_logs_and_errors(fake, caplog):
    fake.add_doi("10.1000/x", "42")
    fake.inject("drop")
    client = make_client(fake, api_key=KEY, max_retries=1)
    with caplog.at_level(logging.DEBUG):
        assert client.idconv(["10.1000/x"]) == {"10.1000/x": "42"}
    fake.inject("drop", "drop")
    with caplog.at_level(logging.DEBUG), pytest.raises(PubMedError) as err:
        client.idconv(["10.1000/x"])
    assert KEY.encode() in fake.requests[0].query_string  # the GET did carry it
    assert "idconv" in str(err.value) and "10.1000/x" in str(err.value)
    assert KEY not in str(err.value)
    ours = [r for r in caplog.records if not r.name.startswith("werkzeug")]  # not the server's
    assert any("api_key=***" in r.getMessage() for r in ours)  # urllib3's URL line, redacted
    assert not any(KEY in r.getMessage() for r in ours)


@pytest.mark.parametrize("status", [400, 404, 414])
def test_client_errors_fail_at_once(fake, status):
    fake.inject(Fault.http(status, body=b"Bad request: id list too long"))
    with pytest.raises(PubMedError, match=f"HTTP {status}.*id list too long") as err:
        list(make_client(fake, api_key=KEY).efetch(["1"]))
    assert len(fake.requests) == 1
    assert KEY not in str(err.value)
    fake.inject(Fault.http(status))  # the same through the GET-verbatim path (ecitmatch)
    with pytest.raises(PubMedError, match=f"ecitmatch refused the request.*HTTP {status}"):
        make_client(fake, api_key=KEY).ecitmatch([CitationQuery("j", 1, 1, 1, "a", "k")])
    assert len(fake.requests) == 2


def test_reply_checks_reject_what_was_not_asked_for():
    with pytest.raises(UnexpectedReply, match="eFetchResult"):
        check_pubmed_xml(b"<eFetchResult><Other/></eFetchResult>")
    with pytest.raises(UnexpectedReply, match="ERROR: Backend failed"):
        check_pubmed_xml(b"<eFetchResult><ERROR>Backend failed</ERROR></eFetchResult>")
    with pytest.raises(UnexpectedReply, match="truncated"):
        check_pubmed_xml(b"<PubmedArticleSet><PubmedArticle><Medline")
    check_pubmed_xml(  # an empty set is a valid answer; the DTD is neither fetched nor read
        b'<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD x//EN" '
        b'"http://192.0.2.1/pubmed.dtd">\n<PubmedArticleSet></PubmedArticleSet>'
    )


# ---- esearch, idconv, ecitmatch --------------------------------------------------------


def test_esearch_title_searches_the_title_as_a_phrase(fake):
    fake.add_title("Low-dose naltrexone for fibromyalgia", ["23359310", "111"])
    client = make_client(fake)
    assert client.esearch_title(' "Low-dose naltrexone for fibromyalgia." ') == ["23359310", "111"]
    assert client.esearch_title("Low-dose naltrexone for fibromyalgia", retmax=1) == ["23359310"]
    assert client.esearch_title("Something else entirely") == []
    request = fake.requests[0]
    assert request.params["term"] == '"Low-dose naltrexone for fibromyalgia"[Title]'
    assert request.params["db"] == "pubmed" and request.params["tool"] == "ldn-evidence"


def test_esearch_sends_any_query_and_gives_the_count(fake):
    for pmid, types in (("1", ["Randomized Controlled Trial"]), ("2", ["Review"]), ("3", [])):
        fake.add_article(
            pmid, make_article(pmid, f"Zinc for colds {pmid}", publication_types=types)
        )
    client = make_client(fake)
    result = client.esearch("zinc AND colds", retmax=2)
    assert (result.count, result.pmids) == (3, ["1", "2"])
    assert result.translation == "zinc AND colds"
    only_trials = client.esearch("zinc  AND\ncolds AND randomized controlled trial[pt]")
    assert (only_trials.count, only_trials.pmids) == (1, ["1"])
    request = fake.requests_for("esearch")[-1]
    assert request.method == "POST"  # long queries: never in a URL
    assert request.params["term"] == "zinc AND colds AND randomized controlled trial[pt]"
    assert (request.params["retmax"], request.params["sort"]) == ("20", "relevance")
    assert client.esearch("zinc", retmax=10**9).count == 3  # retmax capped for NCBI
    assert fake.requests_for("esearch")[-1].params["retmax"] == "10000"
    with pytest.raises(InputError):
        client.esearch("  ")


def test_esearch_count_from_xml_and_json():
    xml = (
        b"<eSearchResult><Count>250</Count><RetMax>1</RetMax><RetStart>0</RetStart>"
        b"<IdList><Id>17284678</Id></IdList><QueryTranslation>zinc[All Fields]"
        b"</QueryTranslation></eSearchResult>"
    )
    assert parse_esearch_result(xml) == SearchResult(250, ["17284678"], "zinc[All Fields]")
    odd = b'{"esearchresult": {"count": "many", "idlist": ["5", "6"]}}'
    assert parse_esearch_result(odd) == SearchResult(2, ["5", "6"], None)


def test_esearch_error_replies_are_retried(fake):
    fake.add_title("A title", ["5"])
    error_list_only = b'{"esearchresult": {"errorlist": {"phrasesnotfound": ["x"]}}}'
    fake.inject("error", Fault.raw(b'{"error":"API rate limit exceeded"}'), "truncate")
    fake.inject(Fault.raw(error_list_only, content_type="application/json"))
    assert make_client(fake).esearch_title("A title") == ["5"]
    assert len(fake.requests) == 5
    with pytest.raises(InputError):
        make_client(fake).esearch_title(' "." ')


def test_esearch_xml_replies():
    ok = (
        b"<eSearchResult><Count>1</Count><RetMax>1</RetMax><RetStart>0</RetStart>"
        b"<IdList><Id>17284678</Id></IdList></eSearchResult>"
    )
    assert parse_esearch(ok) == ["17284678"]
    none = (
        b"<eSearchResult><Count>0</Count><IdList/><ErrorList><PhraseNotFound>abc"
        b"</PhraseNotFound></ErrorList></eSearchResult>"
    )
    assert parse_esearch(none) == []
    with pytest.raises(UnexpectedReply, match="no IdList"):
        parse_esearch(
            b"<eSearchResult><ErrorList><PhraseNotFound>x</PhraseNotFound>"
            b"</ErrorList></eSearchResult>"
        )
    with pytest.raises(UnexpectedReply, match="Invalid db"):
        parse_esearch(b"<eSearchResult><ERROR>Invalid db name</ERROR></eSearchResult>")


def test_idconv_maps_dois_and_pmcids_grouped_by_type(fake):
    fake.add_doi("10.1007/s10067-013-2435-x", "23359310")
    fake.add_pmcid("PMC3676229", "23359310")
    got = make_client(fake).idconv(["10.1007/S10067-013-2435-X", "PMC3676229", "10.1/unknown"])
    assert got == {"10.1007/S10067-013-2435-X": "23359310", "PMC3676229": "23359310"}
    assert [r.params["idtype"] for r in fake.requests] == ["doi", "pmcid"]
    assert all(r.method == "GET" and r.params["format"] == "json" for r in fake.requests)


def test_idconv_sends_at_most_200_ids_a_request(fake):
    dois = [f"10.1000/{i}" for i in range(201)]
    assert make_client(fake).idconv(dois) == {}
    assert [len(r.ids) for r in fake.requests] == [200, 1]
    with pytest.raises(InputError, match="not a DOI"):
        make_client(fake).idconv(["hello"])


def test_ecitmatch_answers_pmids_and_none_for_ambiguous_or_not_found(fake):
    fake.add_citation("proc natl acad sci u s a", 1991, 88, 3248, "2014248")
    fake.add_citation("science", 1987, 235, 182, "AMBIGUOUS (2 citations)")
    queries = [
        CitationQuery("proc natl acad sci u s a", 1991, 88, 3248, "mann bj", "ref1"),
        CitationQuery("science", 1987, 235, 182, "palmenberg ac", "ref2"),
        CitationQuery("nowhere", 2001, 1, 1, "nobody", "ref3"),
    ]
    assert make_client(fake).ecitmatch(queries) == {"ref1": "2014248", "ref2": None, "ref3": None}
    raw = fake.requests[0].query_string
    assert b"proc+natl+acad+sci+u+s+a|1991|88|3248|mann+bj|ref1|%0Dscience|" in raw
    assert b"%7C" not in raw
    with pytest.raises(InputError):
        make_client(fake).ecitmatch([CitationQuery("j", 1, 1, 1, "a", "")])


# ---- configuration ---------------------------------------------------------------------


def test_from_env_reads_urls_key_and_email(monkeypatch, fake):
    for name, value in fake.env().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("NCBI_API_KEY", KEY)
    monkeypatch.setenv("NCBI_EMAIL", "me@example.org")
    client = PubMedClient.from_env(tool="other-tool")
    assert (client.base_url, client.idconv_url) == (fake.base_url, fake.idconv_url)
    assert client.has_api_key and client.email == "me@example.org" and client.tool == "other-tool"
    assert KEY not in repr(client)
    monkeypatch.delenv("LDN_EVIDENCE_EUTILS_URL")
    monkeypatch.delenv("NCBI_API_KEY")
    client = PubMedClient.from_env()
    assert client.base_url == "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"
    assert not client.has_api_key and client.rate_limiter is shared_rate_limiter(3)


# ---- the HTTP session: made with the first request ---------------------------------------


def test_the_http_session_is_made_with_the_first_request(monkeypatch, fake):
    import requests

    made: list[requests.Session] = []

    class Counted(requests.Session):
        def __init__(self) -> None:
            super().__init__()
            made.append(self)

    monkeypatch.setattr(requests, "Session", Counted)
    client = make_client(fake, api_key=KEY)
    assert client.has_api_key and client.timeout == 5.0 and KEY not in repr(client)
    client.close()  # no request: no session made, nothing to close
    assert made == []
    add_articles(fake, "111", "222")
    assert [b.pmids_requested for b in client.efetch(["111"])] == [["111"]]
    assert [b.pmids_requested for b in client.efetch(["222"])] == [["222"]]
    assert len(made) == 1 and client.session is made[0]  # one session for every request
    assert fake.requests[0].params["api_key"] == KEY
    client.close()


def test_a_session_given_is_the_one_used_and_closed(fake):
    import requests

    sent: list[str] = []
    closed: list[bool] = []

    class Watched(requests.Session):
        def send(self, request, **kw):  # type: ignore[no-untyped-def]
            sent.append(request.url)
            return super().send(request, **kw)

        def close(self) -> None:
            closed.append(True)
            super().close()

    session = Watched()
    with make_client(fake, session=session) as client:
        add_articles(fake, "111")
        assert [b.pmids_requested for b in client.efetch(["111"])] == [["111"]]
        assert client.session is session and sent == [fake.base_url + "efetch.fcgi"]
    assert closed == [True]


@pytest.mark.slow
def test_making_a_client_loads_no_http_library():
    """A command makes its client before its first query: that costs no `requests`,
    urllib3, tenacity or lxml import (they load with the first request or reply)."""
    code = (
        "import sys\n"
        "from ldn_evidence.pubmed.client import PubMedClient\n"
        "client = PubMedClient.from_env()\n"
        "repr(client), client.max_retries, client.rate_limiter\n"
        "client.close()\n"
        "print(sorted({m.split('.')[0] for m in sys.modules}"
        " & {'requests', 'urllib3', 'tenacity', 'lxml'}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# ---- a server that cannot be reached: a fast, plain answer -------------------------------


def unreachable_client(**kw) -> PubMedClient:
    """A client with the default retry policy (5 retries, 1 s backoff, 30 s timeout)
    pointed at a port where nothing listens."""
    base = f"http://127.0.0.1:{closed_port()}/entrez/eutils/"
    kw.setdefault("rate_limiter", RateLimiter(1000))
    return PubMedClient(base_url=base, idconv_url=base + "idconv/", **kw)


@pytest.mark.slow
def test_connection_refused_is_tried_twice_then_every_request_fails_at_once():
    client = unreachable_client()
    assert client.max_retries == 5
    start = time.monotonic()
    with pytest.raises(PubMedError) as err:
        list(client.efetch(["1", "2"]))
    assert time.monotonic() - start < 2.0  # not 1 + 2 + 4 + 8 + 16 s of backoff
    message = str(err.value)
    assert "connection refused; tried 2 times" in message and "cannot be reached" in message
    assert "efetch" in message and "PMIDs 1, 2" in message and "\n" not in message
    start = time.monotonic()
    with pytest.raises(PubMedError, match="esearch not sent .*cannot be reached"):
        client.esearch_title("Low-dose naltrexone for fibromyalgia")
    assert time.monotonic() - start < 0.1


@pytest.mark.parametrize("utility", ["efetch", "ecitmatch"])  # requests, and urllib
@pytest.mark.slow
def test_unknown_host_is_said_plainly(monkeypatch, utility):
    import socket

    def no_dns(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    client = PubMedClient(base_url="http://eutils.example.invalid/", rate_limiter=RateLimiter(1000))
    start = time.monotonic()
    with pytest.raises(PubMedError) as err:
        if utility == "efetch":
            list(client.efetch(["1"]))
        else:
            client.ecitmatch([CitationQuery("Science", 1987, 235, 182, "x", "k")])
    assert time.monotonic() - start < 2.0
    assert "eutils.example.invalid cannot be reached (host name not found" in str(err.value)


def test_a_dropped_connection_still_gets_every_retry(fake):
    add_articles(fake, "1")
    fake.inject("drop", "drop", "drop")
    client = make_client(fake, max_retries=3)
    assert [b.pmids_requested for b in client.efetch(["1"])] == [["1"]]
    assert len(fake.requests) == 4
