"""What every command shares: the database in force, one error boundary, output switches.

Kept free of heavy imports so `ldn-evidence --help` starts fast; SQLAlchemy and the
services are imported inside the helpers that need them.
"""

from __future__ import annotations

import enum
import gc
import json
import re
import sys
import typing
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, fields, is_dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from ldn_evidence.errors import EvidenceError
from ldn_evidence.textsafe import terminal_safe

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine
    from sqlalchemy.orm import Session

    from ldn_evidence.pubmed.client import PubMedClient

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


class ErrorBoundaryGroup(TyperGroup):
    """Turns the errors meant for users into one line on stderr and their exit code."""

    def invoke(self, ctx: Any) -> Any:
        try:
            try:
                return super().invoke(ctx)
            finally:
                _close(ctx)
        except EvidenceError as exc:
            _fail(str(exc), exc.exit_code)
        except KeyboardInterrupt:
            _fail("interrupted", 130)
        except OverflowError as exc:  # sqlite3 cannot bind an integer beyond 64 bits
            _fail(f"number out of range ({exc})", 1)
        except Exception as exc:  # noqa: BLE001 - SQLAlchemy errors not wrapped below
            from sqlalchemy.exc import SQLAlchemyError

            if isinstance(exc, SQLAlchemyError):
                orig = getattr(exc, "orig", None) or exc
                first = (str(orig).strip().splitlines() or [type(orig).__name__])[0]
                _fail(f"database error: {first}", 1)
            raise


def _close(ctx: Any) -> None:
    """Close the command's database connections (`Engine.dispose`). SQLite's last
    connection to close folds the write-ahead log into the database and removes it;
    left open at exit, a log grown by a large transaction (`db upgrade` storing 100,000
    studies' export values: ~1 GB) was read through again by every later command when it
    opened the database (~0.4 s CPU a GB)."""
    root = ctx.find_root().obj
    engine = root._engine if isinstance(root, State) else None
    if engine is not None:
        engine.dispose()


def _fail(message: str, code: int) -> None:
    # One line, whatever the message quotes (file names, server replies, parser input):
    # line breaks and control characters (terminal escapes) become spaces; a database
    # URL's credentials, wherever a driver quotes them, become ***.
    from ldn_evidence.config import redact_db_url

    message = " ".join("".join(c if c.isprintable() else " " for c in message).split())
    message = redact_db_url(message)
    print(f"Error: {message}", file=sys.stderr)
    raise typer.Exit(code)


# Start-up (the imports, the ORM's mappers) makes a few hundred thousand objects that live
# as long as the process, and next to no garbage: the collector's passes over them cost
# about a tenth of a short command's CPU. Until the command's database is open the
# collector runs rarely; then those objects are frozen out of every later pass.
_STARTUP_GC_THRESHOLD = (100_000, 20, 100)
_gc_threshold: tuple[int, int, int] | None = None


def collect_rarely_at_startup() -> None:
    """For the console script's start (`cli.main`): see `startup_done`."""
    global _gc_threshold
    if _gc_threshold is None:
        _gc_threshold = gc.get_threshold()
        gc.set_threshold(*_STARTUP_GC_THRESHOLD)


def startup_done() -> None:
    """The command's own work begins: the objects made so far are left out of later
    collections (`gc.freeze`), which run as often as before the start."""
    global _gc_threshold
    if _gc_threshold is not None:
        gc.freeze()
        gc.set_threshold(*_gc_threshold)
        _gc_threshold = None


@dataclass
class State:
    db: str | None = None
    _engine: Engine | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        from ldn_evidence.config import Settings

        return Settings.from_env().db_url(self.db)

    def engine(self, *, check_schema: bool = True, create: bool = False) -> Engine:
        """The command's engine. Only commands that write pass `create=True`: a read
        never makes a new SQLite database (a mistyped or relative path would otherwise
        show an empty one)."""
        if self._engine is None:
            from ldn_evidence.db import ensure_schema, make_engine

            self._engine = make_engine(self.url, create=create)
            if check_schema:
                ensure_schema(self._engine, create=create)
            startup_done()
        return self._engine


