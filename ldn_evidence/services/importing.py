"""`import-xml`: PubMed XML files (efetch output, baseline/update .xml.gz), streamed.

A file is read as a stream of chunks (`CHUNK` records each). For every chunk the
*producer* parses the records, asks the database which of them are already stored with
the same sha256 (those need no grading), and prepares the rest (`bulk.prepare`); the
*writer* stores the chunk in one transaction with the bulk write path, applies the
DeleteCitation blocks in order, and points references at the new studies. Memory stays
flat: nothing outlives its chunk but the vocabulary ids.

Re-running a file skips what is stored and unchanged, so an interrupted import resumes:
committed chunks come back "unchanged", the rest is new. A malformed file keeps the
chunks before the fault and raises a ParseError naming the file and the position.

With `jobs` > 1 the producers run in worker processes (`_Parallel`), at most `jobs`
files at a time, each at most `QUEUE_CHUNKS` chunks ahead of the writer, which stores
the files in the order given. Even one file gains: parsing and grading in one process,
writing in the other.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ldn_evidence.errors import DatabaseError, EvidenceError, InputError, ParseError
from ldn_evidence.pubmed.records import ArticleRecord, DeletedCitation, RejectedRecord
from ldn_evidence.services.bulk import Item, Known, Vocabulary, prepare, too_long

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

# Records a transaction (`--chunk-size`). 1,000 rather than 500: half the commits, each
# followed by a WAL checkpoint (copy and fsync), for ~10 MB more at the peak.
CHUNK = 1000
_WHAT = "a PubMed XML file"
QUEUE_CHUNKS = 2  # chunks a worker may run ahead of the writer
# SQLite's page cache for the import's connection (KiB; SQLite's default is 2,000). A chunk
# inserts into eight indexes at scattered places (MeSH term ids, DOIs …); with the default
# the pages are read back from the OS again and again: ~0.4 s of system CPU a 30,000-record
# file. Bounded, so memory stays flat (+6 MB).
SQLITE_CACHE_KIB = 8000

Lookup = Callable[[list[str]], dict[str, str | None]]
Record = ArticleRecord | DeletedCitation | RejectedRecord


@dataclass
class ImportSummary:
    file: str
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    kept_cited: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # why each refused record was
    error: str | None = None
    seconds: float = 0.0

    @property
    def records(self) -> int:
        return self.new + self.updated + self.unchanged

    @property
    def rate(self) -> float:
        return self.records / max(self.seconds, 1e-6)

    def line(self) -> str:
        text = (
            f"{self.file}: {self.records} records ({self.new} new, {self.updated} updated, "
            f"{self.unchanged} unchanged), {self.deleted} deleted"
        )
        if self.kept_cited:
            text += f", {len(self.kept_cited)} deletions kept (cited by claims)"
        return text + f" in {self.seconds:.1f} s ({self.rate:,.0f} records/s)"

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "deleted": self.deleted,
            "kept_cited": self.kept_cited,
            "refused": self.refused,
            "error": self.error,
            "seconds": round(self.seconds, 3),
            "records_per_second": round(self.rate, 1),
        }


@dataclass(slots=True)
class Chunk:
    """What the producer hands the writer: prepared records and DeleteCitations in file
    order, how far into the file they reach, and the parse error that ends the file."""

    items: list[Item | DeletedCitation]
    records: int  # records of the file up to and including this chunk
    offset: int  # bytes of the file read so far (compressed bytes for .gz)
    error: tuple[str, str, int | None, int | None] | None = None  # a ParseError, see _fault
    refused: list[str] = field(default_factory=list)  # records refused on their own


@dataclass
class Progress:
    file: str
    records: int
    offset: int
    size: int
    seconds: float


ProgressCallback = Callable[[Progress], None]


def produce(
    path: Path, *, lookup: Lookup | None, chunk_size: int = CHUNK, origin: str = "file"
) -> Iterator[Chunk]:
    """Parse and prepare `path` chunk by chunk (the CPU-bound half of an import)."""
    from ldn_evidence.pubmed.parser import iter_articles
    from ldn_evidence.services.inputs import open_regular

    raw = open_regular(path, what=_WHAT)
    with raw:
        batch: list[Record] = []
        count = 0
        source = str(path)
        try:
            for record in iter_articles(raw, name=source):
                batch.append(record)
                count += 1
                if len(batch) >= chunk_size:
                    chunk = _prepared(batch, lookup, origin, count, raw.tell(), source)
                    batch = []  # the records go before the chunk is written: only its rows stay
                    yield chunk
        except ParseError as exc:
            yield _prepared(batch, lookup, origin, count, raw.tell(), source, _fault(exc))
            return
        except OSError as exc:
            raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
        if batch:
            yield _prepared(batch, lookup, origin, count, raw.tell(), source)


def _fault(exc: ParseError) -> tuple[str, str, int | None, int | None]:
    """A ParseError as (message, source, line, column), to raise again in the writer."""
    where = ParseError("", source=exc.source, line=exc.line, column=exc.column).args[0]
    text = str(exc)
    message = text[len(where) :] if text.startswith(where) else text
    return message, exc.source, exc.line, exc.column


def _prepared(
    batch: list[Record],
    lookup: Lookup | None,
    origin: str,
    count: int,
    offset: int,
    source: str,
    error: tuple[str, str, int | None, int | None] | None = None,
) -> Chunk:
    pmids = [r.pmid for r in batch if isinstance(r, ArticleRecord)]
    stored = lookup(pmids) if lookup and pmids else {}
    items: list[Item | DeletedCitation] = []
    refused: list[str] = []
    for r in batch:
        if isinstance(r, DeletedCitation):
            items.append(r)
        elif isinstance(r, RejectedRecord):
            refused.append(r.describe(source))
        elif stored.get(r.pmid) == (sha := r.sha256):
            items.append(Known(r.pmid, sha, r.raw_xml))
        else:
            prepared = prepare(r, origin=origin, sha256=sha)
            problem = too_long(prepared)
            if problem is None:
                items.append(prepared)
            else:
                refused.append(_refusal(r, problem).describe(source))
    return Chunk(items, count, offset, error, refused)


def _refusal(record: ArticleRecord, problem: str) -> RejectedRecord:
    kind = "PubmedBookArticle" if record.kind == "book" else "PubmedArticle"
    return RejectedRecord(kind, record.pmid, record.line, f"{kind} PMID {record.pmid}: {problem}")


def stored_shas(engine: Engine) -> Lookup:
    """{pmid: raw_sha256} of the stored studies among `pmids`, in one query."""
    from ldn_evidence.services.bulk import select_in

    def lookup(pmids: list[str]) -> dict[str, str | None]:
        query = "SELECT pmid, raw_sha256 FROM studies WHERE pmid IN ({})"
        with engine.connect() as conn:
            return {pmid: sha for pmid, sha in select_in(conn, query, pmids)}

    return lookup


def import_files(
    *,
    engine: Engine,
    paths: Sequence[Path],
    jobs: int = 1,
    chunk_size: int = CHUNK,
    on_progress: ProgressCallback | None = None,
    on_file: Callable[[ImportSummary], None] | None = None,
) -> list[ImportSummary]:
    """Import files in order. A parse fault keeps what came before it and raises
    ParseError; the files after it are not read."""
    from ldn_evidence.services.inputs import check_regular

    for path in paths:
        check_regular(path, what=_WHAT)
    with rare_collections():
        return _import_files(engine, paths, jobs, chunk_size, on_progress, on_file)


def _import_files(
    engine: Engine,
    paths: Sequence[Path],
    jobs: int,
    chunk_size: int,
    on_progress: ProgressCallback | None,
    on_file: Callable[[ImportSummary], None] | None,
) -> list[ImportSummary]:
    if jobs > 1:
        streams: Any = _Parallel(engine, paths, jobs, chunk_size)
    else:
        lookup = stored_shas(engine)
        streams = ((p, produce(p, lookup=lookup, chunk_size=chunk_size)) for p in paths)
    vocab = Vocabulary()
    results = []
    try:
        for path, chunks in streams:
            summary = store_chunks(
                engine=engine, path=path, chunks=chunks, vocab=vocab, on_progress=on_progress
            )
            results.append(summary)
            if on_file:
                on_file(summary)
    finally:
        close = getattr(streams, "close", None)
        if close:
            close()
    return results


# While importing, an automatic pass of the garbage collector only after this many new
# container objects (net; Python's default is 700). See `rare_collections`.
GC_THRESHOLD = (1_000_000, 50, 1000)


@contextmanager
def rare_collections() -> Iterator[None]:
    """Run the cyclic garbage collector rarely while importing.

    A chunk keeps its rows alive (~100 objects a record) until it is written; with the
    default thresholds the collector scans them again and again: ~2,000 passes and ~1.2 s
    of CPU for 30,000 records, 7% of an import (with a pass every 100,000 objects, ~30
    passes and ~0.2 s, each still scanning a live chunk). Reference counting frees the
    rows once the chunk is written, and the Core writer leaves next to no cyclic garbage
    (94 objects in a 30,000-record import, nearly all from its first chunk), so memory
    stays flat without a pass between chunks either (one cost ~0.07 s a file).
    """
    before = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def store_chunks(
    *,
    engine: Engine,
    path: Path,
    chunks: Iterator[Chunk],
    vocab: Vocabulary,
    on_progress: ProgressCallback | None = None,
) -> ImportSummary:
    """The writer: one transaction per chunk."""
    summary = ImportSummary(file=str(path))
    size = path.stat().st_size
    started = time.monotonic()
    for chunk in chunks:
        _store_chunk(engine, chunk.items, summary, vocab)
        chunk.items = []  # written: its rows go before the next chunk is parsed
        summary.refused += chunk.refused
        summary.seconds = time.monotonic() - started
        if on_progress:
            on_progress(Progress(str(path), chunk.records, chunk.offset, size, summary.seconds))
        if chunk.error:
            message, source, line, column = chunk.error
            kept = f"; kept the {summary.records} records before it"
            error = ParseError(message + kept, source=source, line=line, column=column)
            summary.error = str(error)
            raise error
    summary.seconds = time.monotonic() - started
    if summary.refused:  # the rest of the file is stored; the command still fails
        first, more = summary.refused[0], len(summary.refused) - 1
        others = f" and {more} more" if more else ""
        refused = InputError(f"{first} (refused{others}; kept the {summary.records} other records)")
        summary.error = str(refused)
        raise refused
    return summary


def _store_chunk(
    engine: Engine, items: list[Item | DeletedCitation], summary: ImportSummary, vocab: Vocabulary
) -> None:
    """One chunk in one transaction; `summary` counts it once it is committed. A database
    failure (a full disk …) says how many records of the file are kept."""
    done = ImportSummary(file=summary.file)
    try:
        _write_chunk(engine, items, done, vocab)
    except DatabaseError as exc:
        raise DatabaseError(
            f"{summary.file}: {exc}; kept the {summary.records} records stored before it"
        ) from None
    summary.new += done.new
    summary.updated += done.updated
    summary.unchanged += done.unchanged
    summary.deleted += done.deleted
    summary.kept_cited += done.kept_cited


def _write_chunk(
    engine: Engine, items: list[Item | DeletedCitation], summary: ImportSummary, vocab: Vocabulary
) -> None:
    from ldn_evidence.db import database_errors, write_scope
    from ldn_evidence.services.bulk import delete_pmids, store_prepared

    try:
        with database_errors(engine), write_scope(engine) as conn:
            if engine.dialect.name == "sqlite":  # see SQLITE_CACHE_KIB
                conn.exec_driver_sql(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
            run: list[Item] = []

            def flush() -> None:
                if run:
                    done = store_prepared(conn=conn, items=run, vocab=vocab)
                    summary.new += len(done.new)
                    summary.updated += len(done.updated)
                    summary.unchanged += len(done.unchanged)
                    run.clear()

            for item in items:
                if isinstance(item, DeletedCitation):
                    flush()  # records before a DeleteCitation are stored before it applies
                    deleted, kept = delete_pmids(conn=conn, pmids=item.pmids)
                    summary.deleted += len(deleted)
                    summary.kept_cited += kept
                else:
                    run.append(item)
            flush()
            pmids = list(dict.fromkeys(i.pmid for i in items if not isinstance(i, DeletedCitation)))
            if _referenced(conn, pmids):  # else there is nothing to attach (the usual case)
                from ldn_evidence.db import joined_session
                from ldn_evidence.services.linking import attach_studies  # maps the ORM

                with joined_session(conn) as session:
                    attach_studies(session=session, pmids=pmids)
    except BaseException:
        vocab.rollback()
        raise
    vocab.commit()
    _release_freed_memory()


def _referenced(conn: Connection, pmids: list[str]) -> bool:
    """Whether any reference names one of `pmids` (one indexed query, far cheaper than
    `attach_studies`' ORM join when, as in most imports, none does)."""
    from ldn_evidence.services.bulk import select_in

    query = 'SELECT 1 FROM "references" WHERE pmid IN ({}) LIMIT 1'
    return bool(select_in(conn, query, pmids))


def _release_freed_memory() -> None:
    """Give the heap freed by the chunk back to the OS (glibc `malloc_trim`).

    Without it glibc keeps the holes left by each chunk's rows and statements, and the
    writer's RSS climbs to ~255 MB by 50 000 records instead of staying near 130 MB
    (benchmarks/RESULTS.md). A no-op where there is no glibc.
    """
    global _malloc_trim
    if _malloc_trim is None:
        try:
            import ctypes

            _malloc_trim = ctypes.CDLL("libc.so.6").malloc_trim
        except (OSError, AttributeError):
            _malloc_trim = False
    if _malloc_trim:
        _malloc_trim(0)


_malloc_trim: Any = None


class _Parallel:
    """Producers in worker processes (spawned: no inherited connections or threads), at
    most `jobs` files at a time; yields (path, chunks) in the order of `paths`."""

    def __init__(self, engine: Engine, paths: Sequence[Path], jobs: int, chunk_size: int):
        import multiprocessing

        self._mp = multiprocessing.get_context("spawn")
        db = engine.url.database
        shared = engine.dialect.name != "sqlite" or (db not in (None, "", ":memory:"))
        self._url = engine.url.render_as_string(hide_password=False) if shared else None
        self._pending = list(paths)
        self._running: list[tuple[Path, Any, Any]] = []
        self._jobs = jobs
        self._chunk_size = chunk_size

    def __iter__(self) -> Iterator[tuple[Path, Iterator[Chunk]]]:
        while self._pending or self._running:
            while self._pending and len(self._running) < self._jobs:
                path = self._pending.pop(0)
                queue = self._mp.Queue(maxsize=QUEUE_CHUNKS)
                args = (str(path), self._url, self._chunk_size, queue)
                proc = self._mp.Process(target=_work, args=args, daemon=True)
                proc.start()
                self._running.append((path, proc, queue))
            path, proc, queue = self._running[0]
            yield path, self._drain(path, proc, queue)
            self._running.pop(0)
            proc.join()

    def _drain(self, path: Path, proc: Any, queue: Any) -> Iterator[Chunk]:
        import queue as queues

        while True:
            try:
                message = queue.get(timeout=1.0)
            except queues.Empty:
                if proc.is_alive():
                    continue
                try:
                    message = queue.get(timeout=1.0)
                except queues.Empty:
                    raise EvidenceError(
                        f"{path}: the parsing process stopped (exit code {proc.exitcode})"
                    ) from None
            if message == _DONE:
                return
            if isinstance(message, tuple):  # (error message, exit code)
                error = EvidenceError(message[0])
                error.exit_code = message[1]
                raise error
            yield message

    def close(self) -> None:
        for _path, proc, queue in self._running:
            proc.terminate()
            proc.join(5)
            queue.close()
            queue.cancel_join_thread()
        self._running = []


_DONE = "done"


def _work(path: str, url: str | None, chunk_size: int, queue: Any) -> None:
    """A worker process: produce one file's chunks into `queue`."""
    import traceback

    from ldn_evidence.db import make_engine

    engine = make_engine(url) if url else None
    try:
        lookup = stored_shas(engine) if engine is not None else None
        with rare_collections():
            for chunk in produce(Path(path), lookup=lookup, chunk_size=chunk_size):
                _put(queue, chunk)  # (pickled later, by the queue's thread: left as it is)
        _put(queue, _DONE)
    except EvidenceError as exc:
        _put(queue, (str(exc), exc.exit_code))
    except Exception:  # noqa: BLE001 - reported by the writer, which exits with it
        _put(queue, (f"{path}: parsing process failed:\n{traceback.format_exc()}", 1))
    finally:
        if engine is not None:
            engine.dispose()


def _put(queue: Any, item: object) -> None:
    """Put, waiting for room; give up if the writer process is gone (killed)."""
    import multiprocessing
    import os
    import queue as queues

    parent = multiprocessing.parent_process()
    while True:
        try:
            queue.put(item, timeout=1.0)
            return
        except queues.Full:
            if parent is not None and not parent.is_alive():
                os._exit(1)
