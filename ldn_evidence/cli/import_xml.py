"""`ldn-evidence import-xml`."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ldn_evidence.cli import app
from ldn_evidence.cli._common import JsonOption, print_json, state, status
from ldn_evidence.textsafe import terminal_safe

if TYPE_CHECKING:
    from ldn_evidence.services.importing import Progress

STATUS_EVERY = 10.0  # seconds between progress lines when stderr is not a terminal


@app.command("import-xml")
def import_xml(
    ctx: typer.Context,
    files: Annotated[
        list[Path],
        typer.Argument(metavar="FILE", help="PubMed XML files (.xml or .xml.gz)."),
    ],
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            metavar="N",
            help="Worker processes that parse and grade, one file each at a time, while "
            "this one writes (so even one file uses two cores). Needs free cores.",
        ),
    ] = 1,
    chunk_size: Annotated[
        int,
        typer.Option("--chunk-size", min=1, metavar="N", help="Records per transaction."),
    ] = 1000,  # services.importing.CHUNK (not imported here: start-up)
    as_json: JsonOption = False,
) -> None:
    """Import PubMed XML (efetch output, baseline or update files), applying DeleteCitation.

    Streams files of any size with flat memory, one transaction per chunk of records.
    Re-running skips records already stored unchanged, so an interrupted import resumes.
    A malformed file keeps the chunks before the fault and exits 1.
    """
    from ldn_evidence.services.importing import import_files

    engine = state(ctx).engine(create=True)
    results = []

    def done(summary: Any) -> None:
        results.append(summary.as_dict())
        if not as_json:
            status(summary.line())

    with _progress() as on_progress:
        import_files(
            engine=engine,
            paths=files,
            jobs=jobs,
            chunk_size=chunk_size,
            on_progress=on_progress,
            on_file=done,
        )
    if as_json:
        print_json(results)


@contextmanager
def _progress() -> Iterator[Callable[[Progress], None]]:
    """Per file: a bar with records and records/s on a terminal; else a line every
    STATUS_EVERY seconds on stderr."""
    if not sys.stderr.isatty():
        last = [time.monotonic()]

        def line(p: Progress) -> None:
            now = time.monotonic()
            if now - last[0] >= STATUS_EVERY:
                last[0] = now
                rate = p.records / max(p.seconds, 1e-6)
                status(f"{p.file}: {p.records:,} records, {rate:,.0f} records/s")

        yield line
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn

    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[records]:,} records, {task.fields[rate]:,.0f}/s"),
        console=Console(stderr=True),
        transient=True,
    )
    tasks: dict[str, Any] = {}

    def advance(p: Any) -> None:
        if p.file not in tasks:
            name = terminal_safe(p.file)  # a file name may hold escape sequences
            tasks[p.file] = bar.add_task(name, total=p.size, records=0, rate=0.0)
        rate = p.records / max(p.seconds, 1e-6)
        bar.update(tasks[p.file], completed=p.offset, records=p.records, rate=rate)

    with bar:
        yield advance