def state(ctx: typer.Context) -> State:
    root = ctx.find_root()
    if not isinstance(root.obj, State):
        root.obj = State()
    return root.obj


@contextmanager
def session(ctx: typer.Context, *, create: bool = False) -> Iterator[Session]:
    """One unit of work for a command; `create=True` for the commands that write, which
    may create a new SQLite database (`State.engine`)."""
    from ldn_evidence.db import session_scope

    with session_scope(state(ctx).engine(create=create)) as s:
        yield s


@contextmanager
def reading(ctx: typer.Context) -> Iterator[Connection]:
    """One read-only unit of work for a command that reads with Core statements: no ORM
    is imported, no database created (`db.read_scope`)."""
    from ldn_evidence.db import read_scope

    with read_scope(state(ctx).engine(create=False)) as conn:
        yield conn


def pubmed_client() -> PubMedClient:
    """The PubMed client of the commands that go to the network, configured from the
    environment (`Settings`); the caller closes it."""
    from ldn_evidence.pubmed.client import PubMedClient

    return PubMedClient.from_env()


def _plain(value: Any) -> Any:
    """A view (`ldn_evidence.viewmodel` dataclass) as its JSON data; anything else as text."""
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    return str(value)


# json.dumps escapes C0 controls; DEL and C1 (U+009B is an 8-bit CSI) it leaves raw.
_JSON_RAW_CONTROLS = re.compile("[\x7f-\x9f]")


def print_json(data: Any) -> None:
    """`data` (views, lists of views, dicts, plain values) as indented JSON on stdout;
    no control character is written raw (each is a \\u escape: the same JSON data)."""
    text = json.dumps(data, indent=2, ensure_ascii=False, default=_plain)
    text = _JSON_RAW_CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    sys.stdout.write(text + "\n")


def terminal_view(value: Any) -> Any:
    """A view (dataclass, list, dict …) with every string made `terminal_safe`: stored
    text from pages, datasets and PubMed is printed, never run as an escape sequence."""
    if isinstance(value, str):
        return terminal_safe(value)
    if is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: terminal_view(getattr(value, f.name)) for f in fields(value) if f.init}
        return replace(value, **changes)
    if isinstance(value, list | tuple):
        return type(value)(terminal_view(v) for v in value)
    if isinstance(value, dict):
        return {k: terminal_view(v) for k, v in value.items()}
    return value


def emit(
    data: Any, as_json: bool, render: Callable[[Any], None], *, empty: str | None = None
) -> None:
    """The one switch between JSON (stdout, pipeable) and a rich table. `empty`: what
    to say instead of an empty table when there is nothing to show (JSON stays `[]`)."""
    if as_json:
        print_json(data)
    elif empty is not None and not data:
        print(empty)
    else:
        render(terminal_view(data))


def echo(message: object = "", *, nl: bool = True) -> None:
    """A line on stdout, every control character but tab and newline shown as U+FFFD
    (`typer.echo` is not used directly: what it prints may quote stored values)."""
    typer.echo(terminal_safe(str(message)), nl=nl)


def one_of(values: Sequence[str]) -> str:
    """A value list for help texts: "a, b or c"."""
    return ", ".join(values[:-1]) + " or " + values[-1] if len(values) > 1 else "".join(values)


def plain_argument_help() -> None:
    """Help names each argument by its metavar (PAGE, PMID..., FILE), and options by
    theirs, never by a Python type: typer (0.16 and later) prints `<int>` or
    `<list[str]>` after every argument, even one with a metavar. Options all carry a
    metavar (tests/cli/test_cli_basics.py walks every command's help)."""
    from typer.core import TyperArgument

    if hasattr(TyperArgument, "display_type_rich"):
        TyperArgument.display_type_rich = lambda self, ctx: None  # type: ignore[method-assign]


