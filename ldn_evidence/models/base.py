"""Declarative base with a MetaData naming convention (Alembic's naming.rst)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import CheckConstraint, DateTime, MetaData
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def one_of(column: str, values: tuple[str, ...], *, name: str) -> CheckConstraint:
    """CHECK (`column` IN (values)): a column holding one value of a `vocab` set."""
    return CheckConstraint(f"{column} IN ('" + "', '".join(values) + "')", name=name)


def too_long(table: str, column: str, value: str, limit: int) -> str:
    """How every write path words a value longer than its column: PostgreSQL would refuse
    it and SQLite store it, so both refuse it first."""
    return f"field {table}.{column} is {len(value):,} characters long; at most {limit} fit"


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


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC timestamps on both engines (SQLite stores naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value
