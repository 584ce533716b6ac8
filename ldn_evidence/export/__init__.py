"""Output formats (the table in `formats.py`: csv, json, markdown, html, ris, bibtex,
csljson): pure renderers.

    report = services.report.build_report(session=session, document_ids=[3])
    write_atomic(Path("report.html"), render(report, "html"))

`build_report` reads the database into a `Report` (plain dataclasses of
`ldn_evidence.viewmodel`); every format renders only that, so no format touches the
database (nothing here imports the models or the services).
"""

from __future__ import annotations

from ldn_evidence.export.atomic import write_atomic, write_atomic_chunks
from ldn_evidence.export.formats import (
    EXPORT_FORMATS,
    EXTENSIONS,
    FORMATS,
    Format,
    render,
    render_chunks,
)

__all__ = [
    "EXPORT_FORMATS",
    "EXTENSIONS",
    "FORMATS",
    "Format",
    "render",
    "render_chunks",
    "write_atomic",
    "write_atomic_chunks",
]
