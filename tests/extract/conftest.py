"""Fixtures for the extraction tests: the page fixtures in `pages/` and the shared seed page.

Helpers are fixtures (not imported), so the tests run whether or not `tests` is a package.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from ldn_evidence.extract import PageText, page_to_text

PAGES = Path(__file__).resolve().parent / "pages"
SEED = Path("/work/shared/seed/ldn-fibromyalgia-part2.txt")


@pytest.fixture
def pages_dir() -> Path:
    return PAGES


@pytest.fixture
def load_page() -> Callable[[str], PageText]:
    """load_page("footnotes.html") → PageText (kind from the file name)."""

    def load(name: str) -> PageText:
        kind = "html" if name.endswith(".html") else "text"
        return page_to_text((PAGES / name).read_bytes(), kind=kind)

    return load


@pytest.fixture
def seed_page() -> PageText:
    """The shared seed page, read in place; the test is skipped when it is not there."""
    if not SEED.is_file():
        pytest.skip(f"seed page not available: {SEED}")
    return page_to_text(SEED.read_bytes(), kind="text")
