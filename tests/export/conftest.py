"""Fixtures: the export database (seed + hostile rows, see hostile.py) and its report."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ldn_evidence.export.model import Report
from tests.export.hostile import ExportDb, build_export_db, copy_export_db, full_report


@pytest.fixture(scope="session")
def export_db_template(tmp_path_factory: pytest.TempPathFactory) -> ExportDb:
    """The export database, built once per test process; each test gets a copy."""
    db = build_export_db(tmp_path_factory.mktemp("export-template"))
    db.engine.dispose()
    return db


@pytest.fixture
def export_db(export_db_template: ExportDb, tmp_path: Path) -> Iterator[ExportDb]:
    db = copy_export_db(export_db_template, tmp_path)
    yield db
    db.engine.dispose()


@pytest.fixture
def report(export_db: ExportDb) -> Report:
    return full_report(export_db)