# A whole number as typed: what pydantic's lax int reads the same as int() does.
_PLAIN_INT = re.compile(r"-?[0-9]{1,18}")
_NOT_PLAIN = object()  # a value left to typer's own check


def _plain_kind(annotation: Any) -> tuple[Any, bool, bool]:
    """(kind, optional?, a list?) for `X`, `X | None`, `list[X]` or `list[X] | None`, where
    X is str, int, bool, a string enum (a choice) or a Path; a list: of str, int or Path.
    (None, False, False) otherwise."""
    optional = False
    args = typing.get_args(annotation)
    if len(args) == 2 and type(None) in args and typing.get_origin(annotation) is not list:
        (annotation,) = [a for a in args if a is not type(None)]
        optional = True
    many = typing.get_origin(annotation) is list
    if many:
        (annotation,) = typing.get_args(annotation) or (None,)
        if annotation not in (str, int, Path):
            return None, False, False
    if annotation in (str, int, bool, Path) or _string_enum(annotation):
        return annotation, optional, many
    return None, False, False


def _string_enum(kind: Any) -> bool:
    return (
        isinstance(kind, type)
        and issubclass(kind, enum.Enum)
        and all(type(m.value) is str for m in kind)
    )


def plain_values_without_pydantic() -> None:
    """Typer (0.2x) checks every parameter's value, even an option left at its default,
    through a pydantic TypeAdapter: ~0.1 s CPU of imports on every command. The plain
    values (a string, a whole number of digits inside its min/max, a flag, a choice's
    value exactly as listed, a path (made a Path, then checked by typer's own path
    check), a repeated option's strings, whole numbers or paths, or None for an optional
    one) are taken as they are here, as pydantic would take them; anything else (" 4",
    "4.0", a number out of its range, a parser) still goes
    through the adapter, built when first needed, so its result and its error message
    stay typer's. A typer without this machinery is left
    alone."""
    try:
        from typer._coercion import RuntimeParam, build_runtime_param
        from typer.core import _TyperParameter
    except ImportError:
        return
    try:  # typer's own checks of a path (exists, a directory …), given a Path
        from typer._param_types import coerce_cli_path
    except ImportError:
        coerce_cli_path = None  # type: ignore[assignment]
    if not hasattr(_TyperParameter, "get_runtime_param") or hasattr(_TyperParameter, "_ldn_plain"):
        return

    @dataclass(frozen=True)
    class PlainRuntimeParam(RuntimeParam):  # type: ignore[misc]
        descriptor: Any = None
        adapted: list[Any] = field(default_factory=list)

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            kind, optional, many = _plain_kind(self.annotation)
            if value is None and optional:
                return None
            if many and type(value) in (tuple, list):
                items = [self._plain(kind, item, param, ctx) for item in value]
                if all(item is not _NOT_PLAIN for item in items):
                    return items
            elif not many and (plain := self._plain(kind, value, param, ctx)) is not _NOT_PLAIN:
                return plain
            if not self.adapted:  # the value needs typer's own check
                self.adapted.append(build_runtime_param(self.descriptor))
            return self.adapted[0]._coerce_value(value, param=param, ctx=ctx)

        def _plain(self, kind: Any, value: Any, param: Any, ctx: Any) -> Any:
            """The value as pydantic reads it, or _NOT_PLAIN when only pydantic can say."""
            if kind is Path:  # pydantic makes the Path, then typer checks it: made here
                info = self.parameter_info
                if (
                    coerce_cli_path is None
                    or type(value) is not str
                    or not value
                    or getattr(info, "path_type", None) not in (None, Path)
                    or (getattr(info, "allow_dash", False) and value == "-")
                ):
                    return _NOT_PLAIN
                return coerce_cli_path(Path(value), info, path_type=Path, param=param, ctx=ctx)
            if _string_enum(kind):
                if isinstance(value, kind):
                    return value
                if type(value) is str and value in kind._value2member_map_:
                    return kind(value)
                return _NOT_PLAIN
            if kind is int and type(value) is str and _PLAIN_INT.fullmatch(value):
                value = int(value)
            if type(value) is kind and (kind is not int or self._in_range(value)):
                return value
            return _NOT_PLAIN

        def _in_range(self, value: int) -> bool:
            low = getattr(self.parameter_info, "min", None)
            high = getattr(self.parameter_info, "max", None)
            return (low is None or value >= low) and (high is None or value <= high)

    original = _TyperParameter.get_runtime_param

    def get_runtime_param(self: Any) -> Any:
        if self._runtime_param is None:
            desc = self.type_descriptor
            info = desc.parameter_info
            kind, _optional, many = _plain_kind(desc.annotation)
            if (
                kind is not None
                and desc.file_annotation is None
                and getattr(info, "parser", None) is None
                and not getattr(info, "clamp", False)
                and ((kind is int and not many) or getattr(info, "min", None) is None)
                and ((kind is int and not many) or getattr(info, "max", None) is None)
            ):
                self._runtime_param = PlainRuntimeParam(
                    parameter_info=info, annotation=desc.annotation, descriptor=desc
                )
        return original(self)

    _TyperParameter.get_runtime_param = get_runtime_param  # type: ignore[method-assign]
    _TyperParameter._ldn_plain = True  # type: ignore[attr-defined]


