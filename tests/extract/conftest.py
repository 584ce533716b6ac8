"""Fixtures for the extraction tests."""

from __future__ import annotations

import pytest
from extract_pages import SEED

from ldn_evidence.extract import PageText, page_to_text


@pytest.fixture
def seed_page() -> PageText:
    """The shared seed page, read in place; the test is skipped when it is not there."""
    if not SEED.is_file():
        pytest.skip(f"seed page not available: {SEED}")
    return page_to_text(SEED.read_bytes(), kind="text")
