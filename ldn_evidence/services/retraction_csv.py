"""The Retraction Watch CSV as Crossref publishes it, read row by row (pure: no database).

Columns (in the file's order): Record ID, Title, Subject, Institution, Journal, Publisher,
Country, Author, URLS, ArticleType, RetractionDate, RetractionDOI, RetractionPubMedID,
OriginalPaperDate, OriginalPaperDOI, OriginalPaperPubMedID, RetractionNature, Reason,
Paywalled, Notes. Lists are ';'-separated ("+Concerns/Issues About Data;+Investigation by
Journal/Publisher;"), dates are "M/D/YYYY H:MM", a missing PMID is "0" and a missing DOI
"unavailable". Columns are found by name, so their order and a trailing empty column do
not matter.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import IO, cast

from ldn_evidence.errors import InputError, NotFoundError
from ldn_evidence.vocab import normalize_pmid, retraction_nature

COLUMNS: tuple[str, ...] = (
    "Record ID",
    "Title",
    "Subject",
    "Institution",
    "Journal",
    "Publisher",
    "Country",
    "Author",
    "URLS",
    "ArticleType",
    "RetractionDate",
    "RetractionDOI",
    "RetractionPubMedID",
    "OriginalPaperDate",
    "OriginalPaperDOI",
    "OriginalPaperPubMedID",
    "RetractionNature",
    "Reason",
    "Paywalled",
    "Notes",
)
_NO_VALUE = {"", "0", "unavailable", "not available", "n/a", "na", "none", "null"}
_DOI = re.compile(r"^10\.\d{3,9}(?:\.\d+)*/\S+$")
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T\s].*)?$")


@dataclass(frozen=True, slots=True)
class NoticeRow:
    """One row's values as stored (`models.RetractionNotice`)."""

    record_id: int
    nature: str
    notice_date: str | None
    notice_doi: str | None
    notice_pmid: str | None
    original_date: str | None
    original_doi: str | None
    original_pmid: str | None
    title: str | None
    journal: str | None
    publisher: str | None
    article_type: str | None
    reasons: list[str] | None
    urls: list[str] | None
    notes: str | None

    @property
    def sha256(self) -> str:
        data = json.dumps(asdict(self), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(data.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class BadRow:
    """A row that cannot be read: its first line in the file and why."""

    line: int
    message: str


def read_notices(path: Path) -> Iterator[NoticeRow | BadRow]:
    """The rows of the CSV at `path`, streamed. The file must exist and have the columns
    above (`InputError` / `NotFoundError` otherwise, before any row); each row that cannot
    be read is a `BadRow` and the reading goes on."""
    name = str(path)
    if not path.exists():
        raise NotFoundError(f"{name}: no such file")
    if path.is_dir():
        raise InputError(f"{name}: is a directory, not a CSV file")
    try:
        handle: IO[bytes] = path.open("rb")
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror or exc})") from None
    with handle:
        gzipped = handle.read(2) == b"\x1f\x8b"
        handle.seek(0)
        stream = cast(IO[bytes], gzip.GzipFile(fileobj=handle)) if gzipped else handle
        with io.TextIOWrapper(stream, encoding="utf-8-sig", errors="replace", newline="") as text:
            yield from _rows(csv.reader(text), name)


def _rows(reader: Iterator[list[str]], name: str) -> Iterator[NoticeRow | BadRow]:
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(f"{name}: empty file, not a Retraction Watch CSV") from None
    except (csv.Error, OSError, EOFError) as exc:
        raise InputError(f"{name}: not a Retraction Watch CSV ({exc})") from None
    index = {h.strip(): i for i, h in enumerate(header) if h.strip()}
    missing = [c for c in COLUMNS if c not in index]
    if missing:
        raise InputError(
            f"{name}: not a Retraction Watch CSV: no column {', '.join(repr(c) for c in missing)}"
        )
    width = len(header)
    last_line = getattr(reader, "line_num", 1)
    while True:
        start = last_line + 1
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            last_line = getattr(reader, "line_num", start)
            yield BadRow(start, f"unreadable CSV ({exc})")
            continue
        except (OSError, EOFError) as exc:  # a damaged or cut gzip stream
            raise InputError(f"{name}, line {start}: cannot read further ({exc})") from None
        last_line = getattr(reader, "line_num", start)
        if not any(f.strip() for f in fields):
            continue
        if len(fields) != width:
            yield BadRow(start, f"{len(fields)} fields, the header has {width}")
            continue
        yield parse_row({c: fields[i] for c, i in index.items()}, start)


def parse_row(row: dict[str, str], line: int) -> NoticeRow | BadRow:
    """One row (column name → text) as a `NoticeRow`, or a `BadRow` saying what is wrong."""
    try:
        return _parse(row)
    except ValueError as exc:
        return BadRow(line, str(exc))


def _parse(row: dict[str, str]) -> NoticeRow:
    raw_id = row["Record ID"].strip()
    if not (raw_id.isascii() and raw_id.isdigit()) or int(raw_id) == 0 or len(raw_id) > 18:
        raise ValueError(f"Record ID {raw_id!r} is not a positive whole number")
    nature = retraction_nature(row["RetractionNature"])
    if nature is None:
        raise ValueError(f"unknown RetractionNature {row['RetractionNature'].strip()!r}")
    return NoticeRow(
        record_id=int(raw_id),
        nature=nature,
        notice_date=_date(row["RetractionDate"], "RetractionDate"),
        notice_doi=_doi(row["RetractionDOI"]),
        notice_pmid=_pmid(row["RetractionPubMedID"], "RetractionPubMedID"),
        original_date=_date(row["OriginalPaperDate"], "OriginalPaperDate"),
        original_doi=_doi(row["OriginalPaperDOI"]),
        original_pmid=_pmid(row["OriginalPaperPubMedID"], "OriginalPaperPubMedID"),
        title=_text_value(row["Title"]),
        journal=_text_value(row["Journal"], 500),
        publisher=_text_value(row["Publisher"], 500),
        article_type=_text_value(row["ArticleType"], 500),
        reasons=_list(row["Reason"]),
        urls=_list(row["URLS"]),
        notes=_text_value(row["Notes"]),
    )


def _text_value(value: str, limit: int | None = None) -> str | None:
    text = " ".join(value.split())
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return text or None


def _list(value: str) -> list[str] | None:
    items = [" ".join(p.split()).lstrip("+").strip() for p in value.split(";")]
    return [i for i in items if i] or None


def _doi(value: str) -> str | None:
    text = _DOI_PREFIX.sub("", value.strip()).strip().lower()
    if text in _NO_VALUE or not _DOI.match(text) or len(text) > 255:
        return None
    return text


def _pmid(value: str, column: str) -> str | None:
    text = value.strip()
    if text.lower() in _NO_VALUE or text.strip("0") == "":
        return None
    pmid = normalize_pmid(text)
    if pmid is None:
        raise ValueError(f"{column} {text!r} is not a PMID")
    return pmid


def _date(value: str, column: str) -> str | None:
    text = value.strip()
    if text.lower() in _NO_VALUE:
        return None
    us = _US_DATE.match(text)
    iso = _ISO_DATE.match(text)
    try:
        if us:
            return date(int(us[3]), int(us[1]), int(us[2])).isoformat()
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3])).isoformat()
    except ValueError:
        pass
    raise ValueError(f"{column} {text!r} is not a date (M/D/YYYY or YYYY-MM-DD)")
