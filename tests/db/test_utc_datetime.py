"""`UTCDateTime.raw` / `UTCDateTime.iso`: a timestamp read as the driver gives it (SQLite's
text, PostgreSQL's datetime) and made ISO is what the typed column reads, made ISO."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import sqlalchemy as sa

from ldn_evidence.models.tables import UTCDateTime

STAMPS = [
    datetime(2026, 1, 5, 14, 3),  # naive: UTC
    datetime(2026, 1, 5, 14, 3, 7, 120),
    datetime(2026, 1, 5, 14, 3, tzinfo=UTC),
    datetime(1999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
    datetime(2026, 6, 1, 9, 0, 0, 500000, tzinfo=timezone(timedelta(hours=2))),
    None,
]


def test_raw_made_iso_is_the_typed_value_made_iso(engine: sa.Engine) -> None:
    table = sa.Table(
        "stamps",
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", UTCDateTime()),
    )
    with engine.begin() as conn:
        table.create(conn)
        conn.execute(table.insert(), [{"id": i, "at": at} for i, at in enumerate(STAMPS)])
    with engine.connect() as conn:
        typed = conn.execute(sa.select(table.c.at).order_by(table.c.id)).scalars().all()
        raw = conn.execute(sa.select(UTCDateTime.raw(table.c.at)).order_by(table.c.id)).all()
    expected = [at.isoformat() if at is not None else None for at in typed]
    assert [UTCDateTime.iso(row.at) for row in raw] == expected
    assert expected[0] == "2026-01-05T14:03:00+00:00" and expected[-1] is None
    assert expected[1].endswith(".000120+00:00")
