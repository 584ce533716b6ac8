"""Case-insensitive substring search that works the same on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, or_


def contains_any(text: str, *columns: Any) -> ColumnElement[bool]:
    """`column ILIKE %text%` over the columns, with LIKE wildcards in `text` escaped."""
    escaped = text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"
    return or_(*(c.ilike(pattern, escape="\\") for c in columns))
