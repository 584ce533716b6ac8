"""The layers hold: the export formats and the views never load the database layer."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import ldn_evidence.export

EXPORT = Path(ldn_evidence.export.__file__).parent
RENDERERS = ["ldn_evidence.export"] + [
    f"ldn_evidence.export.{p.stem}" for p in sorted(EXPORT.glob("*.py")) if p.stem != "__init__"
]


def _loaded_after_importing(modules: list[str]) -> set[str]:
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in modules)
        + "print('\\n'.join(sorted(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_export_formats_render_views_only() -> None:
    loaded = _loaded_after_importing(RENDERERS)
    assert "sqlalchemy" not in loaded
    assert not {m for m in loaded if m.startswith(("ldn_evidence.models", "ldn_evidence.services"))}


def test_the_views_stand_on_the_vocabulary_only() -> None:
    loaded = _loaded_after_importing(["ldn_evidence.viewmodel"])
    assert {m for m in loaded if m.startswith("ldn_evidence")} == {
        "ldn_evidence",
        "ldn_evidence.viewmodel",
        "ldn_evidence.vocab",
    }


def test_the_sentence_splitter_and_outcome_vocabulary_stand_alone() -> None:
    """Extraction and verification both read them: they import nothing of the package."""
    loaded = _loaded_after_importing(["ldn_evidence.sentences", "ldn_evidence.outcomes"])
    assert {m for m in loaded if m.startswith("ldn_evidence")} == {
        "ldn_evidence",
        "ldn_evidence.sentences",
        "ldn_evidence.outcomes",
    }
