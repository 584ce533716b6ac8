"""Plumbing for the tests of long workflows (evidence, watch, import-retractions): a unit
of work on an engine, as the CLI hands the services one, and a PubMed client for the fake
E-utilities server (`fake` fixture) that does not space its requests as NCBI wants."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ldn_evidence.pubmed.client import PubMedClient
from ldn_evidence.pubmed.ratelimit import RateLimiter


def units(engine: sa.Engine) -> Callable[[], AbstractContextManager[Session]]:
    from ldn_evidence.db import session_scope

    return lambda: session_scope(engine)


def fast_client() -> PubMedClient:
    """A client configured from the environment (the fake's URLs), unthrottled."""
    return PubMedClient.from_env(rate_limiter=RateLimiter(1000))
