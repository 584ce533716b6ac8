"""`ENGINE_VERSION` follows the code that reaches a verdict: `verify` re-checks every
citation when the version changes, and only then."""

from __future__ import annotations

from ldn_evidence.verification import ENGINE_VERSION
from ldn_evidence.verification.version import ENGINE_SOURCE_SHA256, source_files, source_sha256


def test_the_recorded_source_hash_is_the_source_s() -> None:
    now = source_sha256()
    assert now == ENGINE_SOURCE_SHA256, (
        f"the verification source changed since ENGINE_VERSION {ENGINE_VERSION!r} was "
        "recorded: bump ENGINE_VERSION in ldn_evidence/verification/version.py if a verdict "
        "could change (verify then re-checks every citation; stored verdicts stay stale "
        f"otherwise), and set ENGINE_SOURCE_SHA256 = {now!r}"
    )


def test_the_hash_covers_the_engine_and_the_claim_figures() -> None:
    names = {f"{p.parent.name}/{p.name}" for p in source_files()}
    assert {
        "verification/engine.py",
        "verification/verdict.py",
        "verification/combined.py",
        "verification/full_text.py",
        "ldn_evidence/figures.py",
        "ldn_evidence/outcomes.py",
        "ldn_evidence/sentences.py",
    } <= names
    assert "verification/version.py" not in names
    assert ENGINE_VERSION.strip() and ENGINE_VERSION == ENGINE_VERSION.strip()
