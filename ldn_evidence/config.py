"""Every environment variable the program reads, in one frozen `Settings` object.

    settings = Settings.from_env()
    settings.db_url(cli_value)      # --db URL, else LDN_EVIDENCE_DB, else a per-user file
    settings.pubmed_options()       # PubMedClient's keyword arguments

A new variable is one more field here (with its name in `_env`); `ENV_VARS` lists them
all, so the tests clear every one of them. Values are kept as read (an empty variable is
unset) and checked where they are used: a bad HTTP number fails the commands that go
to PubMed, not the ones that only read the database.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

DEFAULT_EUTILS_URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"
DEFAULT_IDCONV_URL = "https://pmc.ncbi.nlm.nih.gov/tools/idconv/api/v1/articles/"


def _env(name: str, *, secret: bool = False) -> Any:
    return field(default=None, metadata={"env": name}, repr=not secret)


@dataclass(frozen=True)
class Settings:
    db: str | None = _env("LDN_EVIDENCE_DB")  # a URL or an SQLite file path
    data_home: str | None = _env("XDG_DATA_HOME")  # where the default database lives
    eutils_url: str | None = _env("LDN_EVIDENCE_EUTILS_URL")  # E-utilities base URL
    idconv_url: str | None = _env("LDN_EVIDENCE_IDCONV_URL")  # NCBI's ID Converter
    ncbi_api_key: str | None = _env("NCBI_API_KEY", secret=True)  # never shown
    ncbi_email: str | None = _env("NCBI_EMAIL")
    http_timeout: str | None = _env("LDN_EVIDENCE_HTTP_TIMEOUT")  # seconds a request, or a page
    http_retries: str | None = _env("LDN_EVIDENCE_HTTP_RETRIES")  # retries a request
    http_backoff: str | None = _env("LDN_EVIDENCE_HTTP_BACKOFF")  # seconds, first backoff

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        return cls(**{f.name: env.get(f.metadata["env"]) or None for f in fields(cls)})

    def default_db_path(self) -> Path:
        """`$XDG_DATA_HOME/ldn-evidence/evidence.db` (default `~/.local/share/...`)."""
        base = self.data_home or str(Path.home() / ".local" / "share")
        return Path(base) / "ldn-evidence" / "evidence.db"

    def db_url(self, cli_value: str | None = None) -> str:
        """The database URL in force. A bare file path is taken as an SQLite file."""
        value = (cli_value or self.db or "").strip()
        if not value:
            return sqlite_url(self.default_db_path())
        if "://" not in value:
            return sqlite_url(value)
        return value

    def http_policy(self) -> dict[str, float | int]:
        """The HTTP policy overrides that are set: timeout, max_retries, backoff."""
        from ldn_evidence.errors import InputError

        out: dict[str, float | int] = {}
        for name, key, kind in (
            ("http_timeout", "timeout", float),
            ("http_retries", "max_retries", int),
            ("http_backoff", "backoff", float),
        ):
            raw = getattr(self, name)
            if raw is None:
                continue
            var = env_var(name)
            try:
                value = kind(raw)
            except ValueError:
                raise InputError(f"{var}: expected a number, got {raw!r}") from None
            if value < 0:
                raise InputError(f"{var}: must not be negative")
            out[key] = value
        return out

    def pubmed_options(self) -> dict[str, Any]:
        """`PubMedClient` keyword arguments: URLs, identity and the HTTP policy."""
        return {
            "base_url": self.eutils_url or DEFAULT_EUTILS_URL,
            "idconv_url": self.idconv_url or DEFAULT_IDCONV_URL,
            "api_key": self.ncbi_api_key,
            "email": self.ncbi_email,
            **self.http_policy(),
        }


ENV_VARS: tuple[str, ...] = tuple(f.metadata["env"] for f in fields(Settings))
"""Every environment variable `Settings.from_env` reads."""


def env_var(setting: str) -> str:
    """The environment variable behind a `Settings` field ("http_timeout" → its name)."""
    return next(f.metadata["env"] for f in fields(Settings) if f.name == setting)


def sqlite_url(path: Path | str) -> str:
    return f"sqlite:///{Path(path).expanduser().resolve()}"


# Credentials a database URL can carry: the userinfo password, and libpq's `password`,
# `sslpassword` and `passfile` parameters in the query (any letter case).
_USERINFO_PASSWORD = re.compile(r"(://[^/?#@:]*:)[^/?#@]*@")
_SECRET_PARAMS = re.compile(r"(?i)([?&](?:ssl)?pass(?:word|file)=)[^&#]*")


def redact_db_url(text: str) -> str:
    """`text` (a database URL, or a message quoting one) with every credential shown as
    `***`; works on URLs too malformed to parse."""
    text = _SECRET_PARAMS.sub(r"\1***", text)
    return _USERINFO_PASSWORD.sub(r"\1***@", text)


def resolve_db_url(cli_value: str | None = None) -> str:
    """The database URL in force: `--db`, else `LDN_EVIDENCE_DB`, else the default file."""
    return Settings.from_env().db_url(cli_value)
