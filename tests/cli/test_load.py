"""`load FILE`: the seed dataset, idempotency, the CSV form, and errors that name the place."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import Cli

SEED_CLAIMS = [
    "appears to work via “boosting” or “priming” the immune system",
    "such as endorphins and enkephalins",
    "marked increase in beta-endorphin blood levels",
    "60% of patients reported a reduction in fibromyalgia symptoms",
    "improved pain scored by nearly 30%",
]


def _counts(url: str) -> dict[str, int]:
    from ldn_evidence.db import make_engine

    engine = make_engine(url)
    with engine.connect() as conn:
        out = {
            t: conn.execute(sa.text(f'SELECT COUNT(*) FROM "{t}"')).scalar_one()
            for t in (
                "source_documents",
                "claims",
                "references",
                "citations",
                "studies",
                "study_authors",
                "publication_types",
            )
        }
    engine.dispose()
    return out


def test_seed_loads_five_claims_three_references(cli: Cli, seed_file: Path) -> None:
    result = cli("load", str(seed_file), "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["created"] == {
        "studies": 2,
        "documents": 1,
        "references": 3,
        "claims": 5,
        "citations": 15,
    }
    claims = json.loads(cli("claims", "list", "--json").stdout)
    assert len(claims) == 5
    for claim, fragment in zip(claims, SEED_CLAIMS, strict=True):
        assert fragment in claim["text"]
        assert claim["citations"] == 3
    assert claims[3]["figure"] == {"value": 60.0, "unit": "%", "qualifier": "exact", "text": "60%"}
    assert claims[4]["figure"]["qualifier"] == "nearly"
    assert claims[4]["population"] == "women" and claims[4]["outcome"] == "pain"
    assert claims[0]["dose"].startswith("4.5 mg")


def test_seed_claim_detail(cli: Cli, seed_file: Path) -> None:
    cli("load", str(seed_file))
    detail = json.loads(cli("claims", "show", "4", "--json").stdout)
    assert detail["document"]["publisher"] == "Trinova Health"
    sources = {
        (c["reference"]["kind"], (c["study"] or {}).get("pmid")) for c in detail["citations"]
    }
    assert sources == {("pubmed", "23359310"), ("title", "19453963"), ("web", None)}
    assert all(c["origin"] == "page" and c["verdict"] == "unchecked" for c in detail["citations"])
    study = next(
        c["study"] for c in detail["citations"] if c["study"] and c["study"]["pmid"] == "23359310"
    )
    assert study["origin"] == "curated" and "curated (not fetched)" in study["flags"]
    assert study["authors"] == ["Younger J", "Noor N", "McCue R", "Mackey S"]
    assert (
        study["journal_iso"],
        study["year"],
        study["volume"],
        study["issue"],
        study["pages"],
        study["doi"],
    ) == ("Arthritis Rheum", 2013, "65", "2", "529-38", "10.1002/art.37734")
    text = cli("claims", "show", "4").stdout
    assert "cited by the page" in text and "PMID 19453963" in text


def test_loading_twice_changes_nothing(cli: Cli, seed_file: Path, db_url: str) -> None:
    cli("load", str(seed_file))
    before = _counts(db_url)
    again = cli("load", str(seed_file))
    assert again.exit_code == 0
    assert "nothing changed" in again.stdout
    assert _counts(db_url) == before


@pytest.mark.slow
def test_csv_form(cli: Cli, tmp_path: Path) -> None:
    f = tmp_path / "claims.csv"
    f.write_text(
        "text,figure_value,figure_qualifier,figure_text,outcome,population,pmids,document_url\n"
        '"Magnesium cut migraine days by nearly half.",50,nearly,nearly half,migraine days,'
        "adults,1111111;2222222,https://pharmacy.example/mg\n"
        '"No citation here, 80% better.",80,,,symptoms,,,https://pharmacy.example/mg\n',
        encoding="utf-8",
    )
    result = cli("load", str(f), "--json")
    assert result.exit_code == 0, result.output
    claims = json.loads(cli("claims", "list", "--json").stdout)
    assert [c["citations"] for c in claims] == [2, 0]
    assert claims[1]["unsourced"] is True
    detail = json.loads(cli("claims", "show", str(claims[0]["id"]), "--json").stdout)
    assert {c["reference"]["pmid"] for c in detail["citations"]} == {"1111111", "2222222"}
    assert all(c["origin"] == "claim" for c in detail["citations"])
    assert cli("load", str(f)).stdout.strip().endswith("nothing changed")


BAD_YAML = [
    (
        "format: ldn-evidence/1\nclaims:\n  - text: ok\n    figure: {value: lots}\n",
        ["line 4", "claims[0].figure.value", "expected a number"],
    ),
    (
        "format: ldn-evidence/1\nclaims:\n  - txt: typo\n",
        ["line 3", "claims[0].txt", "unknown key"],
    ),
    ("format: ldn-evidence/1\nclaims:\n  - text: [unclosed\n", ["line", "not valid YAML"]),
    ("format: wrong/9\n", ["line 1", "format", "expected 'ldn-evidence/1'"]),
    (
        "format: ldn-evidence/1\nreferences:\n  - {id: a, raw: x, kind: pubmed, pmid: abc}\n",
        ["line 3", "references[0].pmid", "not a PMID"],
    ),
    (
        "format: ldn-evidence/1\nreferences: []\nclaims:\n  - text: t\n    cites: [zz]\n",
        ["line 5", "claims[0].cites", "no reference with id 'zz'"],
    ),
    (
        "format: ldn-evidence/1\nclaims:\n  - text: t\n"
        "    figure: {value: 3, qualifier: roughly}\n",
        ["figure.qualifier", "must be one of"],
    ),
    ("", ["the file is empty"]),
]


@pytest.mark.parametrize(("content", "expected"), BAD_YAML)
def test_malformed_yaml_names_place_and_writes_nothing(
    cli: Cli, db_url: str, tmp_path: Path, content: str, expected: list[str]
) -> None:
    f = tmp_path / "bad.yaml"
    f.write_text(content, encoding="utf-8")
    before = _counts(db_url)
    result = cli("load", str(f))
    assert result.exit_code == 1
    err = result.stderr.strip()
    assert len(err.splitlines()) == 1 and str(f) in err, err
    for fragment in expected:
        assert fragment in err, err
    assert _counts(db_url) == before


def test_failure_midway_writes_nothing(cli: Cli, db_url: str, tmp_path: Path) -> None:
    # valid to read, but the document has neither url, text nor title: fails while storing
    f = tmp_path / "half.yaml"
    f.write_text(
        "format: ldn-evidence/1\nstudies:\n  - {pmid: '5', title: T}\n"
        "document: {publisher: P}\nclaims:\n  - text: t\n",
        encoding="utf-8",
    )
    before = _counts(db_url)
    result = cli("load", str(f))
    assert result.exit_code == 1 and "document needs" in result.stderr
    assert _counts(db_url) == before


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("c.csv", "txt\nx\n", "line 1: the header has no 'text' column"),
        ("c.csv", "text,figure_value\nclaim,abc\n", "line 2: figure_value: expected a number"),
        ("c.csv", "text,pmids\nclaim,12x\n", "line 2: pmids: not a PMID"),
        ("c.txt", "hello", "unknown file type .txt"),
        ("missing.yaml", None, "no such file"),
    ],
)
def test_bad_files(cli: Cli, tmp_path: Path, name: str, content: str | None, fragment: str) -> None:
    f = tmp_path / name
    if content is not None:
        f.write_text(content, encoding="utf-8")
    result = cli("load", str(f))
    assert result.exit_code == 1
    assert fragment in result.stderr
    assert "Traceback" not in result.output


def _claims_csv(path: Path, n: int, bad: int | None = None, bad_cell: str = "") -> Path:
    rows = [
        f'"Claim {i}: it cut pain by {i % 90}%",pain,{bad_cell if i == bad else "4.5 mg"},'
        f"{1000 + i % 7};{2000 + i % 5}\n"
        for i in range(n)
    ]
    path.write_text("text,condition,dose,pmids\n" + "".join(rows), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("bad_cell", "says"),
    [
        ("x\x1by", "line 12: dose: contains a control character (U+001B)"),  # refused reading
        ("9" * 150, "field claims.dose is 150 characters long; at most 100 fit"),  # storing
    ],
)
def test_a_bad_row_in_the_middle_stores_nothing(
    cli: Cli, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bad_cell: str, says: str
) -> None:
    """The file is one unit of work: a row refused after chunks were written (CHUNK 4)
    leaves the database as it was."""
    from ldn_evidence.services import bulk_load
    from tests.reliability.conftest import dump

    monkeypatch.setattr(bulk_load, "CHUNK", 4)
    assert cli("load", str(_claims_csv(tmp_path / "first.csv", 3))).exit_code == 0
    before = dump(db_url)
    path = _claims_csv(tmp_path / "claims.csv", 20, bad=10, bad_cell=bad_cell)
    result = cli("load", str(path))
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: {path}" + (", " if "line" in says else ": ") + says
    assert dump(db_url) == before


def test_big_csv_loads_and_reloads_unchanged(
    cli: Cli, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ldn_evidence.services import bulk_load
    from tests.reliability.conftest import dump

    monkeypatch.setattr(bulk_load, "CHUNK", 7)
    path = _claims_csv(tmp_path / "claims.csv", 50)
    result = cli("load", str(path), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["created"] == {
        "references": 12,
        "claims": 50,
        "citations": 100,
    }
    counts = _counts(db_url)
    assert (counts["claims"], counts["references"], counts["citations"]) == (50, 12, 100)
    before = dump(db_url)
    again = cli("load", str(path))
    assert again.stdout == f"{path}: already loaded, nothing changed\n"
    assert dump(db_url) == before


def test_a_csv_file_changed_after_its_check_stores_nothing(
    engine: object, db_url: str, tmp_path: Path
) -> None:
    """A CSV file is checked whole, then read again as it is stored: a file changed in
    between is refused and nothing of it is kept."""
    import os

    from ldn_evidence.db import session_scope
    from ldn_evidence.errors import InputError
    from ldn_evidence.services.dataset import read_dataset
    from ldn_evidence.services.loading import load_dataset
    from tests.reliability.conftest import dump

    path = _claims_csv(tmp_path / "claims.csv", 5)
    dataset = read_dataset(path)
    path.write_text(path.read_text() + '"Claim 99",pain,,31\n', encoding="utf-8")
    before = dump(db_url)
    with pytest.raises(InputError, match="the file changed while it was being loaded"):
        with session_scope(engine) as s:  # type: ignore[arg-type]
            load_dataset(session=s, dataset=dataset)
    assert dump(db_url) == before
    # the same size and time as when checked, other PMIDs: refused too
    path.write_text(path.read_text().replace(";2000", ";2001"), encoding="utf-8")
    dataset = read_dataset(path)
    seen = path.stat()
    path.write_text(path.read_text().replace(";2001", ";2009"), encoding="utf-8")
    os.utime(path, ns=(seen.st_atime_ns, seen.st_mtime_ns))
    with pytest.raises(InputError, match="the file changed while it was being loaded"):
        with session_scope(engine) as s:  # type: ignore[arg-type]
            load_dataset(session=s, dataset=dataset)
    assert dump(db_url) == before
