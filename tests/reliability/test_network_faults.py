"""`fetch` against a misbehaving E-utilities server: it completes after retries, or stops
with exit 3 and one line saying what is stored and what is not — never a partial batch."""

from __future__ import annotations

import json

import pytest

from tests.conftest import Cli
from tests.eutils_server import FakeEutils, Fault, make_article
from tests.helpers.studies import assert_complete, rich_article
from tests.reliability.conftest import API_KEY, assert_one_line_error, count, dump

TIMEOUT = 0.4


def _faults() -> dict[str, Fault]:
    return {
        "429": Fault.http(429, retry_after=0, utility="efetch"),
        "500": Fault.http(500, utility="efetch"),
        "502": Fault.http(502, body=b"<html><body>Bad Gateway</body></html>", utility="efetch"),
        "503": Fault.http(503, retry_after=0, utility="efetch"),
        "504": Fault.http(504, utility="efetch"),
        "drop": Fault.drop(utility="efetch"),
        "cut": Fault.cut(utility="efetch"),
        "timeout": Fault.slow(TIMEOUT + 0.2, utility="efetch"),
        "trickle": Fault.trickle(0.15, chunks=5, utility="efetch"),
        "truncated": Fault.truncated(utility="efetch"),
        "html-200": Fault.html_page(utility="efetch"),
        "error-element": Fault.error_element(utility="efetch"),
        "error-json": Fault.raw(
            b'{"error":"API rate limit exceeded"}',
            content_type="application/json",
            utility="efetch",
        ),
        "empty-200": Fault.raw(b"", utility="efetch"),
        "wrong-root": Fault.raw(b"<eFetchResult><Count>0</Count></eFetchResult>", utility="efetch"),
    }


# Faults that wait out the client's timeout: over 1 s a test.
WAITING = {"timeout", "trickle"}


def _kinds(names: list[str]) -> list[object]:
    return [pytest.param(k, marks=pytest.mark.slow) if k in WAITING else k for k in names]


KINDS = list(_faults())


@pytest.fixture
def articles(fake: FakeEutils) -> list[str]:
    pmids = [str(3_000_000 + i) for i in range(5)]
    for p in pmids:
        fake.add_article(p, make_article(p, f"Study {p}", f"Abstract {p}.", doi=f"10.1/{p}"))
    return pmids


def _no_key(result) -> None:  # type: ignore[no-untyped-def]
    assert API_KEY not in result.output


