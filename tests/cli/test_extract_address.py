"""`extract https://…`: the page fetched from its address (a local server, never the
internet), redirects followed and recorded, the final address stored; the same one-line
errors as for files, and nothing stored when the page cannot be had."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.conftest import Cli, count_rows
from tests.eutils_server import FakeEutils, make_article
from tests.helpers.network import closed_port

PAGES = Path(__file__).parents[1] / "pages"
HTML = "text/html; charset=utf-8"


@pytest.fixture(scope="module")
def _server() -> Iterator[HTTPServer]:
    server = HTTPServer(threaded=True)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def site(_server: HTTPServer) -> Iterator[HTTPServer]:
    """A web server of its own (the `fake` E-utilities answer every path of theirs),
    emptied after each test."""
    yield _server
    _server.clear()


def _page(site: HTTPServer, path: str, body: bytes, content_type: str = HTML) -> str:
    site.expect_request(path).respond_with_data(body, content_type=content_type)
    return site.url_for(path)


def _redirect(site: HTTPServer, path: str, to: str) -> str:
    site.expect_request(path).respond_with_response(Response(status=301, headers={"Location": to}))
    return site.url_for(path)


def test_a_page_by_address_follows_and_records_redirects(
    cli: Cli, fake: FakeEutils, site: HTTPServer, db_url: str
) -> None:
    fake.add_article("1111111", make_article("1111111", "Magnesium and sleep", "Sleep improved."))
    final = _page(site, "/blog/magnesium-sleep", (PAGES / "magnesium-sleep.html").read_bytes())
    middle = _redirect(site, "/2023/magnesium", "/blog/magnesium-sleep")
    first = _redirect(site, "/magnesium", middle)
    result = cli("extract", first, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["status"] == "new" and data["document"]["url"] == final
    assert data["retrieved"]["redirects"] == [first, middle]
    assert data["retrieved"]["requested_url"] == first and data["retrieved"]["url"] == final
    assert f"redirected to {final}" in result.stderr
    assert data["document"]["title"] == "Magnesium and sleep: what the studies say"
    assert len(data["claims"]) == 4 and data["fetch"]["new"] == ["1111111"]
    shown = json.loads(cli("documents", "show", str(data["document"]["id"]), "--json").stdout)
    assert shown["url"] == final
    again = json.loads(cli("extract", first, "--json").stdout)  # the same page, found again
    assert (again["status"], again["document_id"]) == ("unchanged", data["document"]["id"])
    assert count_rows(db_url, "source_documents") == 1


def test_plain_text_in_the_charset_the_server_declares(cli: Cli, site: HTTPServer) -> None:
    body = "Zinc lozenges shortened colds by 33% in adults \u2013 the \u2018fast\u2019 kind.\n"
    address = _page(site, "/zinc", body.encode("cp1252"), "text/plain; charset=windows-1252")
    result = cli("extract", address, "--json")
    assert result.exit_code == 0, result.output
    claims = json.loads(result.stdout)["claims"]
    assert [c["text"] for c in claims] == [body.strip()]


def _slow(request: Request) -> Response:
    time.sleep(1.5)
    return Response("Zinc cut colds by 33%.", content_type="text/plain")


@pytest.mark.parametrize(
    ("serve", "says"),
    [
        (lambda s: s.url_for("/missing"), "HTTP 404"),
        (lambda s: _page(s, "/leaflet.pdf", b"%PDF-1.7\n", "application/pdf"), "application/pdf"),
        (lambda s: _page(s, "/data", b'{"a": 1}', "application/json"), "not an HTML or text page"),
        (lambda s: _page(s, "/big", b"Zinc helps. " * 500_000, "text/plain"), "too large"),
        (lambda s: _page(s, "/empty", b"  \n", HTML), "the page is empty"),
        (lambda s: _page(s, "/nul", b"<html>\x00\x00</html>", HTML), "binary data"),
        (lambda s: _redirect(s, "/loop", "/loop"), "more than 10 redirects"),
        (lambda s: f"http://127.0.0.1:{closed_port()}/page", "cannot be reached"),
        (lambda s: s.url_for("/slow"), "no complete reply within 0.5 s"),
    ],
    ids=["404", "pdf", "json", "too-large", "empty", "binary", "loop", "refused", "timeout"],
)
@pytest.mark.slow
def test_a_page_that_cannot_be_had_is_one_line_and_nothing_stored(
    cli: Cli, site: HTTPServer, db_url: str, monkeypatch: pytest.MonkeyPatch, serve, says: str
) -> None:
    monkeypatch.setenv("LDN_EVIDENCE_HTTP_TIMEOUT", "0.5")
    site.expect_request("/slow").respond_with_handler(_slow)
    site.expect_request("/missing").respond_with_data("gone", status=404)
    address = serve(site)
    result = cli("extract", address)
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(f"Error: {address}: ")
    assert says in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert count_rows(db_url, "source_documents") == 0


@pytest.mark.slow
def test_url_is_for_files_only(cli: Cli, site: HTTPServer) -> None:
    address = _page(site, "/zinc", b"Zinc cut colds by 33%.", "text/plain")
    result = cli("extract", address, "--url", "https://elsewhere.example/zinc")
    assert result.exit_code == 1 and "--url is for a page read from a file" in result.stderr
    assert site.log == []  # refused before any request
