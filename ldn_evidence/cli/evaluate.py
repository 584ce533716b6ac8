"""`ldn-evidence evaluate`: the verification engine scored on a labelled JSONL file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ldn_evidence.cli import app
from ldn_evidence.cli._common import JsonOption, echo, print_json


def _render(summary: dict[str, Any]) -> None:
    labels = list(summary["confusion"])
    echo(f"{summary['pairs']} pairs")
    echo("")
    echo("confusion (rows: gold label, columns: verdict counted as)")
    width = max(len(label) for label in labels) + 2
    echo(" " * width + "".join(f"{label:>12}" for label in labels))
    for gold in labels:
        row = summary["confusion"][gold]
        echo(f"{gold:<{width}}" + "".join(f"{row[p]:>12}" for p in labels))
    echo("")
    echo(f"{'':<{width}}{'precision':>12}{'recall':>12}{'F1':>12}")
    for label in labels:
        m = summary["per_class"][label]
        echo(f"{label:<{width}}{m['precision']:>12.3f}{m['recall']:>12.3f}{m['f1']:>12.3f}")
    echo("")
    over = "/".join(summary["macro_f1_over"])
    echo(f"macro-F1     {summary['macro_f1']:.3f}  (over {over})")
    echo(f"accuracy     {summary['accuracy']:.3f}")
    echo(f"abstention   {summary['abstention']:.1%}  (verdict unchecked)")
    echo(f"speed        {summary['ms_per_pair']:.2f} ms per pair")
    verdicts = ", ".join(f"{k} {n}" for k, n in summary["verdicts"].items())
    echo(f"verdicts     {verdicts}")


@app.command("evaluate")
def evaluate(
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE",
            help='Labelled pairs, one JSON object a line: {"id", "claim", "label": '
            'SUPPORT|CONTRADICT|NEI, "study": {"title", "abstract"}}; - reads stdin.',
            show_default=False,
        ),
    ],
    limit: Annotated[
        int | None, typer.Option(metavar="N", help="Only the first N pairs.", show_default=False)
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Score the verification engine on labelled claim × abstract pairs (nothing is stored).

    Verdicts count as SUPPORT (supported, partially_supported), CONTRADICT (contradicted)
    or NEI (everything else). Prints the confusion matrix, per-class precision, recall and
    F1, macro-F1, abstention (share unchecked) and milliseconds per pair.
    """
    from ldn_evidence.services.evaluation import evaluate_file

    result = evaluate_file(file, limit)
    if as_json:
        print_json(result.as_dict())
    else:
        _render(result.summary())
