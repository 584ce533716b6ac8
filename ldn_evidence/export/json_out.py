"""JSON: the report nested document → claims → citations → study, versioned.

The shape is `ldn-evidence/3`, described by the JSON Schema in `schema.json` (shipped
with the package; `load_schema()` reads it). The schema lists every field and allows no
others, so any change of shape comes with a new schema version.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from importlib.resources import files
from typing import Any

from ldn_evidence.viewmodel import Report


def report_data(report: Report) -> dict[str, Any]:
    return asdict(report)


def render_json(report: Report) -> bytes:
    text = json.dumps(report_data(report), indent=2, ensure_ascii=False)
    return (text + "\n").encode("utf-8")


def load_schema() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        files("ldn_evidence.export").joinpath("schema.json").read_text("utf-8")
    )
    return data
