"""The commands that reach PubMed or PMC read the database before they load the HTTP client:
at their first query (after the schema check) neither `requests` nor, for `evidence`,
the verification engine is imported. The client makes its HTTP session with its first
request, so a command with nothing to fetch never loads `requests`, and one that then
finds PubMed unreachable still fails with one line. Speed itself is measured in
benchmarks/startup_bench.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.cli.test_startup import seeded  # noqa: F401  (a fixture)
from tests.conftest import Cli
from tests.eutils_server import make_article
from tests.helpers.network import closed_port

FULL_TEXT = Path(__file__).resolve().parents[1] / "pubmed" / "fixtures" / "fulltext.nxml"

# One command in a fresh interpreter. At its first statement that does not read the schema
# revision: which of WATCHED are imported; at the end: the same, and the exit code.
_PROBE = r"""
import json, sys
from sqlalchemy import event
from sqlalchemy.engine import Engine

WATCHED = ("requests", "ldn_evidence.verification.engine", "ldn_evidence.viewmodel")
first = {}

def note(conn, cursor, statement, *rest):
    if not first and "alembic_version" not in statement:
        first.update({name: name in sys.modules for name in WATCHED}, statement=statement)

event.listen(Engine, "before_cursor_execute", note)
from ldn_evidence.cli import app_for

args = json.loads(sys.argv[2])
code = 0
try:
    app_for(args)(args, prog_name="ldn-evidence")
except SystemExit as exc:
    code = exc.code or 0
with open(sys.argv[1], "w") as out:
    json.dump({"code": code, "first": first,
               "end": {name: name in sys.modules for name in WATCHED}}, out)
"""


@pytest.fixture
def stored(tmp_path: Path, seeded: str) -> str:  # noqa: F811
    """The seed, with PMID 23359310 stored as a PubMed record (not curated): a study
    `fetch` finds stored and `watch` checks."""
    xml = tmp_path / "record.xml"
    article = make_article("23359310", "LDN in fibromyalgia", "Pain fell by 30%.")
    xml.write_bytes(b"<PubmedArticleSet>" + article + b"</PubmedArticleSet>")
    assert Cli(seeded)("import-xml", str(xml)).exit_code == 0
    return seeded


def _run(tmp_path: Path, url: str, *args: str) -> tuple[dict[str, Any], str]:
    out = tmp_path / "probe.json"
    base = f"http://127.0.0.1:{closed_port()}/entrez/eutils/"
    env = {
        **os.environ,
        "LDN_EVIDENCE_EUTILS_URL": base,  # nothing listens: a request is refused at once
        "LDN_EVIDENCE_IDCONV_URL": base + "idconv/",
        "LDN_EVIDENCE_HTTP_RETRIES": "0",
    }
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE, str(out), json.dumps(["--db", url, *args])],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert out.exists(), proc.stderr
    return json.loads(out.read_text()), proc.stderr


def _one_error_line(stderr: str) -> str:
    assert "Traceback" not in stderr
    errors = [line for line in stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1, stderr
    return errors[0]


@pytest.mark.slow
def test_fetch_of_stored_pmids_reads_them_without_the_http_client(
    tmp_path: Path,
    stored: str,
) -> None:
    probe, stderr = _run(tmp_path, stored, "fetch", "23359310")
    assert probe["code"] == 0, stderr
    assert "studies" in probe["first"]["statement"]  # which of them are stored
    assert not probe["first"]["requests"]
    assert not probe["end"]["requests"]  # stored already: no request, no client made
    assert not probe["end"]["ldn_evidence.viewmodel"]


@pytest.mark.slow
def test_fetch_missing_reads_what_is_missing_before_the_http_client(
    tmp_path: Path,
    stored: str,
) -> None:
    probe, stderr = _run(tmp_path, stored, "fetch", "--missing")
    assert not probe["first"]["requests"]
    if probe["code"] == 0:  # nothing missing: no request, no client made
        assert not probe["end"]["requests"]
    else:  # it asked PubMed for what is missing, and PubMed could not be reached
        assert probe["code"] == 3
        assert "cannot be reached" in _one_error_line(stderr)
        assert probe["end"]["requests"]


@pytest.mark.slow
@pytest.mark.parametrize("args", [("watch",), ("watch", "--document", "1")], ids=" ".join)
def test_watch_reads_the_cited_studies_before_the_http_client(
    tmp_path: Path,
    stored: str,
    args: tuple[str, ...],
) -> None:
    probe, stderr = _run(tmp_path, stored, *args)
    assert not probe["first"]["requests"] and not probe["first"]["ldn_evidence.viewmodel"]
    assert probe["code"] == 3  # then it asks PubMed, which cannot be reached
    line = _one_error_line(stderr)
    assert line.startswith("Error: efetch failed") and "cannot be reached" in line
    assert probe["end"]["requests"]  # the client was made with that request


@pytest.mark.slow
def test_evidence_reads_the_claim_before_the_http_client_and_the_engine(
    tmp_path: Path,
    stored: str,
) -> None:
    probe, stderr = _run(tmp_path, stored, "evidence", "4")
    first = probe["first"]
    assert "claims" in first["statement"]
    assert not first["requests"] and not first["ldn_evidence.verification.engine"]
    assert probe["code"] == 3
    line = _one_error_line(stderr)
    assert line.startswith("Error: esearch failed") and "cannot be reached" in line
    assert probe["end"]["requests"]
    missing, stderr = _run(tmp_path, stored, "evidence", "999999")
    assert missing["code"] == 1 and _one_error_line(stderr) == "Error: no claim with id 999999"
    assert not missing["end"]["requests"] and not missing["end"]["ldn_evidence.verification.engine"]


@pytest.mark.slow
def test_import_pmc_needs_no_http_client_nor_views(
    tmp_path: Path,
    stored: str,
) -> None:
    probe, stderr = _run(tmp_path, stored, "import-pmc", str(FULL_TEXT))
    assert probe["code"] == 0, stderr
    assert not probe["end"]["requests"] and not probe["end"]["ldn_evidence.viewmodel"]
