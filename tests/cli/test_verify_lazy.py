"""`verify` imports the verification engine only when a citation is to be checked: a
re-run where nothing changed, or a claim without a study, never loads it (nor the
full-text entities), and says what it says when it does. `--jobs 2` checks the same."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from tests.cli.test_show_core import varied  # noqa: F401  (a fixture)

# `verify` in a process of its own; on stderr, last, whether the engine was imported.
_PROBE = r"""
import json, sys
from ldn_evidence.cli import app_for

args = json.loads(sys.argv[1])
code = 0
try:
    app_for(args)(args, prog_name="ldn-evidence")
except SystemExit as exc:
    code = exc.code or 0
print(json.dumps({"code": code,
                  "engine": "ldn_evidence.verification.combined" in sys.modules,
                  "words": "wordfreq" in sys.modules,
                  "full_texts": "ldn_evidence.models.fulltext" in sys.modules}), file=sys.stderr)
"""


def _verify(url: str, *args: str) -> tuple[dict[str, Any], Any]:
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(["--db", url, "verify", "--json", *args])],
        capture_output=True,
        text=True,
        check=False,
    )
    probe = json.loads(proc.stderr.strip().splitlines()[-1])
    assert probe["code"] == 0, proc.stderr
    return probe, json.loads(proc.stdout)


@pytest.mark.slow
def test_the_engine_is_imported_only_for_a_check(varied: str) -> None:  # noqa: F811
    # claim 6 has no study: nothing to check
    probe, out = _verify(varied, "6")
    assert out["citations"] == [] and out["claims_without_study"] == [6]
    assert not probe["engine"] and not probe["words"] and not probe["full_texts"]
    # claim 7 cites a study with an abstract: checked, the engine imported
    probe, first = _verify(varied, "7")
    assert probe["engine"] and first["citations"] and first["citations"][0]["skipped"] is None
    # the first run of everything checks; a re-run where nothing changed does not
    probe, every = _verify(varied)
    probe, again = _verify(varied)
    assert again["citations"] == [] or all(c["skipped"] for c in again["citations"])
    assert again["unchanged"] >= 1
    assert not probe["engine"] and not probe["words"] and not probe["full_texts"]
    # --force checks them all again, in two worker processes: the same verdicts
    probe, forced = _verify(varied, "--force", "--jobs", "2")
    assert probe["engine"]

    def verdicts(out: dict[str, Any]) -> list[tuple[Any, ...]]:
        return sorted(
            (c["claim_id"], c["pmid"], c["verdict"], c["sentence"], c["evidence_location"])
            for c in out["citations"]
        )

    checked = {"citations": first["citations"] + every["citations"]}  # claim 7 ran first
    assert verdicts(forced) == verdicts(checked) and len(forced["citations"]) >= 4