def console() -> Any:
    from rich.console import Console

    # Data from pages and PubMed is printed as it is: no markup, emoji or highlighting
    # is interpreted in it (a claim containing square-bracket markup stays text).
    return Console(soft_wrap=False, markup=False, emoji=False, highlight=False)


def status(message: str) -> None:
    """Progress and status go to stderr so stdout stays clean for pipes."""
    print(terminal_safe(message), file=sys.stderr)


# ---- long lists: streamed to a pipe or as JSON, a page on a terminal ---------------------------


def on_terminal() -> bool:
    """Standard output is a terminal (a person reads it), not a pipe or a file."""
    return sys.stdout.isatty()


def screen_page(lines_per_row: int) -> int:
    """How many table rows fit on the screen, leaving room for the header and the
    "more" line (at least 5)."""
    import shutil

    lines = shutil.get_terminal_size().lines
    return max(5, (lines - 6) // max(1, lines_per_row))


def more_line(more: int, noun: str, next_offset: int) -> str:
    """What a terminal page ends with when rows are left."""
    return (
        f"… {more:,} more {noun}: --offset {next_offset} shows the next page, --limit N "
        "more at a time; --json or a pipe lists them all."
    )


def print_json_items(items: Iterable[Any]) -> None:
    """`print_json(list(items))`, written an item at a time: the same bytes, never the
    whole list in memory."""
    out = sys.stdout
    opened = False
    for item in items:
        text = json.dumps(item, indent=2, ensure_ascii=False, default=_plain)
        text = _JSON_RAW_CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
        out.write(("[\n  " if not opened else ",\n  ") + text.replace("\n", "\n  "))
        opened = True
    out.write("\n]\n" if opened else "[]\n")


def emit_rows(
    rows: Iterable[Any],
    as_json: bool,
    render: Callable[[Any], None],
    *,
    empty: str,
    per_table: int = 200,
) -> int:
    """`emit` for a long list read as it is printed: JSON an item at a time, or tables of
    `per_table` rows (a table layout never holds the whole list). The number of rows."""
    if as_json:
        counted = _Counted(rows)
        print_json_items(counted)
        return counted.n
    n = 0
    chunk: list[Any] = []
    for row in rows:
        chunk.append(row)
        n += 1
        if len(chunk) == per_table:
            render(terminal_view(chunk))
            chunk = []
    if chunk:
        render(terminal_view(chunk))
    elif not n:
        print(empty)
    return n


class _Counted:
    def __init__(self, items: Iterable[Any]) -> None:
        self.items = items
        self.n = 0

    def __iter__(self) -> Iterator[Any]:
        for item in self.items:
            self.n += 1
            yield item
