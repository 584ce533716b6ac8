"""The extraction tests' page fixtures (imported by name: pytest puts this directory on
sys.path, and the name does not depend on a `tests` package)."""

from __future__ import annotations

from pathlib import Path

from ldn_evidence.extract import PageText, page_to_text

PAGES = Path(__file__).resolve().parent / "pages"
SEED = Path("/work/shared/seed/ldn-fibromyalgia-part2.txt")


def load_page(name: str) -> PageText:
    kind = "html" if name.endswith(".html") else "text"
    return page_to_text((PAGES / name).read_bytes(), kind=kind)
