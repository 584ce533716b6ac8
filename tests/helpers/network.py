"""Addresses where nothing answers, for the tests of a PubMed (or page) that cannot be
reached."""

from __future__ import annotations

import socket

import pytest


def closed_port() -> int:
    """A local TCP port with nothing listening: connecting to it is refused at once."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pubmed_unreachable(monkeypatch: pytest.MonkeyPatch, *, default_policy: bool = True) -> None:
    """Point the CLI's PubMed client at a closed port, with the default retry policy (or,
    `default_policy=False`, the policy in force: a test's short backoff)."""
    base = f"http://127.0.0.1:{closed_port()}/entrez/eutils/"
    monkeypatch.setenv("LDN_EVIDENCE_EUTILS_URL", base)
    monkeypatch.setenv("LDN_EVIDENCE_IDCONV_URL", base + "idconv/")
    if default_policy:
        for name in ("LDN_EVIDENCE_HTTP_BACKOFF", "LDN_EVIDENCE_HTTP_RETRIES"):
            monkeypatch.delenv(name, raising=False)
