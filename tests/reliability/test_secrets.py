"""NCBI_API_KEY never leaves the request: not in stdout/stderr of succeeding or failing
commands (retry warnings and exit-3 messages included), not in log records, not in
exports, not in any column of the database — even when the server echoes it back."""

from __future__ import annotations

import logging
import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.eutils_server import FakeEutils, Fault, make_article
from tests.reliability.conftest import API_KEY, all_text, console_script

FORMATS = ("csv", "json", "markdown", "html", "ris", "bibtex", "csljson")
ECHO_JSON = f'{{"error":"API key invalid","api-key":"{API_KEY}","type":"invalid"}}'.encode()
ECHO_HTML = f"<html><body><h1>Error</h1><p>key={API_KEY}</p></body></html>".encode()


def _echoing_faults(utility: str) -> list[Fault]:
    """Replies that carry the key back, as NCBI's 'API key invalid' answer does."""
    return [
        Fault.http(429, body=ECHO_JSON, utility=utility),
        Fault.http(
            503, body=f"Service unavailable for api_key={API_KEY}".encode(), utility=utility
        ),
        Fault("html", body=ECHO_HTML, content_type="text/html", utility=utility),
        Fault.error_element(f"API key {API_KEY} is over its limit", utility=utility),
        Fault.raw(
            b"<eFetchResult><ERROR>api_key=" + API_KEY.encode() + b"</ERROR></eFetchResult>",
            utility=utility,
        ),
    ]


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG)
    return caplog


def _our_logs(caplog: pytest.LogCaptureFixture) -> str:
    """Every log line but the fake server's own access log (it sees the key, as NCBI does)."""
    return "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("werkzeug"))


@pytest.mark.slow  # over 1 s
def test_key_is_sent_but_never_shown_or_stored(
    sqlite_cli: tuple[Cli, str],
    fake: FakeEutils,
    seed_file: Path,
    tmp_path: Path,
    logs: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cli, db_url = sqlite_cli
    assert cli("load", str(seed_file)).exit_code == 0
    for p in ("23359310", "19453963", "777"):
        fake.add_article(p, make_article(p, f"Study {p}", "Thirty-one women took part."))

    # succeeding after faults that echo the key
    monkeypatch.setenv("LDN_EVIDENCE_HTTP_RETRIES", "5")
    fake.inject(*_echoing_faults("efetch"))
    ok = cli("fetch", "--missing", "--json")
    assert ok.exit_code == 0, ok.output
    assert all(r.params.get("api_key") == API_KEY for r in fake.requests)  # it was sent

    # failing (exit 3) after the same faults: the last error echoes the key
    monkeypatch.setenv("LDN_EVIDENCE_HTTP_RETRIES", "4")
    fake.inject(*_echoing_faults("efetch"))
    failed = cli("fetch", "777")
    assert failed.exit_code == 3
    # refused outright (HTTP 400 is not retried), the body echoing the key
    fake.inject(Fault.http(400, body=ECHO_JSON, utility="efetch"))
    refused = cli("fetch", "778")
    assert refused.exit_code == 3

    # extract: a title looked up by esearch and a DOI by the ID converter (a GET: the key
    # is in the URL), both failing with echoed keys; the errors are stored with the references
    page = tmp_path / "page.txt"
    page.write_text(
        "Zinc shortened colds by 33% in adults.\n\nReferences\n\n"
        "Zinc lozenges and the common cold: a randomized trial in adults.\n\n"
        "https://doi.org/10.1000/zinc.1\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("LDN_EVIDENCE_HTTP_RETRIES", "1")
    for utility in ("esearch", "idconv", "ecitmatch"):
        fake.inject(
            Fault.http(503, body=ECHO_JSON, utility=utility),
            Fault.http(400, body=ECHO_JSON, utility=utility),
        )
    extracted = cli("extract", str(page), "--json")
    assert extracted.exit_code == 0, extracted.output
    assert {"esearch", "idconv"} <= {r.utility for r in fake.requests}

    outputs = [ok.output, failed.output, refused.output, extracted.output]
    for fmt in FORMATS:
        out = tmp_path / f"export.{fmt}"
        result = cli("export", "-f", fmt, "-o", str(out))
        assert result.exit_code == 0, result.output
        outputs += [result.output, out.read_text(encoding="utf-8-sig")]
    outputs.append(cli("studies", "show", "777", "--json").output)
    outputs.append(cli("documents", "show", "2", "--json").output)

    for text in outputs:
        assert API_KEY not in text
    assert API_KEY not in _our_logs(logs)
    assert API_KEY not in all_text(db_url)
    assert "***" in failed.stderr or "exit" not in failed.stderr  # redacted, not dropped


@pytest.mark.slow  # subprocess
def test_key_not_in_retry_warnings_of_the_real_command(tmp_path: Path, fake: FakeEutils) -> None:
    """The console script in a subprocess: retry warnings reach stderr; the key does not."""
    fake.add_article("31", make_article("31"))
    fake.inject(*_echoing_faults("efetch"))
    env = {**os.environ, "LDN_EVIDENCE_HTTP_RETRIES": "3"}
    proc = subprocess.run(
        [console_script(), "--db", str(tmp_path / "s.db"), "fetch", "31"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert proc.returncode == 3, proc.stderr
    assert "retrying" in proc.stderr or "attempt" in proc.stderr
    assert API_KEY not in proc.stdout + proc.stderr
    assert proc.stderr.strip().splitlines()[-1].startswith("Error: ")
