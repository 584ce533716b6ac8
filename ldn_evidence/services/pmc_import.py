"""`import-pmc`: local PubMed Central files — `.nxml` / `.xml` (gzip-compressed or not),
open-access packages (`.tar.gz`, `.tgz`) and directories of them — into full texts.

Each file (each article file of a package) is one transaction; files are streamed one
at a time, so memory stays flat over a directory of any size. A package's members are
read in place, never written to disk; links, devices and other members are skipped. A
file that is not PMC XML (or is damaged) is reported and the next file is read.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from sqlalchemy import select
from sqlalchemy.orm import Session

from ldn_evidence.errors import InputError, NotFoundError, ParseError
from ldn_evidence.models import FullText
from ldn_evidence.pubmed.jats import iter_full_texts
from ldn_evidence.services.fulltext import store_full_text
from ldn_evidence.vocab import StudyOrigin

UnitOfWork = Callable[[], AbstractContextManager[Session]]

ARTICLE_SUFFIXES = (".nxml", ".xml", ".nxml.gz", ".xml.gz")
PACKAGE_SUFFIXES = (".tar.gz", ".tgz")


@dataclass
class PmcImportSummary:
    files: int = 0
    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    not_open: list[str] = field(default_factory=list)
    unlinked: list[str] = field(default_factory=list)  # no stored study with its PMID/PMCID
    no_pmcid: list[str] = field(default_factory=list)  # files whose article names no PMCID
    failed: list[str] = field(default_factory=list)  # "file: why"

    def line(self) -> str:
        stored = len(self.new) + len(self.updated) + len(self.unchanged)
        text = (
            f"{self.files} files: {stored} full texts ({len(self.new)} new, "
            f"{len(self.updated)} updated, {len(self.unchanged)} unchanged), "
            f"{len(self.not_open)} not open, {len(self.failed)} failed"
        )
        if self.no_pmcid:
            text += f", {len(self.no_pmcid)} without a PMCID"
        if self.unlinked:
            text += f"; {len(self.unlinked)} for studies not stored yet (fetch their PMIDs)"
        return text

    def as_dict(self) -> dict[str, object]:
        return {
            "files": self.files,
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "not_open": self.not_open,
            "unlinked": self.unlinked,
            "no_pmcid": self.no_pmcid,
            "failed": self.failed,
        }


def article_files(paths: Sequence[Path]) -> Iterator[Path]:
    """The files to read: each path given, and the article files and packages found
    under each directory given (sorted, recursively). Missing paths raise NotFoundError
    before anything is read."""
    for path in paths:
        if not path.exists():
            raise NotFoundError(f"{path}: no such file or directory")
    for path in paths:
        if path.is_dir():
            for root, dirs, names in os.walk(path):
                dirs.sort()
                for name in sorted(names):
                    if name.lower().endswith(ARTICLE_SUFFIXES + PACKAGE_SUFFIXES):
                        yield Path(root) / name
        else:
            yield path


def _sources(path: Path) -> Iterator[tuple[str, str | Path | IO[bytes]]]:
    """(label, source) for each article file: the file itself, or a package's members."""
    if not path.name.lower().endswith(PACKAGE_SUFFIXES):
        yield str(path), path
        return
    import tarfile  # a package's reader: only for packages

    try:
        package = tarfile.open(path, mode="r:*")
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise ParseError(f"not a readable package ({exc})", source=str(path)) from None
    with package:
        while True:
            try:
                member = package.next()
            except (tarfile.TarError, OSError, EOFError) as exc:
                raise ParseError(f"damaged package ({exc})", source=str(path)) from None
            if member is None:
                return
            if member.isfile() and member.name.lower().endswith(ARTICLE_SUFFIXES):
                stream = package.extractfile(member)
                if stream is not None:
                    with stream:
                        yield f"{path}:{member.name}", stream


def import_pmc(*, units: UnitOfWork, paths: Sequence[Path]) -> PmcImportSummary:
    """Store the full texts of `paths` (files, packages, directories)."""
    summary = PmcImportSummary()
    files = list(article_files(paths))
    if not files:
        raise InputError("no .nxml, .xml or .tar.gz files in " + ", ".join(map(str, paths)))
    for path in files:
        try:
            for label, source in _sources(path):
                summary.files += 1
                _import_one(units, label, source, summary)
        except ParseError as exc:  # a package that cannot be read, or not to its end
            summary.files += 1
            summary.failed.append(str(exc))
    return summary


def _import_one(
    units: UnitOfWork, label: str, source: str | Path | IO[bytes], summary: PmcImportSummary
) -> None:
    """One file, one transaction: a fault stores nothing of the file."""
    outcomes: list[tuple[str, str]] = []  # (outcome, PMCID)
    unlinked: list[str] = []
    try:
        with units() as session:
            for record in iter_full_texts(source, name=label):
                if record.pmcid is None:
                    outcomes.append(("no_pmcid", label))
                    continue
                stored = store_full_text(
                    session=session, record=record, origin=StudyOrigin.FILE.value
                )
                outcomes.append((stored, record.pmcid))
                linked = select(FullText.study_id).where(FullText.pmcid == record.pmcid)
                if session.scalar(linked) is None:
                    unlinked.append(record.pmcid)
    except ParseError as exc:
        summary.failed.append(str(exc))
        return
    for outcome, what in outcomes:
        getattr(summary, outcome).append(what)
    summary.unlinked.extend(unlinked)
