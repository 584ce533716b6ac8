"""Fixtures: the export database (seed + hostile rows, see hostile.py) and its report."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ldn_evidence.export.model import Report
from tests.export.hostile import ExportDb, build_export_db, full_report


@pytest.fixture
def export_db(tmp_path: Path) -> Iterator[ExportDb]:
    db = build_export_db(tmp_path)
    yield db
    db.engine.dispose()


@pytest.fixture
def report(export_db: ExportDb) -> Report:
    return full_report(export_db)