@pytest.mark.parametrize("kind", _kinds(KINDS))
@pytest.mark.slow
def test_fault_then_success(
    kind: str,
    sqlite_cli: tuple[Cli, str],
    fake: FakeEutils,
    articles: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each kind of fault, twice in a row: retried each time, then stored."""
    cli, url = sqlite_cli
    monkeypatch.setenv("LDN_EVIDENCE_HTTP_TIMEOUT", str(TIMEOUT))
    monkeypatch.setenv("LDN_EVIDENCE_HTTP_RETRIES", "2")
    fake.inject(_faults()[kind], _faults()[kind])
    result = cli("fetch", *articles, "--json")
    _no_key(result)
    assert result.exit_code == 0, result.output
    assert sorted(json.loads(result.stdout)["new"]) == articles
    efetch = fake.requests_for("efetch")
    assert len(efetch) == 3 and efetch[-1].fault is None
    assert count(url, "studies") == 5


@pytest.mark.slow  # over 1 s
def test_429_storm_with_retry_after(
    sqlite_cli: tuple[Cli, str],
    fake: FakeEutils,
    articles: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cli, url = sqlite_cli
    monkeypatch.setenv("LDN_EVIDENCE_HTTP_RETRIES", "6")
    for _ in range(6):
        fake.inject(Fault.http(429, retry_after="0", utility="efetch"))
    result = cli("fetch", *articles)
    _no_key(result)
    assert result.exit_code == 0, result.output
    assert count(url, "studies") == 5


# Every kind is retried (above); giving up takes the same path for all, so a few suffice.
PERSISTENT = ["429", "503", "drop", "timeout", "trickle", "truncated", "html-200", "error-element"]


@pytest.mark.parametrize("kind", _kinds(PERSISTENT))
@pytest.mark.slow
def test_persistent_fault_exit_3_nothing_stored(
    kind: str,
    sqlite_cli: tuple[Cli, str],
    fake: FakeEutils,
    articles: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cli, url = sqlite_cli
    monkeypatch.setenv("LDN_EVIDENCE_HTTP_TIMEOUT", str(TIMEOUT))
    monkeypatch.setenv("LDN_EVIDENCE_HTTP_RETRIES", "1")
    fake.inject(_faults()[kind], _faults()[kind])
    before = dump(url)
    result = cli("fetch", *articles)
    _no_key(result)
    assert result.exit_code == 3, result.output
    line = assert_one_line_error(result.stderr, "efetch", "stored 0 of 5 PMIDs", "not stored: ")
    assert all(p in line for p in articles)
    assert result.stdout == ""
    assert dump(url) == before
    assert len(fake.requests_for("efetch")) == 2


def test_a_4xx_is_not_retried(
    sqlite_cli: tuple[Cli, str], fake: FakeEutils, articles: list[str]
) -> None:
    cli, url = sqlite_cli
    fake.inject(Fault.http(400, body=b"Bad Request: invalid id", utility="efetch"))
    result = cli("fetch", *articles)
    assert result.exit_code == 3
    assert_one_line_error(result.stderr, "HTTP 400", "not stored")
    assert len(fake.requests_for("efetch")) == 1 and count(url, "studies") == 0


def test_server_gone_exit_3(
    sqlite_cli: tuple[Cli, str], monkeypatch: pytest.MonkeyPatch, fake: FakeEutils
) -> None:
    """Nothing listening at all (connection refused): exit 3, not a traceback."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("LDN_EVIDENCE_EUTILS_URL", f"http://127.0.0.1:{port}/entrez/eutils/")
    monkeypatch.setenv("LDN_EVIDENCE_HTTP_RETRIES", "1")
    cli, _url = sqlite_cli
    result = cli("fetch", "123")
    assert result.exit_code == 3
    assert_one_line_error(result.stderr, "not stored: 123")


@pytest.mark.slow  # over 1 s
def test_failure_in_a_later_batch_keeps_whole_batches_only(
    cli: Cli, db_url: str, fake: FakeEutils, monkeypatch: pytest.MonkeyPatch
) -> None:
    """450 PMIDs in three batches; every attempt at the second gets a truncated reply: the
    first batch is stored whole with its authors, types, MeSH terms and keywords, nothing
    of the second or third. A re-run fetches only the rest."""
    monkeypatch.setenv("LDN_EVIDENCE_HTTP_RETRIES", "2")
    pmids = [str(4_000_000 + i) for i in range(450)]
    for p in pmids:
        fake.add_article(p, rich_article(p))
    # batch 1 answers normally; every attempt at batch 2 gets a truncated reply
    real_answer = fake._answer

    def answer(utility, request, params):  # type: ignore[no-untyped-def]
        if utility == "efetch" and pmids[200] in params.get("id", ""):
            return real_answer(utility, request, params).__class__(
                b"<PubmedArticleSet><PubmedArticle><MedlineCitation>",
                status=200,
                content_type="text/xml",
            )
        return real_answer(utility, request, params)

    monkeypatch.setattr(fake, "_answer", answer)
    result = cli("fetch", *pmids)
    _no_key(result)
    assert result.exit_code == 3
    line = assert_one_line_error(
        result.stderr, "stored 200 of 450", f"not stored: {pmids[200]}", "250 in all"
    )
    assert "malformed or truncated" in line
    assert_complete(db_url, expected=pmids[:200])

    monkeypatch.setattr(fake, "_answer", real_answer)
    again = cli("fetch", *pmids, "--json")
    assert again.exit_code == 0, again.output
    summary = json.loads(again.stdout)
    assert len(summary["new"]) == 250 and len(summary["already_stored"]) == 200
    assert_complete(db_url, expected=pmids)
