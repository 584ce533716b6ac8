"""`ldn-evidence evaluate`: the engine scored on labelled pairs, and the same verdict as
`verify` gives the pair stored."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ldn_evidence.cli import app
from ldn_evidence.services.evaluation import Pair, evaluate_file, label_of, run_pair
from tests.conftest import Cli, shared_path
from tests.eutils_server import make_article

PAIRS = [
    {
        "id": "p1",
        "claim": "Air purifiers improve allergy symptoms.",
        "label": "CONTRADICT",
        "study": {
            "title": "Air purifiers and allergy",
            "abstract": "Forty households received an air purifier or a sham device. Air "
            "purifiers did not improve allergy symptoms compared with sham devices.",
        },
        "rationale": ["ignored"],
    },
    {
        "id": 2,
        "claim": "Zinc lozenges shorten colds.",
        "label": "SUPPORT",
        "study": {"title": "Zinc", "abstract": "RESULTS: Zinc lozenges shortened colds."},
    },
    {
        "id": "p3",
        "claim": "Melatonin improves sleep onset in children.",
        "label": "NEI",
        "study": {"title": "Statins", "abstract": "RESULTS: Statins lowered LDL cholesterol."},
    },
]


def _write(tmp_path: Path, rows: list, name: str = "pairs.jsonl") -> Path:  # type: ignore[type-arg]
    path = tmp_path / name
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n")
    return path


def _run(*args: str, stdin: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, list(args), input=stdin)


def test_text_output_has_matrix_scores_abstention_and_speed(tmp_path: Path) -> None:
    result = _run("evaluate", str(_write(tmp_path, PAIRS)))
    assert result.exit_code == 0, result.output
    out = result.stdout
    for needle in ("3 pairs", "confusion", "precision", "recall", "macro-F1", "abstention",
                   "ms per pair", "SUPPORT", "CONTRADICT", "NEI"):  # fmt: skip
        assert needle in out
    assert "macro-F1     1.000" in out  # all three right


def test_json_lists_every_pair_once_with_verdict_sentence_reason(tmp_path: Path) -> None:
    result = _run("evaluate", str(_write(tmp_path, PAIRS)), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [p["id"] for p in data["pairs"]] == ["p1", "2", "p3"]
    for p in data["pairs"]:
        assert set(p) == {"id", "verdict", "sentence", "reason"}
    assert data["pairs"][0]["verdict"] == "contradicted"
    assert "did not improve" in data["pairs"][0]["sentence"]
    summary = data["summary"]
    assert summary["pairs"] == 3 and summary["macro_f1"] == 1.0
    assert summary["confusion"]["SUPPORT"]["SUPPORT"] == 1
    assert set(summary["per_class"]["NEI"]) >= {"precision", "recall", "f1"}
    assert summary["abstention"] == 0.0 and summary["ms_per_pair"] >= 0


def test_limit_and_stdin(tmp_path: Path) -> None:
    data = json.loads(
        _run("evaluate", str(_write(tmp_path, PAIRS)), "--limit", "2", "--json").stdout
    )
    assert len(data["pairs"]) == 2
    piped = _run("evaluate", "-", "--json", stdin="\n".join(json.dumps(p) for p in PAIRS))
    assert piped.exit_code == 0 and len(json.loads(piped.stdout)["pairs"]) == 3


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "line 2: not a JSON object"),
        ("[1, 2]", "line 2: not a JSON object"),
        ('{"id": 1, "label": "NEI", "study": {}}', 'line 2: "claim" is missing'),
        ('{"id": 1, "claim": "x", "label": "MAYBE", "study": {}}', 'line 2: "label" must be'),
        ('{"id": 1, "claim": "x", "label": "NEI"}', 'line 2: "study" must be an object'),
        ('{"claim": "x", "label": "NEI", "study": {}}', 'line 2: "id" is missing'),
        ('{"id": 1, "claim": "x", "label": "NEI", "study": {"abstract": 5}}',
         'line 2: "study.abstract" must be a string'),
    ],
)  # fmt: skip
def test_bad_line_is_one_line_error_naming_the_line(
    tmp_path: Path, line: str, message: str
) -> None:
    path = _write(tmp_path, [PAIRS[0], line, PAIRS[1]])
    result = _run("evaluate", str(path))
    assert result.exit_code == 1
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_missing_file_directory_and_bad_limit(tmp_path: Path) -> None:
    assert "no such file" in _run("evaluate", str(tmp_path / "nope.jsonl")).stderr
    assert "is a directory" in _run("evaluate", str(tmp_path)).stderr
    assert _run("evaluate", str(_write(tmp_path, PAIRS)), "--limit", "0").exit_code == 1
    binary = tmp_path / "bin.jsonl"
    binary.write_bytes(b"\xff\xfe\x00bad")
    assert "not UTF-8" in _run("evaluate", str(binary)).stderr


def test_blank_lines_are_skipped_and_empty_file_scores_nothing(tmp_path: Path) -> None:
    path = _write(tmp_path, [PAIRS[0], "", "   ", PAIRS[1]])
    assert len(json.loads(_run("evaluate", str(path), "--json").stdout)["pairs"]) == 2
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    result = _run("evaluate", str(empty))
    assert result.exit_code == 0 and "0 pairs" in result.stdout


def test_evaluate_gives_the_verdict_verify_stores(cli: Cli, fake) -> None:  # type: ignore[no-untyped-def]
    """A pair run through `evaluate` gets exactly the verdict, sentence and reason it gets
    stored (claims add + a fetched study) and run through `verify`."""
    for pmid, pair in zip(("900001", "900002", "900003"), PAIRS, strict=True):
        fake.add_article(
            pmid, make_article(pmid, pair["study"]["title"], pair["study"]["abstract"])
        )
    assert cli("fetch", "900001", "900002", "900003").exit_code == 0
    pmids = ("900001", "900002", "900003")
    for number, (pmid, pair) in enumerate(zip(pmids, PAIRS, strict=True), 1):
        added = cli("claims", "add", pair["claim"], "--json")
        assert added.exit_code == 0, added.output
        claim_id = json.loads(added.stdout)["id"]
        assert cli("claims", "cite", str(claim_id), pmid).exit_code == 0
        row = json.loads(cli("verify", str(claim_id), "--json").stdout)["citations"][0]
        expected = run_pair(
            Pair(str(number), pair["claim"], pair["label"], pair["study"]["title"],
                 pair["study"]["abstract"])
        )  # fmt: skip
        assert row["verdict"] == expected.verdict
        assert row["reason"] == expected.reason
        assert row["sentence"] == (" … ".join(expected.sentences) or None)


# Floors set from the measured results (benchmarks/RESULTS.md) less a small margin: the
# engine must not fall below them on the shared development sets.
FLOORS = {
    "scifact-train.jsonl": 0.55,
    "checkcovid-dev-sent.jsonl": 0.33,
    "checkcovid-dev-abs.jsonl": 0.39,
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(FLOORS))
def test_macro_f1_on_the_development_sets_stays_above_its_floor(name: str) -> None:
    path = shared_path("verify-dev", name)
    summary = evaluate_file(path).summary()
    assert summary["macro_f1"] >= FLOORS[name], summary
    assert summary["abstention"] <= 0.25
    assert label_of("partially_supported") == "SUPPORT"
