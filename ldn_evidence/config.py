"""Where the database is: `--db URL`, else `LDN_EVIDENCE_DB`, else a per-user SQLite file."""

from __future__ import annotations

import os
from pathlib import Path

DB_ENV = "LDN_EVIDENCE_DB"


def default_db_path() -> Path:
    """`$XDG_DATA_HOME/ldn-evidence/evidence.db` (default `~/.local/share/...`)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "ldn-evidence" / "evidence.db"


def sqlite_url(path: Path | str) -> str:
    return f"sqlite:///{Path(path).expanduser().resolve()}"


def resolve_db_url(cli_value: str | None = None) -> str:
    """The database URL in force. A bare file path is taken as an SQLite file."""
    value = cli_value or os.environ.get(DB_ENV) or ""
    value = value.strip()
    if not value:
        return sqlite_url(default_db_path())
    if "://" not in value:
        return sqlite_url(value)
    return value


def http_settings() -> dict[str, float | int]:
    """Optional overrides of the HTTP policy: LDN_EVIDENCE_HTTP_TIMEOUT (seconds),
    LDN_EVIDENCE_HTTP_RETRIES (count) and LDN_EVIDENCE_HTTP_BACKOFF (seconds)."""
    from ldn_evidence.errors import InputError

    out: dict[str, float | int] = {}
    for var, key, kind in (
        ("LDN_EVIDENCE_HTTP_TIMEOUT", "timeout", float),
        ("LDN_EVIDENCE_HTTP_RETRIES", "max_retries", int),
        ("LDN_EVIDENCE_HTTP_BACKOFF", "backoff", float),
    ):
        raw = os.environ.get(var)
        if raw:
            try:
                value = kind(raw)
            except ValueError:
                raise InputError(f"{var}: expected a number, got {raw!r}") from None
            if value < 0:
                raise InputError(f"{var}: must not be negative")
            out[key] = value
    return out
