"""Helpers for the extraction tests: the fixture pages and the shared seed page."""

from __future__ import annotations

from pathlib import Path

import pytest

from ldn_evidence.extract import PageText, page_to_text

PAGES = Path(__file__).resolve().parent / "pages"
SEED = Path("/work/shared/seed/ldn-fibromyalgia-part2.txt")


def load_page(name: str) -> PageText:
    kind = "html" if name.endswith(".html") else "text"
    return page_to_text((PAGES / name).read_bytes(), kind=kind)


@pytest.fixture
def seed_page() -> PageText:
    """The shared seed page, read in place; the test is skipped when it is not there."""
    if not SEED.is_file():
        pytest.skip(f"seed page not available: {SEED}")
    return page_to_text(SEED.read_bytes(), kind="text")
