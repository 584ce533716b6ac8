"""The formats' table (`export.formats`): every registered format renders, and the
command line offers exactly the registered formats."""

from __future__ import annotations

import pytest

from ldn_evidence.export import EXPORT_FORMATS, FORMATS, render
from ldn_evidence.export.formats import export_format, formats_help
from ldn_evidence.export.model import Report


def test_the_table_is_well_formed() -> None:
    assert len(set(FORMATS)) == len(FORMATS)
    for fmt in EXPORT_FORMATS:
        assert fmt.extension.startswith(".") and fmt.summary
        assert callable(fmt.renderer_function())
        assert export_format(fmt.name) is fmt


@pytest.mark.parametrize("fmt", EXPORT_FORMATS, ids=FORMATS)
def test_every_registered_format_renders(report: Report, fmt) -> None:  # type: ignore[no-untyped-def]
    data = render(report, fmt.name)
    assert isinstance(data, bytes) and data.strip()
    data.decode("utf-8")
    first_claim = next(report.all_claims()).text.encode()
    # a bibliography lists the studies only; the other formats show the claims
    assert (first_claim in data) != fmt.bibliography


def test_the_command_line_offers_the_registered_formats() -> None:
    from typer.testing import CliRunner

    from ldn_evidence.cli import app

    help_text = " ".join(CliRunner().invoke(app, ["export", "--help"]).stdout.split())
    assert "<" + "|".join(FORMATS) + ">" in help_text
    assert " ".join(formats_help().split()) in help_text
