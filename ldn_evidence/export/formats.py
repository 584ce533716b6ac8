"""The export formats, in one table. A new format is one row here and its renderer module
(a function `Report -> bytes`); `render`, the CLI's `--format` choices and help, and the
tests that render every format all read this table.

Renderers are named as "module:function" and imported on use, so listing the formats
(`ldn-evidence --help`) loads no renderer and one export loads one.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ldn_evidence.errors import InputError

if TYPE_CHECKING:
    from ldn_evidence.viewmodel import Report


@dataclass(frozen=True)
class Format:
    name: str
    extension: str  # what a file of the format is usually called
    bibliography: bool  # the cited studies (for reference managers), not the claims
    renderer: str  # "module:function" in this package
    summary: str  # what it holds, for `--format` help
    options: tuple[str, ...] = ()  # keyword options the renderer takes

    def renderer_function(self) -> Callable[..., bytes]:
        module, function = self.renderer.split(":")
        writer: Callable[..., bytes] = getattr(
            importlib.import_module(f"{__package__}.{module}"), function
        )
        return writer

    def chunks_function(self) -> Callable[..., Iterator[bytes]]:
        """The renderer that writes as it goes: `chunks_<name>` beside `render_<name>`,
        the same bytes in pieces."""
        module, function = self.renderer.split(":")
        writer: Callable[..., Iterator[bytes]] = getattr(
            importlib.import_module(f"{__package__}.{module}"),
            function.replace("render_", "chunks_", 1),
        )
        return writer


_REPORT = "the citation report"
_STUDIES = "the cited studies, for Zotero and other reference managers"

EXPORT_FORMATS: tuple[Format, ...] = (
    Format("csv", ".csv", False, "csv_out:render_csv", "a row per claim–source pair", ("excel",)),
    Format("json", ".json", False, "json_out:render_json", "nested, schema ldn-evidence/3"),
    Format("markdown", ".md", False, "markdown_out:render_markdown", _REPORT),
    Format("html", ".html", False, "html_out:render_html", _REPORT),
    Format("ris", ".ris", True, "ris_out:render_ris", _STUDIES),
    Format("bibtex", ".bib", True, "bibtex_out:render_bibtex", _STUDIES),
    Format("csljson", ".json", True, "csljson_out:render_csljson", _STUDIES),
)

FORMATS: tuple[str, ...] = tuple(f.name for f in EXPORT_FORMATS)
EXTENSIONS: dict[str, str] = {f.name: f.extension for f in EXPORT_FORMATS}


def export_format(name: str) -> Format:
    """The format called `name`; InputError naming the formats for any other."""
    for fmt in EXPORT_FORMATS:
        if fmt.name == name:
            return fmt
    raise InputError(f"unknown export format {name!r}; expected one of: {', '.join(FORMATS)}")


def render(report: Report, fmt: str, *, excel: bool = False) -> bytes:
    """The report in format `fmt`, UTF-8 bytes. `excel` (csv): a byte-order mark for
    Excel; a format without the option ignores it."""
    chosen = export_format(fmt)
    given = {"excel": excel}
    return chosen.renderer_function()(
        report, **{k: v for k, v in given.items() if k in chosen.options}
    )


def render_chunks(report: Report, fmt: str, *, excel: bool = False) -> Iterator[bytes]:
    """`render`, a piece at a time: a streamed report (`ReportStream`) is read as it is
    written, never held whole."""
    chosen = export_format(fmt)
    given = {"excel": excel}
    return chosen.chunks_function()(
        report, **{k: v for k, v in given.items() if k in chosen.options}
    )


def option_formats(option: str) -> list[str]:
    """The formats that take `option` ("excel": csv)."""
    return [f.name for f in EXPORT_FORMATS if option in f.options]


def formats_help() -> str:
    """ "csv (…), json (…), markdown or html (the citation report), …": formats that hold
    the same thing are named together."""
    groups: list[tuple[list[str], str]] = []
    for fmt in EXPORT_FORMATS:
        if groups and groups[-1][1] == fmt.summary:
            groups[-1][0].append(fmt.name)
        else:
            groups.append(([fmt.name], fmt.summary))
    parts = []
    for names, summary in groups:
        listed = ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else names[0]
        parts.append(f"{listed} ({summary})")
    return ", ".join(parts) + "."
