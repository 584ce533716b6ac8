"""JSON: the versioned nested shape, validated against the shipped JSON Schema."""

from __future__ import annotations

import json
import random
from dataclasses import asdict, dataclass

import jsonschema
import pytest

from ldn_evidence.export import render
from ldn_evidence.export.json_out import _dump, load_schema
from ldn_evidence.export.model import Report
from ldn_evidence.vocab import Verdict
from tests.export.hostile import HOSTILE_ABSTRACT, LOOSE_CLAIM, SCRIPT_CLAIM, ExportDb


@pytest.fixture
def validator() -> jsonschema.protocols.Validator:
    schema = load_schema()
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def test_valid_against_schema(report: Report, validator) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(render(report, "json"))
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


def test_shape(report: Report, export_db: ExportDb) -> None:
    data = json.loads(render(report, "json"))
    assert data["schema"] == "ldn-evidence/3"
    assert data["generated_at"] == "2026-02-01T09:30:00+00:00"
    assert [c["text"] for c in data["claims_without_document"]] == [LOOSE_CLAIM]
    hostile = next(d for d in data["documents"] if d["id"] == export_db.document_id)
    claim = next(c for c in hostile["claims"] if c["text"] == SCRIPT_CLAIM)  # verbatim
    study = claim["citations"][0]["study"]
    assert study["retracted"] is True and "retracted" in study["flags"]
    formula = next(c for c in hostile["claims"] if c["id"] == export_db.formula_claim_id)
    trial = formula["citations"][0]["study"]
    assert trial["abstract"] == HOSTILE_ABSTRACT
    assert [a["family"] for a in trial["authors"][:3]] == ["Müller", "Ñúñez", "Wójcik"]
    assert trial["authors"][-1]["literal"] == "LDN Study Group & Friends"
    assert data["summary"]["retracted_sources"] == 1


def test_schema_rejects_drift(report: Report, validator) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(render(report, "json"))
    data["documents"][0]["claims"][0]["surprise"] = 1
    data["schema"] = "ldn-evidence/1"
    assert len(list(validator.iter_errors(data))) == 2


def test_non_ascii_kept(report: Report) -> None:
    assert "Ñúñez".encode() in render(report, "json")


def test_bytes_are_json_dumps_of_asdict(report: Report, export_db: ExportDb) -> None:
    """The file is `json.dumps(dataclasses.asdict(report), indent=2)`, written a claim at
    a time with its own walk of the views (`json_out._plain`), for every filter."""
    from dataclasses import asdict

    from ldn_evidence.db import session_scope
    from ldn_evidence.services.report import build_report
    from tests.export.hostile import GENERATED_AT

    reports = [report]
    with session_scope(export_db.engine) as session:
        for filters in [{"verdict": "supported"}, {"document_ids": [export_db.document_id]}]:
            reports.append(build_report(session=session, generated_at=GENERATED_AT, **filters))
    for each in reports:
        expected = json.dumps(asdict(each), indent=2, ensure_ascii=False) + "\n"
        assert render(each, "json") == expected.encode("utf-8")


def _random_value(rng: random.Random, depth: int) -> object:
    leaves: list[object] = [
        None,
        True,
        False,
        0,
        -7,
        10**20,
        2**64,
        2**64 - 1,
        -(2**63) - 1,
        1.5,
        1e-05,  # orjson writes 0.00001: json's encoder writes these
        -4.9e-324,
        1e-4,
        0.1,
        -0.0,
        1e300,
        float("nan"),
        float("inf"),
        float("-inf"),
        "",
        "plain",
        'quote " back \\ slash',
        "line\nbreak\ttab\x1b\x00\u2028",
        "Müller ＝ 𝛼",
        Verdict.SUPPORTED,
    ]
    if depth <= 0 or rng.random() < 0.4:
        return rng.choice(leaves)
    n = rng.randint(0, 3)
    shape = rng.randrange(5)
    if shape == 0:
        return [_random_value(rng, depth - 1) for _ in range(n)]
    if shape == 1:
        return tuple(_random_value(rng, depth - 1) for _ in range(n))
    if shape == 2:
        return {f"k{i}\n": _random_value(rng, depth - 1) for i in range(n)}
    if shape == 3:
        return _Pair(_random_value(rng, depth - 1), _random_value(rng, depth - 1))
    return {rng.choice([1, 2.5, True, None, "s"]): _random_value(rng, depth - 1)}


@dataclass(frozen=True)
class _Pair:
    second: object
    first: object


def _asdict_all(value: object) -> object:
    """`value` with each dataclass as `dataclasses.asdict` makes it."""
    if isinstance(value, _Pair):
        return asdict(value)
    if isinstance(value, list | tuple):
        return type(value)(_asdict_all(v) for v in value)
    if isinstance(value, dict):
        return {k: _asdict_all(v) for k, v in value.items()}
    return value


def test_orjson_writes_the_claims_where_it_can() -> None:
    """The fast path is taken for plain views and refused where orjson would differ."""
    from ldn_evidence.export.json_out import _orjson_safe

    assert _orjson_safe(_Pair([1, 2.5, None, "x"], {"k": [True, 0.0, 1e-4]}))
    for differs in [1e-05, float("nan"), float("inf"), 2**64, {1: 2}, Verdict.SUPPORTED]:
        assert not _orjson_safe(_Pair("a", [differs]))
    extra = _Pair(1, 2)
    object.__setattr__(extra, "more", 3)  # orjson would write it: not a field
    assert not _orjson_safe(extra)


def test_dump_writes_what_json_dumps_writes() -> None:
    """`json_out._dump`, the encoder the export writes with, against json.dumps with
    indent=2 on random nested values (non-string keys, NaN, enums, control characters)."""
    rng = random.Random(15)
    for _ in range(3000):
        value = _random_value(rng, 4)
        level = rng.randrange(4)
        expected = json.dumps(_asdict_all(value), indent=2, ensure_ascii=False)
        assert _dump(value, level) == expected.replace("\n", "\n" + "  " * level), value


@pytest.mark.parametrize("written, level", [(0, 4), (4, 0), (7, 5), (2, 2)])
def test_json_text_moved_to_another_level(written: int, level: int) -> None:
    """A value written at one level (`_dump`) and moved to another (`json_out._at_level`,
    as text or as bytes) is what `_dump` writes at that level, strings with escaped
    newlines and indents untouched."""
    from ldn_evidence.export.json_out import _at_level

    value = {"a": ["x\n  y", {"b": None}], "c": "\\n    ", "d": [[1, 2], []]}
    moved = _at_level(_dump(value, written), written, level)
    assert moved == _dump(value, level)
    assert _at_level(_dump(value, written).encode(), written, level) == moved.encode()
    assert json.loads(moved) == value
