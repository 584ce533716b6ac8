"""Declarative base over the Core tables' MetaData (`models/tables.py`, with its naming
convention: Alembic's naming.rst), and the length rule of every write path (`too_long`,
kept with the tables: the Core write paths import no ORM)."""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase

from ldn_evidence.models.tables import metadata, too_long, utcnow

__all__ = ["Base", "length_problem", "too_long", "utcnow"]


class Base(DeclarativeBase):
    # The classes map onto the tables of `models.tables` (`__table__ = tables.…`).
    metadata = metadata


def length_problem(obj: object) -> str | None:
    """The first string attribute of mapped `obj` longer than its column, worded by
    `too_long`; None when all fit."""
    from sqlalchemy import inspect

    mapper = inspect(type(obj))
    for attr in mapper.column_attrs:
        column = attr.columns[0]
        limit = getattr(column.type, "length", None)
        if limit is None:
            continue
        value = getattr(obj, attr.key, None)
        if isinstance(value, str) and len(value) > limit:
            return too_long(column.table.name, column.name, value, limit)
    return None
